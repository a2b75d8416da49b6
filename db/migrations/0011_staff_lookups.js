// @ts-check
// Three lookups every staff request page makes, which read whole tables or threads without an
// index: the staff members (the owner select; 20 staff among 50,000 users), the votes staff
// recorded on a request (its "recorded for customers" list; a few among a popular request's
// thousands) and its internal notes (counted with the thread; a handful among thousands of
// comments). The indexes are partial, so customers' votes, accounts and comments never write
// to them.
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
  await db.schema
    .createIndex("comments_internal_by_request")
    .on("comments")
    .column("request_id")
    .where((eb) =>
      eb.and([eb(sql.ref("is_internal"), "=", 1), eb(sql.ref("deleted_at"), "is", null)]),
    )
    .execute();
}

/** @param {import("kysely").Kysely<any>} db */
export async function down(db) {
  await db.schema.dropIndex("comments_internal_by_request").execute();
  await db.schema.dropIndex("votes_recorded_by_request").execute();
  await db.schema.dropIndex("users_staff_by_name").execute();
}
