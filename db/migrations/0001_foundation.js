// @ts-check
// Accounts, organizations, invitations, categories, settings, the audit log, the outbox and
// rate-limit counters. Timestamps are ISO-8601 UTC strings so they sort and compare as text.
import { sql } from "kysely";
import { serialId } from "../schema.js";

/** @param {import("kysely").Kysely<any>} db */
export async function up(db) {
  await db.schema
    .createTable("users")
    .addColumn("id", "integer", serialId(db))
    .addColumn("email", "text", (c) => c.notNull().unique())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("password_hash", "text", (c) => c.notNull())
    .addColumn("locale", "text")
    .addColumn("is_staff", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("staff_role", "text")
    // Bumped when the password changes, so every other session of the user ends.
    .addColumn("session_version", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("announcements_seen_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("organizations")
    .addColumn("id", "integer", serialId(db))
    .addColumn("slug", "text", (c) => c.notNull().unique())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("created_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("memberships")
    .addColumn("org_id", "integer", (c) =>
      c.notNull().references("organizations.id").onDelete("cascade"),
    )
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("role", "text", (c) => c.notNull().check(sql`role in ('member', 'admin')`))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("memberships_pk", ["org_id", "user_id"])
    .execute();
  await db.schema
    .createIndex("memberships_by_user")
    .on("memberships")
    .columns(["user_id", "org_id"])
    .execute();

  await db.schema
    .createTable("invitations")
    .addColumn("id", "integer", serialId(db))
    .addColumn("org_id", "integer", (c) =>
      c.notNull().references("organizations.id").onDelete("cascade"),
    )
    .addColumn("email", "text", (c) => c.notNull())
    .addColumn("role", "text", (c) => c.notNull().check(sql`role in ('member', 'admin')`))
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("invited_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("accepted_at", "text")
    .addColumn("accepted_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("revoked_at", "text")
    .execute();
  await db.schema
    .createIndex("invitations_by_org")
    .on("invitations")
    .columns(["org_id", "id"])
    .execute();

  await db.schema
    .createTable("categories")
    .addColumn("id", "integer", serialId(db))
    .addColumn("slug", "text", (c) => c.notNull().unique())
    .addColumn("name_he", "text", (c) => c.notNull())
    .addColumn("name_en", "text", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("archived_at", "text")
    .execute();

  await db.schema
    .createTable("settings")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("value", "text", (c) => c.notNull())
    .execute();
  await db
    .insertInto("settings")
    .values([
      { key: "hourly_rate_minor", value: "25000" },
      { key: "vat_bps", value: "1800" },
      { key: "currency", value: "ILS" },
      { key: "site_name", value: "Broadly" },
    ])
    .execute();

  await db.schema
    .createTable("audit_log")
    .addColumn("id", "integer", serialId(db))
    .addColumn("actor_id", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("subject_type", "text", (c) => c.notNull())
    .addColumn("subject_id", "integer")
    .addColumn("data_json", "text", (c) => c.notNull().defaultTo("{}"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("audit_by_actor")
    .on("audit_log")
    .columns(["actor_id", "id"])
    .execute();
  await db.schema
    .createIndex("audit_by_subject")
    .on("audit_log")
    .columns(["subject_type", "subject_id", "id"])
    .execute();
  await db.schema
    .createIndex("audit_by_action")
    .on("audit_log")
    .columns(["action", "id"])
    .execute();

  await db.schema
    .createTable("outbox")
    .addColumn("id", "integer", serialId(db))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("recipient", "text", (c) => c.notNull())
    .addColumn("payload_json", "text", (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("next_attempt_at", "text", (c) => c.notNull())
    .addColumn("locked_until", "text")
    .addColumn("sent_at", "text")
    .addColumn("failed_at", "text")
    .addColumn("last_error", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("outbox_due")
    .on("outbox")
    .columns(["sent_at", "failed_at", "next_attempt_at"])
    .execute();

  await db.schema
    .createTable("rate_limits")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("count", "integer", (c) => c.notNull())
    .addColumn("reset_at", "text", (c) => c.notNull())
    .execute();
}

/** @param {import("kysely").Kysely<any>} db */
export async function down(db) {
  for (const table of [
    "rate_limits",
    "outbox",
    "audit_log",
    "settings",
    "categories",
    "invitations",
    "memberships",
    "organizations",
    "users",
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
