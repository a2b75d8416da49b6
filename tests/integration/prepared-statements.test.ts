// On PostgreSQL the app's queries go out as named statements (db/engine.js, PreparingClient):
// parsed once per connection instead of on every execution, and planned once when their plan
// cannot depend on their values. What matters is that they are really kept, that a kept
// statement gives each execution its own parameters' rows, that a sorted or limited one is
// planned for its own values each time, and that a connection keeps no more than its cap.
import { sql } from "kysely";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import {
  openDatabase,
  plansPerParameters,
  PREPARED_STATEMENTS_PER_CONNECTION,
  PreparingClient,
} from "../../db/engine.js";
import { inTransaction } from "~/db.server";
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

  it("keeps one plan for a statement that finds rows by key, and plans a sorted one each time", async () => {
    const org = await insertOrg("Planned once");
    await inTransaction(async (trx) => {
      const byKey = () => trx.selectFrom("organizations").select("name").where("id", "=", org.id);
      // A list's plan depends on how many rows its parameters match (ten votes or 5,000).
      const sorted = () =>
        trx
          .selectFrom("organizations")
          .select("name")
          .where("id", ">=", org.id)
          .orderBy("name")
          .limit(3);
      for (let i = 0; i < 8; i++) {
        expect(await byKey().executeTakeFirst()).toEqual({ name: "Planned once" });
        expect(await sorted().execute()).toEqual([{ name: "Planned once" }]);
      }
      const kept = await sql<{ statement: string; generic_plans: number }>`
        select statement, generic_plans from pg_prepared_statements`.execute(trx);
      const plans = new Map(kept.rows.map((r) => [r.statement, Number(r.generic_plans)]));
      // PostgreSQL plans the first five executions for their values, then keeps a plan.
      expect(plans.get(byKey().compile().sql)).toBeGreaterThan(0);
      expect(plans.has(sorted().compile().sql)).toBe(false);
    });
  });

  it("names which statements' plans depend on their values", () => {
    expect(
      plansPerParameters(
        'select "id" from "votes" where "request_id" = $1 order by "created_at" desc limit $2',
      ),
    ).toBe(true);
    expect(
      plansPerParameters(
        'select "org_id", count(*) from "votes" where "request_id" = $1 group by "org_id"',
      ),
    ).toBe(true);
    expect(
      plansPerParameters('update "requests" set "vote_count" = "vote_count" + $1 where "id" = $2'),
    ).toBe(false);
    expect(plansPerParameters('select "limits" from "x" where "id" = $1')).toBe(false);
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
