// Delivers due outbox rows with retries and exponential backoff. Each row is claimed with a
// lease before sending and marked sent after, so two workers never send the same row at once.
// A row with a group key is claimed with every pending row of its group and leaves with them as
// one e-mail. A row with a topic is checked against its user's preference first: an opt-out
// after enqueueing cancels it. Between deliveries it also clears out rows that have expired
// (housekeeping), fans announcements out into the outbox and enqueues the weekly digests.
// Of all the processes running this loop, only the one holding its lease in the database works.
import crypto from "node:crypto";
import type { Kysely, Selectable } from "kysely";
import { getDb, now, skipLockedRows, type Database, type OutboxTable } from "~/db.server";
import { getEnv } from "~/env.server";
import { pruneExpiredRateLimits } from "~/models/rate-limits.server";
import { pruneExpiredSessions } from "~/models/sessions.server";
import { unsubscribeUrl } from "~/models/unsubscribe.server";
import { expireQuotes } from "~/models/quotes.server";
import { fanOutAnnouncements, prepareAnnouncement } from "./announcement-mail.server";
import { enqueueDigests } from "./digest.server";
import { redactPayload, renderGroup, type EmailPayload, type QueuedPayload } from "./emails.server";
import { sendEmail } from "./mail.server";
import { onOutboxWrite } from "./outbox.server";
import {
  OUTBOX_WORKER_LEASE,
  acquireLease,
  leaseHolderId,
  releaseLease,
} from "./worker-lease.server";

export const MAX_ATTEMPTS = 8;
export const HOUSEKEEPING_INTERVAL_MS = 10 * 60_000;

type OutboxRow = Selectable<OutboxTable>;
type Db = Kysely<Database>;

/** 30 s, 1 min, 2 min … capped at 1 hour. */
export function backoffMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
}

/**
 * Sends up to `limit` messages (a group counts as one), cancelling on the way those whose
 * recipient no longer wants them (they do not count against the limit).
 */
