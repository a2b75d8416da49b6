// Staff triage: every move of the request lifecycle (app/models/request-status.ts) goes through
// here. Each write checks, inside its one transaction, that the actor is staff and that the
// move is legal from the status the request has now, then writes the status event, the
// request row, the audit row (before → after), the counters and the followers' e-mails.
import type { Transaction } from "kysely";
import {
  countUpTo,
  getDb,
  now,
  type Database,
  type Locale,
  type RequestStatus,
  type RequestVisibility,
  type ResultCount,
} from "~/db.server";
import { getEnv } from "~/env.server";
import type { MessageKey } from "~/i18n/messages";
import { markdownExcerpt } from "~/markdown.server";
import { requireStaff } from "~/auth/permissions.server";
import { enqueueEmails, groupedStatus, inTransactionThenNudge } from "~/services/outbox.server";
import type { EmailPayload } from "~/services/emails.server";
import { cleanLine, cleanMarkdown } from "~/text";
import { recordAudit } from "./audit.server";
import { allOf } from "~/utils";
import { ActionRefused, type Actor } from "./errors";
import { lockRequests, refuse } from "./request-rules.server";
import { userCanSee } from "./request-visibility.server";
import { canMove, canReopen, decisionAfter, isClosed } from "./request-status";
import { checkTargetQuarter } from "./quarters.server";
import { WAITING_COUNT_CAP } from "./staff-nav.server";
import { recountRequestCounters } from "./votes.server";

export type Decision =
  | { kind: "broad"; targetQuarter?: string | null; note?: string | null }
  | { kind: "sponsored"; note?: string | null }
  | { kind: "declined"; reason: string }
  | { kind: "already_exists"; explanation: string; helpUrl?: string | null }
  | { kind: "merge"; targetId: number; note?: string | null };

/** The status each decision moves a request to. */
export const DECISION_STATUS = {
  broad: "planned",
  sponsored: "quoted",
  declined: "declined",
  already_exists: "already_exists",
  merge: "merged",
} as const satisfies Record<Decision["kind"], RequestStatus>;

const DECISION_STATUSES: readonly RequestStatus[] = Object.values(DECISION_STATUS);

/** Notes, reasons and explanations are shown on the public timeline: a few paragraphs at most. */
export const NOTE_MAX_LENGTH = 5_000;

type Trx = Transaction<Database>;

function illegal(): ActionRefused {
  return new ActionRefused("triage.error.illegalTransition", 409);
}

// ---------------------------------------------------------------------------------------------
// Validation of what staff typed

/** An absolute http(s) link, as a help article's address must be. */
export function isHelpUrl(value: string): boolean {
  if (value.length > 2_000 || !URL.canParse(value)) return false;
  const url = new URL(value);
  return (url.protocol === "https:" || url.protocol === "http:") && url.hostname !== "";
}

/** The note as stored (trimmed; null when empty), or a refusal when it is too long. */
function cleanNote(note: string | null | undefined, field: string): string | null {
  const text = cleanMarkdown(note ?? "").trim();
  if (text.length > NOTE_MAX_LENGTH)
    throw new ActionRefused("triage.error.noteTooLong", 400, field);
  return text === "" ? null : text;
}

function requiredNote(note: string | null | undefined, field: string, missing: MessageKey): string {
  const text = cleanNote(note, field);
  if (text === null) throw new ActionRefused(missing, 400, field);
  return text;
}

// ---------------------------------------------------------------------------------------------
// The rows a move reads and writes

const REQUEST_COLUMNS = [
  "id",
  "title",
  "status",
  "decision",
  "visibility",
  "org_id",
  "author_id",
  "target_quarter",
  "help_url",
  "merged_into_id",
  "shipped_at",
] as const;

async function loadRequest(trx: Trx, requestId: number) {
  const request = await trx
    .selectFrom("requests")
    .select(REQUEST_COLUMNS)
    .where("id", "=", requestId)
    .executeTakeFirst();
  if (!request) throw refuse("notFound", 404);
  return request;
}

type RequestRow = Awaited<ReturnType<typeof loadRequest>>;

/** What the audit log shows of a request before and after a move. */
function snapshot(row: RequestRow) {
  return {
    status: row.status,
    decision: row.decision,
    targetQuarter: row.target_quarter,
    helpUrl: row.help_url,
    mergedIntoId: row.merged_into_id,
    shippedAt: row.shipped_at,
  };
}

function requestUrl(id: number): string {
  return `${getEnv().BASE_URL}/requests/${id}`;
}

