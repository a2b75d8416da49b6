import { CompiledQuery } from "kysely";
import { describe, expect, it, vi } from "vitest";
import { getDb, type RequestStatus } from "~/db.server";
import { followRequest, unfollowRequest } from "~/models/follows.server";
import {
  createRequest,
  decodeCursor,
  encodeCursor,
  findSimilarRequests,
  getRequest,
  listRequests,
  listStatusEvents,
  REQUEST_STATUSES,
  type BoardItem,
  type BoardSort,
} from "~/models/requests.server";
import { toggleVote } from "~/models/votes.server";
import {
  countersAndCounts,
  makeCategory,
  makeCustomer,
  makeStaff,
  proposeRequest,
} from "../support/factories";
import { skipOnPostgres } from "../support/engine";

describe("proposing a request", () => {
  it("opens it with the author's vote and follow, a timeline entry and a search entry", async () => {
    const category = await makeCategory("Invoices");
    const author = await makeCustomer({ name: "Dana" });
    const { id } = await createRequest({
      actor: author.actor,
      orgId: author.orgId,
      title: "  Export   invoices to Excel  ",
      bodyMd: "We need **all** invoices as a spreadsheet.",
      categoryId: category.id,
    });

    const request = await getRequest({ id, viewer: author.actor });
    expect(request).toMatchObject({
      title: "Export invoices to Excel",
      status: "open",
      voteCount: 1,
      orgCount: 1,
      followerCount: 1,
      commentCount: 0,
      authorName: "Dana",
      orgId: author.orgId,
      categoryNameEn: "Invoices",
      voted: true,
      following: true,
    });
    expect(request!.bodyHtml).toContain("<strong>all</strong>");
    const { stored, counted } = await countersAndCounts(id);
    expect(stored).toMatchObject({
      vote_count: counted.vote_count,
      org_count: counted.org_count,
      follower_count: counted.follower_count,
    });

    const events = await listStatusEvents({ requestId: id });
    expect(events).toEqual([
      expect.objectContaining({ fromStatus: null, toStatus: "open", actorName: "Dana" }),
    ]);

    const similar = await findSimilarRequests("export invoi", null);
    expect(similar.map((s) => s.id)).toContain(id);
  });

  it("refuses titles shorter than 8 or longer than 120 characters", async () => {
    const category = await makeCategory();
    const author = await makeCustomer();
    for (const title of ["short", "       x      ", "x".repeat(121)]) {
      await expect(
        createRequest({
          actor: author.actor,
          orgId: author.orgId,
          title,
          bodyMd: "",
          categoryId: category.id,
        }),
      ).rejects.toMatchObject({
        messageKey: "request.error.titleLength",
        status: 400,
        field: "title",
      });
    }
    // Exactly at the limits, counted in characters (Hebrew included).
    await createRequest({
      actor: author.actor,
      orgId: author.orgId,
      title: "חשבונית",
      bodyMd: "",
      categoryId: category.id,
    }).then(
      () => expect.unreachable("7 letters are too few"),
      (error) => expect(error).toMatchObject({ field: "title" }),
    );
    await createRequest({
      actor: author.actor,
      orgId: author.orgId,
      title: "חשבוניות",
      bodyMd: "",
      categoryId: category.id,
    });
    await createRequest({
      actor: author.actor,
      orgId: author.orgId,
      title: "א".repeat(120),
      bodyMd: "",
      categoryId: category.id,
    });
  });

  it("refuses a customer without a current organization, and unknown or archived categories", async () => {
    const category = await makeCategory();
    const author = await makeCustomer();
    const stranger = await makeCustomer();
    const input = { title: "A perfectly fine title", bodyMd: "", categoryId: category.id };

    await expect(
      createRequest({ ...input, actor: author.actor, orgId: null }),
    ).rejects.toMatchObject({
      messageKey: "request.error.orgRequired",
    });
    await expect(
      createRequest({ ...input, actor: author.actor, orgId: stranger.orgId }),
    ).rejects.toMatchObject({
      messageKey: "request.error.orgRequired",
    });
    await expect(
      createRequest({ ...input, actor: author.actor, orgId: author.orgId, categoryId: 999_999 }),
    ).rejects.toMatchObject({
      messageKey: "request.error.categoryUnknown",
      field: "categoryId",
    });
    await getDb()
      .updateTable("categories")
      .set({ archived_at: new Date().toISOString() })
      .where("id", "=", category.id)
      .execute();
    await expect(
      createRequest({ ...input, actor: author.actor, orgId: author.orgId }),
    ).rejects.toMatchObject({
      messageKey: "request.error.categoryUnknown",
    });
  });

  it("lets staff propose without an organization, and audits it", async () => {
    const category = await makeCategory();
    const staff = await makeStaff();
    const { id } = await createRequest({
      actor: staff,
      title: "Staff proposes something",
      bodyMd: "",
      categoryId: category.id,
    });
    const request = await getRequest({ id, viewer: null });
    expect(request).toMatchObject({
      orgId: null,
      orgName: null,
      voteCount: 1,
      orgCount: 0,
      voted: false,
      following: false,
    });
    const audit = await getDb()
      .selectFrom("audit_log")
      .selectAll()
      .where("action", "=", "request.created")
      .where("subject_id", "=", id)
      .execute();
    expect(audit).toHaveLength(1);
  });
});

