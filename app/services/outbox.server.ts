// Messages that leave the process are written here, in the transaction of the change that
// causes them, and delivered later by the worker (app/services/worker.server.ts).
import type { Kysely, Transaction } from "kysely";
import { now, type Database } from "~/db.server";
import type { EmailPayload } from "./emails.server";

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

export async function enqueueEmail(trx: Writer, recipient: string, payload: EmailPayload) {
  const timestamp = now();
  await trx
    .insertInto("outbox")
    .values({
      kind: "email",
      recipient,
      payload_json: JSON.stringify(payload),
      next_attempt_at: timestamp,
      created_at: timestamp,
    })
    .execute();
}

/** Rows per INSERT: well under every database's limit on bound parameters (6 a row). */
const BATCH_ROWS = 500;

/** Many e-mails at once (a decision's followers, a merge's voters), in a few statements. */
export async function enqueueEmails(
  trx: Writer,
  messages: readonly { recipient: string; payload: EmailPayload }[],
) {
  const timestamp = now();
  for (let i = 0; i < messages.length; i += BATCH_ROWS) {
    await trx
      .insertInto("outbox")
      .values(
        messages.slice(i, i + BATCH_ROWS).map(({ recipient, payload }) => ({
          kind: "email",
          recipient,
          payload_json: JSON.stringify(payload),
          next_attempt_at: timestamp,
          created_at: timestamp,
        })),
      )
      .execute();
  }
}
