// Feature requests: proposing one, the board (sorted, filtered, searched, keyset-paginated),
// the request page, its status timeline, and who voted for it.
import { sql, type Kysely, type SelectQueryBuilder, type SqlBool, type Transaction } from "kysely";
import {
  getDb,
  notIndexed,
  now,
  type Database,
  type RequestDecision,
  type RequestSource,
  type RequestStatus,
  type RequestVisibility,
  type ResultCount,
  inTransaction,
  serializeOn,
} from "~/db.server";
import { markdownExcerpt, renderMarkdown } from "~/markdown.server";
import { cleanLine, cleanMarkdown } from "~/text";
import { recordAudit } from "./audit.server";
import { requireVerifiedEmail } from "./email-verification.server";
import { ActionRefused, type Actor } from "./errors";
import { actingOrgId, refuse, REQUEST_REFUSALS } from "./request-rules.server";
import {
  indexRequest,
  listSearchHits,
  matchRequests,
  normalizeSearchText,
  rankRequestMatches,
  removeRequestFromIndex,
} from "./search.server";
import { castVote, rollTrendingWindow } from "./votes.server";
import { REQUEST_VISIBILITIES, visibleTo, type Viewer } from "./request-visibility.server";
import { BODY_MAX_LENGTH, TITLE_MAX_LENGTH, TITLE_MIN_LENGTH } from "~/models/request-limits";
import { ALL_BUT_MERGED, OPEN_WORK_STATUSES } from "~/models/request-status";

export { REQUEST_STATUSES } from "~/models/request-status";
// Who may see a request: every list and read below filters with visibleTo (see that module).
export {
  canSeeRequest,
  REQUEST_VISIBILITIES,
  requireVisibleRequest,
  userCanSee,
  usersWhoCanSee,
  visibleTo,
  type Viewer,
} from "./request-visibility.server";

/** The title rule, in characters a reader sees (a title is measured after `cleanLine`). */
export function isTitleLengthValid(title: string): boolean {
  const length = [...title].length;
  return length >= TITLE_MIN_LENGTH && length <= TITLE_MAX_LENGTH;
}

/** A title and description as they are stored, or the refusal of the field that breaks a rule. */
export function cleanRequestText(title: string, bodyMd: string) {
  const cleanTitle = cleanLine(title);
  if (!isTitleLengthValid(cleanTitle)) throw refuse("titleLength", 400, "title");
  const body = cleanMarkdown(bodyMd).trimEnd();
  if (body.length > BODY_MAX_LENGTH) throw refuse("bodyTooLong", 400, "bodyMd");
  return { cleanTitle, body };
}

export async function createRequest({
  actor,
  orgId,
  title,
  bodyMd,
  categoryId,
  visibility = "public",
}: {
  actor: Actor;
  /** The customer's current organization; ignored for staff. */
  orgId?: number | null;
  title: string;
  bodyMd: string;
  categoryId: number;
  /**
   * "organization": only the author's organization and staff see it. A request with no
   * organization (staff's own) is public: "only staff" is what an internal note is for.
   */
  visibility?: RequestVisibility;
}): Promise<{ id: number }> {
  if (!REQUEST_VISIBILITIES.includes(visibility))
    throw refuse("visibilityInvalid", 400, "visibility");
  const text = await prepareRequestText(title, bodyMd);

  return inTransaction(async (trx) => {
    await requireVerifiedEmail(trx, actor);
    const authorOrg = await actingOrgId(trx, actor, orgId);
    const { id } = await insertRequest(trx, {
      ...text,
      categoryId,
      authorId: actor.id,
      orgId: authorOrg,
      visibility: authorOrg === null ? "public" : visibility,
      actorId: actor.id,
      viewer: actor,
    });
    if (actor.isStaff) {
      await recordAudit(trx, {
        actorId: actor.id,
        action: "request.created",
        subjectType: "request",
        subjectId: id,
        data: { title: text.cleanTitle, categoryId, visibility },
      });
    }
    return { id };
  });
}

/**
 * A proposal's text as it is stored, and where to look for an exact duplicate of its title; runs
 * before the proposal's transaction (see duplicateCandidates).
 */
export async function prepareRequestText(title: string, bodyMd: string) {
  const { cleanTitle, body } = cleanRequestText(title, bodyMd);
  return { cleanTitle, body, duplicates: await duplicateCandidates(cleanTitle) };
}

/**
 * Writes a new open request inside the caller's transaction: its status event, the author's vote
 * (which follows it), its search entry. Refuses an archived or unknown category and an exact
 * duplicate of an open request's title. Staff proposing on a customer's behalf
 * (app/models/staff-requests.server.ts) pass where it came from and who recorded it; the
 * author's vote then carries the same provenance.
 */
