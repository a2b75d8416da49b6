// Announcements: what staff write when requests ship, read by everyone on the changelog, the
// feed, the header's unread count and in e-mail. One row per announcement, however many users
// it reaches (see migration 0013): publishing is one UPDATE, the e-mails fan out from the
// worker (app/services/announcement-mail.server.ts).
//
// Its life: a draft (no published_at) is edited freely and may be deleted; publishing sets
// published_at to now or to a later moment (scheduled: nobody but staff sees it until then,
// and it can go back to a draft); once the moment has passed it is published for good: it can
// be corrected, which marks it edited and keeps the before and after in the audit log, but
// never deleted or unpublished, so what readers were told stays on record.
import type { Kysely, Transaction } from "kysely";
import { requireStaff } from "~/auth/permissions.server";
import { getDb, now, type Database } from "~/db.server";
import type { Locale, MessageKey } from "~/i18n/messages";
import { cleanLine, cleanMarkdown } from "~/text";
import { recordAudit } from "./audit.server";
import { ActionRefused, type Actor } from "./errors";

type Executor = Kysely<Database> | Transaction<Database>;

export const ANNOUNCEMENT_TITLE_MAX_LENGTH = 160;
export const ANNOUNCEMENT_BODY_MAX_LENGTH = 20_000;
/** An announcement covers a release's worth of requests, not a catalogue. */
export const ANNOUNCEMENT_REQUESTS_MAX = 20;
/** How far ahead a publication may be scheduled. */
export const SCHEDULE_MAX_DAYS = 366;

/** What staff type: Hebrew required, English optional (both fields or neither). */
export type AnnouncementInput = {
  titleHe: string;
  bodyHe: string;
  titleEn: string;
  bodyEn: string;
  requestIds: readonly number[];
};

export type AnnouncementState = "draft" | "scheduled" | "published";

export type CoveredRequest = {
  id: number;
  title: string;
  status: string;
  categoryId: number | null;
  orgCount: number;
  /** The sponsors who agreed to be named, in the order they signed. */
  sponsors: string[];
};

export type AnnouncementView = {
  id: number;
  titleHe: string;
  bodyHe: string;
  titleEn: string | null;
  bodyEn: string | null;
  publishedAt: string | null;
  editedAt: string | null;
  createdAt: string;
  updatedAt: string;
  state: AnnouncementState;
  requests: CoveredRequest[];
};

/** Where an announcement stands at `at` (now by default). */
export function stateOf(publishedAt: string | null, at: string = now()): AnnouncementState {
  if (publishedAt === null) return "draft";
  return publishedAt > at ? "scheduled" : "published";
}

/**
 * The text in the reader's language. English readers get the Hebrew when there is no English,
 * with `fallback` set so the page can say so.
 */
export function announcementText(
  view: Pick<AnnouncementView, "titleHe" | "bodyHe" | "titleEn" | "bodyEn">,
  locale: Locale,
): { title: string; bodyMd: string; lang: Locale; fallback: boolean } {
  if (locale === "en" && view.titleEn && view.bodyEn) {
    return { title: view.titleEn, bodyMd: view.bodyEn, lang: "en", fallback: false };
  }
  return { title: view.titleHe, bodyMd: view.bodyHe, lang: "he", fallback: locale !== "he" };
}

// ---------------------------------------------------------------------------------------------
// Validation

type CleanInput = {
  title_he: string;
  body_he_md: string;
  title_en: string | null;
  body_en_md: string | null;
  requestIds: number[];
};

function refuse(key: MessageKey, field: string) {
  return new ActionRefused(key, 400, field);
}

