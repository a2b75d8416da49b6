// A lease in the database on a job that must run in one process at a time, across every app
// process and machine: the outbox worker. Whoever holds an unexpired lease does the job; the
// others keep asking, so one of them takes over within a lease period when the holder dies.
// Times are the callers' clocks (ISO strings, compared as text like every timestamp here), so
// machines sharing a database need synchronized clocks (NTP) to within well under a lease.
import crypto from "node:crypto";
import os from "node:os";
import type { Kysely } from "kysely";
import type { Database } from "~/db.server";

type Db = Kysely<Database>;

/** The lease of the outbox worker's loop (deliveries, fan-out, digests, expiry, housekeeping). */
export const OUTBOX_WORKER_LEASE = "outbox-worker";

/** This process's name as a holder: its machine and pid (for whoever reads the table), made unique. */
export function leaseHolderId(): string {
  return `${os.hostname()}/${process.pid}/${crypto.randomUUID().slice(0, 8)}`;
}

/**
 * Takes the lease `name` for `holder` until `at + durationMs`, or renews it when `holder` has it
 * already, in one conditional write: an insert when nobody ever held it, else an update only
 * where it has run out or is the holder's own. Of two processes asking at once, exactly one
 * writes (a primary key conflict on SQLite's write lock or PostgreSQL's row lock, the condition
 * checked again after the wait), so true means the lease is the holder's.
 */
export async function acquireLease(
  db: Db,
  { name, holder, at, durationMs }: { name: string; holder: string; at: Date; durationMs: number },
): Promise<boolean> {
  const now = at.toISOString();
  const expiresAt = new Date(at.getTime() + durationMs).toISOString();
  const result = await db
    .insertInto("leases")
    .values({ name, holder, expires_at: expiresAt })
    .onConflict((oc) =>
      oc
        .column("name")
        .doUpdateSet({ holder, expires_at: expiresAt })
        .where((eb) =>
          eb.or([eb("leases.expires_at", "<=", now), eb("leases.holder", "=", holder)]),
        ),
    )
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows) === 1;
}

/**
 * Gives up the lease when `holder` has it (a graceful shutdown), so another process takes over
 * at once rather than when it runs out; true when it was the holder's.
 */
export async function releaseLease(
  db: Db,
  { name, holder }: { name: string; holder: string },
): Promise<boolean> {
  const result = await db
    .deleteFrom("leases")
    .where("name", "=", name)
    .where("holder", "=", holder)
    .executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}
