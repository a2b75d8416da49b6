// builtOnce compiles a query the first time and then only swaps its values: each call must get
// its own values' rows, constants must stay as built, and a build that uses a value other than
// as a parameter (which the stand-in would freeze into the statement) must fail at once.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql, type Kysely } from "kysely";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../db/engine.js";
import { builtOnce, getDb, type Database } from "~/db.server";
import { insertOrg } from "../support/factories";

describe("builtOnce", () => {
  it("runs the statement built once with each call's values", async () => {
    const [a, b] = [await insertOrg("Built Once A"), await insertOrg("Built Once B")];
    let builds = 0;
    const names = builtOnce((db, v: { first: number; second: number; prefix: string }) => {
      builds++;
      return db
        .selectFrom("organizations")
        .select("name")
        .where("id", "in", [v.first, v.second])
        .where("name", "like", sql<string>`${v.prefix} || '%'`)
        .where("member_count", ">=", 0)
        .orderBy("name");
    });

    const both = await names(getDb(), { first: a.id, second: b.id, prefix: "Built Once" });
    expect(both.map((row) => row.name)).toEqual(["Built Once A", "Built Once B"]);
    const onlyB = await names(getDb(), { first: b.id, second: b.id, prefix: "Built" });
    expect(onlyB.map((row) => row.name)).toEqual(["Built Once B"]);
    const none = await names(getDb(), { first: a.id, second: b.id, prefix: "Nobody" });
    expect(none).toEqual([]);
    expect(builds).toBe(1);
  });

  // On the PostgreSQL run the two engines differ ($1 against ?): each must get its own SQL.
  it("compiles the statement for each engine it runs on", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "built-once-"));
    const sqlite = openDatabase(path.join(dir, "other.sqlite")) as Kysely<Database>;
    try {
      const echo = builtOnce((db, v: { n: number }) =>
        db.selectNoFrom((eb) => eb(eb.cast<number>(eb.val(v.n), "integer"), "+", 1).as("next")),
      );
      expect((await echo(getDb(), { n: 1 })).map((row) => Number(row.next))).toEqual([2]);
      expect((await echo(sqlite, { n: 41 })).map((row) => Number(row.next))).toEqual([42]);
      expect((await echo(getDb(), { n: 2 })).map((row) => Number(row.next))).toEqual([3]);
    } finally {
      await sqlite.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses a build that uses a value other than as a parameter", async () => {
    const looking = builtOnce((db, v: { id: number; label: string }) =>
      db
        .selectFrom("organizations")
        .select(sql.lit(String(v.label)).as("label"))
        .where("id", "=", v.id),
    );
    await expect(looking(getDb(), { id: 1, label: "x" })).rejects.toThrow(
      "builtOnce: not a parameter: label",
    );
  });
});
