// @ts-check
// The links that let a customer withdraw a vote staff recorded for them (from an e-mail, a
// WhatsApp message, a call or a meeting): each e-mailed link works once, and only the SHA-256
// of its token is kept, so a copy of the database withdraws nothing. A contact staff added has
// no password, so the link is the one way they can act without signing in.
import { serialId } from "../schema.js";

/** @param {import("kysely").Kysely<any>} db */
export async function up(db) {
  await db.schema
    .createTable("vote_withdrawal_tokens")
    .addColumn("id", "integer", serialId(db))
    .addColumn("request_id", "integer", (c) =>
      c.notNull().references("requests.id").onDelete("cascade"),
    )
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("recorded_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("used_at", "text")
    .execute();
  // Deleting a request or a user finds their links (ON DELETE CASCADE) through these.
  await db.schema
    .createIndex("vote_withdrawal_tokens_by_request")
    .on("vote_withdrawal_tokens")
    .columns(["request_id", "user_id"])
    .execute();
  await db.schema
    .createIndex("vote_withdrawal_tokens_by_user")
    .on("vote_withdrawal_tokens")
    .column("user_id")
    .execute();
}

/** @param {import("kysely").Kysely<any>} db */
export async function down(db) {
  await db.schema.dropTable("vote_withdrawal_tokens").execute();
}