export async function insertRequest(
  trx: Transaction<Database>,
  {
    cleanTitle,
    body,
    duplicates,
    categoryId,
    authorId,
    orgId,
    visibility = "public",
    actorId,
    viewer,
    source = "board",
    recordedBy = null,
    customerQuote = null,
  }: Awaited<ReturnType<typeof prepareRequestText>> & {
    categoryId: number;
    authorId: number;
    orgId: number | null;
    visibility?: RequestVisibility;
    /** Who opened it: the status event's actor. */
    actorId: number;
    /** Whose view the duplicate check takes: a private request they cannot see is no duplicate. */
    viewer: Viewer;
    source?: RequestSource;
    recordedBy?: number | null;
    customerQuote?: string | null;
  },
): Promise<{ id: number }> {
  const category = await trx
    .selectFrom("categories")
    .select("id")
    .where("id", "=", categoryId)
    .where("archived_at", "is", null)
    .executeTakeFirst();
  if (!category) throw refuse("categoryUnknown", 400, "categoryId");
  // Two proposals of one title at once (a double click) must not both find no duplicate.
  await serializeOn(trx, `request-title:${titleKey(cleanTitle)}`);
  const duplicate = await findOpenDuplicate(trx, cleanTitle, duplicates, viewer);
  if (duplicate) throw new DuplicateRequest(duplicate.id);

  const at = now();
  const { id } = await trx
    .insertInto("requests")
    .values({
      title: cleanTitle,
      body_md: body,
      category_id: categoryId,
      author_id: authorId,
      org_id: orgId,
      visibility,
      status: "open",
      source,
      recorded_by: recordedBy,
      created_at: at,
      updated_at: at,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await trx
    .insertInto("status_events")
    .values({
      request_id: id,
      actor_id: actorId,
      from_status: null,
      to_status: "open",
      created_at: at,
    })
    .execute();
  // The author votes (and so follows) at once.
  await castVote(trx, {
    requestId: id,
    userId: authorId,
    orgId,
    at,
    recordedBy,
    source: source === "board" ? null : source,
    customerQuote,
  });
  await indexRequest(trx, { id, title: cleanTitle, bodyMd: body });
  return { id };
}

// ---------------------------------------------------------------------------------------------
// The author's own request: edited or withdrawn while it is still only theirs

type Executor = Kysely<Database> | Transaction<Database>;

/**
 * Whether anyone but the author has taken part in the request: voted, commented (a staff
 * internal note counts; a deleted comment doesn't), changed its status, or had a request merged
 * into it. The author's own vote, follow and comments don't count.
 */
async function othersTookPart(db: Executor, requestId: number, authorId: number) {
  const [vote, comment, event, merged] = await Promise.all([
    db
      .selectFrom("votes")
      .select("user_id")
      .where("request_id", "=", requestId)
      .where("user_id", "!=", authorId)
      .executeTakeFirst(),
    db
      .selectFrom("comments")
      .select("id")
      .where("request_id", "=", requestId)
      .where("deleted_at", "is", null)
      // A comment whose writer's account is gone was someone else's too.
      .where((eb) => eb.or([eb("author_id", "!=", authorId), eb("author_id", "is", null)]))
      .executeTakeFirst(),
    db
      .selectFrom("status_events")
      .select("id")
      .where("request_id", "=", requestId)
      .where((eb) => eb.or([eb("actor_id", "!=", authorId), eb("actor_id", "is", null)]))
      .executeTakeFirst(),
    db
      .selectFrom("requests")
      .select("id")
      .where("merged_into_id", "=", requestId)
      .executeTakeFirst(),
  ]);
  return Boolean(vote || comment || event || merged);
}

/**
 * The request if the actor may still edit or withdraw it: refuses when it doesn't exist (404),
 * is someone else's (403), or others have taken part or it left "open" (409).
 */
async function requireOwnUntouchedRequest(db: Executor, requestId: number, actor: Actor) {
  const request = await db
    .selectFrom("requests")
    .select(["id", "title", "body_md", "category_id", "org_id", "author_id", "status"])
    .where("id", "=", requestId)
    .where(visibleTo(actor))
    .executeTakeFirst();
  if (!request) throw refuse("notFound", 404);
  if (request.author_id !== actor.id) throw refuse("notAuthor", 403);
  if (request.status !== "open" || (await othersTookPart(db, requestId, actor.id)))
    throw refuse("othersTookPart", 409);
  return request;
}

/**
 * Whether the actor may edit or withdraw the request now (for showing the link), given the
 * request as read for them: only its author, while it is open and no one else took part (the
 * only check that reads, so a reader who is not the author costs no query).
 */
export async function canEditOwnRequest({
  request,
  actor,
}: {
  request: { id: number; authorId: number | null; status: string };
  actor: Actor | null;
}): Promise<boolean> {
  if (!actor || request.authorId !== actor.id || request.status !== "open") return false;
  return !(await othersTookPart(getDb(), request.id, actor.id));
}

/**
 * The author's request as its edit page shows it, with whether it can still be edited; refuses
 * anyone but the author (403) and a request that doesn't exist (404).
 */
export async function getOwnRequestForEditing({
  requestId,
  actor,
}: {
  requestId: number;
  actor: Actor;
}) {
  const request = await getDb()
    .selectFrom("requests")
    .select([
      "id",
      "title",
      "body_md as bodyMd",
      "category_id as categoryId",
      "author_id as authorId",
      "status",
    ])
    .where("id", "=", requestId)
    .where(visibleTo(actor))
    .executeTakeFirst();
  if (!request) throw refuse("notFound", 404);
  if (request.authorId !== actor.id) throw refuse("notAuthor", 403);
  const { authorId: _authorId, status: _status, ...fields } = request;
  return { ...fields, editable: await canEditOwnRequest({ request, actor }) };
}

/** Edits the author's title, description and category while nobody else has taken part. */
export async function editOwnRequest({
  requestId,
  actor,
  title,
  bodyMd,
  categoryId,
}: {
  requestId: number;
  actor: Actor;
  title: string;
  bodyMd: string;
  categoryId: number;
}) {
  const { cleanTitle, body } = cleanRequestText(title, bodyMd);

  await inTransaction(async (trx) => {
    const before = await requireOwnUntouchedRequest(trx, requestId, actor);
    await applyRequestEdit(trx, { before, cleanTitle, body, categoryId });
    await recordAudit(trx, {
      actorId: actor.id,
      action: "request.edited",
      subjectType: "request",
      subjectId: requestId,
      data: {
        before: { title: before.title, categoryId: before.category_id },
        after: { title: cleanTitle, categoryId },
      },
    });
  });
}

/**
 * Writes an edit of the title, description and category (cleaned by cleanRequestText) in the
 * caller's transaction, marks the request edited and updates its search entry: the author's
 * own edit and staff's clean-up (app/models/staff-requests.server.ts) alike. An archived
 * category the request already has may stay; another one is refused.
 */
export async function applyRequestEdit(
  trx: Transaction<Database>,
  {
    before,
    cleanTitle,
    body,
    categoryId,
  }: {
    before: { id: number; category_id: number | null };
    cleanTitle: string;
    body: string;
    categoryId: number;
  },
) {
  const category = await trx
    .selectFrom("categories")
    .select("id")
    .where("id", "=", categoryId)
    .where("archived_at", "is", null)
    .executeTakeFirst();
  if (!category && categoryId !== before.category_id)
    throw refuse("categoryUnknown", 400, "categoryId");
  const at = now();
  await trx
    .updateTable("requests")
    .set({
      title: cleanTitle,
      body_md: body,
      category_id: categoryId,
      edited_at: at,
      updated_at: at,
    })
    .where("id", "=", before.id)
    .execute();
  await indexRequest(trx, { id: before.id, title: cleanTitle, bodyMd: body });
}

/**
 * Deletes the author's request, with its votes, follows, comments and status events and its
 * search entry, while nobody else has taken part; the audit log keeps what it was.
 */
export async function withdrawOwnRequest({
  requestId,
  actor,
}: {
  requestId: number;
  actor: Actor;
}) {
  await inTransaction(async (trx) => {
    const request = await requireOwnUntouchedRequest(trx, requestId, actor);
    // Deleted one table at a time rather than through ON DELETE CASCADE, so nothing depends
    // on the connection having foreign keys switched on.
    for (const table of [
      "votes",
      "request_org_votes",
      "request_vote_days",
      "follows",
      "comments",
      "status_events",
    ] as const) {
      await trx.deleteFrom(table).where("request_id", "=", requestId).execute();
    }
    await removeRequestFromIndex(trx, requestId);
    await trx.deleteFrom("requests").where("id", "=", requestId).execute();
    await recordAudit(trx, {
      actorId: actor.id,
      action: "request.withdrawn",
      subjectType: "request",
      subjectId: requestId,
      data: { title: request.title, categoryId: request.category_id, orgId: request.org_id },
    });
  });
}

// Exact duplicates: a title that says the same as an open request's is a vote, not a request

/** The refusal of a proposal whose title an open request already has; names that request. */
export class DuplicateRequest extends ActionRefused {
  constructor(public readonly existingId: number) {
    super(REQUEST_REFUSALS.duplicate, 409, "title");
  }
}

/**
 * What two titles share when they say the same: the search index's normalization (NFKC,
 * letter case, niqqud, final letters, acronym quotes) with punctuation and spacing dropped.
 */
export function titleKey(title: string): string {
  return normalizeSearchText(title)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== "")
    .join(" ");
}

/** More full-text hits than this are filtered by the index inside the query instead of by id. */
const DUPLICATE_IDS_MAX = 1_000;

/**
 * Where to look for a duplicate: the full-text index's hits for the title (a duplicate has
 * every word of it), and the last request id at the time of the look. The search module runs
 * on the app's one connection, which the proposal's transaction holds, so this runs just
 * before it; the transaction then also checks every request created since (by id, a few rows
 * at most), so two identical proposals posted at once (a double click) cannot both land.
 */
async function duplicateCandidates(title: string) {
  const db = getDb();
  const newest = await db
    .selectFrom("requests")
    .select((eb) => eb.fn.max("id").as("id"))
    .executeTakeFirst();
  return { matches: await matchRequests(title, DUPLICATE_IDS_MAX), newerThan: newest?.id ?? 0 };
}

async function findOpenDuplicate(
  db: Executor,
  title: string,
  { matches, newerThan }: Awaited<ReturnType<typeof duplicateCandidates>>,
  viewer: Viewer,
): Promise<{ id: number } | null> {
  const key = titleKey(title);
  if (key === "" || matches.kind === "no-query") return null;
  const open = db
    .selectFrom("requests")
    .select(["id", "title"])
    .where("status", "in", OPEN_WORK_STATUSES)
    .where(visibleTo(viewer));
  const indexed =
    matches.kind === "many"
      ? await open.where(matches.condition("requests.id")).execute()
      : matches.ids.length > 0
        ? await open.where("id", "in", matches.ids).execute()
        : [];
  const newer = await open.where("id", ">", newerThan).execute();
  return [...indexed, ...newer].find((row) => titleKey(row.title) === key) ?? null;
}

/**
 * The open request whose title says the same as this one, if any, among those the viewer may
 * see: for the propose form.
 */
export async function findDuplicateRequest(
  title: string,
  viewer: Viewer,
): Promise<{ id: number } | null> {
  const cleanTitle = cleanLine(title);
  return findOpenDuplicate(getDb(), cleanTitle, await duplicateCandidates(cleanTitle), viewer);
}

// ---------------------------------------------------------------------------------------------
// The board

export const BOARD_SORTS = ["relevance", "orgs", "votes", "trending", "newest", "waiting"] as const;
/** Sorts only staff may ask for; a customer's request for one gets the default order. */
const STAFF_SORTS: readonly BoardSort[] = ["waiting"];
export type BoardSort = (typeof BOARD_SORTS)[number];
/** The sorts that need no search: relevance ranks search hits. */
type ListSort = Exclude<BoardSort, "relevance">;
export const BOARD_PAGE_MAX = 100;

/**
 * A status, "all" of them (but merged), or null for open work (OPEN_WORK_STATUSES). Shipped,
 * declined and already-possible requests are one filter away; merged ones are listed only
 * under their own status, since their votes live on the request they went into.
 */
export type BoardStatusFilter = RequestStatus | "all" | null;

type SortColumn = "org_count" | "vote_count" | "recent_vote_count" | "created_at";
/**
 * Each sort's columns, all descending (but "waiting": ascending, oldest first), then the id. Ties are broken by votes, then by age with
 * the newer request first: the same support gathered in less time is the stronger signal, and
 * it keeps a new request from sinking under years-old ones with as many votes. The indexes of
 * migration 0004 hold these columns in this order, so a page is read off one index.
 */
const SORT_COLUMNS = {
  orgs: ["org_count", "vote_count", "created_at"],
  votes: ["vote_count", "created_at"],
  trending: ["recent_vote_count", "vote_count", "created_at"],
  newest: ["created_at"],
  // Staff: the requests waiting longest for a decision (open ones, unless one status is asked
  // for), read off requests_by_status_created_at.
  waiting: ["created_at"],
} as const satisfies Record<ListSort, readonly SortColumn[]>;

/**
 * With at most this many search hits the board looks them up by id and sorts them; with more,
 * it walks the sort's index and keeps the rows that match (many do, so a page fills quickly),
 * and relevance ranks the newest this many. It is also where the result count stops counting.
 * 500: scoring is most of a search's cost (1,000 candidates took 3.6 ms to score on the bench
 * data, more than the rest of the board page's queries together), and a query that matches
 * more than 500 requests is one the next letter typed narrows.
 */
export const SEARCH_HITS_MAX = 500;

type CursorValue = number | string;

/**
 * An opaque keyset cursor: the sort it belongs to, the last row's sort values, and its id.
 * For relevance, the position in the ranked hits instead (their scores shift as the index
 * changes, so a position is the steadier key).
 */
export function encodeCursor(sort: BoardSort, values: CursorValue[], id: number): string {
  return Buffer.from(JSON.stringify([sort, ...values, id])).toString("base64url");
}

/** The position a cursor points after, or null when it is missing, malformed or of another sort. */
export function decodeCursor(
  cursor: string | null | undefined,
  sort: BoardSort,
): { values: CursorValue[]; id: number } | null {
  if (!cursor) return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    const columns: readonly string[] = sort === "relevance" ? ["offset"] : SORT_COLUMNS[sort];
    if (!Array.isArray(parsed) || parsed.length !== columns.length + 2) return null;
    const [cursorSort, ...rest] = parsed as unknown[];
    const id = rest.pop();
    if (cursorSort !== sort || !Number.isSafeInteger(id)) return null;
    const valuesOk = columns.every((column, i) =>
      column === "created_at" ? typeof rest[i] === "string" : Number.isSafeInteger(rest[i]),
    );
    return valuesOk ? { values: rest as CursorValue[], id: id as number } : null;
  } catch {
    return null;
  }
}

