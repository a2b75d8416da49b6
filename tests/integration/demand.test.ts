// The demand view (staff): voting organizations by keyset, their counts and vote times, staff-
// recorded votes, the 12 weekly buckets; and the board's staff-only "waiting longest" sort.
import { CompiledQuery } from "kysely";
import { describe, expect, it, vi } from "vitest";
import { getDb } from "~/db.server";
import { ActionRefused } from "~/models/errors";
import {
  DEMAND_TOP,
  decodeDemandCursor,
  demandWeekStarts,
  getDemand,
  type DemandOrganization,
} from "~/models/demand.server";
import { listRequests } from "~/models/requests.server";
import { castVote, toggleVote } from "~/models/votes.server";
import { loader as requestLoader } from "~/routes/requests.$id/route";
import { loader as boardLoader } from "~/routes/_index";
import {
  addMember,
  makeCategory,
  makeCustomer,
  makeStaff,
  makeUser,
  proposeRequest,
  type Customer,
} from "../support/factories";
import { getRequest as getPage, sessionCookieFor, testContext, unwrap } from "../support/requests";
import { skipOnPostgres } from "../support/engine";

/** A request voted for by `voters[i]` members of organization i (plus idle members). */
async function requestWithOrganizations(voters: number[], idleMembers = 1) {
  const author = await makeCustomer({ name: "Author" });
  const { id } = await proposeRequest(author);
  const orgs: Customer[][] = [];
  for (const count of voters) {
    const first = await makeCustomer({ name: "Voter" });
    const members = [first];
    for (let i = 1; i < count + idleMembers; i++)
      members.push(await makeCustomer({ name: "Voter", orgId: first.orgId }));
    for (const member of members.slice(0, count))
      await toggleVote({ requestId: id, actor: member.actor, orgId: member.orgId });
    orgs.push(members);
  }
  return { id, author, orgs };
}

async function allPages(requestId: number, actor: Awaited<ReturnType<typeof makeStaff>>) {
  const pages: DemandOrganization[][] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 50; i++) {
    const page = await getDemand({ actor, requestId, cursor, limit: i === 0 ? undefined : 4 });
    pages.push(page.organizations);
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  return pages;
}