describe("the request page", () => {
  it("is readable by anonymous visitors, with safe HTML", async () => {
    const author = await makeCustomer();
    const { id } = await proposeRequest(author, {
      bodyMd: "Hi <script>alert(1)</script> [x](javascript:alert(1))",
    });
    const request = await getRequest({ id, viewer: null });
    expect(request).toMatchObject({
      voted: false,
      following: false,
      canSeeVotingOrganizations: false,
    });
    expect(request!.bodyHtml).not.toContain("<script");
    expect(request!.bodyHtml).not.toContain('href="javascript:');
    expect(await getRequest({ id: 123_456_789 })).toBeNull();
  });

  it("lets staff see which organizations voted (demand.test.ts has the view itself)", async () => {
    const author = await makeCustomer({ name: "Author" });
    const { id } = await proposeRequest(author);
    expect((await getRequest({ id, viewer: author.actor }))!.canSeeVotingOrganizations).toBe(false);
    expect((await getRequest({ id, viewer: await makeStaff() }))!.canSeeVotingOrganizations).toBe(
      true,
    );
  });
});

describe("following", () => {
  it("follows and unfollows, keeping follower_count exact and idempotent", async () => {
    const author = await makeCustomer();
    const { id } = await proposeRequest(author);
    const reader = await makeCustomer();

    expect(await followRequest({ requestId: id, actor: reader.actor })).toEqual({
      following: true,
      followerCount: 2,
    });
    expect(await followRequest({ requestId: id, actor: reader.actor })).toEqual({
      following: true,
      followerCount: 2,
    });
    expect((await getRequest({ id, viewer: reader.actor }))!.following).toBe(true);
    expect(await unfollowRequest({ requestId: id, actor: reader.actor })).toEqual({
      following: false,
      followerCount: 1,
    });
    expect(await unfollowRequest({ requestId: id, actor: reader.actor })).toEqual({
      following: false,
      followerCount: 1,
    });
    // The author may unfollow their own request too; voting again follows again.
    expect(await unfollowRequest({ requestId: id, actor: author.actor })).toEqual({
      following: false,
      followerCount: 0,
    });
    await toggleVote({ requestId: id, actor: author.actor, orgId: author.orgId });
    await toggleVote({ requestId: id, actor: author.actor, orgId: author.orgId });
    const { stored, counted } = await countersAndCounts(id);
    expect(stored.follower_count).toBe(1);
    expect(counted.follower_count).toBe(1);
    await expect(followRequest({ requestId: 999_999, actor: reader.actor })).rejects.toMatchObject({
      status: 404,
    });
  });
});

