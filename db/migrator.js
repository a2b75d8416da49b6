// @ts-check
// Applies the migrations in db/migrations, in file-name order, to a database.
import { promises as fs } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { FileMigrationProvider, Migrator } from "kysely";
import { openDatabase } from "./engine.js";

const migrationFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations");

/**
 * @param {import("kysely").Kysely<any>} db
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

/** The names of this release's migrations, in the order they run. */
export async function listMigrationNames() {
  const provider = new FileMigrationProvider({ fs, path, migrationFolder });
  return Object.keys(await provider.getMigrations()).sort();
}

/**
 * Opens the database named by DATABASE_URL (a SQLite file or a PostgreSQL URL), migrates it
 * and closes it.
 * @param {string | undefined} url
 */
export async function migrateDatabaseFile(url) {
  /** @type {import("kysely").Kysely<any>} */
  const db = openDatabase(url, { poolSize: 1 });
  try {
    return await migrateToLatest(db);
  } finally {
    await db.destroy();
  }
}
