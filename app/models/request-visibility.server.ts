// Who may see a request. A public request is everyone's; an "organization only" one is seen by
// the members of its author's organization (requests.org_id, whoever is a member now) and by
// staff, and by no one else: for them it does not exist (a 404 like a missing request, absent
// from every list, search, suggestion, duplicate check, feed and e-mail). Every query that
// lists or reads requests for someone filters with `visibleTo`; every write that someone makes
// on a request checks `requireVisibleRequest`; notification code keeps only the recipients
// `canSeeRequest` (or `usersWhoCanSee`) lets through.
import {
  expressionBuilder,
  sql,
  type Expression,
  type ExpressionBuilder,
  type Kysely,
  type SqlBool,
  type Transaction,
} from "kysely";
import { requireStaff } from "~/auth/permissions.server";
import { now, type Database, type RequestVisibility, inTransaction } from "~/db.server";
import { recordAudit } from "./audit.server";
import { ActionRefused, type Actor } from "./errors";

type Executor = Kysely<Database> | Transaction<Database>;

export const REQUEST_VISIBILITIES = [
  "public",
  "organization",
] as const satisfies readonly RequestVisibility[];

/** Whoever is looking: a signed-in actor (staff or customer), or null for a visitor. */
export type Viewer = Pick<Actor, "id" | "isStaff"> | null | undefined;

/**
 * The condition "the viewer may see this row of `requests`", for any query over that table:
 * `.where(visibleTo(viewer))`. Staff see everything (no condition); a visitor sees public
 * requests; a customer also sees the private requests of every organization they belong to.
 * It reads only the row itself and the viewer's memberships (memberships_by_user), so a query
 * walking a sorted index keeps walking it and drops the rare private row on the way.
 */
export function visibleTo(viewer: Viewer) {
  return (eb: ExpressionBuilder<Database, "requests">): Expression<SqlBool> => {
    if (viewer?.isStaff) return sql<SqlBool>`1 = 1`;
    const isPublic = eb("requests.visibility", "=", "public");
    if (!viewer) return isPublic;
    return eb.or([
      isPublic,
      eb(
        "requests.org_id",
        "in",
        eb
          .selectFrom("memberships")
          .select("memberships.org_id")
          .where("memberships.user_id", "=", viewer.id),
      ),
    ]);
  };
}

/** `visibleTo` as a plain expression, for the search module's SQL templates. */
export function visibleToExpression(viewer: Viewer): Expression<SqlBool> {
  return visibleTo(viewer)(expressionBuilder<Database, "requests">());
}

/**
 * Whether the user may see the request now, read from the rows (the user's staff flag and
 * memberships as they are in this transaction): false for a missing request or user. For
 * notification code: a follower who left the organization must not hear about its private
 * request.
 */
export async function canSeeRequest(
  db: Executor,
  userId: number,
  requestId: number,
): Promise<boolean> {
  return (await usersWhoCanSee(db, requestId, [userId])).length === 1;
}

/**
 * The given users who may see the request now (in the order given, each once): the recipients
 * filter for e-mails about a request. Public request: every user that exists; private: staff
 * and members of its organization.
 */
export async function usersWhoCanSee(
  db: Executor,
  requestId: number,
  userIds: readonly number[],
): Promise<number[]> {
  if (userIds.length === 0) return [];
  const request = await db
    .selectFrom("requests")
    .select(["visibility", "org_id"])
    .where("id", "=", requestId)
    .executeTakeFirst();
  if (!request) return [];
  const wanted = [...new Set(userIds)];
  const allowed = new Set<number>();
  const canSee = userCanSee({ visibility: request.visibility, orgId: request.org_id });
  // A few hundred at a time, well under any bound on a query's parameters.
  for (let i = 0; i < wanted.length; i += 500) {
    const rows = await db
      .selectFrom("users")
      .select("users.id")
      .where("users.id", "in", wanted.slice(i, i + 500))
      .where(canSee)
      .execute();
    for (const row of rows) allowed.add(row.id);
  }
  return wanted.filter((id) => allowed.has(id));
}

