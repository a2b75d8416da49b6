// Comments on a request: Markdown, editable by their author for a short while, deleted (softly)
// by their author or by staff. Internal comments are staff-only notes: no one else ever gets
// them, and comment_count counts only the public comments that are not deleted.
import { getDb, now } from "~/db.server";
import { renderMarkdown } from "~/markdown.server";
import { cleanMarkdown } from "~/text";
import { recordAudit } from "./audit.server";
import { requireVerifiedEmail } from "./email-verification.server";
import type { Actor } from "./errors";
import { actingOrgId, refuse, requireActiveRequest } from "./request-rules.server";

export const COMMENT_MAX_LENGTH = 10_000;
export const COMMENT_EDIT_WINDOW_MS = 15 * 60 * 1000;

function cleanBody(bodyMd: string): string {
  // Trailing whitespace and leading blank lines go; leading spaces may be Markdown (code).
  const body = cleanMarkdown(bodyMd)
    .trimEnd()
    .replace(/^\s*\n/, "");
  if (body.trim() === "") throw refuse("commentEmpty", 400, "bodyMd");
  if (body.length > COMMENT_MAX_LENGTH) throw refuse("commentTooLong", 400, "bodyMd");
  return body;
}

/** Whether a comment written at `createdAt` may still be edited at `at`. */
export function isWithinEditWindow(createdAt: string, at = new Date()): boolean {
  return at.getTime() - Date.parse(createdAt) <= COMMENT_EDIT_WINDOW_MS;
}

export async function addComment({
  requestId,
  actor,
  orgId = null,
  bodyMd,
  isInternal = false,
  isOfficial = false,
}: {
  requestId: number;
  actor: Actor;
  /**
   * The customer's current organization, shown beside their name; ignored for staff. A
   * customer needs one, as for voting and proposing.
   */
  orgId?: number | null;
  bodyMd: string;
  /** Staff only: a note no customer sees. */
  isInternal?: boolean;
  /** Staff only: marked as the team's answer. */
  isOfficial?: boolean;
}): Promise<{ id: number }> {
  if ((isInternal || isOfficial) && !actor.isStaff) throw refuse("staffOnly", 403);
  const body = cleanBody(bodyMd);
  return getDb()
    .transaction()
    .execute(async (trx) => {
      await requireVerifiedEmail(trx, actor, "bodyMd");
      await requireActiveRequest(trx, requestId);
      const commentOrg = await actingOrgId(trx, actor, orgId);
      const { id } = await trx
        .insertInto("comments")
        .values({
          request_id: requestId,
          author_id: actor.id,
          org_id: commentOrg,
          body_md: body,
          is_internal: isInternal ? 1 : 0,
          is_official: isOfficial ? 1 : 0,
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
          data: { commentId: id, isInternal, isOfficial },
        });
      }
      return { id };
    });
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
  await getDb()
    .transaction()
    .execute(async (trx) => {
      const comment = await trx
        .selectFrom("comments")
        .select(["id", "request_id", "author_id", "created_at"])
        .where("id", "=", commentId)
        .where("request_id", "=", requestId)
        .where("deleted_at", "is", null)
        .executeTakeFirst();
      if (!comment) throw refuse("commentNotFound", 404);
      if (comment.author_id !== actor.id) throw refuse("commentNotAuthor", 403);
      if (!isWithinEditWindow(comment.created_at)) throw refuse("commentEditExpired", 403);
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
  await getDb()
    .transaction()
    .execute(async (trx) => {
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
 * The request's comments, oldest first, `limit` at a time after `afterId`. Deleted comments
 * are left out; internal ones too unless the viewer is staff.
 */
export async function listComments({
  requestId,
  viewer,
  afterId,
  limit = 100,
}: {
  requestId: number;
  viewer?: Actor | null;
  afterId?: number | null;
  limit?: number;
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
  const rows = await query
    .orderBy("comments.id")
    .limit(pageSize + 1)
    .execute();
  const page = rows.slice(0, pageSize);
  const at = new Date();
  const items = page.map((row) => {
    const isAuthor = viewer != null && row.authorId === viewer.id;
    return {
      ...row,
      authorIsStaff: row.authorIsStaff === 1,
      isInternal: row.isInternal === 1,
      isOfficial: row.isOfficial === 1,
      bodyHtml: renderMarkdown(row.bodyMd),
      canEdit: isAuthor && isWithinEditWindow(row.createdAt, at),
      canDelete: isAuthor || Boolean(viewer?.isStaff),
    };
  });
  return { items, nextAfterId: rows.length > pageSize ? page[page.length - 1].id : null };
}
