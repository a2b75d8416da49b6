// The append-only audit log: who did what to which subject, with before/after data.
import type { Kysely, Transaction } from "kysely";
import { now, type Database } from "~/db.server";

export type AuditEntry = {
  actorId: number | null;
  action: string;
  subjectType: string;
  subjectId: number | null;
  data?: Record<string, unknown>;
};

export async function recordAudit(
  trx: Kysely<Database> | Transaction<Database>,
  entry: AuditEntry,
) {
  await trx
    .insertInto("audit_log")
    .values({
      actor_id: entry.actorId,
      action: entry.action,
      subject_type: entry.subjectType,
      subject_id: entry.subjectId,
      data_json: JSON.stringify(entry.data ?? {}),
      created_at: now(),
    })
    .execute();
}