const EXCERPT_SOURCE_CHARS = 600;
const EXCERPT_CHARS = 280;

export type BoardItem = {
  id: number;
  title: string;
  /** The description's start as plain text, for two lines under the title. */
  excerpt: string;
  status: RequestStatus;
  decision: RequestDecision | null;
  categoryId: number | null;
  categorySlug: string | null;
  categoryNameHe: string | null;
  categoryNameEn: string | null;
  voteCount: number;
  orgCount: number;
  commentCount: number;
  followerCount: number;
  recentVoteCount: number;
  createdAt: string;
  /** "organization": private to its organization (the viewer is a member, or staff). */
  visibility: RequestVisibility;
  /** Whether the viewer has voted for it (false for anonymous visitors). */
  voted: boolean;
  /** Merged requests whose search hit led here, oldest first (searches only). */
  mergedFrom: number[];
};

/** How many requests a search found: exact, or at least `count` when `more`. */
export type { ResultCount };

export type BoardPage = {
  items: BoardItem[];
  nextCursor: string | null;
  /** Set when searching. */
  total: ResultCount | null;
};

const MERGE_HOPS_MAX = 5;

/**
 * Where each of the given (merged) requests ended up: the request its merges lead to, through
 * a few hops when a request it was merged into was merged in turn.
 */