/**
 * The condition "this user may see the request", for a query over `users` (say, a request's
 * followers joined to their accounts): `.where(userCanSee(request))`, where `request` is the
 * request's visibility and organization as read in the same transaction.
 */
export function userCanSee(request: { visibility: RequestVisibility; orgId: number | null }) {
  return (eb: ExpressionBuilder<Database, "users">): Expression<SqlBool> => {
    if (request.visibility === "public") return sql<SqlBool>`1 = 1`;
    const orgId = request.orgId;
    return eb.or([
      eb("users.is_staff", "=", 1),
      ...(orgId == null
        ? []
        : [
            eb.exists(
              eb
                .selectFrom("memberships")
                .select("memberships.user_id")
                .whereRef("memberships.user_id", "=", "users.id")
                .where("memberships.org_id", "=", orgId),
            ),
          ]),
    ]);
  };
}

/**
 * The condition "the user may see this row of `requests` now", from the rows in the caller's
 * transaction (the user's staff flag and memberships as they are now, not as the session
 * says): for a check before a write. A visitor (null) sees public requests.
 */
export function visibleToUserNow(userId: number | null) {
  return (eb: ExpressionBuilder<Database, "requests">): Expression<SqlBool> => {
    const isPublic = eb("requests.visibility", "=", "public");
    if (userId === null) return isPublic;
    return eb.or([
      isPublic,
      eb.exists(
        eb
          .selectFrom("users")
          .select("users.id")
          .where("users.id", "=", userId)
          .where("users.is_staff", "=", 1),
      ),
      eb(
        "requests.org_id",
        "in",
        eb
          .selectFrom("memberships")
          .select("memberships.org_id")
          .where("memberships.user_id", "=", userId),
      ),
    ]);
  };
}

/**
 * The request as the viewer may see it (its status, visibility and organization), checked
 * against the rows in the caller's transaction; refuses a missing request and one the viewer
 * may not see alike, with the same 404, so a refusal never tells that a private one exists.
 */
export async function requireVisibleRequest(
  db: Executor,
  requestId: number,
  viewerId: number | null,
) {
  const request = await db
    .selectFrom("requests")
    .select(["id", "status", "visibility", "org_id as orgId"])
    .where("id", "=", requestId)
    .where(visibleToUserNow(viewerId))
    .executeTakeFirst();
  if (!request) throw new ActionRefused("request.error.notFound", 404);
  return request;
}

/**
 * Staff make a request public or organization only, in one transaction with its audit row
 * (`request.visibility`, before → after). A request without an organization can only be
 * public. Setting what it already is changes nothing and records nothing.
 */
export async function setVisibility({
  actor,
  requestId,
  visibility,
}: {
  actor: Actor;
  requestId: number;
  visibility: RequestVisibility;
}): Promise<{ changed: boolean }> {
  if (!REQUEST_VISIBILITIES.includes(visibility))
    throw new ActionRefused("request.error.visibilityInvalid", 400, "visibility");
  return inTransaction(async (trx) => {
    await requireStaff(trx, actor);
    const request = await trx
      .selectFrom("requests")
      .select(["visibility", "org_id"])
      .where("id", "=", requestId)
      .executeTakeFirst();
    if (!request) throw new ActionRefused("request.error.notFound", 404);
    if (request.visibility === visibility) return { changed: false };
    if (visibility === "organization" && request.org_id === null)
      throw new ActionRefused("visibility.error.noOrg", 409, "visibility");
    await trx
      .updateTable("requests")
      .set({ visibility, updated_at: now() })
      .where("id", "=", requestId)
      .execute();
    await recordAudit(trx, {
      actorId: actor.id,
      action: "request.visibility",
      subjectType: "request",
      subjectId: requestId,
      data: {
        before: { visibility: request.visibility },
        after: { visibility },
        orgId: request.org_id,
      },
    });
    return { changed: true };
  });
}
