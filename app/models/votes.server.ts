// Votes: one per user per request, toggled. Every vote keeps, in the same transaction, the
// request's vote_count, org_count (through request_org_votes: voters per organization),
// recent_vote_count (through request_vote_days: votes per day in the trending window) and
// follower_count (voting follows) exact.
import type { Kysely, Transaction } from "kysely";
import {
  now,
  type Database,
  type DemandSource,
  getDb,
  inTransaction,
  StaleRead,
  builtOnce,
  rowVersion,
  snapshotRowVersion,
  withRetries,
  writesInOneStatement,
} from "~/db.server";
import { recordAudit } from "./audit.server";
import { refuseUnverified } from "./email-verification.server";
import type { Actor } from "./errors";
import { insertFollow } from "./follows.server";
import {
  activeRequestFrom,
  activeRequestQuery,
  participatingOrgId,
  requireActiveRequest,
} from "./request-rules.server";

export type VoteCounts = { voteCount: number; orgCount: number };

/** The UTC day of an ISO timestamp: the request_vote_days bucket a vote falls in. */
export function voteDay(timestamp: string): string {
  return timestamp.slice(0, 10);
}

/**
 * Writes a new vote and everything it counts for. The caller has checked the user has no vote
 * on the request yet; when one has come since its read (PostgreSQL: see StaleRead), the
 * transaction runs again.
 */
export async function castVote(
  trx: Transaction<Database>,
  {
    requestId,
    userId,
    orgId,
    at,
    recordedBy = null,
    source = null,
    customerQuote = null,
    requestChecked = false,
    following = false,
  }: {
    requestId: number;
    userId: number;
    orgId: number | null;
    at: string;
    /** Staff recording the vote for a customer (app/models/staff-requests.server.ts): who, */
    recordedBy?: number | null;
    /** how they heard it, */
    source?: DemandSource | null;
    /** and what the customer said. */
    customerQuote?: string | null;
    /** The caller ran requireActiveRequest for this voter in this transaction already, */
    requestChecked?: boolean;
    /** and it said the voter follows the request (no follow to write). */
    following?: boolean;
  },
): Promise<VoteCounts> {
  // The voter must be able to see it: staff recording a vote for a customer included.
  if (!requestChecked) await requireActiveRequest(trx, requestId, userId);
  const vote = {
    request_id: requestId,
    user_id: userId,
    org_id: orgId,
    created_at: at,
    recorded_by: recordedBy,
    source,
    customer_quote: customerQuote,
  };
  const inserted = await trx
    .insertInto("votes")
    .values(vote)
    .onConflict((oc) => oc.columns(["request_id", "user_id"]).doNothing())
    .returning("user_id")
    .executeTakeFirst();
  if (!inserted) throw new StaleRead(`a vote of user ${userId} on request ${requestId}`);
  let newOrg = false;
  if (orgId !== null) {
    const orgVotes = await trx
      .insertInto("request_org_votes")
      .values({ request_id: requestId, org_id: orgId, votes: 1 })
      .onConflict((oc) =>
        oc
          .columns(["request_id", "org_id"])
          .doUpdateSet((eb) => ({ votes: eb("request_org_votes.votes", "+", 1) })),
      )
      .returning("votes")
      .executeTakeFirstOrThrow();
    newOrg = orgVotes.votes === 1;
  }
  await trx
    .insertInto("request_vote_days")
    .values({ request_id: requestId, day: voteDay(at), votes: 1 })
    .onConflict((oc) =>
      oc
        .columns(["request_id", "day"])
        .doUpdateSet((eb) => ({ votes: eb("request_vote_days.votes", "+", 1) })),
    )
    .execute();
  const newFollower = !following && (await insertFollow(trx, requestId, userId, at));
  // Only the counters that change are set: SQLite rewrites the index entries of every column
  // named in SET, and those writes are most of what a vote costs.
  return trx
    .updateTable("requests")
    .set((eb) => ({
      vote_count: eb("vote_count", "+", 1),
      recent_vote_count: eb("recent_vote_count", "+", 1),
      ...(newOrg ? { org_count: eb("org_count", "+", 1) } : {}),
      ...(newFollower ? { follower_count: eb("follower_count", "+", 1) } : {}),
    }))
    .where("id", "=", requestId)
    .returning(["vote_count as voteCount", "org_count as orgCount"])
    .executeTakeFirstOrThrow();
}

