// @ts-check
// Applies the migrations in db/migrations, in file-name order, to a database.
import { promises as fs } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { FileMigrationProvider, Kysely, Migrator, SqliteDialect } from "kysely";
import { databaseFileFromUrl, openSqlite } from "./sqlite.js";

const migrationFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations");

/**
 * @param {Kysely<any>} db
 * @returns {Promise<string[]>} names of the migrations applied now
 */
export async function migrateToLatest(db) {
  const migrator = new Migrator({
    db,
    provider: new FileMigrationProvider({ fs, path, migrationFolder }),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}

/**
 * Opens the database named by DATABASE_URL (or the given file), migrates it and closes it.
 * @param {string | undefined} url
 */
export async function migrateDatabaseFile(url) {
  const db = new Kysely({
    dialect: new SqliteDialect({ database: openSqlite(databaseFileFromUrl(url)) }),
  });
  try {
    return await migrateToLatest(db);
  } finally {
    await db.destroy();
  }
}