/**
 * Moves the request from `from` to `to` and writes its status event: the update is
 * conditional on the status read, so a concurrent move makes this one refuse, not overwrite.
 */
async function moveRequest(
  trx: Trx,
  actor: Actor,
  request: RequestRow,
  to: RequestStatus,
  note: string | null,
  extra: Partial<{
    target_quarter: string | null;
    help_url: string | null;
    merged_into_id: number | null;
    shipped_at: string | null;
  }> = {},
): Promise<RequestRow> {
  const at = now();
  const updated = await trx
    .updateTable("requests")
    .set({ status: to, decision: decisionAfter(to, request.decision), updated_at: at, ...extra })
    .where("id", "=", request.id)
    .where("status", "=", request.status)
    .returning(REQUEST_COLUMNS)
    .executeTakeFirst();
  if (!updated) throw illegal();
  await trx
    .insertInto("status_events")
    .values({
      request_id: request.id,
      actor_id: actor.id,
      from_status: request.status,
      to_status: to,
      note,
      created_at: at,
    })
    .execute();
  return updated;
}

type Recipient = { id: number; email: string; name: string; locale: Locale };

/**
 * Who hears about a request: its followers (with `voters`, also its voters and its author),
 * never the staff member acting. For an organization-only request, only members of its
 * organization and staff: someone who left the organization no longer sees it, so no e-mail
 * tells them about it either.
 */
async function recipientsOf(
  trx: Trx,
  request: {
    id: number;
    visibility: RequestVisibility;
    org_id: number | null;
    author_id: number | null;
  },
  actor: Actor,
  { voters = false }: { voters?: boolean } = {},
): Promise<Recipient[]> {
  // Read from the request's follows (and votes): a few rows, not every user.
  let people = trx
    .selectFrom("follows")
    .select("follows.user_id")
    .where("follows.request_id", "=", request.id);
  if (voters) {
    people = people
      .union(
        trx.selectFrom("votes").select("votes.user_id").where("votes.request_id", "=", request.id),
      )
      .union(
        trx
          .selectFrom("users as author")
          .select("author.id as user_id")
          .where("author.id", "=", request.author_id ?? -1),
      );
  }
  const query = trx
    .selectFrom("users")
    .select(["users.id", "users.email", "users.name", "users.locale"])
    .where("users.id", "in", people)
    .where("users.id", "!=", actor.id)
    .where(userCanSee({ visibility: request.visibility, orgId: request.org_id }));
  const rows = await query.orderBy("users.id").execute();
  return rows.map((r) => ({ ...r, locale: r.locale ?? "he" }));
}

type PayloadFor = (recipient: Recipient) => EmailPayload;

/**
 * One outbox row per recipient, in their language, written in the caller's transaction: a
 * status update, under the recipient's "status" preference (checked again at send time), and
 * grouped with their other updates of the next NOTIFY_GROUP_MS, so a triage session's burst of
 * changes reaches each follower as one e-mail.
 */
async function notify(trx: Trx, recipients: readonly Recipient[], payloadFor: PayloadFor) {
  await enqueueEmails(
    trx,
    recipients.map((r) => ({ recipient: r.email, payload: payloadFor(r), ...groupedStatus(r.id) })),
  );
}

// ---------------------------------------------------------------------------------------------
// Decisions

/** The note and the columns a decision sets, from what staff typed; refuses a bad field. */
function readDecision(decision: Exclude<Decision, { kind: "merge" }>) {
  let note: string | null;
  const extra: { target_quarter?: string; help_url?: string | null } = {};
  switch (decision.kind) {
    case "broad": {
      note = cleanNote(decision.note, "note");
      const quarter = cleanLine(decision.targetQuarter ?? "");
      if (quarter !== "") extra.target_quarter = checkTargetQuarter(quarter, "targetQuarter");
      break;
    }
    case "sponsored":
      note = cleanNote(decision.note, "note");
      break;
    case "declined":
      note = requiredNote(decision.reason, "reason", "triage.error.reasonRequired");
      break;
    case "already_exists": {
      const helpUrl = cleanLine(decision.helpUrl ?? "");
      const helpValid = helpUrl === "" || isHelpUrl(helpUrl);
      const explanation = cleanNote(decision.explanation, "explanation");
      if (explanation === null)
        throw new ActionRefused("triage.error.explanationRequired", 400, "explanation");
      if (!helpValid) throw new ActionRefused("triage.error.helpUrlInvalid", 400, "helpUrl");
      note = explanation;
      extra.help_url = helpUrl === "" ? null : helpUrl;
      break;
    }
  }

  return { note, extra };
}

