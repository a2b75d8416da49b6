// Counters stay exact when users act at the same moment. On SQLite write transactions run one
// at a time; on PostgreSQL (the second run of this suite) they really overlap, up to the pool's
// ten connections, and exactness rests on the row locks and atomic updates of the models.
import { describe, expect, it } from "vitest";
import { inTransaction } from "~/db.server";
import { createOrganization } from "~/models/orgs.server";
import { mergeRequest } from "~/models/triage.server";
import { createUser, EmailTakenError } from "~/models/users.server";
import { toggleVote } from "~/models/votes.server";
import {
  countersAndCounts,
  actorOf,
  makeCustomer,
  makeUser,
  uniqueEmail,
  makeStaffAdmin,
  insertOrg,
  proposeRequest,
  type Customer,
} from "../support/factories";
import { skipOnSqlite } from "../support/engine";

async function customersOf(orgs: number, perOrg: number): Promise<Customer[]> {
  const people: Customer[] = [];
  for (let o = 0; o < orgs; o++) {
    const org = await insertOrg(`Concurrent ${o}`);
    for (let p = 0; p < perOrg; p++) people.push(await makeCustomer({ orgId: org.id }));
  }
  return people;
}

function expectExact({ stored, counted }: Awaited<ReturnType<typeof countersAndCounts>>) {
  expect(stored.vote_count).toBe(counted.vote_count);
  expect(stored.org_count).toBe(counted.org_count);
  expect(stored.follower_count).toBe(counted.follower_count);
  expect(stored.recent_vote_count).toBe(counted.recent_vote_count);
  expect(counted.org_rows).toBe(counted.org_count);
  expect(counted.org_row_votes).toBe(counted.vote_count);
}

describe("votes at the same moment", () => {
  it("keep every counter exact: many voters at once, and one voter clicking twice at once", async () => {
    const voters = await customersOf(4, 6);
    const { id } = await proposeRequest(voters[0]);
    const others = voters.slice(1);
    // Everyone votes at once, and three of them send a second click at the same time.
    const twice = others.slice(0, 3);
    const vote = (v: Customer) => toggleVote({ requestId: id, actor: v.actor, orgId: v.orgId });
    const outcomes = await Promise.allSettled(
      others.flatMap((v) => (twice.includes(v) ? [vote(v), vote(v)] : [vote(v)])),
    );
    expect(outcomes.filter((o) => o.status === "rejected")).toEqual([]);
    const counters = await countersAndCounts(id);
    expectExact(counters);
    // The author's vote, the others' once, and each double click cancelled out.
    expect(counters.stored.vote_count).toBe(1 + others.length - twice.length);
    expect(counters.stored.org_count).toBe(4);
  });

  it("and a merge at the same time as them move every vote exactly once", async () => {
    const admin = await makeStaffAdmin();
    const voters = await customersOf(3, 5);
    const source = await proposeRequest(voters[0]);
    const target = await proposeRequest(voters[1]);
    const outcomes = await Promise.allSettled([
      ...voters
        .slice(2)
        .map((v) => toggleVote({ requestId: source.id, actor: v.actor, orgId: v.orgId })),
      mergeRequest({ actor: admin, sourceId: source.id, targetId: target.id }),
      ...voters
        .slice(2)
        .map((v) => toggleVote({ requestId: target.id, actor: v.actor, orgId: v.orgId })),
    ]);
    // A vote that came after the merge is refused (the request is merged); none is lost.
    for (const outcome of outcomes)
      if (outcome.status === "rejected")
        expect((outcome.reason as { messageKey?: string }).messageKey).toBe("request.error.merged");
    expectExact(await countersAndCounts(source.id));
    expectExact(await countersAndCounts(target.id));
    const moved = await countersAndCounts(target.id);
    expect((await countersAndCounts(source.id)).stored.vote_count).toBe(0);
    expect(moved.stored.vote_count).toBeGreaterThanOrEqual(2);
  });
});

describe("sign-ups and organizations at the same moment", () => {
  it("make one account of one address: the second is told it is taken", async () => {
    const email = uniqueEmail("twice");
    const outcomes = await Promise.allSettled(
      [1, 2].map(() => createUser({ name: "Twice", email, password: "a long enough password" })),
    );
    expect(outcomes.map((o) => o.status).sort()).toEqual(["fulfilled", "rejected"]);
    const refused = outcomes.find((o) => o.status === "rejected") as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(EmailTakenError);
  });

  it("give two organizations of one name two slugs", async () => {
    const [first, second] = [await makeUser({ name: "One" }), await makeUser({ name: "Two" })];
    const name = `Same Name ${uniqueEmail("org").split("@")[0]}`;
    const orgs = await Promise.all(
      [first, second].map((user) => createOrganization({ actor: actorOf(user), name })),
    );
    expect(new Set(orgs.map((org) => org.slug)).size).toBe(2);
  });
});

describe("a deadlock", () => {
  it.skipIf(skipOnSqlite)(
    "aborts one of two transactions, which runs again, and both land",
    async () => {
      const [a, b] = [await insertOrg("Deadlock A"), await insertOrg("Deadlock B")];
      // Both hold their first row before either asks for its second: one is then aborted.
      let arrived = 0;
      let bothIn = () => {};
      const met = new Promise<void>((resolve) => (bothIn = resolve));
      let attempts = 0;
      const rename = (first: number, second: number, name: string) =>
        inTransaction(async (trx) => {
          attempts++;
          await trx.updateTable("organizations").set({ name }).where("id", "=", first).execute();
          if (++arrived === 2) bothIn();
          await met;
          await trx.updateTable("organizations").set({ name }).where("id", "=", second).execute();
        });
      const outcomes = await Promise.allSettled([
        rename(a.id, b.id, "first"),
        rename(b.id, a.id, "second"),
      ]);
      expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "fulfilled"]);
      expect(attempts).toBe(3);
    },
  );
});