describe("the demand view's organizations", () => {
  it("lists the most voters first, then the newer organization, and pages through every one exactly once", async () => {
    const { id, author, orgs } = await requestWithOrganizations([
      1, 3, 2, 1, 4, 2, 1, 1, 3, 1, 2, 1, 1, 2,
    ]);
    const staff = await makeStaff();
    const pages = await allPages(id, staff);

    // The first page is the top ten; the rest come four at a time.
    expect(pages.map((p) => p.length)).toEqual([DEMAND_TOP, 4, 1]);
    const listed = pages.flat();
    const orgIds = [author.orgId, ...orgs.map((members) => members[0].orgId)];
    expect(listed.map((o) => o.orgId).sort((a, b) => a - b)).toEqual(
      [...orgIds].sort((a, b) => a - b),
    );
    expect(new Set(listed.map((o) => o.orgId)).size).toBe(listed.length);
    const order = [...listed].sort((a, b) => b.voters - a.voters || b.orgId - a.orgId);
    expect(listed.map((o) => o.orgId)).toEqual(order.map((o) => o.orgId));
    expect(listed[0].voters).toBe(4);
  });

  it("counts voters, members, first and last votes exactly, with the totals", async () => {
    const { id, orgs } = await requestWithOrganizations([3, 1], 2);
    const staff = await makeStaff();
    const demand = await getDemand({ actor: staff, requestId: id });
    const db = getDb();
    for (const org of demand.organizations) {
      const counted = await db
        .selectFrom("votes")
        .select((eb) => [
          eb.fn.countAll<number>().as("voters"),
          eb.fn.min("created_at").as("first"),
          eb.fn.max("created_at").as("last"),
        ])
        .where("request_id", "=", id)
        .where("org_id", "=", org.orgId)
        .executeTakeFirstOrThrow();
      const members = await db
        .selectFrom("memberships")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("org_id", "=", org.orgId)
        .executeTakeFirstOrThrow();
      expect(org).toMatchObject({
        voters: counted.voters,
        memberCount: members.n,
        firstVotedAt: counted.first,
        lastVotedAt: counted.last,
      });
    }
    const biggest = demand.organizations.find((o) => o.orgId === orgs[0][0].orgId)!;
    expect(biggest).toMatchObject({ voters: 3, memberCount: 5 });
    // (Equal when its three votes fell in one millisecond: the exact values are checked above.)
    expect(biggest.firstVotedAt <= biggest.lastVotedAt).toBe(true);
    const request = await db
      .selectFrom("requests")
      .select(["vote_count", "org_count"])
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(demand.totals).toMatchObject({ votes: 5, organizations: 3 });
    expect(demand.totals).toMatchObject({
      votes: request.vote_count,
      organizations: request.org_count,
    });

    // A withdrawn vote leaves the counts exact.
    await toggleVote({ requestId: id, actor: orgs[0][0].actor, orgId: orgs[0][0].orgId });
    const after = await getDemand({ actor: staff, requestId: id });
    expect(after.organizations.find((o) => o.orgId === orgs[0][0].orgId)!.voters).toBe(2);
    expect(after.totals.votes).toBe(4);
  });

  it("marks the organizations some of whose votes staff recorded, with the sources", async () => {
    const { id, orgs } = await requestWithOrganizations([1, 1], 2);
    const staff = await makeStaff();
    const [recordedOrg, plainOrg] = orgs;
    const db = getDb();
    // Two members of the first organization told staff: by WhatsApp and at a meeting.
    for (const [member, source] of [
      [recordedOrg[1], "whatsapp"],
      [recordedOrg[2], "meeting"],
    ] as const) {
      await db.transaction().execute((trx) =>
        castVote(trx, {
          requestId: id,
          userId: member.actor.id,
          orgId: member.orgId,
          at: new Date().toISOString(),
          recordedBy: staff.id,
        }),
      );
      await db
        .updateTable("votes")
        .set({ source })
        .where("request_id", "=", id)
        .where("user_id", "=", member.actor.id)
        .execute();
    }
    const demand = await getDemand({ actor: staff, requestId: id });
    const of = (orgId: number) => demand.organizations.find((o) => o.orgId === orgId)!;
    expect(of(recordedOrg[0].orgId)).toMatchObject({
      voters: 3,
      recorded: { votes: 2, sources: ["meeting", "whatsapp"] },
    });
    expect(of(plainOrg[0].orgId).recorded).toBeNull();
  });

  it("starts over at the top for a malformed cursor", async () => {
    const { id } = await requestWithOrganizations([2, 1]);
    const staff = await makeStaff();
    const top = await getDemand({ actor: staff, requestId: id });
    for (const cursor of ["nonsense", "WyJvcmdzIiwtMSwxLDBd", ""]) {
      const page = await getDemand({ actor: staff, requestId: id, cursor });
      expect(page.offset).toBe(0);
      expect(page.organizations).toEqual(top.organizations);
    }
    expect(decodeDemandCursor("WyJvcmdzIiwtMSwxLDBd")).toBeNull();
  });

  it("refuses customers, visitors and revoked staff with a 404, and knows no missing request", async () => {
    const { id, author } = await requestWithOrganizations([1]);
    const refusal = { status: 404, messageKey: "error.404.title" };
    await expect(getDemand({ actor: author.actor, requestId: id })).rejects.toMatchObject(refusal);
    await expect(getDemand({ actor: null, requestId: id })).rejects.toBeInstanceOf(ActionRefused);
    await expect(getDemand({ actor: null, requestId: id })).rejects.toMatchObject(refusal);
    // The session still says staff, the row no longer does.
    const revoked = await makeStaff();
    await getDb().updateTable("users").set({ is_staff: 0 }).where("id", "=", revoked.id).execute();
    await expect(getDemand({ actor: revoked, requestId: id })).rejects.toMatchObject(refusal);
    await expect(getDemand({ actor: await makeStaff(), requestId: 999_999 })).rejects.toMatchObject(
      { status: 404 },
    );
  });
});

/** The plans of the queries `fn` runs on the database, with their SQL. */
async function queryPlans(fn: () => Promise<unknown>) {
  // On the executors' class, so that a transaction's executor (a new one) is watched too.
  const executors = Object.getPrototypeOf(getDb().getExecutor()) as ReturnType<
    ReturnType<typeof getDb>["getExecutor"]
  >;
  const original = executors.executeQuery;
  const seen: CompiledQuery[] = [];
  const spy = vi.spyOn(executors, "executeQuery").mockImplementation(function (
    this: typeof executors,
    query,
    ...rest
  ) {
    seen.push(query);
    return original.call(this, query, ...rest);
  });
  try {
    await fn();
  } finally {
    spy.mockRestore();
  }
  const plans: { sql: string; plan: string }[] = [];
  for (const query of seen.filter((q) => /^select/i.test(q.sql))) {
    const plan = await getDb().executeQuery<{ detail: string }>(
      CompiledQuery.raw(`explain query plan ${query.sql}`, [...query.parameters]),
    );
    plans.push({ sql: query.sql, plan: plan.rows.map((r) => r.detail).join("\n") });
  }
  return plans;
}