/** Deletes the user's vote, if any, and takes it out of every counter; null when there was none. */
export async function withdrawVote(
  trx: Transaction<Database>,
  { requestId, userId }: { requestId: number; userId: number },
): Promise<VoteCounts | null> {
  const removed = await trx
    .deleteFrom("votes")
    .where("request_id", "=", requestId)
    .where("user_id", "=", userId)
    .returning(["org_id", "created_at"])
    .executeTakeFirst();
  if (!removed) return null;

  let orgGone = false;
  if (removed.org_id !== null) {
    const orgVotes = await trx
      .updateTable("request_org_votes")
      .set((eb) => ({ votes: eb("votes", "-", 1) }))
      .where("request_id", "=", requestId)
      .where("org_id", "=", removed.org_id)
      .returning("votes")
      .executeTakeFirstOrThrow();
    if (orgVotes.votes === 0) {
      orgGone = true;
      await trx
        .deleteFrom("request_org_votes")
        .where("request_id", "=", requestId)
        .where("org_id", "=", removed.org_id)
        .execute();
    }
  }
  // A bucket exists only while its day is inside the trending window (see rollTrendingWindow).
  const bucket = await trx
    .updateTable("request_vote_days")
    .set((eb) => ({ votes: eb("votes", "-", 1) }))
    .where("request_id", "=", requestId)
    .where("day", "=", voteDay(removed.created_at))
    .where("votes", ">", 0)
    .executeTakeFirst();
  const inWindow = Number(bucket.numUpdatedRows) === 1;

  return trx
    .updateTable("requests")
    .set((eb) => ({
      vote_count: eb("vote_count", "-", 1),
      ...(inWindow ? { recent_vote_count: eb("recent_vote_count", "-", 1) } : {}),
      ...(orgGone ? { org_count: eb("org_count", "-", 1) } : {}),
    }))
    .where("id", "=", requestId)
    .returning(["vote_count as voteCount", "org_count as orgCount"])
    .executeTakeFirstOrThrow();
}

/**
 * Votes for the request, or withdraws the vote when the user already has one. A customer's
 * vote counts for `orgId`, their current organization (they may belong to several); staff
 * votes count for no organization. Voting also follows; withdrawing does not unfollow.
 */
export async function toggleVote({
  requestId,
  actor,
  orgId,
}: {
  requestId: number;
  actor: Actor;
  orgId?: number | null;
}): Promise<VoteCounts & { voted: boolean }> {
  // A customer's vote is one statement where the database has one for several writes. Staff
  // votes are audited, and go through the transaction below.
  const db = getDb();
  if (!actor.isStaff && writesInOneStatement(db)) {
    const done = await withRetries(() => toggleVoteInOneStatement(db, { requestId, actor, orgId }));
    if (done) return done;
  }
  return inTransaction(async (trx) => {
    // Before anything else, so a withdrawal can't tell that a hidden request exists either. A
    // merged request has no votes left to withdraw (they moved), so refusing it first changes
    // nothing. It also tells whether there is a vote to withdraw, and what casting one needs.
    const request = await requireActiveRequest(trx, requestId, actor.id, orgId ?? null);
    // A vote withdrawn meanwhile (PostgreSQL: see ActiveRequest.voted) leaves nothing to
    // delete, and the toggle casts one instead.
    const withdrawn = request.voted
      ? await withdrawVote(trx, { requestId, userId: actor.id })
      : null;
    let result: VoteCounts & { voted: boolean };
    if (withdrawn) {
      result = { voted: false, ...withdrawn };
    } else {
      refuseUnverified(request.emailVerified);
      result = {
        voted: true,
        ...(await castVote(trx, {
          requestId,
          userId: actor.id,
          orgId: participatingOrgId(actor, orgId, request),
          at: now(),
          requestChecked: true,
          following: request.following,
        })),
      };
    }
    if (actor.isStaff) {
      await recordAudit(trx, {
        actorId: actor.id,
        action: result.voted ? "request.voted" : "request.vote_withdrawn",
        subjectType: "request",
        subjectId: requestId,
      });
    }
    return result;
  });
}