async function mergeTargets(
  merged: { id: number; mergedIntoId: number | null }[],
  viewer: Viewer,
): Promise<Map<number, { id: number; status: RequestStatus; categoryId: number | null }>> {
  const found = new Map<number, { id: number; status: RequestStatus; categoryId: number | null }>();
  let pending = merged.flatMap((m) => (m.mergedIntoId ? [[m.id, m.mergedIntoId] as const] : []));
  for (let hop = 0; hop < MERGE_HOPS_MAX && pending.length > 0; hop++) {
    const rows = await getDb()
      .selectFrom("requests")
      .select(["id", "status", "merged_into_id as mergedIntoId", "category_id as categoryId"])
      .where("id", "in", [...new Set(pending.map(([, target]) => target))])
      // A merge that ends in a request the viewer may not see leads nowhere for them.
      .where(visibleTo(viewer))
      .execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    const next: (readonly [number, number])[] = [];
    for (const [source, target] of pending) {
      const row = byId.get(target);
      if (!row) continue;
      if (row.status === "merged" && row.mergedIntoId) next.push([source, row.mergedIntoId]);
      else if (row.status !== "merged") found.set(source, row);
    }
    pending = next;
  }
  return found;
}

/**
 * The search's results: the hits in the filters, a merged request's hit replaced by the request
 * it was merged into (when that one is in the filters), best score first (when `scored`),
 * newest first among equals; at most SEARCH_HITS_MAX, and whether there were more.
 */
