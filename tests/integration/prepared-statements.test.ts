// On PostgreSQL the app's queries go out as named statements (db/engine.js, PreparingClient):
// parsed once per connection instead of on every execution. What matters is that they are
// really kept, that a kept statement gives each execution its own parameters' rows, and that a
// connection keeps no more of them than its cap.
import { sql } from "kysely";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import {
  openDatabase,
  PREPARED_STATEMENTS_PER_CONNECTION,
  PreparingClient,
} from "../../db/engine.js";
import { getDb, inTransaction } from "~/db.server";
import { insertOrg } from "../support/factories";
import { skipOnSqlite } from "../support/engine";

// PostgreSQL only: SQLite has its own statement cache (db/sqlite.js), with nothing to ask the
// server about.
describe.skipIf(skipOnSqlite)("named statements on PostgreSQL", () => {
  const clients: pg.Client[] = [];
  afterAll(() => Promise.all(clients.map((c) => c.end())));

  it("keeps the app's queries prepared on their connection, each run with its own parameters", async () => {
    const [a, b] = [await insertOrg("Prepared A"), await insertOrg("Prepared B")];
    await inTransaction(async (trx) => {
      // One transaction is one connection, whose prepared statements the server lists.
      const nameOf = (id: number) =>
        trx.selectFrom("organizations").select("name").where("id", "=", id).executeTakeFirst();
      expect(await nameOf(a.id)).toEqual({ name: "Prepared A" });
      expect(await nameOf(b.id)).toEqual({ name: "Prepared B" });
      const text = trx
        .selectFrom("organizations")
        .select("name")
        .where("id", "=", a.id)
        .compile().sql;
      const kept = await sql<{ n: number }>`
        select count(*) as n from pg_prepared_statements where statement = ${text}`.execute(trx);
      expect(kept.rows[0].n).toBe(1);
    });
  });

  it("still plans each execution for its own parameters (a generic plan misjudges skewed data)", async () => {
    const { rows } = await sql<{ plan_cache_mode: string }>`show plan_cache_mode`.execute(getDb());
    expect(rows[0].plan_cache_mode).toBe("force_custom_plan");
  });

  it(`keeps at most ${PREPARED_STATEMENTS_PER_CONNECTION} per connection, and runs the rest unnamed`, async () => {
    const client = new PreparingClient({ connectionString: process.env.DATABASE_URL });
    clients.push(client);
    await client.connect();
    const shapes = PREPARED_STATEMENTS_PER_CONNECTION + 20;
    for (let i = 0; i < shapes; i++) {
      const { rows } = await client.query(`select $1::int + ${i} as n`, [1]);
      expect(rows[0].n).toBe(i + 1);
    }
    // Past the cap a text that was kept still runs as its statement, a new one unnamed.
    expect((await client.query("select $1::int + 0 as n", [41])).rows[0].n).toBe(41);
    expect((await client.query(`select $1::int + ${shapes} as n`, [0])).rows[0].n).toBe(shapes);
    const { rows } = await client.query("select count(*) as n from pg_prepared_statements", []);
    expect(rows[0].n).toBe(PREPARED_STATEMENTS_PER_CONNECTION);
  });
  // A rolling deploy: another release's migration adds a column while this one serves, and a
  // statement prepared as `select *` before it may not return the new shape.
  async function migrateUnderneath(table: string) {
    const other = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await other.connect();
    await other.query(`alter table ${table} add column added int default 7`);
    await other.end();
  }

  it("prepares a statement afresh after a migration changed its columns, and runs the query again", async () => {
    const client = new PreparingClient({ connectionString: process.env.DATABASE_URL });
    clients.push(client);
    await client.connect();
    await client.query("create table shape_outside (a int)", []);
    await client.query("insert into shape_outside values ($1)", [1]);
    const read = () => client.query("select * from shape_outside where a = $1", [1]);
    expect((await read()).rows).toEqual([{ a: 1 }]);
    await migrateUnderneath("shape_outside");
    expect((await read()).rows).toEqual([{ a: 1, added: 7 }]);
    expect((await read()).rows).toEqual([{ a: 1, added: 7 }]);
  });

  it("runs a transaction again when it met such a statement", async () => {
    // One connection, so the second transaction meets the statement the first prepared.
    const db = openDatabase<any>(process.env.DATABASE_URL, { poolSize: 1, statementCache: true });
    try {
      await sql`create table shape_inside (a int)`.execute(db);
      await sql`insert into shape_inside values (1)`.execute(db);
      let attempts = 0;
      const read = () =>
        inTransaction(async (trx) => {
          attempts++;
          return (await sql`select * from shape_inside where a = ${1}`.execute(trx)).rows;
        }, db);
      expect(await read()).toEqual([{ a: 1 }]);
      await migrateUnderneath("shape_inside");
      attempts = 0;
      expect(await read()).toEqual([{ a: 1, added: 7 }]);
      expect(attempts).toBe(2);
    } finally {
      await db.destroy();
    }
  });
});
