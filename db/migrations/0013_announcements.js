// @ts-check
// Announcements (the changelog) and the notifications around them.
//
// - An announcement is one row however many users it reaches: each user's unread count is
//   "published after my announcements_seen_at" (an indexed range), never a row per user.
//   A draft has no published_at; a scheduled one has a future published_at and is visible to
//   no one but staff until then. A correction after publication sets edited_at (and the audit
//   log keeps the edit). mail_cursor is how far the worker has enqueued its e-mails, by user
//   id, in batches, so a million recipients are many short transactions; mailed_at ends it.
// - Users' e-mail preferences: status updates of followed requests (on by default: the
//   follow box promises them), product news and the weekly digest (opt-in).
// - The outbox learns whom a message is for (user_id) and under which preference (topic), so
//   the worker honours a preference changed after enqueueing; group_key lets a burst of one
//   user's status updates leave as one e-mail; lease_id names the worker holding a lease, so
//   a worker claims a whole group at once; cancelled_at settles a message that must not be
//   sent any more (the recipient opted out or left): it also sets failed_at, so the due index
//   and every claim skip it as they skip a failure, and last_error says why.
import { sql } from "kysely";
import { serialId } from "../schema.js";

/** @param {import("kysely").Kysely<any>} db */
export async function up(db) {
  await db.schema
    .createTable("announcements")
    .addColumn("id", "integer", serialId(db))
    .addColumn("title_he", "text", (c) => c.notNull())
    .addColumn("body_he_md", "text", (c) => c.notNull())
    // English is optional: readers of English see the Hebrew, marked as such, when it is null.
    .addColumn("title_en", "text")
    .addColumn("body_en_md", "text")
    .addColumn("published_at", "text")
    .addColumn("edited_at", "text")
    .addColumn("created_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("mail_cursor", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("mailed_at", "text")
    .execute();
  // The changelog and every unread count: published ones by time.
  await db.schema
    .createIndex("announcements_published")
    .on("announcements")
    .columns(["published_at", "id"])
    .where(sql.ref("published_at"), "is not", null)
    .execute();
  // Staff's list: drafts first, newest edits first.
  await db.schema
    .createIndex("announcements_by_updated")
    .on("announcements")
    .columns(["updated_at", "id"])
    .execute();
  // The worker's few announcements still sending e-mail.
  await db.schema
    .createIndex("announcements_mailing")
    .on("announcements")
    .columns(["published_at"])
    .where((eb) =>
      eb.and([eb(sql.ref("published_at"), "is not", null), eb(sql.ref("mailed_at"), "is", null)]),
    )
    .execute();

  await db.schema
    .createTable("announcement_requests")
    .addColumn("announcement_id", "integer", (c) =>
      c.notNull().references("announcements.id").onDelete("cascade"),
    )
    .addColumn("request_id", "integer", (c) =>
      c.notNull().references("requests.id").onDelete("cascade"),
    )
    .addPrimaryKeyConstraint("announcement_requests_pk", ["announcement_id", "request_id"])
    .execute();
  // A request page's link to its announcement.
  await db.schema
    .createIndex("announcement_requests_by_request")
    .on("announcement_requests")
    .columns(["request_id", "announcement_id"])
    .execute();

  await db.schema
    .alterTable("users")
    .addColumn("notify_status", "integer", (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .alterTable("users")
    .addColumn("notify_news", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable("users")
    .addColumn("notify_digest", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable("users").addColumn("digest_sent_at", "text").execute();
  // The announcement fan-out walks users by id; these two keep each batch to its recipients.
  await db.schema
    .createIndex("users_news")
    .on("users")
    .column("id")
    .where(sql.ref("notify_news"), "=", 1)
    .execute();
  await db.schema
    .createIndex("users_digest_due")
    .on("users")
    .columns(["digest_sent_at", "id"])
    .where(sql.ref("notify_digest"), "=", 1)
    .execute();
  // A user's followed requests (the digest; follows' key starts with the request).
  await db.schema
    .createIndex("follows_by_user")
    .on("follows")
    .columns(["user_id", "request_id"])
    .execute();

  for (const [column, type] of /** @type {const} */ ([
    ["user_id", "integer"],
    ["topic", "text"],
    ["group_key", "text"],
    ["lease_id", "text"],
    ["cancelled_at", "text"],
  ])) {
    await db.schema.alterTable("outbox").addColumn(column, type).execute();
  }
  // Everything pending for one group (a user's burst of status updates).
  await db.schema
    .createIndex("outbox_pending_group")
    .on("outbox")
    .columns(["group_key", "id"])
    .where((eb) =>
      eb.and([
        eb(sql.ref("group_key"), "is not", null),
        eb(sql.ref("sent_at"), "is", null),
        eb(sql.ref("failed_at"), "is", null),
      ]),
    )
    .execute();
}

/** @param {import("kysely").Kysely<any>} db */
export async function down(db) {
  await db.schema.dropIndex("outbox_pending_group").execute();
  for (const column of ["cancelled_at", "lease_id", "group_key", "topic", "user_id"]) {
    await db.schema.alterTable("outbox").dropColumn(column).execute();
  }
  await db.schema.dropIndex("follows_by_user").execute();
  await db.schema.dropIndex("users_digest_due").execute();
  await db.schema.dropIndex("users_news").execute();
  for (const column of ["digest_sent_at", "notify_digest", "notify_news", "notify_status"]) {
    await db.schema.alterTable("users").dropColumn(column).execute();
  }
  await db.schema.dropTable("announcement_requests").execute();
  await db.schema.dropTable("announcements").execute();
}
