// "Delete my account": the user row goes, with their votes, follows, memberships and sessions.
// What they wrote stays for the others who voted and replied: their requests and comments are
// shown as by "a former member".
import type { Kysely, Transaction } from "kysely";
import { getDb, type Database } from "~/db.server";
import { recordAudit } from "./audit.server";
import { ActionRefused, type Actor } from "./errors";
import { deleteFollow } from "./follows.server";
import { verifyPassword } from "./passwords.server";
import { removeAllMembershipsOf } from "./memberships.server";
import { endSessionsOfUser } from "./sessions.server";
import { withdrawVote } from "./votes.server";

type Executor = Kysely<Database> | Transaction<Database>;

/**
 * The organizations that would be left with members but no admin: the user must make someone
 * else admin (or leave them alone in it) first. An organization where they are the only member
 * stays, without members.
 */
export async function listDeletionBlockers(userId: number, db: Executor = getDb()) {
  return db
    .selectFrom("memberships as mine")
    .innerJoin("organizations", "organizations.id", "mine.org_id")
    .select([
      "organizations.id as orgId",
      "organizations.name as name",
      "organizations.slug as slug",
    ])
    .where("mine.user_id", "=", userId)
    .where("mine.role", "=", "admin")
    .where((eb) =>
      eb.and([
        eb(
          eb
            .selectFrom("memberships")
            .select((s) => s.fn.countAll<number>().as("n"))
            .whereRef("memberships.org_id", "=", "mine.org_id")
            .where("memberships.role", "=", "admin"),
          "=",
          1,
        ),
        eb(
          eb
            .selectFrom("memberships")
            .select((s) => s.fn.countAll<number>().as("n"))
            .whereRef("memberships.org_id", "=", "mine.org_id"),
          ">",
          1,
        ),
      ]),
    )
    .orderBy("organizations.name")
    .execute();
}

/**
 * Deletes the actor's account after checking their password, in one transaction. Votes are
 * withdrawn one by one through the same code as the vote button, so every counter stays exact;
 * the columns that point at the user without ON DELETE are cleared before the row goes.
 */
export async function deleteAccount({ actor, password }: { actor: Actor; password: string }) {
  const db = getDb();
  const account = await db
    .selectFrom("users")
    .select("password_hash")
    .where("id", "=", actor.id)
    .executeTakeFirst();
  if (!account) throw new Error(`no user ${actor.id}`);
  if (!(await verifyPassword(account.password_hash, password)))
    throw new ActionRefused("error.wrongPassword", 400, "password");

  await db.transaction().execute(async (trx) => {
    if ((await listDeletionBlockers(actor.id, trx)).length > 0)
      throw new ActionRefused("accountDelete.error.lastAdmin", 409);

    const votes = await trx
      .selectFrom("votes")
      .select("request_id")
      .where("user_id", "=", actor.id)
      .execute();
    for (const vote of votes)
      await withdrawVote(trx, { requestId: vote.request_id, userId: actor.id });
    const follows = await trx
      .selectFrom("follows")
      .select("request_id")
      .where("user_id", "=", actor.id)
      .execute();
    for (const follow of follows) await deleteFollow(trx, follow.request_id, actor.id);

    await trx
      .updateTable("votes")
      .set({ recorded_by: null })
      .where("recorded_by", "=", actor.id)
      .execute();
    const requests = await trx
      .updateTable("requests")
      .set({ author_id: null })
      .where("author_id", "=", actor.id)
      .executeTakeFirst();
    const comments = await trx
      .updateTable("comments")
      .set({ author_id: null })
      .where("author_id", "=", actor.id)
      .executeTakeFirst();
    await trx
      .updateTable("status_events")
      .set({ actor_id: null })
      .where("actor_id", "=", actor.id)
      .execute();
    // Memberships, sessions, tokens, follows and votes also cascade; deleting them here keeps
    // the transaction independent of ON DELETE clauses a later table might lack, and the
    // organizations' member counts exact (a cascade would not move them).
    const memberships = await removeAllMembershipsOf(trx, actor.id);
    await endSessionsOfUser(trx, actor.id);
    await trx.deleteFrom("user_tokens").where("user_id", "=", actor.id).execute();
    await recordAudit(trx, {
      actorId: null,
      action: "account.delete",
      subjectType: "user",
      subjectId: actor.id,
      // No e-mail address or name: the account is gone, and so is what identified its owner.
      data: {
        votesWithdrawn: votes.length,
        requestsKept: Number(requests.numUpdatedRows),
        commentsKept: Number(comments.numUpdatedRows),
        before: { memberships, votes: votes.length, follows: follows.length },
        after: null,
      },
    });
    await trx.deleteFrom("users").where("id", "=", actor.id).execute();
  });
}
