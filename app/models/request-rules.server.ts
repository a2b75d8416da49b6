// Rules shared by the request, vote, comment and follow models: their refusals, which
// organization a customer acts for, and the check that a request can still take part.
import type { Kysely, QueryCreator, Transaction } from "kysely";
import { builtOnce, lockingRows, type Database, type RequestStatus } from "~/db.server";
import type { MessageKey } from "~/i18n/messages";
import { requireMembership } from "~/auth/permissions.server";
import { ActionRefused, type Actor } from "./errors";
import { visibleToUserNow } from "./request-visibility.server";

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

/** What a vote, a comment or a follow needs to know, read with the request's row locked. */
export type ActiveRequest = {
  status: RequestStatus;
  /**
   * The user had a vote on it. On PostgreSQL this statement's snapshot may be older than the
   * lock it waited for, so a vote of theirs may have come or gone since: the caller's write
   * finds out (see toggleVote), as a separate statement would have read it.
   */
  voted: boolean;
  /**
   * The user followed it. Out of date only when they stopped following it at the very moment
   * of this read, and a vote that then leaves them unfollowed is a fair order of the two.
   */
  following: boolean;
  /** The user's address is verified (see email-verification.server.ts). */
  emailVerified: boolean;
  /** The user belongs to the organization they asked to act for (false when none was asked). */
  memberOfOrg: boolean;
};

/**
 * The request's status and the user's standing on it; refuses when it does not exist or the
 * user may not see it (the same 404, as requireVisibleRequest), or when it was merged into
 * another one. Locks the request's row first (as lockRequests does): what the caller writes
 * next cannot race a merge or another vote. One statement, the rest in sub-selects (which take
 * no locks): a vote is a round trip per statement on PostgreSQL, and this spares up to four.
 */
export async function requireActiveRequest(
  db: Executor,
  requestId: number,
  userId: number | null,
  orgId: number | null = null,
): Promise<ActiveRequest> {
  // No user or organization has id 0: with either, its sub-selects find nothing.
  const [row] = await activeRequestRows(db as Kysely<Database>, {
    requestId,
    userId: userId ?? 0,
    orgId: orgId ?? 0,
  });
  return activeRequestFrom(row);
}

/** requireActiveRequest's statement, built once (see builtOnce): every vote and comment runs it. */
const activeRequestRows = builtOnce((db, v: { requestId: number; userId: number; orgId: number }) =>
  lockingRows(db, activeRequestQuery(db, v.requestId, v.userId, v.orgId)),
);

/** requireActiveRequest's read, unlocked: also a part of the one statement of a vote (votes.server.ts). */
export function activeRequestQuery(
  db: QueryCreator<Database>,
  requestId: number,
  userId: number | null,
  orgId: number | null,
) {
  const user = userId ?? 0; // no user has id 0: every sub-select finds nothing
  return db
    .selectFrom("requests")
    .select((eb) => [
      "requests.status",
      eb
        .selectFrom("users")
        .select("users.email_verified_at")
        .where("users.id", "=", user)
        .as("emailVerifiedAt"),
      eb
        .exists(
          eb
            .selectFrom("memberships")
            .select("memberships.user_id")
            .where("memberships.user_id", "=", user)
            .where("memberships.org_id", "=", orgId ?? 0),
        )
        .as("memberOfOrg"),
      eb
        .exists(
          eb
            .selectFrom("votes")
            .select("votes.user_id")
            .whereRef("votes.request_id", "=", "requests.id")
            .where("votes.user_id", "=", user),
        )
        .as("voted"),
      eb
        .exists(
          eb
            .selectFrom("follows")
            .select("follows.user_id")
            .whereRef("follows.request_id", "=", "requests.id")
            .where("follows.user_id", "=", user),
        )
        .as("following"),
    ])
    .where("requests.id", "=", requestId)
    .where(visibleToUserNow(userId));
}

/** ActiveRequest from activeRequestQuery's row, refusing as requireActiveRequest does. */
export function activeRequestFrom(
  row:
    | {
        status: RequestStatus;
        emailVerifiedAt: string | null;
        memberOfOrg: unknown;
        voted: unknown;
        following: unknown;
      }
    | undefined,
): ActiveRequest {
  if (!row) throw new ActionRefused("request.error.notFound", 404);
  if (row.status === "merged") throw refuse("merged", 409);
  return {
    status: row.status,
    voted: Boolean(row.voted),
    following: Boolean(row.following),
    emailVerified: row.emailVerifiedAt != null,
    memberOfOrg: Boolean(row.memberOfOrg),
  };
}

/**
 * actingOrgId from what requireActiveRequest read (asked with the same `orgId`): staff act for
 * none; a customer for `orgId`, which must be one they belong to.
 */
export function participatingOrgId(
  actor: Actor,
  orgId: number | null | undefined,
  request: ActiveRequest,
): number | null {
  if (actor.isStaff) return null;
  if (orgId == null || !request.memberOfOrg)
    throw new ActionRefused(REQUEST_REFUSALS.orgRequired, 403);
  return orgId;
}
