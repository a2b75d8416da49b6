// Who may do what, in one place. The predicates answer from what the session knows (to decide
// what a page shows); the `require…` checks run inside the model's transaction, against the
// rows as they are now, and refuse with ActionRefused (a catalog key and a status).
import type { Kysely, Transaction } from "kysely";
import type { Database, Role } from "~/db.server";
import type { MessageKey } from "~/i18n/messages";
import { ActionRefused, type Actor } from "~/models/errors";

type Executor = Kysely<Database> | Transaction<Database>;

/** What the session says about a user: enough to decide what a page offers. */
type Subject = Pick<Actor, "isStaff" | "staffRole"> | null | undefined;
type MemberOf = { memberships: readonly { orgId: number; role: Role }[] } | null | undefined;

export function isStaff(user: Subject): boolean {
  return user?.isStaff === true;
}

export function isStaffAdmin(user: Subject): boolean {
  return user?.isStaff === true && user.staffRole === "admin";
}

/** A customer of the organization (any role): may vote, comment and propose for it. */
export function canParticipate(user: MemberOf, orgId: number | null | undefined): boolean {
  return orgId != null && (user?.memberships.some((m) => m.orgId === orgId) ?? false);
}

export function isOrgAdmin(user: MemberOf, orgId: number | null | undefined): boolean {
  return (
    orgId != null &&
    (user?.memberships.some((m) => m.orgId === orgId && m.role === "admin") ?? false)
  );
}

/** The user's membership (its role) of the organization as the rows say now, or undefined. */
export async function findMembership(
  db: Executor,
  userId: number,
  orgId: number | null | undefined,
): Promise<{ role: Role } | undefined> {
  if (orgId == null) return undefined;
  return db
    .selectFrom("memberships")
    .select("role")
    .where("org_id", "=", orgId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
}

/**
 * The actor's membership of the organization, read in the caller's transaction; refuses with
 * `refusal` (403) when there is none, or not the role asked for.
 */
export async function requireMembership(
  trx: Executor,
  actor: Actor,
  orgId: number | null | undefined,
  { role, refusal = "org.error.notYourOrg" }: { role?: Role; refusal?: MessageKey } = {},
): Promise<{ orgId: number; role: Role }> {
  const membership = await findMembership(trx, actor.id, orgId);
  if (!membership || (role === "admin" && membership.role !== "admin")) {
    throw new ActionRefused(refusal, 403);
  }
  return { orgId: orgId!, role: membership.role };
}

/**
 * The actor is staff (a staff admin when `admin`), as their row says now: a revoked staff
 * member is refused at once. Refuses a customer with 404, as if the staff action did not
 * exist, and a staff member who is not an admin with 403.
 */
export async function requireStaff(
  trx: Executor,
  actor: Actor,
  { admin = false }: { admin?: boolean } = {},
): Promise<void> {
  const row = await trx
    .selectFrom("users")
    .select(["is_staff", "staff_role"])
    .where("id", "=", actor.id)
    .executeTakeFirst();
  if (!row || row.is_staff !== 1) throw new ActionRefused("error.404.title", 404);
  if (admin && row.staff_role !== "admin") throw new ActionRefused("staff.error.adminOnly", 403);
}
