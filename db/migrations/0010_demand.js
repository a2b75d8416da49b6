// @ts-check
// The demand view lists a request's voting organizations a page at a time, each with its first
// and last vote and whether staff recorded any of them: this index answers those for one
// organization of one request without reading the request's other votes.
/** @param {import("kysely").Kysely<any>} db */
export async function up(db) {
  await db.schema
    .createIndex("votes_by_request_org")
    .on("votes")
    .columns(["request_id", "org_id", "created_at"])
    .execute();
}

/** @param {import("kysely").Kysely<any>} db */
export async function down(db) {
  await db.schema.dropIndex("votes_by_request_org").execute();
}