describe("the board", () => {
  /** Each sort's order, all descending: its counter, then votes, then age (newer first), then id. */
  // "waiting" (staff only, ascending) is tested in demand.test.ts.
  const SORT_KEY: Record<
    Exclude<BoardSort, "relevance" | "waiting">,
    (r: BoardItem) => (number | string)[]
  > = {
    orgs: (r) => [r.orgCount, r.voteCount, r.createdAt, r.id],
    votes: (r) => [r.voteCount, r.createdAt, r.id],
    trending: (r) => [r.recentVoteCount, r.voteCount, r.createdAt, r.id],
    newest: (r) => [r.createdAt, r.id],
  };
  /** Whether key a comes strictly before key b in descending order. */
  function before(a: (number | string)[], b: (number | string)[]) {
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] > b[i];
    return false;
  }

  async function allPages(args: Parameters<typeof listRequests>[0], pageSize: number) {
    const seen: BoardItem[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 100; pages++) {
      const page = await listRequests({ ...args, cursor, limit: pageSize });
      expect(page.items.length).toBeLessThanOrEqual(pageSize);
      seen.push(...page.items);
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    return seen;
  }

  /** A category of 23 requests whose counters and creation times tie in groups. */
  async function boardWithTies() {
    const category = await makeCategory("Board");
    const author = await makeCustomer();
    const ids: number[] = [];
    for (let i = 0; i < 23; i++) {
      const { id } = await proposeRequest(author, {
        categoryId: category.id,
        // Each board of its own titles: the same title twice would be a duplicate request.
        title: `Board ${category.id} request number ${i}`,
      });
      ids.push(id);
    }
    // Counters and times arranged directly: many ties, so the id breaks them.
    for (const [i, id] of ids.entries()) {
      await getDb()
        .updateTable("requests")
        .set({
          org_count: i % 3,
          vote_count: i % 4,
          recent_vote_count: i % 2,
          created_at: `2026-01-0${1 + (i % 5)}T00:00:00.000Z`,
          status: i % 6 === 0 ? "planned" : "open",
        })
        .where("id", "=", id)
        .execute();
    }
    return { category, ids };
  }

  it("breaks ties by votes, then age (newer first), and pages through ties without skipping or repeating", async () => {
    const category = await makeCategory("Ties");
    const author = await makeCustomer();
    const made: number[] = [];
    for (let i = 0; i < 6; i++) {
      made.push((await proposeRequest(author, { categoryId: category.id })).id);
    }
    const [a, b, c, d, e, f] = made;
    // All six have 2 organizations; votes and ages decide, and e and f tie on everything but id.
    const set = async (id: number, votes: number, createdAt: string) =>
      getDb()
        .updateTable("requests")
        .set({ org_count: 2, vote_count: votes, created_at: createdAt })
        .where("id", "=", id)
        .execute();
    await set(a, 5, "2026-01-01T00:00:00.000Z");
    await set(b, 9, "2026-01-01T00:00:00.000Z");
    await set(c, 5, "2026-03-01T00:00:00.000Z");
    await set(d, 1, "2026-02-01T00:00:00.000Z");
    await set(e, 5, "2026-02-01T00:00:00.000Z");
    await set(f, 5, "2026-02-01T00:00:00.000Z");
    const expected = [b, c, f, e, a, d];
    for (const pageSize of [1, 2, 4, 6]) {
      const seen = await allPages({ sort: "orgs", categoryId: category.id }, pageSize);
      expect(
        seen.map((r) => r.id),
        `page size ${pageSize}`,
      ).toEqual(expected);
    }
  });

  it("returns every request exactly once across pages, in order, for each sort", async () => {
    const { category, ids } = await boardWithTies();
    for (const sort of ["orgs", "votes", "trending", "newest"] as const) {
      for (const pageSize of [1, 4, 7, 25]) {
        const seen = await allPages({ sort, categoryId: category.id }, pageSize);
        expect(seen.map((r) => r.id).sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));
        const key = SORT_KEY[sort];
        for (let i = 1; i < seen.length; i++) {
          const [a, b] = [seen[i - 1], seen[i]];
          expect(before(key(a), key(b)), `${sort} page size ${pageSize} at ${i}`).toBe(true);
        }
      }
    }
  });

  it("shows open work by default, and the rest one filter away", async () => {
    const category = await makeCategory("Scope");
    const author = await makeCustomer();
    const byStatus = new Map<RequestStatus, number>();
    for (const status of REQUEST_STATUSES) {
      const { id } = await proposeRequest(author, { categoryId: category.id });
      await getDb().updateTable("requests").set({ status }).where("id", "=", id).execute();
      byStatus.set(status, id);
    }
    const ids = (statuses: RequestStatus[]) =>
      statuses.map((s) => byStatus.get(s)!).sort((x, y) => x - y);
    const listed = async (status?: RequestStatus | "all" | null) =>
      (await allPages({ sort: "newest", categoryId: category.id, status }, 50))
        .map((r) => r.id)
        .sort((x, y) => x - y);

    expect(await listed()).toEqual(ids(["open", "planned", "in_progress", "quoted", "funded"]));
    expect(await listed("all")).toEqual(
      ids(REQUEST_STATUSES.filter((s) => s !== "merged") as RequestStatus[]),
    );
    for (const status of REQUEST_STATUSES)
      expect(await listed(status), status).toEqual(ids([status]));
    // Every sort applies the same default.
    for (const sort of ["orgs", "votes", "trending"] as const) {
      const seen = await allPages({ sort, categoryId: category.id }, 50);
      expect(
        seen.map((r) => r.id).sort((x, y) => x - y),
        sort,
      ).toEqual(await listed());
    }
  });

  it("filters by status and category, and hides merged requests unless asked for", async () => {
    const { category, ids } = await boardWithTies();
    const planned = ids.filter((_, i) => i % 6 === 0);
    const seen = await allPages({ sort: "orgs", categoryId: category.id, status: "planned" }, 2);
    expect(seen.map((r) => r.id).sort((a, b) => a - b)).toEqual(planned);
    expect(seen.every((r) => r.status === "planned")).toBe(true);

    // The status filter alone sees other categories too; the category filter keeps only its own.
    const other = await proposeRequest(await makeCustomer(), { title: "Elsewhere but planned" });
    await getDb()
      .updateTable("requests")
      .set({ status: "planned" })
      .where("id", "=", other.id)
      .execute();
    const allPlanned = await allPages({ sort: "newest", status: "planned" }, 50);
    expect(allPlanned.map((r) => r.id)).toEqual(expect.arrayContaining([...planned, other.id]));
    expect(
      (await allPages({ sort: "newest", categoryId: category.id }, 50)).map((r) => r.id),
    ).not.toContain(other.id);

    await getDb()
      .updateTable("requests")
      .set({ status: "merged" })
      .where("id", "=", ids[1])
      .execute();
    expect(
      (await allPages({ sort: "votes", categoryId: category.id }, 50)).map((r) => r.id),
    ).not.toContain(ids[1]);
    const merged = await listRequests({
      sort: "votes",
      categoryId: category.id,
      status: "merged" as RequestStatus,
    });
    expect(merged.items.map((r) => r.id)).toEqual([ids[1]]);
  });

  it("searches within the filters and keeps paging through the hits", async () => {
    const category = await makeCategory("Search board");
    const author = await makeCustomer();
    const hits: number[] = [];
    for (let i = 0; i < 9; i++) {
      hits.push(
        (
          await proposeRequest(author, {
            categoryId: category.id,
            title: `Recurring invoices, variant ${i}`,
          })
        ).id,
      );
      await proposeRequest(author, {
        categoryId: category.id,
        title: `Dark mode for the app, variant ${i}`,
      });
    }
    const seen = await allPages({ sort: "orgs", categoryId: category.id, q: "recurring invo" }, 4);
    expect(seen.map((r) => r.id).sort((a, b) => a - b)).toEqual(hits);
    expect(
      (await listRequests({ categoryId: category.id, q: "nothing matches this" })).items,
    ).toEqual([]);
    // Only punctuation: no search at all.
    expect(
      (await listRequests({ categoryId: category.id, q: "?!", limit: 100 })).items,
    ).toHaveLength(18);
  });

  it.skipIf(skipOnPostgres)(
    "reads every board page off an index, sorted by it, whatever the sort and filters",
    async () => {
      const category = await makeCategory("Plans");
      await proposeRequest(await makeCustomer(), {
        categoryId: category.id,
        title: "Planned work",
      });
      // Every query the board runs is captured, then explained.
      const executor = getDb().getExecutor();
      const original = executor.executeQuery.bind(executor);
      let seen: CompiledQuery[] = [];
      const spy = vi
        .spyOn(executor, "executeQuery")
        .mockImplementation((query, ...rest) => (seen.push(query), original(query, ...rest)));
      const cursor = (await listRequests({ limit: 1 })).nextCursor;
      const cases: { args: Parameters<typeof listRequests>[0]; query: CompiledQuery }[] = [];
      try {
        for (const sort of ["orgs", "votes", "trending", "newest"] as const) {
          for (const status of [null, "all", "planned"] as const) {
            for (const categoryId of [null, category.id]) {
              const args = { sort, status, categoryId, cursor: sort === "orgs" ? cursor : null };
              seen = [];
              await listRequests(args);
              const board = seen.filter((q) => /order by/.test(q.sql) && /"requests"/.test(q.sql));
              expect(board, JSON.stringify(args)).toHaveLength(1);
              cases.push({ args, query: board[0] });
            }
          }
        }
      } finally {
        spy.mockRestore();
      }
      for (const { args, query } of cases) {
        const plan = await getDb().executeQuery<{ detail: string }>(
          CompiledQuery.raw(`explain query plan ${query.sql}`, [...query.parameters]),
        );
        const details = plan.rows.map((r) => r.detail);
        expect(details.join("\n"), JSON.stringify(args)).not.toMatch(/TEMP B-TREE/);
        expect(details.join("\n"), JSON.stringify(args)).toMatch(
          /USING (COVERING )?INDEX requests_by_/,
        );
        expect(
          details.filter((d) => /^SCAN requests\b/.test(d) && !/USING/.test(d)),
          JSON.stringify(args),
        ).toEqual([]);
      }
    },
  );

  it("marks what the viewer voted for", async () => {
    const category = await makeCategory("Voted");
    const author = await makeCustomer();
    const first = await proposeRequest(author, { categoryId: category.id });
    const second = await proposeRequest(author, { categoryId: category.id });
    const voter = await makeCustomer();
    await toggleVote({ requestId: second.id, actor: voter.actor, orgId: voter.orgId });

    const mine = await listRequests({ categoryId: category.id, viewer: voter.actor });
    expect(Object.fromEntries(mine.items.map((r) => [r.id, r.voted]))).toEqual({
      [first.id]: false,
      [second.id]: true,
    });
    const anonymous = await listRequests({ categoryId: category.id });
    expect(Object.fromEntries(anonymous.items.map((r) => [r.id, r.voted]))).toEqual({
      [first.id]: false,
      [second.id]: false,
    });
  });

  it("ignores malformed cursors and cursors of another sort", async () => {
    expect(decodeCursor("not-a-cursor", "orgs")).toBeNull();
    expect(decodeCursor(encodeCursor("votes", [3, "2026-01-01"], 10), "orgs")).toBeNull();
    expect(decodeCursor(encodeCursor("newest", [3], 10), "newest")).toBeNull();
    expect(decodeCursor(encodeCursor("orgs", [3, 4], 10), "orgs")).toBeNull();
    expect(decodeCursor(encodeCursor("orgs", [3, 4, "2026-01-01"], 10), "orgs")).toEqual({
      values: [3, 4, "2026-01-01"],
      id: 10,
    });
    const page = await listRequests({ cursor: "%%%garbage", limit: 3 });
    expect(page.items.length).toBeGreaterThan(0);
  });
});
