// The public roadmap: what is planned, what is being built, what shipped in the last 90 days.
//
// "Planned" holds both kinds of committed work that has not started: requests decided broadly
// useful (status planned) and sponsored ones whose quote is covered (status funded). A quoted
// request is not on it: until it is funded nobody has committed to building it.
//
// Each column is a bounded top-N read straight off an index, so the page costs the same with
// 100 requests or 100,000: planned and in progress walk requests_by_org_count (the board's
// "most organizations" order, with status and category checked inside the index entries),
// shipped walks requests_by_status_shipped_at from the newest.
import type { SelectQueryBuilder } from "kysely";
import { getDb, notIndexed, type Database } from "~/db.server";
import type { RequestDecision, RequestStatus } from "~/models/request-status";
import { ROADMAP_STATUSES } from "~/models/request-status";

export const ROADMAP_COLUMN_LIMIT = 30;
export const RECENTLY_SHIPPED_DAYS = 90;

export type RoadmapColumnKey = "planned" | "in_progress" | "shipped";

/** The statuses each column lists: derived from ROADMAP_STATUSES, with funded work planned too. */
export const ROADMAP_COLUMNS: Record<RoadmapColumnKey, readonly RequestStatus[]> = {
  planned: [ROADMAP_STATUSES[0], "funded"],
  in_progress: [ROADMAP_STATUSES[1]],
  shipped: [ROADMAP_STATUSES[2]],
};

export type RoadmapCard = {
  id: number;
  title: string;
  status: RequestStatus;
  decision: RequestDecision | null;
  categoryNameHe: string | null;
  categoryNameEn: string | null;
  orgCount: number;
  targetQuarter: string | null;
  shippedAt: string | null;
};

export type RoadmapColumn = { key: RoadmapColumnKey; cards: RoadmapCard[]; more: boolean };

function cards<O>(query: SelectQueryBuilder<Database, "requests", O>) {
  return query
    .leftJoin("categories", "categories.id", "requests.category_id")
    .select([
      "requests.id as id",
      "requests.title as title",
      "requests.status as status",
      "requests.decision as decision",
      "categories.name_he as categoryNameHe",
      "categories.name_en as categoryNameEn",
      "requests.org_count as orgCount",
      "requests.target_quarter as targetQuarter",
      "requests.shipped_at as shippedAt",
    ])
    .where("requests.visibility", "=", "public")
    .where("requests.merged_into_id", "is", null);
}

function withMore(rows: RoadmapCard[], limit: number) {
  return { cards: rows.slice(0, limit), more: rows.length > limit };
}

type Options = { categoryId?: number | null; limit?: number; nowMs?: number };

/**
 * Each column's query, `limit + 1` rows (one more tells whether there are more). Exported for
 * the test that reads their query plans.
 */
export function roadmapQueries({
  categoryId = null,
  limit = ROADMAP_COLUMN_LIMIT,
  nowMs = Date.now(),
}: Options = {}) {
  const db = getDb();
  const inCategory = <O>(query: SelectQueryBuilder<Database, "requests", O>) =>
    categoryId == null
      ? query
      : query.where(notIndexed<number>("requests.category_id"), "=", categoryId);
  // Open work: notIndexed keeps the planner on the org-count index (read in order, stopping
  // after `limit` matches) rather than reading every request of the status and sorting them.
  const work = (key: "planned" | "in_progress") =>
    inCategory(cards(db.selectFrom("requests")))
      .where(notIndexed<RequestStatus>("requests.status"), "in", ROADMAP_COLUMNS[key])
      .orderBy("requests.org_count", "desc")
      .orderBy("requests.vote_count", "desc")
      .orderBy("requests.created_at", "desc")
      .orderBy("requests.id", "desc")
      .limit(limit + 1);
  const since = new Date(nowMs - RECENTLY_SHIPPED_DAYS * 24 * 3600 * 1000).toISOString();
  const shipped = inCategory(cards(db.selectFrom("requests")))
    .where("requests.status", "=", "shipped")
    .where("requests.shipped_at", ">=", since)
    .orderBy("requests.shipped_at", "desc")
    .orderBy("requests.id", "desc")
    .limit(limit + 1);
  return { planned: work("planned"), in_progress: work("in_progress"), shipped };
}

/** The three columns, each its top `limit` cards and whether there are more. */
export async function getRoadmap(options: Options = {}): Promise<RoadmapColumn[]> {
  const limit = options.limit ?? ROADMAP_COLUMN_LIMIT;
  const queries = roadmapQueries({ ...options, limit });
  const keys = ["planned", "in_progress", "shipped"] as const;
  const results = await Promise.all(keys.map((key) => queries[key].execute()));
  return keys.map((key, i) => ({ key, ...withMore(results[i], limit) }));
}