/** Decides an undecided request (or declines or merges a planned or quoted one). */
export async function decideRequest(input: {
  actor: Actor;
  requestId: number;
  decision: Decision;
}): Promise<{ status: RequestStatus; mergedIntoId: number | null }> {
  const { actor, requestId, decision } = input;
  if (decision.kind === "merge") {
    await mergeRequest({
      actor,
      sourceId: requestId,
      targetId: decision.targetId,
      note: decision.note,
    });
    return { status: "merged", mergedIntoId: decision.targetId };
  }

  const to = DECISION_STATUS[decision.kind];
  return inTransactionThenNudge(async (trx) => {
    // Staff first: to anyone else the action does not exist, whatever they typed.
    await requireStaff(trx, actor);
    const { note, extra } = readDecision(decision);
    const before = await loadRequest(trx, requestId);
    if (!canMove(before.status, to)) throw illegal();
    const after = await moveRequest(trx, actor, before, to, note, extra);
    await recordAudit(trx, {
      actorId: actor.id,
      action: "request.decide",
      subjectType: "request",
      subjectId: requestId,
      data: { decision: decision.kind, note, before: snapshot(before), after: snapshot(after) },
    });
    const recipients = await recipientsOf(trx, after, actor);
    await notify(trx, recipients, (r) => ({
      template: "request_decided",
      locale: r.locale,
      name: r.name,
      requestTitle: after.title,
      requestUrl: requestUrl(requestId),
      decision: decision.kind,
      note,
      targetQuarter: after.target_quarter,
      helpUrl: after.help_url,
    }));
    return { status: to, mergedIntoId: null };
  });
}

/**
 * Moves a decided request along by hand: planned or funded → in progress → shipped, and
 * quoted → funded for a sponsorship agreed outside Broadly (the quotes model will make that
 * move itself when sponsorships cover a quote). Decisions go through decideRequest.
 */
export async function changeStatus(input: {
  actor: Actor;
  requestId: number;
  to: RequestStatus;
  note?: string | null;
}): Promise<void> {
  const { actor, requestId, to } = input;
  await inTransactionThenNudge(async (trx) => {
    await requireStaff(trx, actor);
    const note = cleanNote(input.note, "note");
    const before = await loadRequest(trx, requestId);
    if (!isStatusStep(before.status, to)) throw illegal();
    const after = await moveRequest(
      trx,
      actor,
      before,
      to,
      note,
      to === "shipped" ? { shipped_at: now() } : {},
    );
    await recordAudit(trx, {
      actorId: actor.id,
      action: "request.status",
      subjectType: "request",
      subjectId: requestId,
      data: { note, before: snapshot(before), after: snapshot(after) },
    });
    const recipients = await recipientsOf(trx, after, actor);
    await notify(trx, recipients, (r) => ({
      template: "request_status_changed",
      locale: r.locale,
      name: r.name,
      requestTitle: after.title,
      requestUrl: requestUrl(requestId),
      status: to as "in_progress" | "shipped" | "funded",
      note,
    }));
  });
}

/**
 * The quote's pledges cover it: the request moves from quoted to funded, in the caller's
 * transaction (quotes.server.ts acceptQuote), by the admin whose acceptance completed it, with
 * its audit row and its followers told, as every move.
 */
export async function markFunded(trx: Trx, actor: Actor, requestId: number, version: number) {
  const before = await loadRequest(trx, requestId);
  if (!canMove(before.status, "funded")) throw illegal();
  const after = await moveRequest(trx, actor, before, "funded", null);
  await recordAudit(trx, {
    actorId: actor.id,
    action: "request.status",
    subjectType: "request",
    subjectId: requestId,
    data: { quoteVersion: version, before: snapshot(before), after: snapshot(after) },
  });
  const recipients = await recipientsOf(trx, after, actor);
  await notify(trx, recipients, (r) => ({
    template: "request_status_changed",
    locale: r.locale,
    name: r.name,
    requestTitle: after.title,
    requestUrl: requestUrl(requestId),
    status: "funded",
    note: null,
  }));
}

/** A legal move that is not a decision: what changeStatus makes. */
export function isStatusStep(from: RequestStatus, to: RequestStatus): boolean {
  return canMove(from, to) && !DECISION_STATUSES.includes(to);
}