async function searchResults(
  q: string,
  statuses: readonly RequestStatus[],
  categoryId: number | null,
  scored: boolean,
  viewer: Viewer,
): Promise<{ ranked: { id: number; mergedFrom: number[] }[]; more: boolean } | null> {
  const hits = await listSearchHits(q, {
    statuses,
    categoryId,
    limit: SEARCH_HITS_MAX + 1,
    scored,
    viewer,
  });
  if (!hits) return null;
  const more = hits.length > SEARCH_HITS_MAX;
  const candidates = hits.slice(0, SEARCH_HITS_MAX);
  // Listing merged requests themselves (their status filter): they are the results.
  const resolveMerged = !statuses.includes("merged");
  const targets = resolveMerged
    ? await mergeTargets(
        candidates.filter((h) => h.status === "merged"),
        viewer,
      )
    : new Map();
  const results = new Map<number, { id: number; score: number; mergedFrom: number[] }>();
  for (const hit of candidates) {
    let id = hit.id;
    let via: number | null = null;
    if (hit.status === "merged" && resolveMerged) {
      const target = targets.get(hit.id);
      if (
        !target ||
        !statuses.includes(target.status) ||
        (categoryId != null && target.categoryId !== categoryId)
      )
        continue;
      id = target.id;
      via = hit.id;
    }
    const result = results.get(id) ?? { id, score: hit.score, mergedFrom: [] };
    result.score = Math.min(result.score, hit.score);
    if (via !== null) result.mergedFrom.push(via);
    results.set(id, result);
  }
  const ranked = [...results.values()]
    .sort((a, b) => a.score - b.score || b.id - a.id)
    .map(({ id, mergedFrom }) => ({ id, mergedFrom: mergedFrom.sort((a, b) => a - b) }));
  return { ranked, more };
}

