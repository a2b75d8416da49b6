import { afterEach, describe, expect, it, vi } from "vitest";
import { getDb } from "~/db.server";
import { ActionRefused } from "~/models/errors";
import { listRequests } from "~/models/requests.server";
import { rollTrendingWindow, toggleVote, trendingWindowStart } from "~/models/votes.server";
import {
  addMember,
  countersAndCounts,
  insertOrg,
  insertUser,
  makeCategory,
  makeCustomer,
  makeStaff,
  proposeRequest,
} from "../support/factories";

async function expectCountersExact(requestId: number) {
  const { stored, counted } = await countersAndCounts(requestId);
  expect(stored.vote_count).toBe(counted.vote_count);
  expect(stored.org_count).toBe(counted.org_count);
  expect(stored.org_count).toBe(counted.org_rows);
  expect(stored.follower_count).toBe(counted.follower_count);
  expect(stored.recent_vote_count).toBe(counted.recent_vote_count);
  return { stored, counted };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("toggling a vote", () => {
  it("votes, then withdraws the vote, keeping the counts and following", async () => {
    const author = await makeCustomer();
    const { id } = await proposeRequest(author);
    const voter = await makeCustomer();

    expect(await toggleVote({ requestId: id, actor: voter.actor, orgId: voter.orgId })).toEqual({
      voted: true,
      voteCount: 2,
      orgCount: 2,
    });
    expect((await countersAndCounts(id)).stored.follower_count).toBe(2);

    expect(await toggleVote({ requestId: id, actor: voter.actor, orgId: voter.orgId })).toEqual({
      voted: false,
      voteCount: 1,
      orgCount: 1,
    });
    // Withdrawing a vote does not unfollow. Both votes were today's: the one left is the only
    // one trending, and today's bucket holds it alone.
    const { stored, counted } = await expectCountersExact(id);
    expect(stored.follower_count).toBe(2);
    expect(stored.recent_vote_count).toBe(1);
    expect(counted.recent_vote_count).toBe(1);
  });

  it("counts an organization once however many of its members vote, until the last one withdraws", async () => {
    const author = await makeCustomer();
    const { id } = await proposeRequest(author);
    const org = await insertOrg("Many Voters Ltd");
    const members = [
      await makeCustomer({ orgId: org.id }),
      await makeCustomer({ orgId: org.id }),
      await makeCustomer({ orgId: org.id }),
    ];

    for (const member of members)
      await toggleVote({ requestId: id, actor: member.actor, orgId: org.id });
    expect((await expectCountersExact(id)).stored).toMatchObject({ vote_count: 4, org_count: 2 });

    await toggleVote({ requestId: id, actor: members[0].actor, orgId: org.id });
    await toggleVote({ requestId: id, actor: members[1].actor, orgId: org.id });
    expect((await expectCountersExact(id)).stored).toMatchObject({ vote_count: 2, org_count: 2 });

    const result = await toggleVote({ requestId: id, actor: members[2].actor, orgId: org.id });
    expect(result).toEqual({ voted: false, voteCount: 1, orgCount: 1 });
    await expectCountersExact(id);
  });

  it("counts the vote of a member of several organizations for the current one", async () => {
    const author = await makeCustomer();
    const { id } = await proposeRequest(author);
    const first = await insertOrg("First");
    const second = await insertOrg("Second");
    const voter = await insertUser();
    await addMember(first.id, voter.id);
    await addMember(second.id, voter.id);

    await toggleVote({ requestId: id, actor: voter, orgId: second.id });
    const vote = await getDb()
      .selectFrom("votes")
      .selectAll()
      .where("request_id", "=", id)
      .where("user_id", "=", voter.id)
      .executeTakeFirstOrThrow();
    expect(vote.org_id).toBe(second.id);
  });

  it("refuses a customer voting for an organization they do not belong to, or for none", async () => {
    const author = await makeCustomer();
    const { id } = await proposeRequest(author);
    const outsider = await makeCustomer();
    const otherOrg = await insertOrg("Not mine");

    await expect(
      toggleVote({ requestId: id, actor: outsider.actor, orgId: otherOrg.id }),
    ).rejects.toMatchObject({
      messageKey: "request.error.orgRequired",
      status: 403,
    });
    await expect(
      toggleVote({ requestId: id, actor: outsider.actor, orgId: null }),
    ).rejects.toBeInstanceOf(ActionRefused);
    await expectCountersExact(id);
  });

  it("records a staff vote with no organization and audits it", async () => {
    const author = await makeCustomer();
    const { id } = await proposeRequest(author);
    const staff = await makeStaff();

    expect(await toggleVote({ requestId: id, actor: staff })).toEqual({
      voted: true,
      voteCount: 2,
      orgCount: 1,
    });
    await expectCountersExact(id);
    const audit = await getDb()
      .selectFrom("audit_log")
      .selectAll()
      .where("actor_id", "=", staff.id)
      .where("action", "=", "request.voted")
      .execute();
    expect(audit).toHaveLength(1);
  });

  it("refuses votes on a missing request and on a merged one", async () => {
    const voter = await makeCustomer();
    await expect(
      toggleVote({ requestId: 987654, actor: voter.actor, orgId: voter.orgId }),
    ).rejects.toMatchObject({ status: 404 });

    const author = await makeCustomer();
    const { id } = await proposeRequest(author);
    await getDb().updateTable("requests").set({ status: "merged" }).where("id", "=", id).execute();
    await expect(
      toggleVote({ requestId: id, actor: voter.actor, orgId: voter.orgId }),
    ).rejects.toMatchObject({
      messageKey: "request.error.merged",
    });
  });

  // On PostgreSQL each toggle but the first waits for the request's row lock, holding a
  // snapshot from before it waited: what it read about the user's vote is out of date once it
  // runs, and it must find out (StaleRead) rather than insert a second vote or miss a withdrawal.
  it("toggles one user's vote clicked many times at once, one after the other", async () => {
    const author = await makeCustomer();
    const { id } = await proposeRequest(author);
    const voter = await makeCustomer();
    const clicks = 9;
    const results = await Promise.all(
      Array.from({ length: clicks }, () =>
        toggleVote({ requestId: id, actor: voter.actor, orgId: voter.orgId }),
      ),
    );
    // Alternating, in the order they took the lock: five votes and four withdrawals.
    expect(results.filter((r) => r.voted)).toHaveLength(5);
    expect(results.map((r) => r.voteCount).sort()).toEqual([1, 1, 1, 1, 2, 2, 2, 2, 2]);
    const { stored } = await expectCountersExact(id);
    expect(stored.vote_count).toBe(2);
  });

  it("keeps every counter exact under many concurrent votes and withdrawals at one request", async () => {
    const author = await makeCustomer();
    const { id } = await proposeRequest(author);
    const orgs = await Promise.all(
      Array.from({ length: 12 }, (_, i) => insertOrg(`Concurrent ${i}`)),
    );
    const voters = [];
    for (let i = 0; i < 120; i++)
      voters.push(await makeCustomer({ orgId: orgs[i % orgs.length].id }));
    const staff = [await makeStaff(), await makeStaff()];

    // Everyone votes at once; every third voter also withdraws at once, and every fifth votes
    // again after that, all interleaved in one Promise.all.
    const toggles = [
      ...voters.map((v) => toggleVote({ requestId: id, actor: v.actor, orgId: v.orgId })),
      ...staff.map((s) => toggleVote({ requestId: id, actor: s })),
      ...voters
        .filter((_, i) => i % 3 === 0)
        .map((v) => toggleVote({ requestId: id, actor: v.actor, orgId: v.orgId })),
      ...voters
        .filter((_, i) => i % 15 === 0)
        .map((v) => toggleVote({ requestId: id, actor: v.actor, orgId: v.orgId })),
    ];
    const results = await Promise.all(toggles);

    const { stored, counted } = await expectCountersExact(id);
    // 1 author + 120 voters + 2 staff - 40 withdrawn + 8 voting again.
    expect(counted.vote_count).toBe(1 + 120 + 2 - 40 + 8);
    // Every toggle told its caller what it did: the votes it reported add up to what is stored.
    const reported = results.filter((r) => r.voted).length - results.filter((r) => !r.voted).length;
    expect(1 + reported).toBe(counted.vote_count);
    expect(stored.org_count).toBe(13);
    expect(counted.org_row_votes).toBe(counted.vote_count - 2);

    // And the same once more with a second wave that withdraws everything but the author's vote.
    const remaining = await getDb()
      .selectFrom("votes")
      .select("user_id")
      .where("request_id", "=", id)
      .where("user_id", "!=", author.actor.id)
      .execute();
    const everyone = [...voters.map((v) => v), ...staff.map((s) => ({ actor: s, orgId: null }))];
    const byId = new Map(everyone.map((v) => [v.actor.id, v]));
    await Promise.all(
      remaining.map(({ user_id }) => {
        const voter = byId.get(user_id)!;
        return toggleVote({ requestId: id, actor: voter.actor, orgId: voter.orgId });
      }),
    );
    const after = await expectCountersExact(id);
    expect(after.stored).toMatchObject({ vote_count: 1, org_count: 1 });
  });
});

describe("trending", () => {
  it("counts only the votes of the last 14 days and orders the board by them", async () => {
    const category = await makeCategory("Trending");
    const author = await makeCustomer();
    const old = await proposeRequest(author, {
      categoryId: category.id,
      title: "Old but popular request",
    });
    const fresh = await proposeRequest(author, {
      categoryId: category.id,
      title: "Fresh and trending request",
    });
    const voters = [];
    for (let i = 0; i < 4; i++) voters.push(await makeCustomer());

    // Three votes for the old request 20 days ago, one for the fresh request today.
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date(Date.now() - 20 * 86_400_000));
    for (const voter of voters.slice(0, 3))
      await toggleVote({ requestId: old.id, actor: voter.actor, orgId: voter.orgId });
    vi.useRealTimers();
    await toggleVote({ requestId: fresh.id, actor: voters[3].actor, orgId: voters[3].orgId });

    await rollTrendingWindow(new Date());
    const oldCounts = await countersAndCounts(old.id);
    expect(oldCounts.stored).toMatchObject({ vote_count: 4, recent_vote_count: 1 });
    expect(oldCounts.counted.recent_vote_count).toBe(1);
    const oldest = await getDb()
      .selectFrom("request_vote_days")
      .select((eb) => eb.fn.min("day").as("day"))
      .executeTakeFirstOrThrow();
    expect(oldest.day! >= trendingWindowStart(new Date())).toBe(true);

    const board = await listRequests({ sort: "trending", categoryId: category.id, limit: 10 });
    expect(board.items.map((r) => r.id)).toEqual([fresh.id, old.id]);

    // Withdrawing a vote from outside the window leaves the trending count alone.
    await toggleVote({ requestId: old.id, actor: voters[0].actor, orgId: voters[0].orgId });
    const afterWithdrawal = await expectCountersExact(old.id);
    expect(afterWithdrawal.stored).toMatchObject({ vote_count: 3, recent_vote_count: 1 });
  });
});
