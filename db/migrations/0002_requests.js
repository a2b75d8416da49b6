// @ts-check
// Requests and everything hanging off them: votes, per-organization and per-day vote counters,
// comments, follows, the status timeline, and the full-text index (SQLite FTS5).
import { sql } from "kysely";
import { serialId, clusteredOnKey, engineOf } from "../schema.js";

const REQUEST_STATUSES = [
  "open",
  "planned",
  "in_progress",
  "shipped",
  "declined",
  "already_exists",
  "merged",
  "quoted",
  "funded",
];

const statusList = sql.join(REQUEST_STATUSES.map((s) => sql.lit(s)));

// The tables a vote writes are stored in their primary key's b-tree (SQLite's WITHOUT ROWID),
// not in a rowid table plus a key index: half the pages a vote dirties there. PostgreSQL has
// no such clause, and clusteredOnKey leaves it out there.

/** @param {import("kysely").Kysely<any>} db */
export async function up(db) {
  await db.schema
    .createTable("requests")
    .addColumn("id", "integer", serialId(db))
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("body_md", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("category_id", "integer", (c) => c.references("categories.id"))
    .addColumn("author_id", "integer", (c) => c.references("users.id"))
    // The author's organization when they proposed it; null for staff.
    .addColumn("org_id", "integer", (c) => c.references("organizations.id"))
    .addColumn("status", "text", (c) =>
      c
        .notNull()
        .defaultTo("open")
        .check(sql`status in (${statusList})`),
    )
    .addColumn("decision", "text", (c) => c.check(sql`decision in ('broad', 'sponsored')`))
    .addColumn("merged_into_id", "integer", (c) => c.references("requests.id"))
    // Denormalized counters, kept exact by the transactions that change what they count.
    .addColumn("vote_count", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("org_count", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("comment_count", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("follower_count", "integer", (c) => c.notNull().defaultTo(0))
    // Votes in the trending window: the sum of this request's request_vote_days rows.
    .addColumn("recent_vote_count", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("shipped_at", "text")
    .execute();

  // The board's indexes (keyset: sort value, then id). The counters a vote changes get one
  // index each, ending in the status and the category: a filtered page is read from the index
  // alone, skipping entries that do not match (at worst one pass over 100,000 small entries,
  // ~5 ms), and a vote rewrites three index entries rather than a dozen. Creation time never
  // changes, so "newest" also has indexes led by the status and by the category.
  for (const column of ["org_count", "vote_count", "recent_vote_count"]) {
    await db.schema
      .createIndex(`requests_by_${column}`)
      .on("requests")
      .columns([column, "id", "status", "category_id"])
      .execute();
  }
  await db.schema
    .createIndex("requests_by_created_at")
    .on("requests")
    .columns(["created_at", "id"])
    .execute();
  await db.schema
    .createIndex("requests_by_status_created_at")
    .on("requests")
    .columns(["status", "created_at", "id", "category_id"])
    .execute();
  await db.schema
    .createIndex("requests_by_category_created_at")
    .on("requests")
    .columns(["category_id", "created_at", "id", "status"])
    .execute();

  await db.schema
    .createTable("votes")
    .addColumn("request_id", "integer", (c) =>
      c.notNull().references("requests.id").onDelete("cascade"),
    )
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    // The organization the user voted for (their current one); null for staff.
    .addColumn("org_id", "integer", (c) => c.references("organizations.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    // The staff member who recorded the vote on the user's behalf; null when the user voted.
    .addColumn("recorded_by", "integer", (c) => c.references("users.id"))
    .addPrimaryKeyConstraint("votes_pk", ["request_id", "user_id"])
    .modifyEnd(clusteredOnKey(db))
    .execute();
  // Voters per organization per request: org_count is the number of a request's rows, so
  // withdrawing one of several votes of an organization never needs a count over votes.
  await db.schema
    .createTable("request_org_votes")
    .addColumn("request_id", "integer", (c) =>
      c.notNull().references("requests.id").onDelete("cascade"),
    )
    .addColumn("org_id", "integer", (c) => c.notNull().references("organizations.id"))
    .addColumn("votes", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("request_org_votes_pk", ["request_id", "org_id"])
    .modifyEnd(clusteredOnKey(db))
    .execute();

  // Votes per UTC day per request, only for days inside the trending window: when the window
  // moves on, the expired days are subtracted from requests.recent_vote_count and deleted.
  await db.schema
    .createTable("request_vote_days")
    .addColumn("day", "text", (c) => c.notNull())
    .addColumn("request_id", "integer", (c) =>
      c.notNull().references("requests.id").onDelete("cascade"),
    )
    .addColumn("votes", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("request_vote_days_pk", ["day", "request_id"])
    .modifyEnd(clusteredOnKey(db))
    .execute();

  await db.schema
    .createTable("comments")
    .addColumn("id", "integer", serialId(db))
    .addColumn("request_id", "integer", (c) =>
      c.notNull().references("requests.id").onDelete("cascade"),
    )
    .addColumn("author_id", "integer", (c) => c.references("users.id"))
    .addColumn("org_id", "integer", (c) => c.references("organizations.id"))
    .addColumn("body_md", "text", (c) => c.notNull())
    .addColumn("is_internal", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("is_official", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("edited_at", "text")
    .addColumn("deleted_at", "text")
    .execute();
  await db.schema
    .createIndex("comments_by_request")
    .on("comments")
    .columns(["request_id", "id"])
    .execute();

  await db.schema
    .createTable("follows")
    .addColumn("request_id", "integer", (c) =>
      c.notNull().references("requests.id").onDelete("cascade"),
    )
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("follows_pk", ["request_id", "user_id"])
    .modifyEnd(clusteredOnKey(db))
    .execute();

  await db.schema
    .createTable("status_events")
    .addColumn("id", "integer", serialId(db))
    .addColumn("request_id", "integer", (c) =>
      c.notNull().references("requests.id").onDelete("cascade"),
    )
    .addColumn("actor_id", "integer", (c) => c.references("users.id"))
    .addColumn("from_status", "text")
    .addColumn("to_status", "text", (c) => c.notNull())
    .addColumn("note", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("status_events_by_request")
    .on("status_events")
    .columns(["request_id", "id"])
    .execute();

  // The search index. SQLite-only, like everything in app/models/search.server.ts, which is
  // the one module that writes and queries it. Contentless: the module feeds it normalized
  // text (final letters, niqqud) plus Hebrew words without their one-letter prefixes, so the
  // rows cannot be derived from requests by a trigger. The prefix indexes make 2- and 3-letter
  // prefix queries (search as you type) cheap. PostgreSQL's index is migration 0014's.
  if (engineOf(db) !== "sqlite") return;
  await sql`
    create virtual table requests_fts using fts5(
      title, body, stems,
      content = '',
      contentless_delete = 1,
      tokenize = 'unicode61 remove_diacritics 2',
      prefix = '2 3'
    )
  `.execute(db);
}

/** @param {import("kysely").Kysely<any>} db */
export async function down(db) {
  if (engineOf(db) === "sqlite") await sql`drop table requests_fts`.execute(db);
  for (const table of [
    "status_events",
    "follows",
    "comments",
    "request_vote_days",
    "request_org_votes",
    "votes",
    "requests",
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
