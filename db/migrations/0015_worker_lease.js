// @ts-check
// Leases: which one process, of every app process on every machine, does a job that must run
// once at a time (the outbox worker, app/services/worker-lease.server.ts). A row per job: its
// holder and until when the lease is theirs; the holder renews it while it runs, and anyone may
// take it once it has run out.
/** @param {import("kysely").Kysely<any>} db */
export async function up(db) {
  await db.schema
    .createTable("leases")
    .addColumn("name", "text", (c) => c.primaryKey())
    .addColumn("holder", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .execute();
}

/** @param {import("kysely").Kysely<any>} db */
export async function down(db) {
  await db.schema.dropTable("leases").execute();
}
