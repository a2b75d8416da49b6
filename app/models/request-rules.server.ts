// Rules shared by the request, vote, comment and follow models: their refusals, which
// organization a customer acts for, and the check that a request can still take part.
import type { Kysely, Transaction } from "kysely";
import type { Database, RequestStatus } from "~/db.server";
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
 * The request's status; refuses when it does not exist or the user may not see it (the same
 * 404: see requireVisibleRequest), or when it was merged into another one.
 */
export async function requireActiveRequest(
  db: Executor,
  requestId: number,
  userId: number | null,
): Promise<RequestStatus> {
  const request = await requireVisibleRequest(db, requestId, userId);
  if (request.status === "merged") throw refuse("merged", 409);
  return request.status;
}
