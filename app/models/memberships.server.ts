// Every write of a membership row goes through here, so organizations.member_count moves with
// it in the caller's transaction. Deleting a user by ON DELETE CASCADE would bypass it: delete
// their memberships here first (account deletion does).
import type { Kysely, Transaction } from "kysely";
import { now, type Database, type Role } from "~/db.server";

type Executor = Kysely<Database> | Transaction<Database>;

async function adjustMemberCount(trx: Executor, orgId: number, delta: number) {
  if (delta === 0) return;
  await trx
    .updateTable("organizations")
    .set((eb) => ({ member_count: eb("member_count", "+", delta) }))
    .where("id", "=", orgId)
    .execute();
}

/** Adds the user to the organization; false (and nothing changed) when they already belong. */
export async function addMembership(
  trx: Executor,
  {
    orgId,
    userId,
    role,
    createdAt = now(),
  }: { orgId: number; userId: number; role: Role; createdAt?: string },
): Promise<boolean> {
  const result = await trx
    .insertInto("memberships")
    .values({ org_id: orgId, user_id: userId, role, created_at: createdAt })
    .onConflict((oc) => oc.columns(["org_id", "user_id"]).doNothing())
    .executeTakeFirst();
  const added = Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
  if (added) await adjustMemberCount(trx, orgId, 1);
  return added;
}

/** Removes the user from the organization; false when they did not belong to it. */
export async function removeMembership(
  trx: Executor,
  { orgId, userId }: { orgId: number; userId: number },
): Promise<boolean> {
  const result = await trx
    .deleteFrom("memberships")
    .where("org_id", "=", orgId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  const removed = Number(result.numDeletedRows) === 1;
  if (removed) await adjustMemberCount(trx, orgId, -1);
  return removed;
}

/** Removes the user from every organization they belong to; returns what they were. */
export async function removeAllMembershipsOf(
  trx: Executor,
  userId: number,
): Promise<{ orgId: number; role: Role }[]> {
  const memberships = await trx
    .selectFrom("memberships")
    .select(["org_id as orgId", "role"])
    .where("user_id", "=", userId)
    .orderBy("org_id")
    .execute();
  for (const { orgId } of memberships) await removeMembership(trx, { orgId, userId });
  return memberships;
}