/**
 * One page of the board. Without a status filter it lists open work (OPEN_WORK_STATUSES); "all"
 * adds shipped, declined and already-possible requests; merged ones only under their own
 * status. `q` keeps the requests matching every word (the last one as a prefix), best match
 * first unless another sort is asked for; a hit on a merged request finds the request it was
 * merged into, noting which (`mergedFrom`), and `total` counts what was found.
 *
 * Only what the viewer may see (visibleTo): visitors and other organizations never meet a
 * private request here, in any sort, filter, search or count; its organization's members and
 * staff find it listed among the rest, marked by its `visibility`. The condition is checked on
 * each row as the sort's index is walked (private requests are rare, so pages fill as fast).
 */
export async function listRequests({
  sort: askedSort,
  status = null,
  categoryId = null,
  q,
  cursor,
  limit = 25,
  viewer,
}: {
  /** Default: relevance when searching, else orgs. */
  sort?: BoardSort | null;
  status?: BoardStatusFilter;
  categoryId?: number | null;
  q?: string | null;
  cursor?: string | null;
  limit?: number;
  /** Who is looking (null: a visitor): what they may see, and which rows they voted for. */
  viewer?: Viewer;
}): Promise<BoardPage> {
  const viewerId = viewer?.id ?? null;
  // Staff may also sort by "waiting"; anyone else asking for it gets the default order.
  if (askedSort && STAFF_SORTS.includes(askedSort) && !viewer?.isStaff) askedSort = null;
  const pageSize = Math.min(Math.max(Math.trunc(limit) || 1, 1), BOARD_PAGE_MAX);
  const statuses: readonly RequestStatus[] =
    askedSort === "waiting"
      ? [status !== null && status !== "all" ? status : "open"]
      : status === null
        ? OPEN_WORK_STATUSES
        : status === "all"
          ? ALL_BUT_MERGED
          : [status];
  // Scores are computed only for the relevance order.
  const scored = !askedSort || askedSort === "relevance";
  const search =
    q && q.trim() !== "" ? await searchResults(q, statuses, categoryId, scored, viewer) : null;
  const sort: BoardSort =
    askedSort && (askedSort !== "relevance" || search) ? askedSort : search ? "relevance" : "orgs";
  const total = search
    ? { count: search.more ? SEARCH_HITS_MAX : search.ranked.length, more: search.more }
    : null;
  if (search && !search.more && search.ranked.length === 0)
    return { items: [], nextCursor: null, total };
  const mergedFrom = new Map(search?.ranked.map((r) => [r.id, r.mergedFrom]));

  if (sort === "relevance" && search) {
    const offset = Math.max(0, Number(decodeCursor(cursor, "relevance")?.values[0] ?? 0));
    const pageIds = search.ranked.slice(offset, offset + pageSize).map((r) => r.id);
    const rows = pageIds.length
      ? await boardRows(
          getDb()
            .selectFrom("requests")
            .where("requests.id", "in", pageIds)
            .where(visibleTo(viewer)),
        ).execute()
      : [];
    const byId = new Map(rows.map((r) => [r.id, r]));
    const page = pageIds.flatMap((id) => byId.get(id) ?? []);
    const end = offset + pageIds.length;
    const last = page[page.length - 1];
    return {
      items: await boardItems(page, viewerId, mergedFrom),
      nextCursor:
        end < search.ranked.length && last ? encodeCursor("relevance", [end], last.id) : null,
      total,
    };
  }

  const listSort = sort as ListSort;
  if (listSort === "trending") await rollTrendingWindow();
  const columns = SORT_COLUMNS[listSort];
  // The counters' indexes end in status and category, so those filters are checked while
  // walking the sort's index. "Newest" has indexes led by a status and by a category instead:
  // one status or a category uses them; open work (five statuses) walks requests_by_created_at.
  const newest = listSort === "newest" || listSort === "waiting";
  const ascending = listSort === "waiting";
  const statusColumn =
    newest && statuses.length === 1
      ? sql.ref<RequestStatus>("requests.status")
      : notIndexed<RequestStatus>("requests.status");
  const categoryColumn = newest
    ? sql.ref<number>("requests.category_id")
    : notIndexed<number>("requests.category_id");
  let query = getDb().selectFrom("requests").where(visibleTo(viewer));
  query =
    statuses.length === 1
      ? query.where(statusColumn, "=", statuses[0])
      : query.where(statusColumn, "in", statuses);
  if (categoryId != null) query = query.where(categoryColumn, "=", categoryId);
  if (search && !search.more) {
    query = query.where(
      "requests.id",
      "in",
      search.ranked.map((r) => r.id),
    );
  } else if (search) {
    // More hits than are listed by id: the walk of the sort's index probes the matches (a
    // merged request's hit then finds nothing: with this many hits, its target's own words
    // are most likely among them).
    const matches = await matchRequests(q!, SEARCH_HITS_MAX);
    if (matches.kind === "many") query = query.where(matches.condition("requests.id"));
  }
  const after = decodeCursor(cursor, listSort);
  if (after) {
    // A row value comparison, read as a range of the sort's index (SQLite and PostgreSQL alike).
    const refs = [...columns.map((c) => sql.ref(`requests.${c}`)), sql.ref("requests.id")];
    const row = sql.join(refs);
    const cursorRow = sql.join([...after.values, after.id]);
    query = query.where(
      ascending ? sql<SqlBool>`(${row}) > (${cursorRow})` : sql<SqlBool>`(${row}) < (${cursorRow})`,
    );
  }
  const direction = ascending ? "asc" : "desc";
  for (const column of columns) query = query.orderBy(sql.ref(`requests.${column}`), direction);
  const rows = await boardRows(
    query.orderBy("requests.id", direction).limit(pageSize + 1),
  ).execute();
  const page = rows.slice(0, pageSize);
  const last = page[page.length - 1];
  const nextCursor =
    rows.length > pageSize && last
      ? encodeCursor(
          listSort,
          columns.map((column) => last[COLUMN_FIELD[column]]),
          last.id,
        )
      : null;
  return { items: await boardItems(page, viewerId, mergedFrom), nextCursor, total };
}

