// The public roadmap: which requests sit in which column, in what order, bounded, filtered by
// category, and read off its indexes.
import type { CompiledQuery } from "kysely";
import { describe, expect, it } from "vitest";
import { getDb, type RequestDecision, type RequestStatus } from "~/db.server";
import { getRoadmap, roadmapQueries } from "~/models/roadmap.server";
import { loader as roadmapLoader } from "~/routes/roadmap";
import { makeCategory, makeCustomer, proposeRequest } from "../support/factories";
import { getRequest, run, testContext, unwrap } from "../support/requests";
import { skipOnPostgres } from "../support/engine";

const DAY = 24 * 3600 * 1000;

/** A request put straight into a state (the triage functions are tested on their own). */
async function requestIn(
  categoryId: number,
  status: RequestStatus,
  {
    decision = status === "funded" ? "sponsored" : "broad",
    orgCount = 1,
    shippedDaysAgo,
    visibility = "public",
    targetQuarter = null,
    title,
  }: {
    decision?: RequestDecision | null;
    orgCount?: number;
    shippedDaysAgo?: number;
    visibility?: "public" | "organization";
    targetQuarter?: string | null;
    title?: string;
  } = {},
) {
  const author = await makeCustomer({ name: "Roadmap Author" });
  const { id } = await proposeRequest(author, { categoryId, title });
  await getDb()
    .updateTable("requests")
    .set({
      status,
      decision,
      org_count: orgCount,
      visibility,
      target_quarter: targetQuarter,
      shipped_at:
        shippedDaysAgo === undefined
          ? null
          : new Date(Date.now() - shippedDaysAgo * DAY).toISOString(),
    })
    .where("id", "=", id)
    .execute();
  return id;
}

function ids(columns: Awaited<ReturnType<typeof getRoadmap>>) {
  return Object.fromEntries(columns.map((c) => [c.key, c.cards.map((card) => card.id)]));
}

describe("the roadmap's columns", () => {
  it("puts planned and funded work in planned, in-progress work, and what shipped in 90 days", async () => {
    const category = await makeCategory("Columns");
    const planned = await requestIn(category.id, "planned");
    const funded = await requestIn(category.id, "funded");
    const building = await requestIn(category.id, "in_progress");
    const shipped = await requestIn(category.id, "shipped", { shippedDaysAgo: 10 });
    await requestIn(category.id, "shipped", { shippedDaysAgo: 91 });
    await requestIn(category.id, "open", { decision: null });
    await requestIn(category.id, "quoted", { decision: "sponsored" });
    await requestIn(category.id, "declined", { decision: null });

    const columns = await getRoadmap({ categoryId: category.id });

    expect(ids(columns)).toEqual({
      planned: expect.arrayContaining([planned, funded]),
      in_progress: [building],
      shipped: [shipped],
    });
    expect(columns[0].cards).toHaveLength(2);
  });

  it("never shows organization-only or merged requests", async () => {
    const category = await makeCategory("Private");
    const visible = await requestIn(category.id, "planned");
    await requestIn(category.id, "planned", { visibility: "organization" });
    await requestIn(category.id, "in_progress", { visibility: "organization" });
    await requestIn(category.id, "shipped", { shippedDaysAgo: 1, visibility: "organization" });
    const merged = await requestIn(category.id, "planned");
    await getDb()
      .updateTable("requests")
      .set({ merged_into_id: visible })
      .where("id", "=", merged)
      .execute();

    expect(ids(await getRoadmap({ categoryId: category.id }))).toEqual({
      planned: [visible],
      in_progress: [],
      shipped: [],
    });
  });

  it("orders open work by organizations and shipped work newest first", async () => {
    const category = await makeCategory("Order");
    const few = await requestIn(category.id, "planned", { orgCount: 2 });
    const many = await requestIn(category.id, "funded", { orgCount: 9 });
    const some = await requestIn(category.id, "planned", { orgCount: 5 });
    const older = await requestIn(category.id, "shipped", { shippedDaysAgo: 30 });
    const newer = await requestIn(category.id, "shipped", { shippedDaysAgo: 2 });

    const columns = ids(await getRoadmap({ categoryId: category.id }));

    expect(columns.planned).toEqual([many, some, few]);
    expect(columns.shipped).toEqual([newer, older]);
  });

  it("shows the top of each column and says when there are more", async () => {
    const category = await makeCategory("Bounded");
    for (let i = 0; i < 3; i++) await requestIn(category.id, "in_progress", { orgCount: i });

    const columns = await getRoadmap({ categoryId: category.id, limit: 2 });

    const building = columns.find((c) => c.key === "in_progress")!;
    expect(building.cards.map((c) => c.orgCount)).toEqual([2, 1]);
    expect(building.more).toBe(true);
    expect(columns.find((c) => c.key === "planned")!.more).toBe(false);
  });

  it("filters by category through the URL and keeps what each card needs", async () => {
    const wanted = await makeCategory("Wanted");
    const other = await makeCategory("Other");
    const mine = await requestIn(wanted.id, "planned", {
      decision: "broad",
      orgCount: 4,
      targetQuarter: "2027-Q1",
      title: "A roadmap card with a quarter",
    });
    const theirs = await requestIn(other.id, "planned");

    const page = unwrap(
      await run(() =>
        roadmapLoader({
          request: getRequest(`/roadmap?category=${wanted.slug}`),
          params: {},
          context: testContext(),
        }),
      ),
    );

    expect(page.status).toBe(200);
    expect(page.data.category).toBe(wanted.slug);
    const planned = page.data.columns.find((c: { key: string }) => c.key === "planned");
    expect(planned.statuses).toEqual(["planned", "funded"]);
    const cardIds = planned.cards.map((c: { id: number }) => c.id);
    expect(cardIds).toContain(mine);
    expect(cardIds).not.toContain(theirs);
    expect(planned.cards.find((c: { id: number }) => c.id === mine)).toMatchObject({
      title: "A roadmap card with a quarter",
      decision: "broad",
      orgCount: 4,
      targetQuarter: "2027-Q1",
      categoryNameEn: "Wanted",
    });
  });

  it("ignores an unknown category in the URL", async () => {
    const page = unwrap(
      await run(() =>
        roadmapLoader({
          request: getRequest("/roadmap?category=no-such-category"),
          params: {},
          context: testContext(),
        }),
      ),
    );
    expect(page.status).toBe(200);
    expect(page.data.category).toBe("");
  });
});

describe.skipIf(skipOnPostgres)("the roadmap's queries", () => {
  /** SQLite's plan of the compiled query, with its parameters bound. */
  async function planOf(query: { compile(): CompiledQuery }) {
    const compiled = query.compile();
    const result = await getDb().executeQuery<{ detail: string }>({
      ...compiled,
      sql: `explain query plan ${compiled.sql}`,
    });
    return result.rows.map((r) => r.detail).join("\n");
  }

  it.each([null, 1])(
    "walk an index in order, without sorting (category %s)",
    async (categoryId) => {
      const queries = roadmapQueries({ categoryId });
      const planned = await planOf(queries.planned);
      const shipped = await planOf(queries.shipped);
      expect(planned).toMatch(/requests_by_org_count/);
      expect(shipped).toMatch(/requests_by_status_shipped_at/);
      for (const plan of [planned, shipped]) expect(plan).not.toMatch(/TEMP B-TREE/);
    },
  );
});
