// @ts-check
// The board breaks ties by votes, then age (newer first), so each counter's index carries the
// tie-breaking columns in that order: a page is still read straight off one index, in order,
// and its keyset cursor compares the same columns. They replace the indexes of 0002, which
// broke ties by id alone.
/** @type {Record<string, string[]>} */
const INDEXES = {
  requests_by_org_count: ["org_count", "vote_count", "created_at", "id", "status", "category_id"],
  requests_by_vote_count: ["vote_count", "created_at", "id", "status", "category_id"],
  requests_by_recent_vote_count: [
    "recent_vote_count",
    "vote_count",
    "created_at",
    "id",
    "status",
    "category_id",
  ],
};

/** @param {import("kysely").Kysely<any>} db */
export async function up(db) {
  for (const [name, columns] of Object.entries(INDEXES)) {
    await db.schema.dropIndex(name).execute();
    await db.schema.createIndex(name).on("requests").columns(columns).execute();
  }
}

/** @param {import("kysely").Kysely<any>} db */
export async function down(db) {
  for (const name of Object.keys(INDEXES)) {
    const column = name.slice("requests_by_".length);
    await db.schema.dropIndex(name).execute();
    await db.schema
      .createIndex(name)
      .on("requests")
      .columns([column, "id", "status", "category_id"])
      .execute();
  }
}