/**
 * toggleVoteInOneStatement's statement (PostgreSQL's data-modifying WITH), built once (see
 * builtOnce). `ctx` is requireActiveRequest's read, locking the request's row. Then, only when
 * it allows them, either the withdrawal's parts (the vote deleted; its organization's row
 * deleted when this was its last vote and counted down otherwise, two parts that each take the
 * rows the other leaves, since one statement cannot write a row twice; its day counted down)
 * or the vote's (the vote inserted; its organization's and day's counts raised; the follow);
 * then the request's counters, which count what those parts returned. All parts share one
 * snapshot, and none reads a row another writes.
 */
const toggleStatement = builtOnce(
  (db, v: { requestId: number; userId: number; orgId: number | null; at: string; day: string }) =>
    db
      .with("ctx", (qc) =>
        activeRequestQuery(qc, v.requestId, v.userId, v.orgId)
          .select([
            // The version of the row locked (the newest, after any wait for the lock), and of
            // the row in this statement's snapshot: when they differ, every part below reads out
            // of date, and none of them writes.
            rowVersion().as("lockedVersion"),
            snapshotRowVersion(v.requestId).as("seenVersion"),
          ])
          .forUpdate(),
      )
      .with("removed", (qc) =>
        qc
          .deleteFrom("votes")
          .where("request_id", "=", v.requestId)
          .where("user_id", "=", v.userId)
          .where((eb) =>
            eb.exists(
              eb
                .selectFrom("ctx")
                .select("ctx.status")
                .where("ctx.voted", "=", true)
                .where("ctx.status", "<>", "merged")
                .whereRef("ctx.lockedVersion", "=", "ctx.seenVersion"),
            ),
          )
          .returning(["org_id", "created_at"]),
      )
      .with("org_gone", (qc) =>
        qc
          .deleteFrom("request_org_votes")
          .using("removed")
          .where("request_org_votes.request_id", "=", v.requestId)
          .whereRef("request_org_votes.org_id", "=", "removed.org_id")
          .where("request_org_votes.votes", "=", 1)
          .returning("request_org_votes.org_id"),
      )
      .with("org_less", (qc) =>
        qc
          .updateTable("request_org_votes")
          .from("removed")
          .set((eb) => ({ votes: eb("request_org_votes.votes", "-", 1) }))
          .where("request_org_votes.request_id", "=", v.requestId)
          .whereRef("request_org_votes.org_id", "=", "removed.org_id")
          .where("request_org_votes.votes", ">", 1)
          .returning("request_org_votes.org_id"),
      )
      .with("day_less", (qc) =>
        qc
          .updateTable("request_vote_days")
          .from("removed")
          .set((eb) => ({ votes: eb("request_vote_days.votes", "-", 1) }))
          .where("request_vote_days.request_id", "=", v.requestId)
          .where((eb) =>
            eb(
              "request_vote_days.day",
              "=",
              eb.fn<string>("substr", ["removed.created_at", eb.lit(1), eb.lit(10)]),
            ),
          )
          .where("request_vote_days.votes", ">", 0)
          .returning("request_vote_days.day"),
      )
      .with("cast", (qc) =>
        qc
          .insertInto("votes")
          .columns(["request_id", "user_id", "org_id", "created_at"])
          .expression(
            qc
              .selectFrom("ctx")
              .select((eb) => [
                eb.cast<number>(eb.val(v.requestId), "integer").as("request_id"),
                eb.cast<number>(eb.val(v.userId), "integer").as("user_id"),
                eb.cast<number | null>(eb.val(v.orgId), "integer").as("org_id"),
                eb.val(v.at).as("created_at"),
              ])
              .where("ctx.voted", "=", false)
              .where("ctx.status", "<>", "merged")
              .where("ctx.emailVerifiedAt", "is not", null)
              .where("ctx.memberOfOrg", "=", true)
              .whereRef("ctx.lockedVersion", "=", "ctx.seenVersion"),
          )
          .onConflict((oc) => oc.columns(["request_id", "user_id"]).doNothing())
          .returning(["request_id", "user_id", "org_id", "created_at"]),
      )
      .with("org_votes", (qc) =>
        qc
          .insertInto("request_org_votes")
          .columns(["request_id", "org_id", "votes"])
          .expression(
            qc.selectFrom("cast").select((eb) => ["request_id", "org_id", eb.lit(1).as("votes")]),
          )
          .onConflict((oc) =>
            oc
              .columns(["request_id", "org_id"])
              .doUpdateSet((eb) => ({ votes: eb("request_org_votes.votes", "+", 1) })),
          )
          .returning("votes"),
      )
      .with("vote_days", (qc) =>
        qc
          .insertInto("request_vote_days")
          .columns(["request_id", "day", "votes"])
          .expression(
            qc
              .selectFrom("cast")
              .select((eb) => ["request_id", eb.val(v.day).as("day"), eb.lit(1).as("votes")]),
          )
          .onConflict((oc) =>
            oc
              .columns(["request_id", "day"])
              .doUpdateSet((eb) => ({ votes: eb("request_vote_days.votes", "+", 1) })),
          )
          .returning("votes"),
      )
      .with("follow", (qc) =>
        qc
          .insertInto("follows")
          .columns(["request_id", "user_id", "created_at"])
          .expression(
            qc
              .selectFrom("cast")
              .select(["cast.request_id", "cast.user_id", "cast.created_at"])
              .where((eb) =>
                eb.not(
                  eb.exists(
                    eb.selectFrom("ctx").select("ctx.status").where("ctx.following", "=", true),
                  ),
                ),
              ),
          )
          .onConflict((oc) => oc.columns(["request_id", "user_id"]).doNothing())
          .returning("user_id"),
      )
      .with("counted", (qc) =>
        qc
          .updateTable("requests")
          .set((eb) => {
            const count = (table: "cast" | "removed" | "day_less" | "org_gone" | "follow") =>
              eb.selectFrom(table).select(eb.fn.countAll<number>().as("n"));
            return {
              vote_count: eb(eb("vote_count", "+", count("cast")), "-", count("removed")),
              recent_vote_count: eb(
                eb("recent_vote_count", "+", count("cast")),
                "-",
                count("day_less"),
              ),
              org_count: eb(
                eb(
                  "org_count",
                  "+",
                  eb
                    .selectFrom("org_votes")
                    .select(eb.fn.countAll<number>().as("n"))
                    .where("org_votes.votes", "=", 1),
                ),
                "-",
                count("org_gone"),
              ),
              follower_count: eb("follower_count", "+", count("follow")),
            };
          })
          .where("id", "=", v.requestId)
          .where((eb) =>
            eb.or([
              eb.exists(eb.selectFrom("cast").select("cast.user_id")),
              eb.exists(eb.selectFrom("removed").select("removed.created_at")),
            ]),
          )
          .returning(["vote_count", "org_count"]),
      )
      .selectFrom("ctx")
      .leftJoin("counted", (join) => join.onTrue())
      .select((eb) => [
        "ctx.status",
        "ctx.emailVerifiedAt",
        "ctx.memberOfOrg",
        "ctx.voted",
        "ctx.following",
        "ctx.lockedVersion",
        "ctx.seenVersion",
        "counted.vote_count",
        "counted.org_count",
        eb.exists(eb.selectFrom("cast").select("cast.user_id")).as("cast"),
      ]),
);