const COLUMN_FIELD = {
  org_count: "orgCount",
  vote_count: "voteCount",
  recent_vote_count: "recentVoteCount",
  created_at: "createdAt",
} as const satisfies Record<SortColumn, string>;

/** The board's columns, selected on a query of requests. */
function boardRows<O>(query: SelectQueryBuilder<Database, "requests", O>) {
  return query.leftJoin("categories", "categories.id", "requests.category_id").select((eb) => [
    "requests.id as id",
    "requests.title as title",
    // Enough of the description for the board's two-line excerpt.
    eb
      .fn<string>("substr", ["requests.body_md", eb.val(1), eb.val(EXCERPT_SOURCE_CHARS)])
      .as("bodyStart"),
    "requests.status as status",
    "requests.decision as decision",
    "requests.category_id as categoryId",
    "categories.slug as categorySlug",
    "categories.name_he as categoryNameHe",
    "categories.name_en as categoryNameEn",
    "requests.vote_count as voteCount",
    "requests.org_count as orgCount",
    "requests.comment_count as commentCount",
    "requests.follower_count as followerCount",
    "requests.recent_vote_count as recentVoteCount",
    "requests.created_at as createdAt",
    "requests.visibility as visibility",
  ]);
}

type BoardRow = Awaited<ReturnType<ReturnType<typeof boardRows>["execute"]>>[number];

async function boardItems(
  page: BoardRow[],
  viewerId: number | null | undefined,
  mergedFrom: Map<number, number[]>,
): Promise<BoardItem[]> {
  const votedIds = viewerId
    ? await listVotedRequestIds(
        viewerId,
        page.map((r) => r.id),
      )
    : new Set<number>();
  return page.map(({ bodyStart, ...row }) => ({
    ...row,
    excerpt: markdownExcerpt(bodyStart ?? "", EXCERPT_CHARS),
    voted: votedIds.has(row.id),
    mergedFrom: mergedFrom.get(row.id) ?? [],
  }));
}

export async function listVotedRequestIds(
  userId: number,
  requestIds: number[],
): Promise<Set<number>> {
  if (requestIds.length === 0) return new Set();
  const rows = await getDb()
    .selectFrom("votes")
    .select("request_id")
    .where("user_id", "=", userId)
    .where("request_id", "in", requestIds)
    .execute();
  return new Set(rows.map((r) => r.request_id));
}

// ---------------------------------------------------------------------------------------------
// The request page

/**
 * The request as its page shows it, or null when there is none or the viewer may not see it
 * (the same null: a private request of another organization does not exist for them).
 */
