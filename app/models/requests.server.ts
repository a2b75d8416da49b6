// Feature requests: proposing one, the board (sorted, filtered, searched, keyset-paginated),
// the request page, its status timeline, and who voted for it.
import { sql, type Kysely, type Transaction } from "kysely";
import {
  getDb,
  notIndexed,
  now,
  type Database,
  type RequestDecision,
  type RequestStatus,
} from "~/db.server";
import { markdownExcerpt, renderMarkdown } from "~/markdown.server";
import { cleanLine, cleanMarkdown } from "~/text";
import { recordAudit } from "./audit.server";
import { requireVerifiedEmail } from "./email-verification.server";
import { ActionRefused, type Actor } from "./errors";
import { actingOrgId, refuse, REQUEST_REFUSALS } from "./request-rules.server";
import {
  indexRequest,
  matchRequests,
  normalizeSearchText,
  rankRequestMatches,
  removeRequestFromIndex,
} from "./search.server";
import { castVote, rollTrendingWindow } from "./votes.server";

export const REQUEST_STATUSES = [
  "open",
  "planned",
  "in_progress",
  "shipped",
  "declined",
  "already_exists",
  "merged",
  "quoted",
  "funded",
] as const satisfies readonly RequestStatus[];

export const TITLE_MIN_LENGTH = 8;
export const TITLE_MAX_LENGTH = 120;
export const BODY_MAX_LENGTH = 20_000;

/** The title rule, in characters a reader sees (a title is measured after `cleanLine`). */
export function isTitleLengthValid(title: string): boolean {
  const length = [...title].length;
  return length >= TITLE_MIN_LENGTH && length <= TITLE_MAX_LENGTH;
}