describe("the demand view's queries", () => {
  it.skipIf(skipOnPostgres)(
    "read a page and the weeks off indexes, never every vote of the request",
    async () => {
      const { id } = await requestWithOrganizations([2, 1, 1, 3]);
      const staff = await makeStaff();
      const { nextCursor } = await getDemand({ actor: staff, requestId: id, limit: 1 });
      const plans = await queryPlans(() =>
        getDemand({ actor: staff, requestId: id, cursor: nextCursor, limit: 2 }),
      );
      const touching = (table: string) =>
        plans.filter((p) => new RegExp(`from "${table}"`).test(p.sql));
      const page = touching("request_org_votes");
      expect(page).toHaveLength(1);
      expect(page[0].plan).toMatch(/USING COVERING INDEX request_org_votes_by_votes/);
      expect(page[0].plan).not.toMatch(/TEMP B-TREE/);
      // First and last votes, the staff-recorded ones: each organization's own votes.
      expect(page[0].plan).toMatch(/USING COVERING INDEX votes_by_request_org/);
      const votes = touching("votes").filter((p) => p !== page[0]);
      expect(votes.length).toBeGreaterThan(0);
      for (const { sql, plan } of votes) {
        expect(plan, sql).toMatch(/INDEX votes_by_request_(org|created_at) \(request_id=\? AND/);
      }
      expect(votes.some((p) => /votes_by_request_created_at/.test(p.plan))).toBe(true);
    },
  );

  it.skipIf(skipOnPostgres)(
    "read the waiting-longest board off requests_by_status_created_at, in order",
    async () => {
      const staff = await makeStaff();
      const category = await makeCategory("Plans");
      await proposeRequest(await makeCustomer(), { categoryId: category.id });
      await proposeRequest(await makeCustomer(), { categoryId: category.id });
      const cursor = (await listRequests({ sort: "waiting", limit: 1, viewer: staff })).nextCursor;
      expect(cursor).not.toBeNull();
      for (const args of [
        { cursor: null, categoryId: null },
        { cursor, categoryId: null },
        { cursor, categoryId: category.id },
      ]) {
        const plans = await queryPlans(() =>
          listRequests({ sort: "waiting", viewer: staff, ...args }),
        );
        const board = plans.filter((p) => /order by/.test(p.sql) && /"requests"/.test(p.sql));
        expect(board, JSON.stringify(args)).toHaveLength(1);
        expect(board[0].plan, JSON.stringify(args)).toMatch(
          /USING (COVERING )?INDEX requests_by_(status|category)_created_at/,
        );
        expect(board[0].plan, JSON.stringify(args)).not.toMatch(/TEMP B-TREE/);
      }
    },
  );
});

describe("the demand view's weeks", () => {
  it("starts weeks on Sunday 00:00 UTC, the current one last", () => {
    // Wednesday 10 March 2027.
    const { starts, end } = demandWeekStarts(new Date("2027-03-10T12:00:00Z"));
    expect(starts).toHaveLength(12);
    expect(starts[11]).toBe("2027-03-07T00:00:00.000Z");
    expect(starts[0]).toBe("2026-12-20T00:00:00.000Z");
    expect(end).toBe("2027-03-14T00:00:00.000Z");
    // On Sunday itself the week is the one just begun.
    expect(demandWeekStarts(new Date("2027-03-07T00:00:00Z")).starts[11]).toBe(
      "2027-03-07T00:00:00.000Z",
    );
    expect(demandWeekStarts(new Date("2027-03-06T23:59:59.999Z")).starts[11]).toBe(
      "2027-02-28T00:00:00.000Z",
    );
  });

  it("counts each vote in its week, on either side of a boundary, and none outside the 12", async () => {
    const author = await makeCustomer();
    const { id } = await proposeRequest(author);
    const at = new Date("2027-03-10T12:00:00Z");
    const times = [
      "2026-12-19T23:59:59.999Z", // before the first week
      "2026-12-20T00:00:00.000Z", // the first week's first instant
      "2026-12-26T23:59:59.999Z", // the first week's last
      "2026-12-27T00:00:00.000Z", // the second week
      "2027-03-06T23:59:59.999Z", // the week before this one
      "2027-03-07T00:00:00.000Z", // this week
      "2027-03-10T11:00:00.000Z", // this week
      "2027-03-14T00:00:00.000Z", // next week: not yet
    ];
    const org = await makeCustomer();
    for (const time of times) {
      const voter = await makeUser();
      await getDb()
        .transaction()
        .execute((trx) =>
          castVote(trx, { requestId: id, userId: voter.id, orgId: org.orgId, at: time }),
        );
    }
    const demand = await getDemand({ actor: await makeStaff(), requestId: id, at });
    expect(demand.weeks.map((w) => w.start)).toEqual(demandWeekStarts(at).starts);
    expect(demand.weeks.map((w) => w.votes)).toEqual([2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2]);
    expect(demand.totals.votesInWeeks).toBe(6);
    // The author's own vote (today, outside these weeks) counts in the total only.
    expect(demand.totals.votes).toBe(times.length + 1);
  });
});

describe("the request page for staff", () => {
  it("shows staff the top organizations and the next page at ?orgs=, customers nothing", async () => {
    const { id, author } = await requestWithOrganizations(Array(12).fill(1));
    const staff = await makeUser({ name: "Staff", isStaff: true });
    const staffCookie = await sessionCookieFor(staff);
    const load = async (path: string, cookie?: string) =>
      unwrap(
        await requestLoader({
          request: getPage(path, cookie ? { cookie } : {}),
          params: { id: String(id) },
          context: testContext(),
        }),
      ).data;
    const first = await load(`/requests/${id}`, staffCookie);
    expect(first.demand.organizations).toHaveLength(DEMAND_TOP);
    const second = await load(
      `/requests/${id}?orgs=${encodeURIComponent(first.demand.nextCursor)}`,
      staffCookie,
    );
    expect(second.demand.offset).toBe(DEMAND_TOP);
    const ids = [...first.demand.organizations, ...second.demand.organizations].map(
      (o: DemandOrganization) => o.orgId,
    );
    expect(ids).toHaveLength(13);
    expect(new Set(ids).size).toBe(13);
    expect(second.demand.nextCursor).toBeNull();

    const member = await makeUser({ name: "Member" });
    await addMember(author.orgId, member.id);
    expect((await load(`/requests/${id}`, await sessionCookieFor(member))).demand).toBeNull();
    expect((await load(`/requests/${id}`)).demand).toBeNull();
  });
});

describe("the board's waiting-longest sort", () => {
  async function openRequestsAged(ages: number[]) {
    const category = await makeCategory("Waiting");
    const author = await makeCustomer();
    const ids: number[] = [];
    const base = Date.now();
    for (const days of ages) {
      const { id } = await proposeRequest(author, { categoryId: category.id });
      const created = new Date(base - days * 86_400_000).toISOString();
      await getDb()
        .updateTable("requests")
        .set({ created_at: created })
        .where("id", "=", id)
        .execute();
      ids.push(id);
    }
    return { category, ids };
  }

  it("lists staff the open requests oldest first, paged by keyset; customers get the default", async () => {
    const staff = await makeStaff();
    const { category, ids } = await openRequestsAged([3, 40, 10, 40, 1, 25]);
    // A planned request, however old, is not waiting for a decision.
    await getDb()
      .updateTable("requests")
      .set({ status: "planned", created_at: "2020-01-01T00:00:00.000Z" })
      .where("id", "=", ids[4])
      .execute();
    const seen: number[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 10; i++) {
      const page = await listRequests({
        sort: "waiting",
        categoryId: category.id,
        cursor,
        limit: 2,
        viewer: staff,
      });
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    // 40 days twice: the older id first; then 25, 10 and 3 days.
    expect(seen).toEqual([ids[1], ids[3], ids[5], ids[2], ids[0]]);

    const asCustomer = await listRequests({ sort: "waiting", categoryId: category.id });
    const byDefault = await listRequests({ categoryId: category.id });
    expect(asCustomer.items.map((item) => item.id)).toEqual(byDefault.items.map((i) => i.id));
    expect(asCustomer.items.map((item) => item.id)).toContain(ids[4]);
  });

  it("is offered on the board to staff only; a customer's ?sort=waiting shows the default order", async () => {
    const staff = await makeUser({ name: "Staff", isStaff: true });
    const customer = await makeUser({ name: "Customer" });
    const board = async (cookie: string) =>
      unwrap(
        await boardLoader({
          request: getPage("/?sort=waiting", { cookie }),
          params: {},
          context: testContext(),
        }),
      ).data;
    const asStaff = await board(await sessionCookieFor(staff));
    expect(asStaff).toMatchObject({ isStaff: true, filters: { sort: "waiting" } });
    const created = asStaff.items.map((item: { createdAt: string }) => item.createdAt);
    expect(created).toEqual([...created].sort());
    const asCustomer = await board(await sessionCookieFor(customer));
    expect(asCustomer).toMatchObject({ isStaff: false, filters: { sort: "" } });
  });
});
