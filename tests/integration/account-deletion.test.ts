// "Delete my account": what goes (votes with exact counters, follows, memberships, sessions, the
// user row), what stays (requests and comments, by "a former member"), and when it is refused.
import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { getSessionUser } from "~/auth/session.server";
import { getDb, now } from "~/db.server";
import { addComment, listComments } from "~/models/comments.server";
import { followRequest } from "~/models/follows.server";
import { getRequest as getRequestRow } from "~/models/requests.server";
import { toggleVote } from "~/models/votes.server";
import { action as deleteAction, loader as deleteLoader } from "~/routes/account_.delete";
import { actorOf, makeOrg, makeUser, TEST_PASSWORD } from "../support/factories";
import {
  addMember,
  countersAndCounts,
  insertOrg,
  makeCategory,
  makeCustomer,
  proposeRequest,
} from "../support/factories";
import {
  formRequest,
  getRequest,
  run,
  sessionCookieFor,
  testContext,
  unwrap,
} from "../support/requests";

async function deleteThroughPage(cookie: string, password: string) {
  return unwrap(
    await run(() =>
      deleteAction({
        request: formRequest("/account/delete", { password }, { cookie }),
        params: {},
        context: testContext(),
      }),
    ),
  );
}

async function userExists(id: number) {
  const row = await getDb()
    .selectFrom("users")
    .select("id")
    .where("id", "=", id)
    .executeTakeFirst();
  return row !== undefined;
}

/** A customer who can sign in (a real password), in a new organization of their own. */
async function member(name: string, orgId?: number) {
  const user = await makeUser({ name });
  const org = orgId ?? (await insertOrg(`${name}'s org`)).id;
  await addMember(org, user.id);
  return { user, actor: actorOf(user), orgId: org };
}

