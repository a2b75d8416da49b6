// Following a request (to hear about its changes): rows in follows, counted in follower_count.
import type { Kysely, Transaction } from "kysely";
import { now, type Database, inTransaction } from "~/db.server";
import type { Actor } from "./errors";
import { requireActiveRequest } from "./request-rules.server";
import { requireVisibleRequest } from "./request-visibility.server";

type Executor = Kysely<Database> | Transaction<Database>;

/** Inserts the follow if missing; true when it is new. The caller updates follower_count. */
export async function insertFollow(
  trx: Executor,
  requestId: number,
  userId: number,
  at: string,
): Promise<boolean> {
  const result = await trx
    .insertInto("follows")
    .values({ request_id: requestId, user_id: userId, created_at: at })
    .onConflict((oc) => oc.columns(["request_id", "user_id"]).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

/** Deletes the follow if there is one, and takes it out of follower_count. */
export async function deleteFollow(trx: Executor, requestId: number, userId: number) {
  const removed = await trx
    .deleteFrom("follows")
    .where("request_id", "=", requestId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  if (Number(removed.numDeletedRows) === 1) {
    await trx
      .updateTable("requests")
      .set((eb) => ({ follower_count: eb("follower_count", "-", 1) }))
      .where("id", "=", requestId)
      .execute();
  }
}

async function followerCount(trx: Executor, requestId: number): Promise<number> {
  const row = await trx
    .selectFrom("requests")
    .select("follower_count")
    .where("id", "=", requestId)
    .executeTakeFirstOrThrow();
  return row.follower_count;
}

export async function followRequest({ requestId, actor }: { requestId: number; actor: Actor }) {
  return inTransaction(async (trx) => {
    await requireActiveRequest(trx, requestId, actor.id);
    if (await insertFollow(trx, requestId, actor.id, now())) {
      await trx
        .updateTable("requests")
        .set((eb) => ({ follower_count: eb("follower_count", "+", 1) }))
        .where("id", "=", requestId)
        .execute();
    }
    return { following: true, followerCount: await followerCount(trx, requestId) };
  });
}

export async function unfollowRequest({ requestId, actor }: { requestId: number; actor: Actor }) {
  return inTransaction(async (trx) => {
    await requireVisibleRequest(trx, requestId, actor.id);
    await deleteFollow(trx, requestId, actor.id);
    return { following: false, followerCount: await followerCount(trx, requestId) };
  });
}