/** The text as stored, or the refusal of the first field that breaks a rule. */
export function cleanAnnouncementInput(input: AnnouncementInput): CleanInput {
  const titleHe = cleanLine(input.titleHe);
  const bodyHe = cleanMarkdown(input.bodyHe).trim();
  const titleEn = cleanLine(input.titleEn);
  const bodyEn = cleanMarkdown(input.bodyEn).trim();
  if (titleHe === "") throw refuse("announcements.error.titleRequired", "titleHe");
  if ([...titleHe].length > ANNOUNCEMENT_TITLE_MAX_LENGTH)
    throw refuse("announcements.error.titleTooLong", "titleHe");
  if (bodyHe === "") throw refuse("announcements.error.bodyRequired", "bodyHe");
  if (bodyHe.length > ANNOUNCEMENT_BODY_MAX_LENGTH)
    throw refuse("announcements.error.bodyTooLong", "bodyHe");
  if ([...titleEn].length > ANNOUNCEMENT_TITLE_MAX_LENGTH)
    throw refuse("announcements.error.titleTooLong", "titleEn");
  if (bodyEn.length > ANNOUNCEMENT_BODY_MAX_LENGTH)
    throw refuse("announcements.error.bodyTooLong", "bodyEn");
  // Half an English version would show an English title over a Hebrew body: both or neither.
  if (titleEn === "" && bodyEn !== "")
    throw refuse("announcements.error.englishTitleMissing", "titleEn");
  if (titleEn !== "" && bodyEn === "")
    throw refuse("announcements.error.englishBodyMissing", "bodyEn");
  const requestIds = [...new Set(input.requestIds)];
  if (requestIds.length > ANNOUNCEMENT_REQUESTS_MAX)
    throw refuse("announcements.error.tooManyRequests", "requestIds");
  return {
    title_he: titleHe,
    body_he_md: bodyHe,
    title_en: titleEn === "" ? null : titleEn,
    body_en_md: bodyEn === "" ? null : bodyEn,
    requestIds,
  };
}

/**
 * The covered requests must be shipped and public: the changelog is public, and an
 * announcement says something is available.
 */
async function requireAnnounceable(trx: Executor, requestIds: readonly number[]) {
  if (requestIds.length === 0) return;
  const rows = await trx
    .selectFrom("requests")
    .select(["id", "status", "visibility"])
    .where("id", "in", requestIds)
    .execute();
  if (rows.length !== requestIds.length)
    throw refuse("announcements.error.requestNotFound", "requestIds");
  if (rows.some((r) => r.visibility !== "public"))
    throw refuse("announcements.error.requestNotPublic", "requestIds");
  if (rows.some((r) => r.status !== "shipped"))
    throw refuse("announcements.error.requestNotShipped", "requestIds");
}

async function writeCoveredRequests(trx: Executor, id: number, requestIds: readonly number[]) {
  await trx.deleteFrom("announcement_requests").where("announcement_id", "=", id).execute();
  if (requestIds.length === 0) return;
  await trx
    .insertInto("announcement_requests")
    .values(requestIds.map((requestId) => ({ announcement_id: id, request_id: requestId })))
    .execute();
}

async function rowForUpdate(trx: Executor, id: number) {
  const row = await trx
    .selectFrom("announcements")
    .selectAll()
    .where("id", "=", id)
    .executeTakeFirst();
  if (!row) throw new ActionRefused("announcements.error.notFound", 404);
  const requestIds = (
    await trx
      .selectFrom("announcement_requests")
      .select("request_id")
      .where("announcement_id", "=", id)
      .orderBy("request_id")
      .execute()
  ).map((r) => r.request_id);
  return { ...row, requestIds };
}

// ---------------------------------------------------------------------------------------------
// Staff's actions

export async function createAnnouncement({
  actor,
  input,
}: {
  actor: Actor;
  input: AnnouncementInput;
}): Promise<{ id: number }> {
  const clean = cleanAnnouncementInput(input);
  return getDb()
    .transaction()
    .execute(async (trx) => {
      await requireStaff(trx, actor);
      await requireAnnounceable(trx, clean.requestIds);
      const at = now();
      const { requestIds, ...text } = clean;
      const row = await trx
        .insertInto("announcements")
        .values({ ...text, created_by: actor.id, created_at: at, updated_at: at })
        .returning("id")
        .executeTakeFirstOrThrow();
      await writeCoveredRequests(trx, row.id, requestIds);
      await recordAudit(trx, {
        actorId: actor.id,
        action: "announcement.create",
        subjectType: "announcement",
        subjectId: row.id,
        data: { title: text.title_he, requestIds },
      });
      return { id: row.id };
    });
}

/**
 * Saves new text and covered requests. A draft or a scheduled announcement simply changes; a
 * published one is a correction: marked edited, with what it said before in the audit log.
 */
