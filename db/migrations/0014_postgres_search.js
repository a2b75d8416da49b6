// @ts-check
// PostgreSQL's search index, in place of migration 0002's FTS5 table (which SQLite keeps; on
// SQLite this migration does nothing). One row per request: a tsvector that
// app/models/search.server.ts builds with the `simple` configuration from the normalized words
// it writes (title weighted A, body B, the prefix-less and singular forms C), GIN-indexed for
// `@@` with prefix queries. No Hebrew dictionary ships with PostgreSQL, and none is needed: the
// module does the Hebrew-aware part (niqqud, final letters, one-letter prefixes) itself.
import { sql } from "kysely";
import { engineOf } from "../schema.js";

/** @param {import("kysely").Kysely<any>} db */
export async function up(db) {
  if (engineOf(db) !== "postgres") return;
  await db.schema
    .createTable("request_search")
    .addColumn("request_id", "integer", (c) =>
      c.primaryKey().references("requests.id").onDelete("cascade"),
    )
    .addColumn("document", sql`tsvector`, (c) => c.notNull())
    .execute();
  await sql`create index request_search_document on request_search using gin (document)`.execute(
    db,
  );
}

/** @param {import("kysely").Kysely<any>} db */
export async function down(db) {
  if (engineOf(db) !== "postgres") return;
  await db.schema.dropTable("request_search").execute();
}
