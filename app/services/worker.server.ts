// Delivers due outbox rows with retries and exponential backoff. Each row is claimed with a
// lease before sending and marked sent after, so two workers never send the same row at once.
// Between deliveries it also clears out rows that have expired (housekeeping).
import type { Kysely } from "kysely";
import { getDb, now, type Database } from "~/db.server";
import { getEnv } from "~/env.server";
import { pruneExpiredRateLimits } from "~/models/rate-limits.server";
import { pruneExpiredSessions } from "~/models/sessions.server";
import { redactPayload, renderEmail, type EmailPayload } from "./emails.server";
import { sendEmail } from "./mail.server";
import { onOutboxWrite } from "./outbox.server";
import { expireQuotes } from "~/models/quotes.server";

export const MAX_ATTEMPTS = 8;
const LEASE_MS = 60_000;
export const HOUSEKEEPING_INTERVAL_MS = 10 * 60_000;

/** 30 s, 1 min, 2 min … capped at 1 hour. */
export function backoffMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
}

export async function deliverDueMessages({ limit = 20 } = {}): Promise<{
  sent: number;
  failed: number;
}> {
  const db = getDb();
  const base = getEnv().BASE_URL;
  let sent = 0;
  let failed = 0;
  for (let i = 0; i < limit; i++) {
    const timestamp = now();
    const leaseUntil = new Date(Date.now() + LEASE_MS).toISOString();
    const row = await claimNextDue(db, timestamp, leaseUntil);
    if (!row) break;
    try {
      const payload = JSON.parse(row.payload_json) as EmailPayload;
      await sendEmail({
        to: row.recipient,
        messageId: `<outbox-${row.id}@${new URL(base).hostname}>`,
        ...renderEmail(payload),
      });
      await db
        .updateTable("outbox")
        // Links in a sent message (an invitation's token) are not kept longer than needed.
        .set({
          sent_at: now(),
          attempts: row.attempts + 1,
          locked_until: null,
          last_error: null,
          payload_json: redactPayload(payload),
        })
        .where("id", "=", row.id)
        .execute();
      sent++;
    } catch (error) {
      const attempts = row.attempts + 1;
      const gaveUp = attempts >= MAX_ATTEMPTS;
      await db
        .updateTable("outbox")
        .set({
          attempts,
          locked_until: null,
          last_error: String(error instanceof Error ? error.message : error).slice(0, 1000),
          next_attempt_at: new Date(Date.now() + backoffMs(attempts)).toISOString(),
          failed_at: gaveUp ? now() : null,
        })
        .where("id", "=", row.id)
        .execute();
      failed++;
    }
  }
  return { sent, failed };
}

/**
 * Takes the lease on one outbox row: a conditional UPDATE that only succeeds while no one holds
 * an unexpired lease and the row is unsent, so of two workers claiming the same row at once
 * exactly one sees an affected row and owns it. (On PostgreSQL, `FOR UPDATE SKIP LOCKED` would
 * pick rows without even trying the taken ones.)
 */
export async function claimMessage(
  db: Kysely<Database>,
  id: number,
  { at, leaseUntil }: { at: string; leaseUntil: string },
): Promise<boolean> {
  const result = await db
    .updateTable("outbox")
    .set({ locked_until: leaseUntil })
    .where("id", "=", id)
    .where("sent_at", "is", null)
    .where("failed_at", "is", null)
    .where((eb) => eb.or([eb("locked_until", "is", null), eb("locked_until", "<=", at)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The oldest due row this worker managed to claim, or undefined when none is left. */
async function claimNextDue(db: Kysely<Database>, at: string, leaseUntil: string) {
  // A few candidates at a time: another worker may claim some of them between the read and ours.
  for (;;) {
    const due = await db
      .selectFrom("outbox")
      .selectAll()
      .where("sent_at", "is", null)
      .where("failed_at", "is", null)
      .where("next_attempt_at", "<=", at)
      .where((eb) => eb.or([eb("locked_until", "is", null), eb("locked_until", "<=", at)]))
      .orderBy("next_attempt_at")
      .orderBy("id")
      .limit(5)
      .execute();
    if (due.length === 0) return undefined;
    for (const row of due) {
      if (await claimMessage(db, row.id, { at, leaseUntil })) return row;
    }
  }
}

/** Deletes expired sessions and rate-limit windows; safe to run from several processes. */
export async function runHousekeeping(): Promise<{ sessions: number; rateLimits: number }> {
  return { sessions: await pruneExpiredSessions(), rateLimits: await pruneExpiredRateLimits() };
}

/** Polls the outbox in this process, and keeps house now and then; returns a stopper. */
export function startOutboxWorker({ pollMs = getEnv().OUTBOX_POLL_MS } = {}): () => void {
  let stopped = false;
  let running = false;
  let timer: NodeJS.Timeout | undefined;
  let lastHousekeeping = 0;
  const tick = async () => {
    if (stopped || running) return;
    running = true;
    try {
      if (Date.now() - lastHousekeeping >= HOUSEKEEPING_INTERVAL_MS) {
        lastHousekeeping = Date.now();
        await runHousekeeping();
      }
      // Quotes whose last day has ended expire here, so no cron is needed (reads already treat
      // them as expired); their pledgers' e-mails go out in this same tick.
      await expireQuotes();
      await deliverDueMessages();
    } catch (error) {
      console.error("outbox worker:", error);
    } finally {
      running = false;
      if (!stopped) {
        clearTimeout(timer);
        timer = setTimeout(tick, pollMs);
      }
    }
  };
  const unsubscribe = onOutboxWrite(() => void tick());
  timer = setTimeout(tick, 50);
  return () => {
    stopped = true;
    clearTimeout(timer);
    unsubscribe();
  };
}