describe("deleting one's account", () => {
  it("keeps their requests and comments, shown as by nobody, and removes the user", async () => {
    const leaver = await member("Leah Leaving");
    const category = await makeCategory();
    const request = await proposeRequest(leaver, { categoryId: category.id });
    await addComment({
      requestId: request.id,
      actor: leaver.actor,
      orgId: leaver.orgId,
      bodyMd: "Our accountant needs this.",
    });
    const cookie = await sessionCookieFor(leaver.user);

    const result = await deleteThroughPage(cookie, TEST_PASSWORD);
    expect(result.status).toBe(302);
    expect(result.headers.get("Location")).toBe("/");
    expect(result.headers.get("Set-Cookie")).toBeTruthy();
    expect(await userExists(leaver.user.id)).toBe(false);
    expect(await getSessionUser(getRequest("/", { cookie }))).toBeNull();

    const kept = await getRequestRow({ id: request.id });
    expect(kept?.id).toBe(request.id);
    expect(kept?.authorName).toBeNull();
    const comments = await listComments({ requestId: request.id });
    expect(comments.items.map((c) => [c.bodyMd, c.authorName])).toEqual([
      ["Our accountant needs this.", null],
    ]);
    const audit = await getDb()
      .selectFrom("audit_log")
      .selectAll()
      .where("action", "=", "account.delete")
      .where("subject_id", "=", leaver.user.id)
      .execute();
    expect(audit).toHaveLength(1);
  });

  it("withdraws their votes with every counter equal to a recount", async () => {
    const category = await makeCategory();
    const leaver = await member("Vered Voter");
    const colleague = await member("Colleague", leaver.orgId);
    const other = await makeCustomer({ name: "Other" });
    // Alone for their organization on one request, with a colleague on another, the author of
    // a third (which they voted for by proposing it), and following a fourth without voting.
    const alone = await proposeRequest(other, { categoryId: category.id });
    const shared = await proposeRequest(other, { categoryId: category.id });
    const own = await proposeRequest(leaver, { categoryId: category.id });
    const followed = await proposeRequest(other, { categoryId: category.id });
    await toggleVote({ requestId: alone.id, actor: leaver.actor, orgId: leaver.orgId });
    await toggleVote({ requestId: shared.id, actor: leaver.actor, orgId: leaver.orgId });
    await toggleVote({ requestId: shared.id, actor: colleague.actor, orgId: colleague.orgId });
    await toggleVote({ requestId: own.id, actor: other.actor, orgId: other.orgId });
    await followRequest({ requestId: followed.id, actor: leaver.actor });

    const before = await countersAndCounts(shared.id);
    expect(before.stored).toMatchObject({ vote_count: 3, org_count: 2 });

    const result = await deleteThroughPage(await sessionCookieFor(leaver.user), TEST_PASSWORD);
    expect(result.status).toBe(302);

    for (const request of [alone, shared, own, followed]) {
      const { stored, counted } = await countersAndCounts(request.id);
      expect(stored.vote_count).toBe(counted.vote_count);
      expect(stored.org_count).toBe(counted.org_count);
      expect(stored.org_count).toBe(counted.org_rows);
      expect(stored.vote_count).toBe(counted.org_row_votes);
      expect(stored.recent_vote_count).toBe(counted.recent_vote_count);
      expect(stored.follower_count).toBe(counted.follower_count);
    }
    expect((await countersAndCounts(alone.id)).stored).toMatchObject({
      vote_count: 1,
      org_count: 1,
    });
    expect((await countersAndCounts(shared.id)).stored).toMatchObject({
      vote_count: 2,
      org_count: 2,
    });
    expect((await countersAndCounts(own.id)).stored).toMatchObject({ vote_count: 1, org_count: 1 });
    expect((await countersAndCounts(followed.id)).stored.follower_count).toBe(1);
    const leftovers = await getDb()
      .selectFrom("votes")
      .select("request_id")
      .where("user_id", "=", leaver.user.id)
      .execute();
    expect(leftovers).toEqual([]);
  });

  it("clears every reference to the user: memberships, sessions, status events, recorded votes", async () => {
    const leaver = await member("Ref Erence");
    const category = await makeCategory();
    const request = await proposeRequest(leaver, { categoryId: category.id });
    const voter = await makeCustomer({ name: "Recorded voter" });
    const at = now();
    // A vote staff recorded on someone's behalf points at the recorder.
    await getDb()
      .insertInto("votes")
      .values({
        request_id: request.id,
        user_id: voter.actor.id,
        org_id: voter.orgId,
        created_at: at,
        recorded_by: leaver.user.id,
      })
      .execute();
    await getDb()
      .insertInto("sessions")
      .values({
        id: crypto.randomBytes(16).toString("hex"),
        user_id: leaver.user.id,
        created_at: at,
        last_seen_at: at,
        expires_at: new Date(Date.now() + 86_400_000).toISOString(),
      })
      .execute();

    expect(
      (await deleteThroughPage(await sessionCookieFor(leaver.user), TEST_PASSWORD)).status,
    ).toBe(302);
    const db = getDb();
    const count = async (table: "memberships" | "sessions" | "follows", id: number) =>
      (await db.selectFrom(table).select("user_id").where("user_id", "=", id).execute()).length;
    expect(await count("memberships", leaver.user.id)).toBe(0);
    expect(await count("sessions", leaver.user.id)).toBe(0);
    expect(await count("follows", leaver.user.id)).toBe(0);
    const events = await db
      .selectFrom("status_events")
      .select("actor_id")
      .where("request_id", "=", request.id)
      .execute();
    expect(events.map((e) => e.actor_id)).toEqual([null]);
    const recorded = await db
      .selectFrom("votes")
      .select("recorded_by")
      .where("user_id", "=", voter.actor.id)
      .executeTakeFirstOrThrow();
    expect(recorded.recorded_by).toBeNull();
  });

  it("refuses a wrong password and keeps everything", async () => {
    const leaver = await member("Wrong Password");
    const result = await deleteThroughPage(
      await sessionCookieFor(leaver.user),
      "not the password at all",
    );
    expect(result.status).toBe(400);
    expect(result.data.errors).toEqual({ password: "error.wrongPassword" });
    expect(await userExists(leaver.user.id)).toBe(true);
  });

  it("asks for the password", async () => {
    const leaver = await member("No Password");
    const result = await deleteThroughPage(await sessionCookieFor(leaver.user), "");
    expect(result.status).toBe(400);
    expect(result.data.errors).toEqual({ password: "error.required" });
  });

  it("refuses the last admin of an organization with other members, and says which", async () => {
    const { org, admin, members } = await makeOrg("Only Admin Ltd", ["member"]);
    const cookie = await sessionCookieFor(admin);

    const page = unwrap(
      await run(() =>
        deleteLoader({
          request: getRequest("/account/delete", { cookie }),
          params: {},
          context: testContext(),
        }),
      ),
    );
    expect(page.data.blockers).toEqual([{ orgId: org.id, name: org.name, slug: org.slug }]);

    const result = await deleteThroughPage(cookie, TEST_PASSWORD);
    expect(result.status).toBe(409);
    expect(result.data.errors).toEqual({ form: "accountDelete.error.lastAdmin" });
    expect(await userExists(admin.id)).toBe(true);
    // The plain member of the same organization may go.
    expect(
      (await deleteThroughPage(await sessionCookieFor(members[0]), TEST_PASSWORD)).status,
    ).toBe(302);
  });

  it("lets the only member of an organization go; the organization stays", async () => {
    const { org, admin } = await makeOrg("Solo Ltd");
    expect((await deleteThroughPage(await sessionCookieFor(admin), TEST_PASSWORD)).status).toBe(
      302,
    );
    const kept = await getDb()
      .selectFrom("organizations")
      .select(["id", "created_by"])
      .where("id", "=", org.id)
      .executeTakeFirstOrThrow();
    expect(kept.created_by).toBeNull();
  });
});