export async function updateAnnouncement({
  actor,
  id,
  input,
}: {
  actor: Actor;
  id: number;
  input: AnnouncementInput;
}): Promise<{ corrected: boolean }> {
  const clean = cleanAnnouncementInput(input);
  return getDb()
    .transaction()
    .execute(async (trx) => {
      await requireStaff(trx, actor);
      const before = await rowForUpdate(trx, id);
      await requireAnnounceable(
        trx,
        // A request covered before may have been reopened since; keeping it is not announcing it.
        clean.requestIds.filter((r) => !before.requestIds.includes(r)),
      );
      const at = now();
      const corrected = stateOf(before.published_at, at) === "published";
      const { requestIds, ...text } = clean;
      const unchanged =
        text.title_he === before.title_he &&
        text.body_he_md === before.body_he_md &&
        text.title_en === before.title_en &&
        text.body_en_md === before.body_en_md &&
        requestIds.length === before.requestIds.length &&
        requestIds.every((r) => before.requestIds.includes(r));
      if (unchanged) return { corrected: false };
      await trx
        .updateTable("announcements")
        .set({ ...text, updated_at: at, ...(corrected ? { edited_at: at } : {}) })
        .where("id", "=", id)
        .execute();
      await writeCoveredRequests(trx, id, requestIds);
      await recordAudit(trx, {
        actorId: actor.id,
        action: corrected ? "announcement.correct" : "announcement.edit",
        subjectType: "announcement",
        subjectId: id,
        data: {
          before: {
            titleHe: before.title_he,
            bodyHe: before.body_he_md,
            titleEn: before.title_en,
            bodyEn: before.body_en_md,
            requestIds: before.requestIds,
          },
          after: {
            titleHe: text.title_he,
            bodyHe: text.body_he_md,
            titleEn: text.title_en,
            bodyEn: text.body_en_md,
            requestIds: [...requestIds].sort((a, b) => a - b),
          },
        },
      });
      return { corrected };
    });
}

/**
 * Publishes now, or schedules for `at` (an ISO time; a moment already past publishes now). A
 * scheduled announcement may be moved; a published one cannot be published again.
 */
export async function publishAnnouncement({
  actor,
  id,
  at,
}: {
  actor: Actor;
  id: number;
  at?: string;
}): Promise<{ state: AnnouncementState; publishedAt: string }> {
  const current = now();
  const when = at === undefined || at <= current ? current : new Date(at).toISOString();
  if (Date.parse(when) - Date.now() > SCHEDULE_MAX_DAYS * 86_400_000)
    throw refuse("announcements.error.scheduleTooFar", "publishAt");
  return getDb()
    .transaction()
    .execute(async (trx) => {
      await requireStaff(trx, actor);
      const row = await rowForUpdate(trx, id);
      if (stateOf(row.published_at, current) === "published")
        throw new ActionRefused("announcements.error.alreadyPublished", 409);
      // What was announceable when drafted must still be (a request reopened meanwhile).
      await requireAnnounceable(trx, row.requestIds);
      await trx
        .updateTable("announcements")
        .set({ published_at: when, updated_at: current })
        .where("id", "=", id)
        .execute();
      const state = stateOf(when, current);
      await recordAudit(trx, {
        actorId: actor.id,
        action: state === "published" ? "announcement.publish" : "announcement.schedule",
        subjectType: "announcement",
        subjectId: id,
        data: { title: row.title_he, publishedAt: when },
      });
      return { state, publishedAt: when };
    });
}

/** A scheduled announcement back to a draft, before anyone has seen it. */
export async function unscheduleAnnouncement({ actor, id }: { actor: Actor; id: number }) {
  await getDb()
    .transaction()
    .execute(async (trx) => {
      await requireStaff(trx, actor);
      const row = await rowForUpdate(trx, id);
      const state = stateOf(row.published_at);
      if (state === "published")
        throw new ActionRefused("announcements.error.alreadyPublished", 409);
      if (state === "draft") return;
      await trx
        .updateTable("announcements")
        .set({ published_at: null, updated_at: now() })
        .where("id", "=", id)
        .execute();
      await recordAudit(trx, {
        actorId: actor.id,
        action: "announcement.unschedule",
        subjectType: "announcement",
        subjectId: id,
        data: { title: row.title_he, wasScheduledFor: row.published_at },
      });
    });
}

/** Deletes a draft (or a scheduled one); a published announcement stays on record. */
export async function deleteDraft({ actor, id }: { actor: Actor; id: number }) {
  await getDb()
    .transaction()
    .execute(async (trx) => {
      await requireStaff(trx, actor);
      const row = await rowForUpdate(trx, id);
      if (stateOf(row.published_at) === "published")
        throw new ActionRefused("announcements.error.alreadyPublished", 409);
      await trx.deleteFrom("announcements").where("id", "=", id).execute();
      await recordAudit(trx, {
        actorId: actor.id,
        action: "announcement.delete",
        subjectType: "announcement",
        subjectId: id,
        data: { title: row.title_he, requestIds: row.requestIds },
      });
    });
}

