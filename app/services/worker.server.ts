// Delivers due outbox rows with retries and exponential backoff. Each row is claimed with a
// lease before sending and marked sent after, so two workers never send the same row at once.
// Between deliveries it also clears out rows that have expired (housekeeping).
import { getDb, now } from "~/db.server";
import { getEnv } from "~/env.server";
import { pruneExpiredRateLimits } from "~/models/rate-limits.server";
import { pruneExpiredSessions } from "~/models/sessions.server";
import { renderEmail, type EmailPayload } from "./emails.server";
import { sendEmail } from "./mail.server";
import { onOutboxWrite } from "./outbox.server";

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
    const row = await db.transaction().execute(async (trx) => {
      const due = await trx
        .selectFrom("outbox")
        .selectAll()
        .where("sent_at", "is", null)
        .where("failed_at", "is", null)
        .where("next_attempt_at", "<=", timestamp)
        .where((eb) => eb.or([eb("locked_until", "is", null), eb("locked_until", "<=", timestamp)]))
        .orderBy("next_attempt_at")
        .orderBy("id")
        .limit(1)
        .executeTakeFirst();
      if (!due) return undefined;
      await trx
        .updateTable("outbox")
        .set({ locked_until: leaseUntil })
        .where("id", "=", due.id)
        .execute();
      return due;
    });
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

function redactPayload(payload: EmailPayload): string {
  // A withdrawal link (vote_recorded) works once and is not kept either.
  const withdrawal = "withdrawUrl" in payload ? { withdrawUrl: "(sent)" } : {};
  return JSON.stringify({ ...payload, url: "(sent)", ...withdrawal });
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
