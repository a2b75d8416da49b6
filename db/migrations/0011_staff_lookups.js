// @ts-check
// Two lookups every staff request page makes, which read whole tables without an index: the
// staff members (the owner select; 20 staff among 50,000 users) and the votes staff recorded on
// a request (its "recorded for customers" list; a few among a popular request's thousands).
// Both indexes are partial, so customers' votes and accounts never write to them.
import { sql } from "kysely";

/** @param {import("kysely").Kysely<any>} db */
export async function up(db) {
  await db.schema
    .createIndex("users_staff_by_name")
    .on("users")
    .columns(["name", "id"])
    .where(sql.ref("is_staff"), "=", 1)
    .execute();
  await db.schema
    .createIndex("votes_recorded_by_request")
    .on("votes")
    .columns(["request_id", "created_at", "user_id"])
    .where(sql.ref("recorded_by"), "is not", null)
    .execute();
}

/** @param {import("kysely").Kysely<any>} db */
export async function down(db) {
  await db.schema.dropIndex("votes_recorded_by_request").execute();
  await db.schema.dropIndex("users_staff_by_name").execute();
}
