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
import { getDb, now, type Database, inTransaction } from "~/db.server";
import type { Locale, MessageKey } from "~/i18n/messages";
import { cleanLine, cleanMarkdown } from "~/text";
import { recordAudit } from "./audit.server";
import { israelOffsetMs } from "./quotes.server";
import { listSearchHits } from "./search.server";
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

async function createIn(trx: Transaction<Database>, actor: Actor, clean: CleanInput) {
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
}

async function updateIn(
  trx: Transaction<Database>,
  actor: Actor,
  id: number,
  clean: CleanInput,
): Promise<{ corrected: boolean }> {
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
}

/** When a publication asked for `at` happens: now for a moment past, refused beyond the limit. */
function publicationMoment(at: string | undefined, current: string): string {
  const when = at === undefined || at <= current ? current : new Date(at).toISOString();
  if (Date.parse(when) - Date.now() > SCHEDULE_MAX_DAYS * 86_400_000)
    throw refuse("announcements.error.scheduleTooFar", "publishAt");
  return when;
}

async function publishIn(
  trx: Transaction<Database>,
  actor: Actor,
  id: number,
  when: string,
  current: string,
): Promise<{ state: AnnouncementState; publishedAt: string }> {
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
}

export async function createAnnouncement({
  actor,
  input,
}: {
  actor: Actor;
  input: AnnouncementInput;
}): Promise<{ id: number }> {
  const clean = cleanAnnouncementInput(input);
  return inTransaction(async (trx) => {
    await requireStaff(trx, actor);
    return createIn(trx, actor, clean);
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
  return inTransaction(async (trx) => {
    await requireStaff(trx, actor);
    return updateIn(trx, actor, id, clean);
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
  const when = publicationMoment(at, current);
  return inTransaction(async (trx) => {
    await requireStaff(trx, actor);
    return publishIn(trx, actor, id, when, current);
  });
}

/**
 * The staff form's one action: saves what was typed (a new draft when `id` is null, else the
 * announcement's new text) and, when asked, publishes it now or schedules it, in one
 * transaction: "Publish now" on a form with a typo in a covered request publishes nothing.
 */
export async function saveAnnouncement({
  actor,
  id,
  input,
  publish,
}: {
  actor: Actor;
  id: number | null;
  input: AnnouncementInput;
  /** Publish too: `at` an ISO time to schedule, undefined for now. */
  publish?: { at?: string };
}): Promise<{
  id: number;
  created: boolean;
  corrected: boolean;
  state: AnnouncementState;
  publishedAt: string | null;
}> {
  const clean = cleanAnnouncementInput(input);
  const current = now();
  const when = publish ? publicationMoment(publish.at, current) : null;
  return inTransaction(async (trx) => {
    await requireStaff(trx, actor);
    const saved =
      id === null
        ? { ...(await createIn(trx, actor, clean)), corrected: false }
        : { id, ...(await updateIn(trx, actor, id, clean)) };
    if (when !== null) {
      const published = await publishIn(trx, actor, saved.id, when, current);
      return { ...saved, created: id === null, ...published };
    }
    const row = await trx
      .selectFrom("announcements")
      .select("published_at")
      .where("id", "=", saved.id)
      .executeTakeFirstOrThrow();
    return {
      ...saved,
      created: id === null,
      state: stateOf(row.published_at, current),
      publishedAt: row.published_at,
    };
  });
}

/** A scheduled announcement back to a draft, before anyone has seen it. */
export async function unscheduleAnnouncement({ actor, id }: { actor: Actor; id: number }) {
  await inTransaction(async (trx) => {
    await requireStaff(trx, actor);
    const row = await rowForUpdate(trx, id);
    const state = stateOf(row.published_at);
    if (state === "published") throw new ActionRefused("announcements.error.alreadyPublished", 409);
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
  await inTransaction(async (trx) => {
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

/** The sponsors each request credits by name (funded, agreed to be named), in signing order. */
async function creditedSponsors(
  db: Executor,
  requestIds: readonly number[],
): Promise<Map<number, string[]>> {
  const sponsors = new Map<number, string[]>();
  if (requestIds.length === 0) return sponsors;
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
  return sponsors;
}

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
  const sponsors = await creditedSponsors(db, [...new Set(covered.map((c) => c.id))]);
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

// ---------------------------------------------------------------------------------------------
// Staff's pages (/staff/announcements): the list, the covered-request picker, the request
// page's offer to announce, and the schedule's wall-clock time in Israel.

export const STAFF_LIST_PAGE_SIZE = 25;
/** How many shipped requests the picker offers: the latest ones, or a search's best. */
export const PICKER_CHOICES = 10;

export type StaffAnnouncementRow = {
  id: number;
  titleHe: string;
  titleEn: string | null;
  state: AnnouncementState;
  publishedAt: string | null;
  editedAt: string | null;
  updatedAt: string;
  requestCount: number;
};

const CURSOR = /^([\dTZ:.-]{10,30})~([1-9]\d{0,15})$/;

/**
 * Every announcement, whatever its state, most recently changed first, a keyset page at a time
 * (announcements_by_updated): a draft being written sits on top, next to the latest published.
 */
export async function listAnnouncementsForStaff({
  actor,
  cursor = null,
  limit = STAFF_LIST_PAGE_SIZE,
}: {
  actor: Actor;
  /** "updatedAt~id" of the last row of the page before, from the previous answer. */
  cursor?: string | null;
  limit?: number;
}): Promise<{ items: StaffAnnouncementRow[]; nextCursor: string | null }> {
  const db = getDb();
  await requireStaff(db, actor);
  let query = db
    .selectFrom("announcements as a")
    .select((eb) => [
      "a.id",
      "a.title_he",
      "a.title_en",
      "a.published_at",
      "a.edited_at",
      "a.updated_at",
      eb
        .selectFrom("announcement_requests as ar")
        .select(eb.fn.countAll<number>().as("n"))
        .whereRef("ar.announcement_id", "=", "a.id")
        .as("request_count"),
    ])
    .orderBy("a.updated_at", "desc")
    .orderBy("a.id", "desc")
    .limit(limit + 1);
  const match = cursor ? CURSOR.exec(cursor) : null;
  if (match) {
    const [, updatedAt, id] = match;
    query = query.where((eb) =>
      eb.or([
        eb("a.updated_at", "<", updatedAt),
        eb.and([eb("a.updated_at", "=", updatedAt), eb("a.id", "<", Number(id))]),
      ]),
    );
  }
  const rows = await query.execute();
  const at = now();
  const items = rows.slice(0, limit).map((r) => ({
    id: r.id,
    titleHe: r.title_he,
    titleEn: r.title_en,
    state: stateOf(r.published_at, at),
    publishedAt: r.published_at,
    editedAt: r.edited_at,
    updatedAt: r.updated_at,
    requestCount: Number(r.request_count ?? 0),
  }));
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? `${last.updatedAt}~${last.id}` : null };
}

export type PickerRequest = CoveredRequest & { shippedAt: string | null };

async function pickerRows(db: Executor, ids: readonly number[]): Promise<PickerRequest[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom("requests")
    .select(["id", "title", "status", "category_id", "org_count", "shipped_at"])
    .where("id", "in", ids)
    .where("visibility", "=", "public")
    .execute();
  const sponsors = await creditedSponsors(
    db,
    rows.map((r) => r.id),
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    return r
      ? [
          {
            id: r.id,
            title: r.title,
            status: r.status,
            categoryId: r.category_id,
            orgCount: r.org_count,
            shippedAt: r.shipped_at,
            sponsors: sponsors.get(r.id) ?? [],
          },
        ]
      : [];
  });
}

/**
 * What the form's picker shows: the requests already chosen (`chosen`, in that order, whatever
 * their status: the model says what is wrong with one), and the shipped public requests to add,
 * those matching `search` (title or description, as the board searches) or else the most
 * recently shipped.
 */
export async function getAnnouncementPicker({
  actor,
  chosen,
  search,
}: {
  actor: Actor;
  chosen: readonly number[];
  search: string;
}): Promise<{ chosen: PickerRequest[]; choices: PickerRequest[]; search: string }> {
  const db = getDb();
  await requireStaff(db, actor);
  const text = search.trim().slice(0, 200);
  let ids: number[];
  const hits = text
    ? await listSearchHits(text, {
        statuses: ["shipped"],
        categoryId: null,
        limit: PICKER_CHOICES * 3,
        scored: false,
        viewer: actor,
      })
    : null;
  if (hits) {
    ids = hits.filter((h) => h.status === "shipped").map((h) => h.id);
  } else {
    // requests_by_status_shipped_at: the newest shipped first.
    ids = (
      await db
        .selectFrom("requests")
        .select("id")
        .where("status", "=", "shipped")
        .where("visibility", "=", "public")
        .orderBy("shipped_at", "desc")
        .orderBy("id", "desc")
        .limit(PICKER_CHOICES + chosen.length)
        .execute()
    ).map((r) => r.id);
  }
  const choiceIds = ids.filter((id) => !chosen.includes(id));
  const [chosenRows, choiceRows] = await Promise.all([
    pickerRows(db, chosen),
    pickerRows(db, choiceIds),
  ]);
  return { chosen: chosenRows, choices: choiceRows.slice(0, PICKER_CHOICES), search: text };
}

/**
 * Every announcement covering a request, drafts included, newest first: the request page's
 * staff panel offers to write one while none is published, and links to a draft in progress.
 */
export async function staffAnnouncementsOfRequest({
  actor,
  requestId,
}: {
  actor: Actor;
  requestId: number;
}): Promise<{ id: number; titleHe: string; state: AnnouncementState }[]> {
  const db = getDb();
  await requireStaff(db, actor);
  const rows = await db
    .selectFrom("announcement_requests as ar")
    .innerJoin("announcements as a", "a.id", "ar.announcement_id")
    .select(["a.id", "a.title_he", "a.published_at"])
    .where("ar.request_id", "=", requestId)
    .orderBy("a.updated_at", "desc")
    .orderBy("a.id", "desc")
    .execute();
  const at = now();
  return rows.map((r) => ({ id: r.id, titleHe: r.title_he, state: stateOf(r.published_at, at) }));
}

const WALL_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

/**
 * A datetime-local value ("2027-03-31T09:30") read as Israel's wall clock, as an ISO instant;
 * null when it is no such moment (malformed, "2027-02-30", or 02:30 on the night the clocks
 * jump forward). Schedules, like quarters and quotes' days, are the vendor's Israel time.
 */
export function israelWallTimeToIso(value: string): string | null {
  const match = WALL_TIME.exec(value);
  if (!match) return null;
  const [y, mo, d, h, mi] = match.slice(1).map(Number);
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  if (new Date(wall).toISOString().slice(0, 16) !== value) return null;
  // The offset at that instant: guess with the wall time's, then correct once.
  let at = wall - israelOffsetMs(wall);
  at = wall - israelOffsetMs(at);
  return israelWallTime(new Date(at).toISOString()) === value ? new Date(at).toISOString() : null;
}

/** An ISO instant as Israel's wall clock in datetime-local form ("2027-03-31T09:30"). */
export function israelWallTime(iso: string): string {
  const ms = Date.parse(iso);
  return new Date(ms + israelOffsetMs(ms)).toISOString().slice(0, 16);
}
