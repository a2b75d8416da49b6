// @ts-check
// The version of what visitors see: a number that every write to public content raises in the
// same transaction, so the cache of rendered pages for visitors (app/services/public-cache.server.ts)
// is checked against the database in one read and is never stale, in any process, on either
// engine. Triggers rather than calls in the models, so that no write path can forget it (a
// script, a migration, a new model function).
//
// The version is the sum of STRIPES rows. On PostgreSQL each connection raises the row of its
// own stripe (its backend pid modulo STRIPES): a single row would hold a lock from a vote's
// first write until its commit and make every vote on the board wait for the one before it.
// Concurrent transactions then rarely meet on a row, and the sum still rises with each commit
// that changed public content, and only then. SQLite writes one transaction at a time: it
// raises stripe 0, once per changed row (its triggers are per row; the cost is one small update).
import { sql } from "kysely";
import { engineOf } from "../schema.js";

const STRIPES = 64;

/**
 * Tables whose writes can change a page visitors see. Votes and follows are not here: a vote or
 * follow always updates its request's counters in the same transaction. Where only some columns
 * are public, only updates of those count: users are shown by name (and staff with their badge)
 * beside what they wrote, while when they last read the changelog or their e-mail preferences
 * change nothing public; an announcement's e-mail fan-out moves its cursor in batches, which
 * must not empty the cache while the mail goes out. A new user shows nowhere until they write.
 * @type {{ table: string; columns?: string[]; insert?: false }[]}
 */
const PUBLIC_TABLES = [
  { table: "requests" },
  { table: "comments" },
  { table: "status_events" },
  { table: "categories" },
  {
    table: "announcements",
    columns: [
      "title_he",
      "body_he_md",
      "title_en",
      "body_en_md",
      "published_at",
      "edited_at",
      "updated_at",
    ],
  },
  { table: "announcement_requests" },
  { table: "quotes" },
  { table: "sponsorships" },
  { table: "organizations" },
  { table: "settings" },
  { table: "users", columns: ["name", "is_staff", "staff_role"], insert: false },
];

/** What SQLite triggers on, one trigger per event and table. */
const EVENTS = ["insert", "update", "delete"];

/** @param {import("kysely").Kysely<any>} db */
export async function up(db) {
  await db.schema
    .createTable("content_versions")
    .addColumn("stripe", "integer", (c) => c.primaryKey())
    // Bigint on PostgreSQL, whose integer is 32-bit (SQLite's is 64-bit already).
    .addColumn("version", engineOf(db) === "postgres" ? "bigint" : "integer", (c) =>
      c.notNull().defaultTo(0),
    )
    .execute();
  await db
    .insertInto("content_versions")
    .values(Array.from({ length: STRIPES }, (_, stripe) => ({ stripe, version: 0 })))
    .execute();

  if (engineOf(db) === "postgres") {
    // Once per statement, whatever number of rows it wrote.
    await sql`
      create function raise_content_version() returns trigger language plpgsql as $$
      begin
        update content_versions set version = version + 1
        where stripe = pg_backend_pid() % ${sql.lit(STRIPES)};
        return null;
      end $$
    `.execute(db);
    for (const { table, columns, insert } of PUBLIC_TABLES) {
      const update = columns
        ? sql`update of ${sql.join(columns.map((c) => sql.ref(c)))}`
        : sql`update`;
      const events = sql.join(
        [...(insert === false ? [] : [sql`insert`]), update, sql`delete`, sql`truncate`],
        sql` or `,
      );
      await sql`
        create trigger ${sql.id(`${table}_content_version`)}
        after ${events} on ${sql.table(table)}
        for each statement execute function raise_content_version()
      `.execute(db);
    }
    return;
  }

  const raise = sql`update content_versions set version = version + 1 where stripe = 0`;
  for (const { table, columns, insert } of PUBLIC_TABLES)
    for (const event of EVENTS) {
      if (event === "insert" && insert === false) continue;
      const on =
        event === "update" && columns
          ? sql`update of ${sql.join(columns.map((c) => sql.ref(c)))}`
          : sql.raw(event);
      await sql`
        create trigger ${sql.id(`${table}_${event}_content_version`)}
        after ${on} on ${sql.table(table)}
        begin ${raise}; end
      `.execute(db);
    }
}

/** @param {import("kysely").Kysely<any>} db */
export async function down(db) {
  if (engineOf(db) === "postgres") {
    for (const { table } of PUBLIC_TABLES)
      await sql`drop trigger ${sql.id(`${table}_content_version`)} on ${sql.table(table)}`.execute(
        db,
      );
    await sql`drop function raise_content_version()`.execute(db);
  } else {
    for (const { table, insert } of PUBLIC_TABLES)
      for (const event of EVENTS)
        if (!(event === "insert" && insert === false))
          await sql`drop trigger ${sql.id(`${table}_${event}_content_version`)}`.execute(db);
  }
  await db.schema.dropTable("content_versions").execute();
}