/** A staff admin sends a decision back to review, with a reason; a merge cannot be undone. */
export async function reopenRequest(input: {
  actor: Actor;
  requestId: number;
  reason: string;
}): Promise<void> {
  const { actor, requestId } = input;
  await inTransactionThenNudge(async (trx) => {
    await requireStaff(trx, actor, { admin: true });
    const reason = requiredNote(input.reason, "reason", "triage.error.reasonRequired");
    const before = await loadRequest(trx, requestId);
    if (!canReopen(before.status)) throw illegal();
    // The help link belongs to the "already possible" answer, the ship date to the shipped
    // status: neither holds once the request is back under review.
    const after = await moveRequest(trx, actor, before, "open", reason, {
      help_url: null,
      shipped_at: null,
    });
    await recordAudit(trx, {
      actorId: actor.id,
      action: "request.reopen",
      subjectType: "request",
      subjectId: requestId,
      data: { reason, before: snapshot(before), after: snapshot(after) },
    });
    const recipients = await recipientsOf(trx, after, actor);
    await notify(trx, recipients, (r) => ({
      template: "request_reopened",
      locale: r.locale,
      name: r.name,
      requestTitle: after.title,
      requestUrl: requestUrl(requestId),
      reason,
    }));
  });
}

// ---------------------------------------------------------------------------------------------
// Merge

/**
 * Merges a request into another one: its votes, follows and comments move to the target (a
 * user who voted on both keeps one vote, the earlier, with its organization), every counter of
 * both is recomputed from the rows, and the source's author, voters and followers are told.
 * Set-based statements throughout: a merge of thousands of votes is a handful of statements.
 */
export async function mergeRequest(input: {
  actor: Actor;
  sourceId: number;
  targetId: number;
  note?: string | null;
}): Promise<{ votesMoved: number; followsMoved: number; commentsMoved: number }> {
  const { actor, sourceId, targetId } = input;
  return inTransactionThenNudge(async (trx) => {
    await requireStaff(trx, actor);
    const note = cleanNote(input.note, "note");
    await lockRequests(trx, [sourceId, targetId]);
    const before = await loadRequest(trx, sourceId);
    if (!canMove(before.status, "merged")) throw illegal();
    const target = await requireMergeTarget(trx, before, targetId);

    // Everyone who hears of it, read before the rows move: the target's own followers are
    // not told (nothing changed for them but a few more votes).
    const recipients = await recipientsOf(trx, before, actor, { voters: true });
    const targetBefore = await countersOf(trx, targetId);

    const moved = await moveDemand(trx, sourceId, targetId);
    await recountRequestCounters(trx, targetId);
    await recountRequestCounters(trx, sourceId);
    const targetAfter = await countersOf(trx, targetId);

    const after = await moveRequest(trx, actor, before, "merged", note, {
      merged_into_id: targetId,
    });
    await trx
      .updateTable("requests")
      .set({ updated_at: now() })
      .where("id", "=", targetId)
      .execute();
    const result = {
      votesMoved: targetAfter.vote_count - targetBefore.vote_count,
      followsMoved: targetAfter.follower_count - targetBefore.follower_count,
      commentsMoved: moved.comments,
    };
    await recordAudit(trx, {
      actorId: actor.id,
      action: "request.merge",
      subjectType: "request",
      subjectId: sourceId,
      data: {
        targetId,
        note,
        ...result,
        before: { ...snapshot(before), target: targetBefore },
        after: { ...snapshot(after), target: targetAfter },
      },
    });
    await notify(trx, recipients, (r) => ({
      template: "request_merged",
      locale: r.locale,
      name: r.name,
      requestTitle: before.title,
      targetTitle: target.title,
      targetUrl: requestUrl(targetId),
      note,
    }));
    return result;
  });
}

/**
 * The target of a merge: an existing request other than the source, not merged, not closed,
 * and seen by at least everyone who sees the source (a public one, or an organization-only one
 * of the source's own organization when the source is organization-only too).
 */
async function requireMergeTarget(trx: Trx, source: RequestRow, targetId: number) {
  const target = await trx
    .selectFrom("requests")
    .select(["id", "title", "status", "visibility", "org_id"])
    .where("id", "=", targetId)
    .executeTakeFirst();
  const sameAudience =
    target?.visibility === "public" ||
    (target?.visibility === "organization" &&
      source.visibility === "organization" &&
      target.org_id !== null &&
      target.org_id === source.org_id);
  if (!target || target.id === source.id || isClosed(target.status) || !sameAudience) {
    throw new ActionRefused("triage.error.mergeTarget", 400, "targetId");
  }
  return target;
}

