// On PostgreSQL the app's queries go out as named statements (db/engine.js, PreparingClient):
// parsed once per connection instead of on every execution. What matters is that they are
// really kept, that a kept statement gives each execution its own parameters' rows, and that a
// connection keeps no more of them than its cap.
import { sql } from "kysely";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { PREPARED_STATEMENTS_PER_CONNECTION, PreparingClient } from "../../db/engine.js";
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
});