// ---------------------------------------------------------------------------------------------
// Reading

/**
 * The announcements with these ids (in the order given; missing ones left out), each with its
 * covered requests and their credited sponsors: three queries however many there are.
 */
export async function loadAnnouncements(
  db: Executor,
  ids: readonly number[],
): Promise<AnnouncementView[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom("announcements").selectAll().where("id", "in", ids).execute();
  const covered = await db
    .selectFrom("announcement_requests as ar")
    .innerJoin("requests as r", "r.id", "ar.request_id")
    .select([
      "ar.announcement_id",
      "r.id",
      "r.title",
      "r.status",
      "r.category_id",
      "r.org_count",
      "r.visibility",
    ])
    .where("ar.announcement_id", "in", ids)
    .orderBy("r.org_count", "desc")
    .orderBy("r.id")
    .execute();
  const requestIds = [...new Set(covered.map((c) => c.id))];
  const sponsors = new Map<number, string[]>();
  if (requestIds.length > 0) {
    const credited = await db
      .selectFrom("sponsorships as s")
      .innerJoin("quotes as q", "q.id", "s.quote_id")
      .innerJoin("organizations as o", "o.id", "s.org_id")
      .select(["s.request_id", "o.name"])
      .where("s.request_id", "in", requestIds)
      .where("q.status", "=", "funded")
      .where("s.credit_by_name", "=", 1)
      .orderBy("s.accepted_at")
      .orderBy("s.id")
      .execute();
    for (const c of credited)
      sponsors.set(c.request_id, [...(sponsors.get(c.request_id) ?? []), c.name]);
  }
  const at = now();
  const byId = new Map(
    rows.map((row) => [
      row.id,
      {
        id: row.id,
        titleHe: row.title_he,
        bodyHe: row.body_he_md,
        titleEn: row.title_en,
        bodyEn: row.body_en_md,
        publishedAt: row.published_at,
        editedAt: row.edited_at,
        createdAt: row.created_at,
        updatedAt: row.updated_at,
        state: stateOf(row.published_at, at),
        requests: covered
          // A covered request made private later is no longer shown with the announcement.
          .filter((c) => c.announcement_id === row.id && c.visibility === "public")
          .map((c) => ({
            id: c.id,
            title: c.title,
            status: c.status,
            categoryId: c.category_id,
            orgCount: c.org_count,
            sponsors: sponsors.get(c.id) ?? [],
          })),
      } satisfies AnnouncementView,
    ]),
  );
  return ids.flatMap((id) => byId.get(id) ?? []);
}

export async function loadAnnouncement(
  db: Executor,
  id: number,
): Promise<AnnouncementView | undefined> {
  return (await loadAnnouncements(db, [id]))[0];
}

/** An announcement as staff edit it (any state); 404 for anyone else. */
export async function getAnnouncementForStaff({
  actor,
  id,
}: {
  actor: Actor;
  id: number;
}): Promise<AnnouncementView> {
  const db = getDb();
  await requireStaff(db, actor);
  const view = await loadAnnouncement(db, id);
  if (!view) throw new ActionRefused("announcements.error.notFound", 404);
  return view;
}

/** A published announcement as anyone may read it, or undefined (a draft is not found). */
export async function getPublishedAnnouncement(id: number): Promise<AnnouncementView | undefined> {
  const view = await loadAnnouncement(getDb(), id);
  return view?.state === "published" ? view : undefined;
}

/** The published announcements that cover a request, newest first (its page links to them). */
export async function announcementsOfRequest(
  requestId: number,
): Promise<{ id: number; titleHe: string; titleEn: string | null; publishedAt: string }[]> {
  const rows = await getDb()
    .selectFrom("announcement_requests as ar")
    .innerJoin("announcements as a", "a.id", "ar.announcement_id")
    .select(["a.id", "a.title_he", "a.title_en", "a.published_at"])
    .where("ar.request_id", "=", requestId)
    .where("a.published_at", "is not", null)
    .where("a.published_at", "<=", now())
    .orderBy("a.published_at", "desc")
    .orderBy("a.id", "desc")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    titleHe: r.title_he,
    titleEn: r.title_en,
    publishedAt: r.published_at!,
  }));
}
