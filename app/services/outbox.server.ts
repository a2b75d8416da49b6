// Messages that leave the process are written here, in the transaction of the change that
// causes them, and delivered later by the worker (app/services/worker.server.ts).
import type { Kysely, Transaction } from "kysely";
import { inTransaction, now, type Database, type NotificationTopic } from "~/db.server";
import { getEnv } from "~/env.server";
import type { QueuedPayload } from "./emails.server";

type Writer = Kysely<Database> | Transaction<Database>;

const listeners = new Set<() => void>();

/** Lets the in-process worker deliver soon after a commit instead of at its next poll. */
export function onOutboxWrite(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function nudgeOutbox() {
  for (const listener of listeners) listener();
}

/**
 * Whom a message is for and under which preference. A message with a topic is checked against
 * the user's notify_<topic> when it is sent, not only now, so an opt-out after enqueueing still
 * stops it; one without (an invitation, a password reset) is transactional and always goes.
 */
export type Addressing = {
  userId?: number | null;
  topic?: NotificationTopic | null;
  /** Rows with one key leave as one e-mail (see groupedStatus). */
  groupKey?: string | null;
  /** Not before this many milliseconds from now (a group's wait for the rest of its burst). */
  delayMs?: number;
};

export type QueuedEmail = { recipient: string; payload: QueuedPayload } & Addressing;

/** Runs one user action in a transaction, then wakes the in-process worker for its e-mails. */
export async function inTransactionThenNudge<T>(
  work: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  const result = await inTransaction(work);
  nudgeOutbox();
  return result;
}

/** A follower's status update: waits NOTIFY_GROUP_MS, so a burst of changes is one e-mail. */
export function groupedStatus(userId: number): Addressing {
  return {
    userId,
    topic: "status",
    groupKey: `updates:${userId}`,
    delayMs: getEnv().NOTIFY_GROUP_MS,
  };
}

function rowOf(message: QueuedEmail, timestamp: string, nowMs: number) {
  return {
    kind: "email",
    recipient: message.recipient,
    payload_json: JSON.stringify(message.payload),
    next_attempt_at: message.delayMs ? new Date(nowMs + message.delayMs).toISOString() : timestamp,
    created_at: timestamp,
    user_id: message.userId ?? null,
    topic: message.topic ?? null,
    group_key: message.groupKey ?? null,
  };
}

export async function enqueueEmail(
  trx: Writer,
  recipient: string,
  payload: QueuedPayload,
  addressing: Addressing = {},
) {
  await trx
    .insertInto("outbox")
    .values(rowOf({ recipient, payload, ...addressing }, now(), Date.now()))
    .execute();
}

/** Rows per INSERT: well under every database's limit on bound parameters (9 a row). */
const BATCH_ROWS = 500;

/** Many e-mails at once (a decision's followers, a merge's voters), in a few statements. */
export async function enqueueEmails(trx: Writer, messages: readonly QueuedEmail[]) {
  const timestamp = now();
  const nowMs = Date.parse(timestamp);
  for (let i = 0; i < messages.length; i += BATCH_ROWS) {
    await trx
      .insertInto("outbox")
      .values(messages.slice(i, i + BATCH_ROWS).map((m) => rowOf(m, timestamp, nowMs)))
      .execute();
  }
}