export async function deliverDueMessages({ limit = 20 } = {}): Promise<{
  sent: number;
  failed: number;
}> {
  const db = getDb();
  const base = getEnv().BASE_URL;
  let sent = 0;
  let failed = 0;
  // Cancellations are cheap but bounded too, so one tick cannot spin on a flood of them.
  for (let claims = 0; sent + failed < limit && claims < limit * 50; claims++) {
    const timestamp = now();
    const leaseUntil = new Date(Date.now() + getEnv().OUTBOX_LEASE_MS).toISOString();
    const claimed = await claimNextDue(db, timestamp, leaseUntil);
    if (!claimed) break;
    const { leaseId } = claimed;
    const rows = await honourPreferences(db, claimed.rows, leaseId);
    if (rows.length === 0) continue;
    const attempts = Math.max(...rows.map((r) => r.attempts)) + 1;
    const ids = rows.map((r) => r.id);
    try {
      const payloads: EmailPayload[] = [];
      for (const row of rows) payloads.push(await prepare(db, row));
      const first = rows[0];
      const unsubscribe =
        first.user_id !== null && first.topic !== null
          ? unsubscribeUrl(first.user_id, first.topic)
          : null;
      await sendEmail({
        to: first.recipient,
        // Stable per row (for a group, its first row's): a resend after a crash between the
        // server's acceptance and our bookkeeping carries the same id, so it can be recognised.
        messageId: `<outbox-${first.id}@${new URL(base).hostname}>`,
        ...renderGroup(payloads, { unsubscribeUrl: unsubscribe }),
        headers: unsubscribe
          ? {
              "List-Unsubscribe": `<${unsubscribe}>`,
              "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            }
          : undefined,
      });
      const sentAt = now();
      // Every row of the message at once: a crash cannot leave half a group unsent.
      await db.transaction().execute(async (trx) => {
        for (const row of rows) {
          await trx
            .updateTable("outbox")
            // Links in a sent message (an invitation's token) are not kept longer than needed.
            .set({
              sent_at: sentAt,
              attempts,
              locked_until: null,
              last_error: null,
              payload_json: redactPayload(JSON.parse(row.payload_json) as QueuedPayload),
            })
            .where("id", "=", row.id)
            .where("lease_id", "=", leaseId)
            .execute();
        }
      });
      sent++;
    } catch (error) {
      const gaveUp = attempts >= MAX_ATTEMPTS;
      await db
        .updateTable("outbox")
        .set({
          attempts,
          locked_until: null,
          lease_id: null,
          last_error: String(error instanceof Error ? error.message : error).slice(0, 1000),
          next_attempt_at: new Date(Date.now() + backoffMs(attempts)).toISOString(),
          failed_at: gaveUp ? now() : null,
        })
        .where("id", "in", ids)
        .where("lease_id", "=", leaseId)
        .execute();
      failed++;
    }
  }
  return { sent, failed };
}

/** A row's payload as the template needs it: references (announcements) loaded now. */
async function prepare(db: Db, row: OutboxRow): Promise<EmailPayload> {
  const payload = JSON.parse(row.payload_json) as QueuedPayload;
  if ("announcementId" in payload) {
    if (row.user_id === null) throw new Error("an announcement row names no user");
    return prepareAnnouncement(db, payload, row.user_id);
  }
  return payload;
}

/**
 * The rows whose recipient still wants them; the others are cancelled here (cancelled_at with
 * failed_at, last_error saying why), read again now rather than trusted from enqueueing.
 */
async function honourPreferences(db: Db, rows: OutboxRow[], leaseId: string): Promise<OutboxRow[]> {
  const userIds = [...new Set(rows.filter((r) => r.topic !== null).map((r) => r.user_id ?? -1))];
  if (userIds.length === 0) return rows;
  const users = new Map(
    (
      await db
        .selectFrom("users")
        .select(["id", "notify_status", "notify_news", "notify_digest"])
        .where("id", "in", userIds)
        .execute()
    ).map((u) => [u.id, u]),
  );
  const keep: OutboxRow[] = [];
  for (const row of rows) {
    const reason = refusal(row, row.user_id === null ? undefined : users.get(row.user_id));
    if (!reason) {
      keep.push(row);
      continue;
    }
    const at = now();
    await db
      .updateTable("outbox")
      .set({ cancelled_at: at, failed_at: at, locked_until: null, last_error: reason })
      .where("id", "=", row.id)
      .where("lease_id", "=", leaseId)
      .execute();
  }
  return keep;
}

/** Why a row with a topic must not be sent, or null when it may. */
function refusal(
  row: OutboxRow,
  user: { notify_status: number; notify_news: number; notify_digest: number } | undefined,
): string | null {
  if (row.topic === null) return null;
  if (!user) return "cancelled: the recipient's account is gone";
  const on = {
    status: user.notify_status === 1,
    news: user.notify_news === 1,
    digest: user.notify_digest === 1,
  };
  // An announcement to a follower is news about a request they follow: either preference
  // lets it through.
  const isAnnouncement =
    (JSON.parse(row.payload_json) as QueuedPayload).template === "announcement";
  if (isAnnouncement && row.topic === "status" && (on.status || on.news)) return null;
  if (on[row.topic]) return null;
  return `cancelled: the recipient turned off ${row.topic} e-mails`;
}

/**
 * Takes the lease on one outbox row: a conditional UPDATE that only succeeds while no one holds
 * an unexpired lease and the row is unsent, so of two workers claiming the same row at once
 * exactly one sees an affected row and owns it (PostgreSQL re-checks the condition on a row
 * another transaction changed meanwhile).
 */
export async function claimMessage(
  db: Db,
  id: number,
  {
    at,
    leaseUntil,
    leaseId = crypto.randomUUID(),
  }: { at: string; leaseUntil: string; leaseId?: string },
): Promise<boolean> {
  const result = await db
    .updateTable("outbox")
    .set({ locked_until: leaseUntil, lease_id: leaseId })
    .where("id", "=", id)
    .where("sent_at", "is", null)
    .where("failed_at", "is", null)
    .where((eb) => eb.or([eb("locked_until", "is", null), eb("locked_until", "<=", at)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Takes the lease on every pending row of a group, in one conditional UPDATE (the same
 * condition as claimMessage's, row by row), whether or not each is due yet: the rows that
 * waited for the burst leave with the first. Rows another worker holds stay theirs.
 */
async function claimGroup(
  db: Db,
  groupKey: string,
  { at, leaseUntil, leaseId }: { at: string; leaseUntil: string; leaseId: string },
): Promise<void> {
  await db
    .updateTable("outbox")
    .set({ locked_until: leaseUntil, lease_id: leaseId })
    .where("group_key", "=", groupKey)
    .where("sent_at", "is", null)
    .where("failed_at", "is", null)
    .where((eb) => eb.or([eb("locked_until", "is", null), eb("locked_until", "<=", at)]))
    .execute();
}

/**
 * The oldest due row this worker managed to claim, with the rest of its group, read back by
 * lease id; undefined when none is left.
 */
async function claimNextDue(
  db: Db,
  at: string,
  leaseUntil: string,
): Promise<{ leaseId: string; rows: OutboxRow[] } | undefined> {
  // A few candidates at a time, in a transaction: on PostgreSQL the read locks them and skips
  // the rows other workers' transactions hold (FOR UPDATE SKIP LOCKED), so workers do not
  // queue behind each other; on SQLite the transaction holds the write lock. The conditional
  // UPDATEs stay the guard either way: a lease another worker took since is not taken again.
  for (;;) {
    const claimed = await db.transaction().execute(async (trx) => {
      const due = await skipLockedRows(
        trx,
        trx
          .selectFrom("outbox")
          .selectAll()
          .where("sent_at", "is", null)
          .where("failed_at", "is", null)
          .where("next_attempt_at", "<=", at)
          .where((eb) => eb.or([eb("locked_until", "is", null), eb("locked_until", "<=", at)]))
          .orderBy("next_attempt_at")
          .orderBy("id")
          .limit(5),
      ).execute();
      if (due.length === 0) return "none" as const;
      for (const row of due) {
        const leaseId = crypto.randomUUID();
        if (row.group_key === null) {
          if (await claimMessage(trx, row.id, { at, leaseUntil, leaseId }))
            return { leaseId, rows: [{ ...row, lease_id: leaseId, locked_until: leaseUntil }] };
          continue;
        }
        await claimGroup(trx, row.group_key, { at, leaseUntil, leaseId });
        const rows = await trx
          .selectFrom("outbox")
          .selectAll()
          .where("lease_id", "=", leaseId)
          .where("sent_at", "is", null)
          .where("failed_at", "is", null)
          .orderBy("id")
          .execute();
        if (rows.length > 0) return { leaseId, rows };
      }
      return "again" as const;
    });
    if (claimed === "none") return undefined;
    if (claimed !== "again") return claimed;
  }
}

/** Deletes expired sessions and rate-limit windows; safe to run from several processes. */
export async function runHousekeeping(): Promise<{ sessions: number; rateLimits: number }> {
  return { sessions: await pruneExpiredSessions(), rateLimits: await pruneExpiredRateLimits() };
}

/** One round of the worker's duties, in the order a tick runs them. */
export async function runOutboxTick(): Promise<void> {
  // Quotes whose last day has ended expire here, so no cron is needed (reads already treat
  // them as expired); their pledgers' e-mails go out in this same tick.
  await expireQuotes();
  // Announcements become outbox rows a few short batches a tick, and digests fall due.
  await fanOutAnnouncements();
  await enqueueDigests();
  await deliverDueMessages();
}

/**
 * Polls the outbox in this process, and keeps house now and then; returns a stopper. Every app
 * process (and `npm run worker`) runs one, but only the holder of the database lease does the
 * work; the others only ask for the lease each poll, so one of them takes over within a lease
 * period when the holder dies. The claims on each message stay the guard against sending one
 * twice: two loops working at once (a holder whose lease ran out mid-tick) still never do.
 */
export function startOutboxWorker({
  pollMs = getEnv().OUTBOX_POLL_MS,
  leaseMs = getEnv().WORKER_LEASE_MS,
  holder = leaseHolderId(),
} = {}): () => Promise<void> {
  let stopped = false;
  let running = false;
  let holding = false;
  let timer: NodeJS.Timeout | undefined;
  let lastHousekeeping = 0;
  /** The latest lease write, awaited before the release so none lands after it. */
  let leaseWrite: Promise<boolean> = Promise.resolve(false);
  const holdLease = async () => {
    leaseWrite = acquireLease(getDb(), {
      name: OUTBOX_WORKER_LEASE,
      holder,
      at: new Date(),
      durationMs: leaseMs,
    });
    const held = await leaseWrite;
    if (held !== holding) {
      console.log(`outbox worker ${holder}: ${held ? "holds the lease" : "lost the lease"}`);
      holding = held;
    }
    return held;
  };
  const tick = async () => {
    if (stopped || running) return;
    running = true;
    // A tick can outlast a lease (a slow mail server): it is renewed on the poll's rhythm.
    let renewal: NodeJS.Timeout | undefined;
    try {
      if (!(await holdLease())) return;
      renewal = setInterval(() => {
        if (!stopped) holdLease().catch((error) => console.error("outbox worker lease:", error));
      }, pollMs);
      if (Date.now() - lastHousekeeping >= HOUSEKEEPING_INTERVAL_MS) {
        lastHousekeeping = Date.now();
        await runHousekeeping();
      }
      await runOutboxTick();
    } catch (error) {
      console.error("outbox worker:", error);
    } finally {
      clearInterval(renewal);
      running = false;
      if (!stopped) {
        clearTimeout(timer);
        timer = setTimeout(tick, pollMs);
      }
    }
  };
  const unsubscribe = onOutboxWrite(() => void tick());
  timer = setTimeout(tick, 50);
  return async () => {
    stopped = true;
    clearTimeout(timer);
    unsubscribe();
    // Another process takes over now rather than when the lease runs out.
    await leaseWrite.catch(() => false);
    await releaseLease(getDb(), { name: OUTBOX_WORKER_LEASE, holder });
  };
}
