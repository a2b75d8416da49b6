// Comments on a request: Markdown, editable by their author for a short while, deleted (softly)
// by their author or by staff. A staff comment is of one kind: public, the team's official
// answer, or an internal note. Internal notes are staff-only: no one else ever gets them, and
// comment_count counts only what customers see (comments not internal and not deleted).
import type { Transaction } from "kysely";
import { getDb, now, type Database, inTransaction } from "~/db.server";
import { enqueueEmails, groupedStatus, nudgeOutbox } from "~/services/outbox.server";
import { renderMarkdown } from "~/markdown.server";
import { cleanMarkdown } from "~/text";
import { recordAudit } from "./audit.server";
import { refuseUnverified } from "./email-verification.server";
import type { Actor } from "./errors";
import { participatingOrgId, refuse, requireActiveRequest } from "./request-rules.server";
import { requireVisibleRequest, userCanSee } from "./request-visibility.server";

export const COMMENT_MAX_LENGTH = 10_000;
export const COMMENT_EDIT_WINDOW_MS = 15 * 60 * 1000;

/** What a comment is; only staff write the two last kinds, and an internal note is never official. */
export const COMMENT_KINDS = ["public", "official", "internal"] as const;
export type CommentKind = (typeof COMMENT_KINDS)[number];

function cleanBody(bodyMd: string): string {
  // Trailing whitespace and leading blank lines go; leading spaces may be Markdown (code).
  const body = cleanMarkdown(bodyMd)
    .trimEnd()
    .replace(/^\s*\n/, "");
  if (body.trim() === "") throw refuse("commentEmpty", 400, "bodyMd");
  if (body.length > COMMENT_MAX_LENGTH) throw refuse("commentTooLong", 400, "bodyMd");
  return body;
}

/** How long a comment written at `createdAt` may still be edited, seen at `at` (0: no longer). */
function editTimeLeftMs(createdAt: string, at = new Date()): number {
  return Math.max(0, Date.parse(createdAt) + COMMENT_EDIT_WINDOW_MS - at.getTime());
}

