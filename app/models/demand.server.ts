// The demand view, for staff: which organizations voted for a request (a page at a time, most
// voters first), how many of their members, when, and whether staff recorded any of those votes
// from what a customer said; and the request's votes per week over the last 12 weeks.
import { sql, type SqlBool } from "kysely";
import { getDb, type DemandSource } from "~/db.server";
import { requireStaff } from "~/auth/permissions.server";
import { allOf } from "~/utils";
import { ActionRefused, type Actor } from "./errors";

/** The first page shows the organizations with the most voters; later pages are longer. */
export const DEMAND_TOP = 10;
export const DEMAND_PAGE = 25;
export const DEMAND_PAGE_MAX = 100;
export const DEMAND_WEEKS = 12;

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;

export type DemandOrganization = {
  orgId: number;
  name: string;
  slug: string;
  memberCount: number;
  /** How many of its members voted (a member who left the organization still counts). */
  voters: number;
  firstVotedAt: string;
  lastVotedAt: string;
  /** Votes staff recorded for its members, and where the customer said it; null when none. */
  recorded: { votes: number; sources: DemandSource[] } | null;
};

/** One week of the chart: it starts on `start` (a Sunday, 00:00 UTC) and lasts seven days. */
export type DemandWeek = { start: string; votes: number };

export type Demand = {
  totals: { votes: number; organizations: number; votesInWeeks: number };
  organizations: DemandOrganization[];
  /** How many organizations come before this page (0 on the first). */
  offset: number;
  nextCursor: string | null;
  /** Oldest first; the last one is the current week, so far. */
  weeks: DemandWeek[];
};

type OrgCursor = { votes: number; orgId: number; offset: number };

/** An opaque cursor: the last organization's voters and id, and how many have been shown. */
export function encodeDemandCursor({ votes, orgId, offset }: OrgCursor): string {
  return Buffer.from(JSON.stringify(["orgs", votes, orgId, offset])).toString("base64url");
}

/** The position a cursor points after, or null when it is missing or malformed. */
export function decodeDemandCursor(cursor: string | null | undefined): OrgCursor | null {
  if (!cursor) return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (!Array.isArray(parsed) || parsed.length !== 4 || parsed[0] !== "orgs") return null;
    const [, votes, orgId, offset] = parsed as unknown[];
    const valid = [votes, orgId, offset].every((v) => Number.isSafeInteger(v) && Number(v) >= 0);
    return valid
      ? { votes: votes as number, orgId: orgId as number, offset: offset as number }
      : null;
  } catch {
    return null;
  }
}

/**
 * The starts of the last `DEMAND_WEEKS` weeks at `at`, oldest first, and the end of the current
 * one. Weeks start on Sunday, as the working week does in Israel, at 00:00 UTC.
 */
export function demandWeekStarts(at: Date): { starts: string[]; end: string } {
  const midnight = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
  const thisWeek = midnight - at.getUTCDay() * DAY_MS;
  const starts = Array.from({ length: DEMAND_WEEKS }, (_, i) =>
    new Date(thisWeek - (DEMAND_WEEKS - 1 - i) * WEEK_MS).toISOString(),
  );
  return { starts, end: new Date(thisWeek + WEEK_MS).toISOString() };
}

/**
 * The request's demand, for staff only (customers and visitors are refused with a 404, as if it
 * did not exist). Reads one page of organizations off request_org_votes (request, votes, org),
 * their first and last votes off votes (request, org, created_at), and the weeks as range counts
 * of votes (request, created_at): the cost follows the page (and the votes of the 12 weeks),
 * not the number of voters.
 * Organizations with as many voters are ordered by id, newest organization first (the order
 * the index is walked in).
 */