async function countersOf(trx: Trx, requestId: number) {
  return trx
    .selectFrom("requests")
    .select(["vote_count", "org_count", "recent_vote_count", "follower_count", "comment_count"])
    .where("id", "=", requestId)
    .executeTakeFirstOrThrow();
}

/** Moves the votes, follows and comments of `sourceId` onto `targetId`. */
async function moveDemand(trx: Trx, sourceId: number, targetId: number) {
  // A user who voted on both keeps the earlier vote: where the source's is earlier, it
  // replaces the target's (its time, its organization, who recorded it and how).
  await trx
    .updateTable("votes")
    .from("votes as earlier")
    .set((eb) => ({
      org_id: eb.ref("earlier.org_id"),
      created_at: eb.ref("earlier.created_at"),
      recorded_by: eb.ref("earlier.recorded_by"),
      source: eb.ref("earlier.source"),
      customer_quote: eb.ref("earlier.customer_quote"),
    }))
    .where("votes.request_id", "=", targetId)
    .where("earlier.request_id", "=", sourceId)
    .whereRef("earlier.user_id", "=", "votes.user_id")
    .whereRef("earlier.created_at", "<", "votes.created_at")
    .execute();
  await trx
    .insertInto("votes")
    .columns([
      "request_id",
      "user_id",
      "org_id",
      "created_at",
      "recorded_by",
      "source",
      "customer_quote",
    ])
    .expression((eb) =>
      eb
        .selectFrom("votes as moving")
        .select((s) => [
          s.val(targetId).as("request_id"),
          "moving.user_id",
          "moving.org_id",
          "moving.created_at",
          "moving.recorded_by",
          "moving.source",
          "moving.customer_quote",
        ])
        .where("moving.request_id", "=", sourceId)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom("votes as kept")
                .select("kept.user_id")
                .where("kept.request_id", "=", targetId)
                .whereRef("kept.user_id", "=", "moving.user_id"),
            ),
          ),
        ),
    )
    .execute();
  await trx.deleteFrom("votes").where("request_id", "=", sourceId).execute();

  // Follows move; a voter who had unfollowed the source is not made to follow the target.
  await trx
    .insertInto("follows")
    .columns(["request_id", "user_id", "created_at"])
    .expression((eb) =>
      eb
        .selectFrom("follows as moving")
        .select((s) => [s.val(targetId).as("request_id"), "moving.user_id", "moving.created_at"])
        .where("moving.request_id", "=", sourceId)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom("follows as kept")
                .select("kept.user_id")
                .where("kept.request_id", "=", targetId)
                .whereRef("kept.user_id", "=", "moving.user_id"),
            ),
          ),
        ),
    )
    .execute();
  await trx.deleteFrom("follows").where("request_id", "=", sourceId).execute();

  const comments = await trx
    .updateTable("comments")
    .set({ request_id: targetId })
    .where("request_id", "=", sourceId)
    .executeTakeFirst();
  return { comments: Number(comments.numUpdatedRows) };
}

// ---------------------------------------------------------------------------------------------
// The queue

export type TriageItem = {
  id: number;
  title: string;
  bodyExcerpt: string;
  createdAt: string;
  categoryId: number | null;
  authorName: string | null;
  orgName: string | null;
  voteCount: number;
  orgCount: number;
  recentVotes30d: number;
  topOrgs: { id: number; name: string; memberCount: number; votes: number }[];
  visibility: "public" | "organization";
};

export const TRIAGE_PAGE_SIZE = 20;
const RECENT_DAYS = 30;
const TOP_ORGS = 3;
const EXCERPT_SOURCE_CHARS = 600;
const EXCERPT_CHARS = 200;

function encodeQueueCursor(createdAt: string, id: number): string {
  return Buffer.from(JSON.stringify([createdAt, id])).toString("base64url");
}

function decodeQueueCursor(cursor: string | null | undefined): [string, number] | null {
  if (!cursor) return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      typeof parsed[0] === "string" &&
      Number.isSafeInteger(parsed[1])
    )
      return [parsed[0], parsed[1] as number];
  } catch {
    // A malformed cursor starts from the beginning, as the board's does.
  }
  return null;
}

/**
 * Requests waiting for a decision, oldest first (keyset on created_at, id, read off the
 * (status, created_at, id, category_id) index), with their demand. Staff see every request,
 * organization-only ones included.
 */
