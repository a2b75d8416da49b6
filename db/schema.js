// @ts-check
// What the migrations write differently per engine, so each migration stays one portable file.
// On SQLite these produce exactly the DDL the migrations had before PostgreSQL (a test compares
// the schema with one made by the release before), so existing databases are unaffected.
import { sql } from "kysely";
import { engineOf } from "./engine.js";

/** @typedef {import("kysely").Kysely<any>} Db */
/** @typedef {import("kysely").ColumnDefinitionBuilder} Column */

/** The surrogate key: SQLite's autoincrement rowid, PostgreSQL's identity column. */
export function serialId(/** @type {Db} */ db) {
  return (/** @type {Column} */ c) =>
    engineOf(db) === "postgres"
      ? c.primaryKey().generatedByDefaultAsIdentity()
      : c.primaryKey().autoIncrement();
}

/**
 * Money in agorot: up to ₪100,000,000 gross is 10^10 agorot, past PostgreSQL's 32-bit integer
 * (SQLite's integer is 64-bit already).
 */
export function moneyType(/** @type {Db} */ db) {
  return engineOf(db) === "postgres" ? "bigint" : "integer";
}

/**
 * A table stored in its primary key's b-tree (SQLite's WITHOUT ROWID): half the pages a vote
 * dirties. PostgreSQL has no such clause and needs none (its heap plus the key's index).
 */
export function clusteredOnKey(/** @type {Db} */ db) {
  return engineOf(db) === "postgres" ? sql`` : sql`without rowid`;
}

export { engineOf };