export async function getDemand({
  actor,
  requestId,
  cursor,
  limit,
  at = new Date(),
}: {
  actor: Actor | null;
  requestId: number;
  cursor?: string | null;
  limit?: number;
  /** "Now", for the weeks (tests). */
  at?: Date;
}): Promise<Demand> {
  const after = decodeDemandCursor(cursor);
  const pageSize = Math.min(
    Math.max(Math.trunc(limit ?? (after ? DEMAND_PAGE : DEMAND_TOP)) || 1, 1),
    DEMAND_PAGE_MAX,
  );
  const { starts, end } = demandWeekStarts(at);

  // A read: no transaction (SQLite's would take the write lock for it). The actor's row says
  // whether they are still staff. The reads that need nothing from each other start together
  // (on PostgreSQL each is a round trip of its own on the pool); nothing is returned unless the
  // check passed.
  if (!actor) throw new ActionRefused("error.404.title", 404);
  const db = getDb();

  let pageQuery = db
    .selectFrom("request_org_votes as rov")
    .innerJoin("organizations as o", "o.id", "rov.org_id")
    .select((eb) => {
      // One organization's votes on the request, off votes (request, org, created_at): its
      // first and last vote are each one index lookup.
      const votesOfOrg = () =>
        eb
          .selectFrom("votes as v")
          .whereRef("v.request_id", "=", "rov.request_id")
          .whereRef("v.org_id", "=", "rov.org_id");
      return [
        "rov.org_id as orgId",
        "rov.votes as voters",
        "o.name as name",
        "o.slug as slug",
        "o.member_count as memberCount",
        votesOfOrg()
          .select((v) => v.fn.min("v.created_at").as("at"))
          .as("firstVotedAt"),
        votesOfOrg()
          .select((v) => v.fn.max("v.created_at").as("at"))
          .as("lastVotedAt"),
      ];
    })
    .where("rov.request_id", "=", requestId);
  if (after) {
    // A row value comparison: a range of the index, read backwards from the cursor.
    pageQuery = pageQuery.where(
      sql<SqlBool>`(${sql.ref("rov.votes")}, ${sql.ref("rov.org_id")}) < (${after.votes}, ${after.orgId})`,
    );
  }
  // Each week is a range count of votes (request, created_at), all in one statement: the
  // index is counted, no vote row is read or returned (measured on the bench data's
  // most-voted request, 957 votes in 12 weeks: 0.13 ms, against 1.1 ms for reading the
  // range and bucketing it here, and 1.4 ms for one pass with a CASE per week).
  const bounds = [...starts, end];
  const { request, rows, weekCounts } = await allOf({
    staff: requireStaff(db, actor),
    request: db
      .selectFrom("requests")
      .select(["vote_count as votes", "org_count as organizations"])
      .where("id", "=", requestId)
      .executeTakeFirst(),
    rows: pageQuery
      .orderBy("rov.votes", "desc")
      .orderBy("rov.org_id", "desc")
      .limit(pageSize + 1)
      .execute(),
    weekCounts: starts
      .map((start, week) =>
        db
          .selectFrom("votes")
          .select((eb) => [eb.val(week).as("week"), eb.fn.countAll().as("votes")])
          .where("request_id", "=", requestId)
          .where("created_at", ">=", start)
          .where("created_at", "<", bounds[week + 1]),
      )
      .reduce((union, query) => union.unionAll(query))
      .execute(),
  });
  if (!request) throw new ActionRefused("request.error.notFound", 404);
  const page = rows.slice(0, pageSize);
  const orgIds = page.map((r) => r.orgId);

  const recorded = orgIds.length
    ? await db
        .selectFrom("votes")
        .select((eb) => ["org_id as orgId", "source", eb.fn.countAll().as("votes")])
        .where("request_id", "=", requestId)
        .where("org_id", "in", orgIds)
        .where("recorded_by", "is not", null)
        .groupBy(["org_id", "source"])
        .execute()
    : [];

  const recordedOf = new Map<number, { votes: number; sources: DemandSource[] }>();
  for (const row of recorded) {
    if (row.orgId === null) continue;
    const entry = recordedOf.get(row.orgId) ?? { votes: 0, sources: [] };
    entry.votes += Number(row.votes);
    if (row.source) entry.sources.push(row.source);
    recordedOf.set(row.orgId, entry);
  }
  const weeks = starts.map((start) => ({ start, votes: 0 }));
  for (const row of weekCounts) weeks[Number(row.week)].votes = Number(row.votes);

  const organizations = page.map((row): DemandOrganization => {
    const rec = recordedOf.get(row.orgId);
    return {
      orgId: row.orgId,
      name: row.name,
      slug: row.slug,
      memberCount: row.memberCount,
      voters: row.voters,
      firstVotedAt: String(row.firstVotedAt ?? ""),
      lastVotedAt: String(row.lastVotedAt ?? ""),
      recorded: rec ? { votes: rec.votes, sources: [...new Set(rec.sources)].sort() } : null,
    };
  });
  const offset = after?.offset ?? 0;
  const last = page[page.length - 1];
  return {
    totals: {
      votes: request.votes,
      organizations: request.organizations,
      votesInWeeks: weeks.reduce((sum, week) => sum + week.votes, 0),
    },
    organizations,
    offset,
    nextCursor:
      rows.length > pageSize && last
        ? encodeDemandCursor({
            votes: last.voters,
            orgId: last.orgId,
            offset: offset + page.length,
          })
        : null,
    weeks,
  };
}