export async function listTriageQueue(input: {
  actor: Actor;
  categoryId?: number | null;
  cursor?: string | null;
  limit?: number;
}): Promise<{ total: ResultCount; items: TriageItem[]; nextCursor: string | null }> {
  const { actor, categoryId = null } = input;
  const limit = Math.min(Math.max(1, Math.floor(input.limit ?? TRIAGE_PAGE_SIZE)), 100);
  const db = getDb();

  let waiting = db.selectFrom("requests").where("requests.status", "=", "open");
  if (categoryId !== null) waiting = waiting.where("requests.category_id", "=", categoryId);

  const after = decodeQueueCursor(input.cursor);
  let page = waiting
    .leftJoin("users as author", "author.id", "requests.author_id")
    .leftJoin("organizations as org", "org.id", "requests.org_id")
    .select([
      "requests.id",
      "requests.title",
      "requests.body_md",
      "requests.created_at",
      "requests.category_id",
      "requests.vote_count",
      "requests.org_count",
      "requests.visibility",
      "author.name as author_name",
      "org.name as org_name",
    ])
    .orderBy("requests.created_at")
    .orderBy("requests.id")
    .limit(limit + 1);
  if (after) {
    const [createdAt, id] = after;
    page = page.where((eb) =>
      eb.or([
        eb("requests.created_at", ">", createdAt),
        eb.and([eb("requests.created_at", "=", createdAt), eb("requests.id", ">", id)]),
      ]),
    );
  }
  // The reads that need nothing from each other start together (on PostgreSQL each is a round
  // trip of its own on the pool); nothing is returned unless the actor is staff.
  const { total, rows } = await allOf({
    staff: requireStaff(db, actor),
    total: countUpTo(waiting, WAITING_COUNT_CAP),
    rows: page.execute(),
  });
  const more = rows.length > limit;
  const shown = more ? rows.slice(0, limit) : rows;
  const ids = shown.map((r) => r.id);

  const recent = new Map<number, number>();
  const top = new Map<number, TriageItem["topOrgs"]>();
  if (ids.length > 0) {
    const since = new Date(Date.now() - RECENT_DAYS * 86_400_000).toISOString();
    const recentVotes = db
      .selectFrom("votes")
      .select((eb) => ["request_id", eb.fn.countAll<number>().as("n")])
      .where("request_id", "in", ids)
      .where("created_at", ">=", since)
      .groupBy("request_id")
      .execute();
    // The biggest voting organizations of each request: ranked per request in one query.
    const ranked = db
      .selectFrom("request_org_votes as rov")
      .innerJoin("organizations as o", "o.id", "rov.org_id")
      .select((eb) => [
        "rov.request_id",
        "o.id",
        "o.name",
        "o.member_count",
        "rov.votes",
        eb.fn
          .agg<number>("row_number")
          .over((ob) =>
            ob
              .partitionBy("rov.request_id")
              .orderBy("o.member_count", "desc")
              .orderBy("rov.votes", "desc")
              .orderBy("o.id"),
          )
          .as("rank"),
      ])
      .where("rov.request_id", "in", ids)
      .as("ranked");
    const reads = await allOf({
      recentVotes,
      topOrgs: db
        .selectFrom(ranked)
        .selectAll()
        .where("rank", "<=", TOP_ORGS)
        .orderBy("request_id")
        .orderBy("rank")
        .execute(),
    });
    for (const row of reads.recentVotes) recent.set(row.request_id, Number(row.n));
    for (const row of reads.topOrgs) {
      const list = top.get(row.request_id) ?? [];
      list.push({ id: row.id, name: row.name, memberCount: row.member_count, votes: row.votes });
      top.set(row.request_id, list);
    }
  }

  const items: TriageItem[] = shown.map((r) => ({
    id: r.id,
    title: r.title,
    bodyExcerpt: markdownExcerpt(r.body_md.slice(0, EXCERPT_SOURCE_CHARS), EXCERPT_CHARS),
    createdAt: r.created_at,
    categoryId: r.category_id,
    authorName: r.author_name,
    orgName: r.org_name,
    voteCount: r.vote_count,
    orgCount: r.org_count,
    recentVotes30d: recent.get(r.id) ?? 0,
    topOrgs: top.get(r.id) ?? [],
    visibility: r.visibility,
  }));
  const last = shown.at(-1);
  return {
    total,
    items,
    nextCursor: more && last ? encodeQueueCursor(last.created_at, last.id) : null,
  };
}
