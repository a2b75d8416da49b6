// Landed migrations are never changed in what they do on SQLite: the DDL-helpers that let them
// run on PostgreSQL too (db/schema.js) must write, on SQLite, exactly what the release before
// them wrote. tests/fixtures/sqlite-schema-0013.json is sqlite_master of a database that
// release (main at migration 0013) made.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promises as fsp } from "node:fs";
import { FileMigrationProvider, Migrator, sql, type Kysely } from "kysely";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../db/engine.js";
import { migrateToLatest } from "../../db/migrator.js";
import { skipOnPostgres } from "../support/engine";

type SchemaRow = { type: string; name: string; tbl_name: string; sql: string | null };

const root = path.resolve(__dirname, "../..");
const fixture = JSON.parse(
  fs.readFileSync(path.join(root, "tests/fixtures/sqlite-schema-0013.json"), "utf8"),
) as SchemaRow[];

async function schemaOf(db: Kysely<any>): Promise<SchemaRow[]> {
  const { rows } = await sql<SchemaRow>`
    select type, name, tbl_name, sql from sqlite_master
    where name not like 'sqlite_%' order by type, name
  `.execute(db);
  return rows;
}

function scratchDatabase(): Kysely<any> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "broadly-schema-"));
  return openDatabase(path.join(dir, "scratch.sqlite"));
}

// On PostgreSQL there is no earlier release to compare with: its schema starts here.
describe.skipIf(skipOnPostgres)("the SQLite schema", () => {
  it("is, up to migration 0013, exactly what the release before PostgreSQL made", async () => {
    const db = scratchDatabase();
    try {
      const migrator = new Migrator({
        db,
        provider: new FileMigrationProvider({
          fs: fsp,
          path,
          migrationFolder: path.join(root, "db/migrations"),
        }),
      });
      const { error } = await migrator.migrateTo("0013_announcements");
      expect(error).toBeUndefined();
      expect(await schemaOf(db)).toEqual(fixture);
    } finally {
      await db.destroy();
    }
  });

  it("keeps every object of that release when migrated to the latest", async () => {
    const db = scratchDatabase();
    try {
      await migrateToLatest(db);
      const now = await schemaOf(db);
      for (const object of fixture) expect(now, object.name).toContainEqual(object);
    } finally {
      await db.destroy();
    }
  });
});