export async function getRequest({ id, viewer }: { id: number; viewer?: Actor | null }) {
  const db = getDb();
  const row = await db
    .selectFrom("requests")
    .leftJoin("users as author", "author.id", "requests.author_id")
    .leftJoin("organizations as org", "org.id", "requests.org_id")
    .leftJoin("categories", "categories.id", "requests.category_id")
    .select([
      "requests.id as id",
      "requests.title as title",
      "requests.body_md as bodyMd",
      "requests.status as status",
      "requests.decision as decision",
      "requests.merged_into_id as mergedIntoId",
      "requests.vote_count as voteCount",
      "requests.org_count as orgCount",
      "requests.comment_count as commentCount",
      "requests.follower_count as followerCount",
      "requests.recent_vote_count as recentVoteCount",
      "requests.created_at as createdAt",
      "requests.updated_at as updatedAt",
      "requests.shipped_at as shippedAt",
      "requests.author_id as authorId",
      "author.name as authorName",
      "requests.org_id as orgId",
      "org.name as orgName",
      "org.slug as orgSlug",
      "requests.category_id as categoryId",
      "categories.slug as categorySlug",
      "categories.name_he as categoryNameHe",
      "categories.name_en as categoryNameEn",
      "requests.target_quarter as targetQuarter",
      "requests.help_url as helpUrl",
      "requests.visibility as visibility",
    ])
    // Whether the viewer voted for it and follows it, in the same read: two index probes (with
    // no viewer the id is null, which equals nothing).
    .select((eb) => {
      const viewerHasRow = (table: "votes" | "follows") =>
        eb.exists(
          eb
            .selectFrom(table)
            .select("user_id")
            .whereRef("request_id", "=", "requests.id")
            .where("user_id", "=", viewer?.id ?? null),
        );
      return [viewerHasRow("votes").as("voted"), viewerHasRow("follows").as("following")];
    })
    .where("requests.id", "=", id)
    .where(visibleTo(viewer))
    .executeTakeFirst();
  if (!row) return null;
  // A merged request's page sends the reader to its target: if that one is hidden from them,
  // so is this (a redirect would name it).
  if (row.status === "merged" && row.mergedIntoId) {
    const targets = await mergeTargets([{ id: row.id, mergedIntoId: row.mergedIntoId }], viewer);
    if (!targets.has(row.id)) return null;
  }

  return {
    ...row,
    bodyHtml: renderMarkdown(row.bodyMd),
    // SQLite answers exists() with 0 or 1, PostgreSQL with a boolean.
    voted: Boolean(row.voted),
    following: Boolean(row.following),
    /** Staff see the demand (getDemand in demand.server.ts); others see the counts only. */
    canSeeVotingOrganizations: Boolean(viewer?.isStaff),
  };
}

export type RequestPage = NonNullable<Awaited<ReturnType<typeof getRequest>>>;

/**
 * The request `id` if it was merged into `targetId`, for the note on the target's page after
 * the old address redirected there; null otherwise (so a made-up link shows no note), and null
 * when the viewer may not see either of the two (a private title stays private).
 */
export async function getMergedRequest({
  id,
  targetId,
  viewer,
}: {
  id: number;
  targetId: number;
  viewer: Viewer;
}) {
  const db = getDb();
  const target = await db
    .selectFrom("requests")
    .select("id")
    .where("id", "=", targetId)
    .where(visibleTo(viewer))
    .executeTakeFirst();
  if (!target) return null;
  const row = await db
    .selectFrom("requests")
    .select(["id", "title"])
    .where("id", "=", id)
    .where(visibleTo(viewer))
    .where("status", "=", "merged")
    .where("merged_into_id", "=", targetId)
    .executeTakeFirst();
  return row ?? null;
}

/** The public timeline of the request's statuses, oldest first. */
export async function listStatusEvents({ requestId }: { requestId: number }) {
  return getDb()
    .selectFrom("status_events")
    .leftJoin("users", "users.id", "status_events.actor_id")
    .select([
      "status_events.id as id",
      "status_events.from_status as fromStatus",
      "status_events.to_status as toStatus",
      "status_events.note as note",
      "status_events.created_at as createdAt",
      "users.name as actorName",
    ])
    .where("status_events.request_id", "=", requestId)
    .orderBy("status_events.id")
    .execute();
}

export type SimilarRequest = {
  id: number;
  title: string;
  status: RequestStatus;
  voteCount: number;
  orgCount: number;
};

/**
 * Up to `limit` existing requests like the title being typed: those with every word first,
 * then, when they are too few, those with any of its words. A merged request stands for the
 * request it was merged into (that is the one to vote for). Only requests the viewer may see.
 */
export async function findSimilarRequests(
  title: string,
  viewer: Viewer,
  limit = 5,
): Promise<SimilarRequest[]> {
  const ranked = await rankRequestMatches(title, { limit: limit * 2 });
  if (ranked.length < limit) {
    const seen = new Set(ranked.map((r) => r.id));
    for (const match of await rankRequestMatches(title, { limit: limit * 2, mode: "any" })) {
      if (!seen.has(match.id)) ranked.push(match);
    }
  }
  if (ranked.length === 0) return [];
  const db = getDb();
  const hits = await db
    .selectFrom("requests")
    .select(["id", "status", "merged_into_id as mergedIntoId"])
    .where(
      "id",
      "in",
      ranked.map((r) => r.id),
    )
    .where(visibleTo(viewer))
    .execute();
  const targets = await mergeTargets(
    hits.filter((h) => h.status === "merged"),
    viewer,
  );
  const status = new Map(hits.map((h) => [h.id, h.status]));
  const ids = [
    ...new Set(
      ranked.flatMap((r) =>
        status.get(r.id) === "merged"
          ? (targets.get(r.id)?.id ?? [])
          : status.has(r.id)
            ? r.id
            : [],
      ),
    ),
  ].slice(0, limit);
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom("requests")
    .select(["id", "title", "status", "vote_count as voteCount", "org_count as orgCount"])
    .where("id", "in", ids)
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}