/** A title and description as they are stored, or the refusal of the field that breaks a rule. */
function cleanRequestText(title: string, bodyMd: string) {
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
}: {
  actor: Actor;
  /** The customer's current organization; ignored for staff. */
  orgId?: number | null;
  title: string;
  bodyMd: string;
  categoryId: number;
}): Promise<{ id: number }> {
  const { cleanTitle, body } = cleanRequestText(title, bodyMd);
  const duplicates = await duplicateCandidates(cleanTitle);

  return getDb()
    .transaction()
    .execute(async (trx) => {
      await requireVerifiedEmail(trx, actor);
      const authorOrg = await actingOrgId(trx, actor, orgId);
      const category = await trx
        .selectFrom("categories")
        .select("id")
        .where("id", "=", categoryId)
        .where("archived_at", "is", null)
        .executeTakeFirst();
      if (!category) throw refuse("categoryUnknown", 400, "categoryId");
      const duplicate = await findOpenDuplicate(trx, cleanTitle, duplicates);
      if (duplicate) throw new DuplicateRequest(duplicate.id);

      const at = now();
      const { id } = await trx
        .insertInto("requests")
        .values({
          title: cleanTitle,
          body_md: body,
          category_id: categoryId,
          author_id: actor.id,
          org_id: authorOrg,
          status: "open",
          created_at: at,
          updated_at: at,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await trx
        .insertInto("status_events")
        .values({
          request_id: id,
          actor_id: actor.id,
          from_status: null,
          to_status: "open",
          created_at: at,
        })
        .execute();
      // The author votes (and so follows) at once.
      await castVote(trx, { requestId: id, userId: actor.id, orgId: authorOrg, at });
      await indexRequest(trx, { id, title: cleanTitle, bodyMd: body });
      if (actor.isStaff) {
        await recordAudit(trx, {
          actorId: actor.id,
          action: "request.created",
          subjectType: "request",
          subjectId: id,
          data: { title: cleanTitle, categoryId },
        });
      }
      return { id };
    });
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
    .executeTakeFirst();
  if (!request) throw refuse("notFound", 404);
  if (request.author_id !== actor.id) throw refuse("notAuthor", 403);
  if (request.status !== "open" || (await othersTookPart(db, requestId, actor.id)))
    throw refuse("othersTookPart", 409);
  return request;
}

/** Whether the actor may edit or withdraw the request now (for showing the link). */
export async function canEditOwnRequest({
  requestId,
  actor,
}: {
  requestId: number;
  actor: Actor | null;
}): Promise<boolean> {
  if (!actor) return false;
  return requireOwnUntouchedRequest(getDb(), requestId, actor).then(
    () => true,
    () => false,
  );
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
    .select(["id", "title", "body_md as bodyMd", "category_id as categoryId", "author_id"])
    .where("id", "=", requestId)
    .executeTakeFirst();
  if (!request) throw refuse("notFound", 404);
  if (request.author_id !== actor.id) throw refuse("notAuthor", 403);
  const { author_id: _authorId, ...fields } = request;
  return { ...fields, editable: await canEditOwnRequest({ requestId, actor }) };
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

  await getDb()
    .transaction()
    .execute(async (trx) => {
      const before = await requireOwnUntouchedRequest(trx, requestId, actor);
      const category = await trx
        .selectFrom("categories")
        .select("id")
        .where("id", "=", categoryId)
        .where("archived_at", "is", null)
        .executeTakeFirst();
      // An archived category the request already has may stay.
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
        .where("id", "=", requestId)
        .execute();
      await indexRequest(trx, { id: requestId, title: cleanTitle, bodyMd: body });
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
  await getDb()
    .transaction()
    .execute(async (trx) => {
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

/** Requests still being considered or worked on; a request like a closed one is welcome. */
const OPEN_STATUSES = REQUEST_STATUSES.filter(
  (status) => !["shipped", "declined", "already_exists", "merged"].includes(status),
);

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
): Promise<{ id: number } | null> {
  const key = titleKey(title);
  if (key === "" || matches.kind === "no-query") return null;
  const open = db
    .selectFrom("requests")
    .select(["id", "title"])
    .where("status", "in", OPEN_STATUSES);
  const indexed =
    matches.kind === "many"
      ? await open.where(matches.condition("requests.id")).execute()
      : matches.ids.length > 0
        ? await open.where("id", "in", matches.ids).execute()
        : [];
  const newer = await open.where("id", ">", newerThan).execute();
  return [...indexed, ...newer].find((row) => titleKey(row.title) === key) ?? null;
}

/** The open request whose title says the same as this one, if any: for the propose form. */
export async function findDuplicateRequest(title: string): Promise<{ id: number } | null> {
  const cleanTitle = cleanLine(title);
  return findOpenDuplicate(getDb(), cleanTitle, await duplicateCandidates(cleanTitle));
}

// ---------------------------------------------------------------------------------------------
// The board

export type BoardSort = "orgs" | "votes" | "trending" | "newest";
export const BOARD_SORTS = [
  "orgs",
  "votes",
  "trending",
  "newest",
] as const satisfies readonly BoardSort[];
export const BOARD_PAGE_MAX = 100;

const SORT_COLUMN = {
  orgs: "org_count",
  votes: "vote_count",
  trending: "recent_vote_count",
  newest: "created_at",
} as const satisfies Record<BoardSort, string>;

/**
 * With at most this many search hits the board looks them up by id and sorts them; with more,
 * it walks the sort's index and keeps the rows that match (many do, so a page fills quickly).
 */
const SEARCH_IDS_MAX = 1_000;

type CursorValue = number | string;

/** An opaque keyset cursor: the sort it belongs to, and the last row's sort value and id. */
export function encodeCursor(sort: BoardSort, value: CursorValue, id: number): string {
  return Buffer.from(JSON.stringify([sort, value, id])).toString("base64url");
}

/** The position a cursor points after, or null when it is missing, malformed or of another sort. */
export function decodeCursor(
  cursor: string | null | undefined,
  sort: BoardSort,
): { value: CursorValue; id: number } | null {
  if (!cursor) return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (!Array.isArray(parsed) || parsed.length !== 3) return null;
    const [cursorSort, value, id] = parsed as unknown[];
    if (cursorSort !== sort || !Number.isSafeInteger(id)) return null;
    const valueOk = sort === "newest" ? typeof value === "string" : Number.isSafeInteger(value);
    return valueOk ? { value: value as CursorValue, id: id as number } : null;
  } catch {
    return null;
  }
}

const EXCERPT_SOURCE_CHARS = 400;
const EXCERPT_CHARS = 200;

export type BoardItem = {
  id: number;
  title: string;
  /** The description's start as plain text, for one line under the title. */
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
  /** Whether the viewer has voted for it (false for anonymous visitors). */
  voted: boolean;
};

/**
 * One page of the board. Without a status filter, merged requests are left out (their votes
 * live on the request they were merged into). `q` keeps the requests matching every word
 * (the last one as a prefix), in the chosen sort.
 */
export async function listRequests({
  sort = "orgs",
  status,
  categoryId,
  q,
  cursor,
  limit = 25,
  viewerId,
}: {
  sort?: BoardSort;
  status?: RequestStatus | null;
  categoryId?: number | null;
  q?: string | null;
  cursor?: string | null;
  limit?: number;
  viewerId?: number | null;
}): Promise<{ items: BoardItem[]; nextCursor: string | null }> {
  const pageSize = Math.min(Math.max(Math.trunc(limit) || 1, 1), BOARD_PAGE_MAX);
  if (sort === "trending") await rollTrendingWindow();
  const column = SORT_COLUMN[sort];
  const db = getDb();

  let query = db
    .selectFrom("requests")
    .leftJoin("categories", "categories.id", "requests.category_id")
    .select((eb) => [
      "requests.id as id",
      "requests.title as title",
      // Enough of the description for the board's one-line excerpt.
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
    ]);
  // The counters' indexes end in status and category, so those filters are checked while
  // walking the sort's index; "newest" has indexes led by them instead.
  const byIndex = sort === "newest";
  const statusColumn = byIndex
    ? sql.ref<RequestStatus>("requests.status")
    : notIndexed<RequestStatus>("requests.status");
  const categoryColumn = byIndex
    ? sql.ref<number>("requests.category_id")
    : notIndexed<number>("requests.category_id");
  query = status
    ? query.where(statusColumn, "=", status)
    : query.where(statusColumn, "!=", "merged");
  if (categoryId != null) query = query.where(categoryColumn, "=", categoryId);

  if (q && q.trim() !== "") {
    const matches = await matchRequests(q, SEARCH_IDS_MAX);
    if (matches.kind === "ids") {
      if (matches.ids.length === 0) return { items: [], nextCursor: null };
      query = query.where("requests.id", "in", matches.ids);
    } else if (matches.kind === "many") {
      query = query.where(matches.condition("requests.id"));
    }
  }

  const after = decodeCursor(cursor, sort);
  if (after) {
    query = query.where((eb) =>
      eb(
        eb.refTuple(`requests.${column}`, "requests.id"),
        "<",
        eb.tuple(after.value as never, after.id),
      ),
    );
  }

  const rows = await query
    .orderBy(`requests.${column}`, "desc")
    .orderBy("requests.id", "desc")
    .limit(pageSize + 1)
    .execute();
  const page = rows.slice(0, pageSize);
  const votedIds = viewerId
    ? await listVotedRequestIds(
        viewerId,
        page.map((r) => r.id),
      )
    : new Set<number>();
  const items = page.map(({ bodyStart, ...row }) => ({
    ...row,
    excerpt: markdownExcerpt(bodyStart ?? "", EXCERPT_CHARS),
    voted: votedIds.has(row.id),
  }));
  const last = page[page.length - 1];
  const nextCursor =
    rows.length > pageSize && last
      ? encodeCursor(sort, sort === "newest" ? last.createdAt : sortValue(last, sort), last.id)
      : null;
  return { items, nextCursor };
}

function sortValue(
  row: { orgCount: number; voteCount: number; recentVoteCount: number },
  sort: Exclude<BoardSort, "newest">,
) {
  return sort === "orgs" ? row.orgCount : sort === "votes" ? row.voteCount : row.recentVoteCount;
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

/** The request as its page shows it, or null when there is none. Anyone may read it. */
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
    ])
    .where("requests.id", "=", id)
    .executeTakeFirst();
  if (!row) return null;

  let voted = false;
  let following = false;
  if (viewer) {
    const [vote, follow] = await Promise.all([
      db
        .selectFrom("votes")
        .select("user_id")
        .where("request_id", "=", id)
        .where("user_id", "=", viewer.id)
        .executeTakeFirst(),
      db
        .selectFrom("follows")
        .select("user_id")
        .where("request_id", "=", id)
        .where("user_id", "=", viewer.id)
        .executeTakeFirst(),
    ]);
    voted = Boolean(vote);
    following = Boolean(follow);
  }
  return {
    ...row,
    bodyHtml: renderMarkdown(row.bodyMd),
    voted,
    following,
    /** Staff see which organizations voted (listVotingOrganizations); others see the counts only. */
    canSeeVotingOrganizations: Boolean(viewer?.isStaff),
  };
}

export type RequestPage = NonNullable<Awaited<ReturnType<typeof getRequest>>>;

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

/**
 * Which organizations voted, with how many voters each and their latest vote: staff only.
 * One pass over the request's votes, which sit together in their primary key.
 */
export async function listVotingOrganizations({
  requestId,
  actor,
}: {
  requestId: number;
  actor: Actor | null;
}) {
  if (!actor?.isStaff) throw refuse("staffOnly", 403);
  const db = getDb();
  return db
    .selectFrom(
      db
        .selectFrom("votes")
        .select((eb) => [
          "org_id",
          eb.fn.countAll<number>().as("voters"),
          eb.fn.max("created_at").as("lastVotedAt"),
        ])
        .where("request_id", "=", requestId)
        .where("org_id", "is not", null)
        .groupBy("org_id")
        .as("by_org"),
    )
    .innerJoin("organizations", "organizations.id", "by_org.org_id")
    .select([
      "organizations.id as orgId",
      "organizations.name as name",
      "organizations.slug as slug",
      "by_org.voters as voters",
      "by_org.lastVotedAt as lastVotedAt",
    ])
    .orderBy("by_org.voters", "desc")
    .orderBy("by_org.lastVotedAt", "desc")
    .orderBy("organizations.id")
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
 * then, when they are too few, those with any of its words. Merged requests are left out.
 */
export async function findSimilarRequests(title: string, limit = 5): Promise<SimilarRequest[]> {
  const ranked = await rankRequestMatches(title, { limit: limit * 2 });
  if (ranked.length < limit) {
    const seen = new Set(ranked.map((r) => r.id));
    for (const match of await rankRequestMatches(title, { limit: limit * 2, mode: "any" })) {
      if (!seen.has(match.id)) ranked.push(match);
    }
  }
  if (ranked.length === 0) return [];
  const rows = await getDb()
    .selectFrom("requests")
    .select(["id", "title", "status", "vote_count as voteCount", "org_count as orgCount"])
    .where(
      "id",
      "in",
      ranked.map((r) => r.id),
    )
    .where("status", "!=", "merged")
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ranked.flatMap((r) => byId.get(r.id) ?? []).slice(0, limit);
}
