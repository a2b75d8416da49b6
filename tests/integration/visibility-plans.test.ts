// The board's visibility condition keeps every sort reading its page straight off its index
// (migrations 0002 and 0004): private rows are dropped on the way, never sorted afterwards.
// The SQL the board runs is captured as it is prepared, then explained on its own connection.
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { listRequests, type BoardStatusFilter } from "~/models/requests.server";
import type { Actor } from "~/models/errors";
import { insertOrg, makeCategory, makeCustomer } from "../support/factories";
import { skipOnPostgres } from "../support/engine";

const prepared: string[] = [];
const prototype = Database.prototype as unknown as { prepare: (source: string) => unknown };
const prepare = prototype.prepare;
// Patched before the app opens its connection (the first query below), which binds it.
prototype.prepare = function (this: unknown, source: string) {
  if (!source.startsWith("explain")) prepared.push(source);
  return prepare.call(this, source);
};

/** The query plan of the board's page query for these arguments. */
async function boardPlan(args: Parameters<typeof listRequests>[0]): Promise<string> {
  prepared.length = 0;
  await listRequests(args);
  const page = prepared.filter((s) => /from "requests"/.test(s) && /order by/.test(s));
  expect(page).toHaveLength(1);
  const db = new Database(process.env.DATABASE_URL!, { readonly: true });
  try {
    const holes = (page[0].match(/\?/g) ?? []).length;
    const rows = db
      .prepare(`explain query plan ${page[0]}`)
      .all(...Array<number>(holes).fill(1)) as { detail: string }[];
    return rows.map((r) => r.detail).join(" | ");
  } finally {
    db.close();
  }
}

const EXPECTED_INDEX = {
  orgs: "requests_by_org_count",
  votes: "requests_by_vote_count",
  trending: "requests_by_recent_vote_count",
  newest: "requests_by_created_at",
} as const;

describe.skipIf(skipOnPostgres)("the board with the visibility condition", () => {
  it("walks each sort's index for visitors, members and staff, sorting nothing", async () => {
    await insertOrg("Someone else");
    const customer = await makeCustomer({ name: "Planner" });
    const category = await makeCategory();
    const viewers: [string, Actor | null][] = [
      ["visitor", null],
      ["member", customer.actor],
      ["staff", { ...customer.actor, isStaff: true }],
    ];
    for (const [name, viewer] of viewers) {
      for (const sort of ["orgs", "votes", "trending", "newest"] as const) {
        for (const status of [null, "all", "open"] as BoardStatusFilter[]) {
          for (const categoryId of [null, category.id]) {
            const plan = await boardPlan({ sort, status, categoryId, viewer });
            const label = `${name} ${sort} ${status} ${categoryId}: ${plan}`;
            expect(plan, label).not.toMatch(/TEMP B-TREE/);
            expect(plan, label).not.toMatch(/SCAN requests(?! USING)/);
            // "Newest" with one status or a category uses the index led by it instead.
            const index =
              sort === "newest" && categoryId !== null
                ? "requests_by_category_created_at"
                : sort === "newest" && status === "open"
                  ? "requests_by_status_created_at"
                  : EXPECTED_INDEX[sort];
            expect(plan, label).toContain(`USING INDEX ${index}`);
          }
        }
      }
    }
  });
});