export async function addComment({
  requestId,
  actor,
  orgId = null,
  bodyMd,
  kind = "public",
}: {
  requestId: number;
  actor: Actor;
  /**
   * The customer's current organization, shown beside their name; ignored for staff. A
   * customer needs one, as for voting and proposing.
   */
  orgId?: number | null;
  bodyMd: string;
  /** Staff only: "official" marks the team's answer, "internal" a note no customer sees. */
  kind?: CommentKind;
}): Promise<{ id: number }> {
  if (!COMMENT_KINDS.includes(kind)) throw refuse("commentKindInvalid", 400, "kind");
  if (kind !== "public" && !actor.isStaff) throw refuse("staffOnly", 403);
  const isInternal = kind === "internal";
  const body = cleanBody(bodyMd);
  const result = await inTransaction(async (trx) => {
    const request = await requireActiveRequest(trx, requestId, actor.id, orgId);
    refuseUnverified(request.emailVerified, "bodyMd");
    const commentOrg = participatingOrgId(actor, orgId, request);
    const { id } = await trx
      .insertInto("comments")
      .values({
        request_id: requestId,
        author_id: actor.id,
        org_id: commentOrg,
        body_md: body,
        is_internal: isInternal ? 1 : 0,
        is_official: kind === "official" ? 1 : 0,
        created_at: now(),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    if (!isInternal) {
      await trx
        .updateTable("requests")
        .set((eb) => ({ comment_count: eb("comment_count", "+", 1) }))
        .where("id", "=", requestId)
        .execute();
    }
    if (actor.isStaff) {
      await recordAudit(trx, {
        actorId: actor.id,
        action: "comment.added",
        subjectType: "request",
        subjectId: requestId,
        data: { commentId: id, kind },
      });
    }
    if (kind === "official") await tellFollowers(trx, requestId, actor, body);
    return { id };
  });
  if (kind === "official") nudgeOutbox();
  return result;
}

/** The longest part of an official answer quoted in its e-mail; the rest is on the page. */
const ANSWER_EXCERPT_CHARS = 1_000;

/**
 * An official answer is news to the request's followers (voters and authors follow): one
 * status update each, grouped with their other updates like a status change (triage.server.ts),
 * never to its author, and only to those who may still see the request.
 */
async function tellFollowers(
  trx: Transaction<Database>,
  requestId: number,
  actor: Actor,
  body: string,
) {
  const request = await trx
    .selectFrom("requests")
    .select(["id", "title", "visibility", "org_id"])
    .where("id", "=", requestId)
    .executeTakeFirstOrThrow();
  const followers = await trx
    .selectFrom("users")
    .select(["users.id", "users.email", "users.name", "users.locale"])
    .where("users.id", "in", (eb) =>
      eb
        .selectFrom("follows")
        .select("follows.user_id")
        .where("follows.request_id", "=", requestId),
    )
    .where("users.id", "!=", actor.id)
    .where(userCanSee({ visibility: request.visibility, orgId: request.org_id }))
    .orderBy("users.id")
    .execute();
  const excerpt =
    body.length > ANSWER_EXCERPT_CHARS ? `${body.slice(0, ANSWER_EXCERPT_CHARS).trimEnd()}…` : body;
  await enqueueEmails(
    trx,
    followers.map((f) => ({
      recipient: f.email,
      payload: {
        template: "official_answer",
        locale: f.locale ?? "he",
        name: f.name,
        requestTitle: request.title,
        requestUrl: `/requests/${requestId}`,
        staffName: actor.name,
        excerpt,
      },
      ...groupedStatus(f.id),
    })),
  );
}

/**
 * Its author edits a comment within COMMENT_EDIT_WINDOW_MS of writing it; no one else ever does.
 * The comment is looked up on its request: through another request's address it does not exist.
 */
export async function editComment({
  requestId,
  commentId,
  actor,
  bodyMd,
}: {
  requestId: number;
  commentId: number;
  actor: Actor;
  bodyMd: string;
}) {
  const body = cleanBody(bodyMd);
  await inTransaction(async (trx) => {
    await requireVisibleRequest(trx, requestId, actor.id);
    const comment = await trx
      .selectFrom("comments")
      .select(["id", "request_id", "author_id", "created_at"])
      .where("id", "=", commentId)
      .where("request_id", "=", requestId)
      .where("deleted_at", "is", null)
      .executeTakeFirst();
    if (!comment) throw refuse("commentNotFound", 404);
    if (comment.author_id !== actor.id) throw refuse("commentNotAuthor", 403);
    if (editTimeLeftMs(comment.created_at) === 0) throw refuse("commentEditExpired", 403);
    await trx
      .updateTable("comments")
      .set({ body_md: body, edited_at: now() })
      .where("id", "=", commentId)
      .execute();
    if (actor.isStaff) {
      await recordAudit(trx, {
        actorId: actor.id,
        action: "comment.edited",
        subjectType: "request",
        subjectId: comment.request_id,
        data: { commentId },
      });
    }
  });
}

/** Its author or staff delete a comment of the request; it stays in the database, marked deleted. */
export async function deleteComment({
  requestId,
  commentId,
  actor,
}: {
  requestId: number;
  commentId: number;
  actor: Actor;
}) {
  await inTransaction(async (trx) => {
    await requireVisibleRequest(trx, requestId, actor.id);
    const comment = await trx
      .selectFrom("comments")
      .select(["request_id", "author_id", "is_internal"])
      .where("id", "=", commentId)
      .where("request_id", "=", requestId)
      .where("deleted_at", "is", null)
      .executeTakeFirst();
    if (!comment) throw refuse("commentNotFound", 404);
    if (comment.author_id !== actor.id && !actor.isStaff)
      throw refuse("commentDeleteForbidden", 403);
    await trx
      .updateTable("comments")
      .set({ deleted_at: now() })
      .where("id", "=", commentId)
      .execute();
    if (comment.is_internal === 0) {
      await trx
        .updateTable("requests")
        .set((eb) => ({ comment_count: eb("comment_count", "-", 1) }))
        .where("id", "=", comment.request_id)
        .execute();
    }
    if (actor.isStaff) {
      await recordAudit(trx, {
        actorId: actor.id,
        action: "comment.deleted",
        subjectType: "request",
        subjectId: comment.request_id,
        data: { commentId, authorId: comment.author_id },
      });
    }
  });
}

export const COMMENTS_PAGE_MAX = 200;

/**
 * The request's comments, oldest first, `limit` at a time after `afterId`, and how many there
 * are in all for this viewer. Deleted comments are left out; internal ones too unless the
 * viewer is staff.
 */
export async function listComments({
  requestId,
  viewer,
  afterId,
  limit = 100,
  commentCount,
}: {
  requestId: number;
  viewer?: Actor | null;
  afterId?: number | null;
  limit?: number;
  /** The request's comment_count when the caller has just read the request (its page does). */
  commentCount?: number;
}) {
  const pageSize = Math.min(Math.max(Math.trunc(limit) || 1, 1), COMMENTS_PAGE_MAX);
  let query = getDb()
    .selectFrom("comments")
    .leftJoin("users", "users.id", "comments.author_id")
    .leftJoin("organizations", "organizations.id", "comments.org_id")
    .select([
      "comments.id as id",
      "comments.author_id as authorId",
      "users.name as authorName",
      "users.is_staff as authorIsStaff",
      "organizations.name as orgName",
      "comments.body_md as bodyMd",
      "comments.is_internal as isInternal",
      "comments.is_official as isOfficial",
      "comments.created_at as createdAt",
      "comments.edited_at as editedAt",
    ])
    .where("comments.request_id", "=", requestId)
    .where("comments.deleted_at", "is", null);
  if (!viewer?.isStaff) query = query.where("comments.is_internal", "=", 0);
  if (afterId != null) query = query.where("comments.id", ">", afterId);
  const [rows, total] = await Promise.all([
    query
      .orderBy("comments.id")
      .limit(pageSize + 1)
      .execute(),
    // Customers and visitors see the counter itself: no read when the caller has it.
    !viewer?.isStaff && commentCount !== undefined
      ? commentCount
      : countComments(requestId, Boolean(viewer?.isStaff)),
  ]);
  const page = rows.slice(0, pageSize);
  const at = new Date();
  const items = page.map(({ isInternal, isOfficial, ...row }) => {
    const isAuthor = viewer != null && row.authorId === viewer.id;
    const editableForMs = isAuthor ? editTimeLeftMs(row.createdAt, at) : 0;
    const kind: CommentKind =
      isInternal === 1 ? "internal" : isOfficial === 1 ? "official" : "public";
    return {
      ...row,
      kind,
      authorIsStaff: row.authorIsStaff === 1,
      bodyHtml: renderMarkdown(row.bodyMd),
      canEdit: editableForMs > 0,
      /** How long the author may still edit it, from when this list was read. */
      editableForMs,
      canDelete: isAuthor || Boolean(viewer?.isStaff),
    };
  });
  return { items, total, nextAfterId: rows.length > pageSize ? page[page.length - 1].id : null };
}

/**
 * How many comments the viewer can see in all: for customers and visitors, the request's
 * comment_count (kept exact by the writes above); staff also see the internal notes.
 */
async function countComments(requestId: number, forStaff: boolean): Promise<number> {
  const db = getDb();
  if (!forStaff) {
    const row = await db
      .selectFrom("requests")
      .select("comment_count")
      .where("id", "=", requestId)
      .executeTakeFirst();
    return row?.comment_count ?? 0;
  }
  // The counter plus the internal notes, which a partial index counts without reading the
  // thread (a popular request has thousands of comments and a handful of notes).
  const row = await db
    .selectFrom("requests")
    .select((eb) => [
      "comment_count",
      eb
        .selectFrom("comments")
        .select(eb.fn.countAll<number>().as("n"))
        .where("comments.request_id", "=", requestId)
        .where("comments.is_internal", "=", 1)
        .where("comments.deleted_at", "is", null)
        .as("internal"),
    ])
    .where("id", "=", requestId)
    .executeTakeFirst();
  return (row?.comment_count ?? 0) + Number(row?.internal ?? 0);
}
