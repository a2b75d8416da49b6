// Rules shared by the request, vote, comment and follow models: their refusals, which
// organization a customer acts for, and the check that a request can still take part.
import type { Kysely, Transaction } from "kysely";
import { lockingRows, type Database, type RequestStatus } from "~/db.server";
import type { MessageKey } from "~/i18n/messages";
import { requireMembership } from "~/auth/permissions.server";
import { ActionRefused, type Actor } from "./errors";
import { requireVisibleRequest } from "./request-visibility.server";

type Executor = Kysely<Database> | Transaction<Database>;

// Catalog keys these models refuse with.
export const REQUEST_REFUSALS = {
  notFound: "request.error.notFound",
  merged: "request.error.merged",
  titleLength: "request.error.titleLength",
  duplicate: "request.error.duplicate",
  bodyTooLong: "request.error.bodyTooLong",
  categoryUnknown: "request.error.categoryUnknown",
  notAuthor: "request.error.notAuthor",
  othersTookPart: "request.error.othersTookPart",
  orgRequired: "request.error.orgRequired",
  staffOnly: "request.error.staffOnly",
  visibilityInvalid: "request.error.visibilityInvalid",
  commentEmpty: "request.error.commentEmpty",
  commentTooLong: "request.error.commentTooLong",
  commentKindInvalid: "request.error.commentKindInvalid",
  commentNotFound: "request.error.commentNotFound",
  commentNotAuthor: "request.error.commentNotAuthor",
  commentEditExpired: "request.error.commentEditExpired",
  commentDeleteForbidden: "request.error.commentDeleteForbidden",
} as const satisfies Record<string, MessageKey>;

export type RequestRefusal = keyof typeof REQUEST_REFUSALS;

export function refuse(reason: RequestRefusal, status: number, field?: string): ActionRefused {
  return new ActionRefused(REQUEST_REFUSALS[reason], status, field);
}

/**
 * The organization a vote or a proposal counts for: staff act for none (null); a customer acts
 * for their current organization, which must be one they belong to.
 */
export async function actingOrgId(
  db: Executor,
  actor: Actor,
  orgId: number | null | undefined,
): Promise<number | null> {
  if (actor.isStaff) return null;
  const membership = await requireMembership(db, actor, orgId, {
    refusal: REQUEST_REFUSALS.orgRequired,
  });
  return membership.orgId;
}

/**
 * Locks the requests' rows until the transaction ends, in id order (on PostgreSQL; SQLite's
 * write transaction is exclusive already). Every write to a request's votes, comments, follows
 * or counters takes its row first (requireActiveRequest), and a merge takes both of its rows:
 * so a vote and a merge of its request run one after the other, the vote seeing the merge or
 * the merge moving the vote, and never deadlock (one order for everyone).
 */
export async function lockRequests(db: Executor, requestIds: readonly number[]): Promise<void> {
  if (requestIds.length === 0) return;
  await lockingRows(
    db as Kysely<Database>,
    db.selectFrom("requests").select("id").where("id", "in", requestIds).orderBy("id"),
  ).execute();
}

/**
 * The request's status; refuses when it does not exist or the user may not see it (the same
 * 404: see requireVisibleRequest), or when it was merged into another one. Locks the request's
 * row first (lockRequests): what the caller writes next cannot race a merge or another vote.
 */
export async function requireActiveRequest(
  db: Executor,
  requestId: number,
  userId: number | null,
): Promise<RequestStatus> {
  await lockRequests(db, [requestId]);
  const request = await requireVisibleRequest(db, requestId, userId);
  if (request.status === "merged") throw refuse("merged", 409);
  return request.status;
}