/**
 * toggleVote for a customer as one statement, a transaction of its own (PostgreSQL): a round
 * trip to the database instead of five (begin, the read, the writes, commit). What was refused
 * is told from the statement's read afterwards, in the transaction's order of refusals. A
 * read out of date (a vote of the user's that came or went since the statement's snapshot)
 * shows as nothing written, and the statement runs again. That snapshot is taken before the
 * statement waits for the lock: when another write to the request committed meanwhile, nothing
 * is written and this returns null, for the transaction (whose statements read after the
 * lock) to do the vote. Every write to a request's votes, follows and counters changes its
 * row, so its version tells.
 */
async function toggleVoteInOneStatement(
  db: Kysely<Database>,
  { requestId, actor, orgId }: { requestId: number; actor: Actor; orgId?: number | null },
): Promise<(VoteCounts & { voted: boolean }) | null> {
  const userId = actor.id;
  const at = now();
  const [row] = await toggleStatement(db, {
    requestId,
    userId,
    orgId: orgId ?? null,
    at,
    day: voteDay(at),
  });
  const request = activeRequestFrom(row);
  if (row!.lockedVersion !== row!.seenVersion) return null;
  if (row!.vote_count != null && row!.org_count != null)
    return { voted: Boolean(row!.cast), voteCount: row!.vote_count, orgCount: row!.org_count };
  // Nothing written. A withdrawal that found no vote: it went meanwhile.
  if (request.voted) throw new StaleRead(`a vote of user ${userId} on request ${requestId}`);
  refuseUnverified(request.emailVerified);
  participatingOrgId(actor, orgId, request);
  // Allowed, and yet not written: a vote of theirs came meanwhile.
  throw new StaleRead(`a vote of user ${userId} on request ${requestId}`);
}

