// @ts-check
// Server-side sessions, single-use account tokens (password reset, e-mail verification),
// verified e-mail addresses, superseded invitations, edited requests, and an index that lets
// expired rate-limit windows be pruned.
import { sql } from "kysely";
import { serialId } from "../schema.js";

/** @param {import("kysely").Kysely<any>} db */
export async function up(db) {
  // The cookie carries only the signed id; deleting the row ends the session in every process.
  await db.schema
    .createTable("sessions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    // The current organization and other per-session choices.
    .addColumn("data_json", "text", (c) => c.notNull().defaultTo("{}"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("last_seen_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("ip", "text")
    .addColumn("user_agent", "text")
    .execute();
  await db.schema
    .createIndex("sessions_by_user")
    .on("sessions")
    .columns(["user_id", "last_seen_at"])
    .execute();
  await db.schema.createIndex("sessions_by_expiry").on("sessions").column("expires_at").execute();

  // Links e-mailed to a user: only the SHA-256 of the token is kept, and each works once.
  await db.schema
    .createTable("user_tokens")
    .addColumn("id", "integer", serialId(db))
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("purpose", "text", (c) =>
      c.notNull().check(sql`purpose in ('password_reset', 'email_verification')`),
    )
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("used_at", "text")
    .execute();
  await db.schema
    .createIndex("user_tokens_by_user")
    .on("user_tokens")
    .columns(["user_id", "purpose", "id"])
    .execute();

  await db.schema.alterTable("users").addColumn("email_verified_at", "text").execute();
  // Accounts made before verification existed keep working as they did.
  await db
    .updateTable("users")
    .set({ email_verified_at: sql`created_at` })
    .execute();

  // A newer invitation to the same address: the older link explains where to look.
  await db.schema.alterTable("invitations").addColumn("superseded_at", "text").execute();

  // Set when the author edits their request (allowed while nobody else took part).
  await db.schema.alterTable("requests").addColumn("edited_at", "text").execute();

  await db.schema
    .createIndex("rate_limits_by_reset")
    .on("rate_limits")
    .column("reset_at")
    .execute();
}

/** @param {import("kysely").Kysely<any>} db */
export async function down(db) {
  await db.schema.dropIndex("rate_limits_by_reset").execute();
  await db.schema.alterTable("requests").dropColumn("edited_at").execute();
  await db.schema.alterTable("invitations").dropColumn("superseded_at").execute();
  await db.schema.alterTable("users").dropColumn("email_verified_at").execute();
  await db.schema.dropTable("user_tokens").execute();
  await db.schema.dropTable("sessions").execute();
}