/** Trending counts the votes of the last TRENDING_DAYS UTC days, today included. */
export const TRENDING_DAYS = 14;

/** The first day inside the trending window at `at`. */
export function trendingWindowStart(at: Date): string {
  return voteDay(new Date(at.getTime() - (TRENDING_DAYS - 1) * 86_400_000).toISOString());
}

let windowStartRolledTo: string | undefined;

/**
 * Moves the trending window to `at`: the day buckets that fell out of it are subtracted from
 * recent_vote_count and deleted, in one transaction, so recent_vote_count stays the sum of a
 * request's remaining buckets. Runs at most once per day per process; cheap when nothing expired.
 */
export async function rollTrendingWindow(at = new Date()): Promise<void> {
  const start = trendingWindowStart(at);
  if (windowStartRolledTo === start) return;
  await inTransaction(async (trx) => {
    await trx
      .updateTable("requests")
      .from(
        trx
          .selectFrom("request_vote_days")
          .select((eb) => ["request_id", eb.fn.sum<number>("votes").as("votes")])
          .where("day", "<", start)
          .groupBy("request_id")
          .as("expired"),
      )
      .set((eb) => ({ recent_vote_count: eb("recent_vote_count", "-", eb.ref("expired.votes")) }))
      .whereRef("requests.id", "=", "expired.request_id")
      .execute();
    await trx.deleteFrom("request_vote_days").where("day", "<", start).execute();
  });
  windowStartRolledTo = start;
}

/**
 * Rebuilds a request's per-organization and per-day vote rows from its votes, and sets every
 * counter from the rows: what castVote and withdrawVote keep one vote at a time, for when many
 * rows moved at once (a merge) or their times were rewritten (the demo seed).
 */
export async function recountRequestCounters(
  trx: Transaction<Database>,
  requestId: number,
): Promise<void> {
  await trx.deleteFrom("request_org_votes").where("request_id", "=", requestId).execute();
  await trx
    .insertInto("request_org_votes")
    .columns(["request_id", "org_id", "votes"])
    .expression((eb) =>
      eb
        .selectFrom("votes")
        .select((s) => [
          s.val(requestId).as("request_id"),
          "org_id",
          s.fn.countAll<number>().as("votes"),
        ])
        .where("request_id", "=", requestId)
        .where("org_id", "is not", null)
        .groupBy("org_id"),
    )
    .execute();

  // Day buckets exist only inside the trending window (see rollTrendingWindow).
  const windowStart = trendingWindowStart(new Date());
  await trx.deleteFrom("request_vote_days").where("request_id", "=", requestId).execute();
  const days = await trx
    .selectFrom("votes")
    .select("created_at")
    .where("request_id", "=", requestId)
    .where("created_at", ">=", windowStart)
    .execute();
  const perDay = new Map<string, number>();
  for (const vote of days) {
    const day = voteDay(vote.created_at);
    perDay.set(day, (perDay.get(day) ?? 0) + 1);
  }
  if (perDay.size > 0) {
    await trx
      .insertInto("request_vote_days")
      .values([...perDay].map(([day, votes]) => ({ request_id: requestId, day, votes })))
      .execute();
  }

  await trx
    .updateTable("requests")
    .set((eb) => ({
      vote_count: eb
        .selectFrom("votes")
        .select(eb.fn.countAll<number>().as("n"))
        .where("votes.request_id", "=", requestId),
      org_count: eb
        .selectFrom("request_org_votes")
        .select(eb.fn.countAll<number>().as("n"))
        .where("request_org_votes.request_id", "=", requestId),
      recent_vote_count: [...perDay.values()].reduce((sum, n) => sum + n, 0),
      follower_count: eb
        .selectFrom("follows")
        .select(eb.fn.countAll<number>().as("n"))
        .where("follows.request_id", "=", requestId),
      comment_count: eb
        .selectFrom("comments")
        .select(eb.fn.countAll<number>().as("n"))
        .where("comments.request_id", "=", requestId)
        .where("comments.is_internal", "=", 0)
        .where("comments.deleted_at", "is", null),
    }))
    .where("id", "=", requestId)
    .execute();
}
