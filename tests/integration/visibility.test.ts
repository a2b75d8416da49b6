// Private ("organization only") requests: its organization's members and staff see it; a member
// of another organization and a visitor never learn it exists, through any list or endpoint.
import type { ActionFunctionArgs } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { ActionRefused } from "~/models/errors";
import {
  canSeeRequest,
  createRequest,
  findDuplicateRequest,
  findSimilarRequests,
  listRequests,
  usersWhoCanSee,
  type BoardStatusFilter,
} from "~/models/requests.server";
import { setVisibility } from "~/models/request-visibility.server";
import { castVote } from "~/models/votes.server";
import { loader as boardLoader } from "~/routes/_index";
import { loader as rootLoader } from "~/root";
import { action as requestAction, loader as requestLoader } from "~/routes/requests.$id/route";
import { action as editAction, loader as editLoader } from "~/routes/requests.$id_.edit";
import { action as visibilityAction } from "~/routes/requests.$id.visibility";
import { action as voteAction } from "~/routes/requests.$id.vote";
import { action as proposeAction } from "~/routes/requests.new";
import { loader as similarLoader } from "~/routes/requests.similar";
import {
  addMember,
  insertOrg,
  latinToken,
  makeCategory,
  makeUser,
  actorOf,
} from "../support/factories";
import {
  formRequest,
  getRequest,
  run,
  sessionCookieFor,
  testContext,
  unwrap,
} from "../support/requests";
import type { Actor } from "~/models/errors";

type Who = { name: string; actor: Actor | null; cookie?: string; orgId: number | null };

async function member(name: string, orgId: number): Promise<Who> {
  const user = await makeUser({ name });
  await addMember(orgId, user.id);
  return { name, actor: actorOf(user), cookie: await sessionCookieFor(user), orgId };
}

/** Org A's private request, and everyone who looks at it. */
async function setup() {
  const orgA = await insertOrg("Org A");
  const orgB = await insertOrg("Org B");
  const category = await makeCategory("Private things");
  const author = await member("Author A", orgA.id);
  const colleague = await member("Colleague A", orgA.id);
  const other = await member("Member B", orgB.id);
  const staffUser = await makeUser({ name: "Staff", isStaff: true });
  const staff: Who = {
    name: "staff",
    actor: actorOf(staffUser),
    cookie: await sessionCookieFor(staffUser),
    orgId: null,
  };
  const visitor: Who = { name: "visitor", actor: null, orgId: null };
  const token = latinToken();
  const title = `${token} ledger export for our auditors`;
  const { id } = await createRequest({
    actor: author.actor!,
    orgId: orgA.id,
    title,
    bodyMd: `Our ${token} details nobody else may read.`,
    categoryId: category.id,
    visibility: "organization",
  });
  return {
    orgA,
    orgB,
    category,
    author,
    colleague,
    other,
    staff,
    visitor,
    token,
    title,
    id,
    insiders: [author, colleague, staff],
    outsiders: [other, visitor],
  };
}

const params = (id: number) => ({ id: String(id) });

async function openPage(who: Who, path: string, id: number) {
  return unwrap(
    await run(() =>
      requestLoader({
        request: getRequest(path, { cookie: who.cookie }),
        params: params(id),
        context: testContext(),
      }),
    ),
  );
}

async function board(who: Who, query: Record<string, string>) {
  const request = getRequest(`/?${new URLSearchParams(query)}`, { cookie: who.cookie });
  return unwrap(await boardLoader({ request, params: {}, context: testContext() }));
}

async function post(
  who: Who,
  action: (args: ActionFunctionArgs) => Promise<unknown>,
  path: string,
  id: number,
  fields: Record<string, string>,
) {
  return unwrap(
    await run(() =>
      action({
        request: formRequest(path, fields, { cookie: who.cookie }),
        params: params(id),
        context: testContext(),
      }),
    ),
  );
}

async function counters(id: number) {
  return getDb()
    .selectFrom("requests")
    .select(["vote_count", "comment_count", "follower_count", "visibility"])
    .where("id", "=", id)
    .executeTakeFirstOrThrow();
}

const SORTS = ["orgs", "votes", "trending", "newest", "relevance"] as const;
const STATUSES: BoardStatusFilter[] = [null, "open", "all"];

describe("an organization-only request", () => {
  it("is listed on the board, in every sort and filter, only for its organization and staff", async () => {
    const s = await setup();
    for (const who of [...s.insiders, ...s.outsiders]) {
      const sees = s.insiders.includes(who);
      for (const sort of SORTS) {
        for (const status of STATUSES) {
          for (const categoryId of [null, s.category.id]) {
            // Relevance ranks a search; the others list the category (one page holds it).
            const page = await listRequests({
              sort,
              status,
              categoryId,
              q: sort === "relevance" ? s.token : null,
              viewer: who.actor,
              limit: 100,
            });
            const found = page.items.find((item) => item.id === s.id);
            if (categoryId !== null || sort === "relevance")
              expect(Boolean(found), `${who.name} ${sort} ${status} ${categoryId}`).toBe(sees);
            else if (!sees) expect(found, `${who.name} ${sort} ${status}`).toBeUndefined();
            if (found) expect(found.visibility).toBe("organization");
          }
        }
      }
      // Later pages by cursor: walked to the end, the private request shows up only for insiders.
      let cursor: string | null = null;
      const seen: number[] = [];
      do {
        const page: Awaited<ReturnType<typeof listRequests>> = await listRequests({
          sort: "newest",
          categoryId: s.category.id,
          viewer: who.actor,
          limit: 1,
          cursor,
        });
        seen.push(...page.items.map((item) => item.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen.includes(s.id), who.name).toBe(sees);
    }
  });

  it("is found by search, counted and suggested only for its organization and staff", async () => {
    const s = await setup();
    for (const who of [...s.insiders, ...s.outsiders]) {
      const sees = s.insiders.includes(who);
      const page = await board(who, { q: s.token });
      expect(page.data.total, who.name).toEqual({ count: sees ? 1 : 0, more: false });
      expect(page.data.items.map((i: { id: number }) => i.id)).toEqual(sees ? [s.id] : []);
      for (const sort of ["orgs", "newest"]) {
        const sorted = await board(who, { q: s.token, sort, status: "all" });
        expect(sorted.data.total.count, `${who.name} ${sort}`).toBe(sees ? 1 : 0);
      }

      const similar = await findSimilarRequests(s.title, who.actor);
      expect(
        similar.some((r) => r.id === s.id),
        who.name,
      ).toBe(sees);
      const json = (await similarLoader({
        request: getRequest(`/requests/similar?${new URLSearchParams({ title: s.token })}`, {
          cookie: who.cookie,
        }),
        params: {},
        context: testContext(),
      })) as Response;
      const body = (await json.json()) as { similar: { id: number }[] };
      expect(
        body.similar.some((r) => r.id === s.id),
        who.name,
      ).toBe(sees);
    }
  });

  it("is a 404 page for others, the same as a missing request, and readable for insiders", async () => {
    const s = await setup();
    for (const who of s.outsiders) {
      const page = await openPage(who, `/requests/${s.id}`, s.id);
      const missing = await openPage(who, "/requests/999999999", 999_999_999);
      expect(page.status, who.name).toBe(404);
      expect(await page.response!.text()).toBe(await missing.response!.text());
    }
    for (const who of s.insiders) {
      const page = await openPage(who, `/requests/${s.id}`, s.id);
      expect(page.status, who.name).toBe(200);
      expect(page.data.request.title).toBe(s.title);
      expect(page.data.request.visibility).toBe("organization");
    }
  });

  it("refuses a vote, a comment, a follow and an unfollow from others as if it did not exist", async () => {
    const s = await setup();
    const before = await counters(s.id);
    for (const who of [s.other]) {
      const vote = await post(who, voteAction, `/requests/${s.id}/vote`, s.id, { via: "fetch" });
      const missingVote = await post(who, voteAction, "/requests/999999999/vote", 999_999_999, {
        via: "fetch",
      });
      expect(vote.status).toBe(404);
      expect(await vote.response!.json()).toEqual(await missingVote.response!.json());

      const comment = await post(who, requestAction, `/requests/${s.id}`, s.id, {
        intent: "comment",
        bodyMd: "Can I see this?",
      });
      expect(comment.status).toBe(404);
      expect(comment.data.errors).toEqual({ form: "request.error.notFound" });
      for (const intent of ["follow", "unfollow"]) {
        const result = await post(who, requestAction, `/requests/${s.id}`, s.id, { intent });
        expect(result.status, intent).toBe(404);
      }
    }
    // A visitor is sent to sign in, as on any request.
    const visitorVote = await post(s.visitor, voteAction, `/requests/${s.id}/vote`, s.id, {});
    expect(visitorVote.status).toBe(302);
    expect(visitorVote.headers.get("Location")).toMatch(/^\/signin/);
    expect(await counters(s.id)).toEqual(before);
    const comments = await getDb()
      .selectFrom("comments")
      .select("id")
      .where("request_id", "=", s.id)
      .execute();
    expect(comments).toEqual([]);

    // Its organization takes part as on any request.
    const vote = await post(s.colleague, voteAction, `/requests/${s.id}/vote`, s.id, {
      via: "fetch",
    });
    expect(await vote.response!.json()).toMatchObject({ voted: true, voteCount: 2 });
    const comment = await post(s.colleague, requestAction, `/requests/${s.id}`, s.id, {
      intent: "comment",
      bodyMd: "We need it too.",
    });
    expect(comment.status).toBe(302);
    expect(await counters(s.id)).toMatchObject({ vote_count: 2, comment_count: 1 });

    // So does staff, as their row says now: a staff member revoked since signing in is refused.
    const staffVote = await post(s.staff, voteAction, `/requests/${s.id}/vote`, s.id, {
      via: "fetch",
    });
    expect(await staffVote.response!.json()).toMatchObject({ voted: true, voteCount: 3 });
    const staffComment = await post(s.staff, requestAction, `/requests/${s.id}`, s.id, {
      intent: "comment",
      bodyMd: "We are looking at it.",
    });
    expect(staffComment.status).toBe(302);
    const revoked = await makeUser({ name: "Revoked staff", isStaff: true });
    const revokedCookie = await sessionCookieFor(revoked);
    await getDb().updateTable("users").set({ is_staff: 0 }).where("id", "=", revoked.id).execute();
    const refused = await post(
      { name: "revoked", actor: actorOf(revoked), cookie: revokedCookie, orgId: null },
      voteAction,
      `/requests/${s.id}/vote`,
      s.id,
      { via: "fetch" },
    );
    expect(refused.status).toBe(404);
    expect(await counters(s.id)).toMatchObject({ vote_count: 3, comment_count: 2 });
  });

  it("cannot be given a vote recorded for someone who may not see it", async () => {
    const s = await setup();
    await expect(
      getDb()
        .transaction()
        .execute((trx) =>
          castVote(trx, {
            requestId: s.id,
            userId: s.other.actor!.id,
            orgId: s.orgB.id,
            at: new Date().toISOString(),
            recordedBy: s.staff.actor!.id,
          }),
        ),
    ).rejects.toMatchObject({ messageKey: "request.error.notFound", status: 404 });
  });

  it("cannot be opened for editing by others, and its author still edits it", async () => {
    const s = await setup();
    const asOther = unwrap(
      await run(() =>
        editLoader({
          request: getRequest(`/requests/${s.id}/edit`, { cookie: s.other.cookie }),
          params: params(s.id),
          context: testContext(),
        }),
      ),
    );
    expect(asOther.status).toBe(404);
    const edit = await post(s.other, editAction, `/requests/${s.id}/edit`, s.id, {
      intent: "edit",
      title: "Taken over by someone else",
      bodyMd: "",
      categoryId: String(s.category.id),
    });
    expect(edit.status).toBe(404);
    const mine = await post(s.author, editAction, `/requests/${s.id}/edit`, s.id, {
      intent: "edit",
      title: `${s.title} (monthly)`,
      bodyMd: "",
      categoryId: String(s.category.id),
    });
    expect(mine.status).toBe(302);
  });

  it("is not revealed by the exact-duplicate check: another organization proposes normally", async () => {
    const s = await setup();
    expect(await findDuplicateRequest(s.title, s.other.actor)).toBeNull();
    expect(await findDuplicateRequest(s.title, s.colleague.actor)).toMatchObject({ id: s.id });
    const fields = { title: s.title, categoryId: String(s.category.id), confirmed: "1" };
    // Its organization is pointed at it, as at any duplicate.
    const colleague = await post(s.colleague, proposeAction, "/requests/new", 0, fields);
    expect(colleague.status).toBe(409);
    expect(colleague.data.duplicate.id).toBe(s.id);
    // Without JavaScript the first submit checks for duplicates and similar requests: finding
    // none it can show (the private one is neither), it creates the request at once.
    const created = await post(s.other, proposeAction, "/requests/new", 0, {
      title: s.title,
      categoryId: String(s.category.id),
    });
    expect(created.data?.duplicate).toBeUndefined();
    expect(created.status).toBe(302);
    expect(created.headers.get("Location")).not.toBe(`/requests/${s.id}`);
  });

  it("keeps the merged notice's title from those who may not see the merged request", async () => {
    const s = await setup();
    const target = await createRequest({
      actor: s.staff.actor!,
      title: `${latinToken()} public target of a merge`,
      bodyMd: "",
      categoryId: s.category.id,
    });
    await getDb()
      .updateTable("requests")
      .set({ status: "merged", merged_into_id: target.id })
      .where("id", "=", s.id)
      .execute();
    const path = `/requests/${target.id}?merged=${s.id}`;
    for (const who of [...s.insiders, ...s.outsiders]) {
      const root = unwrap(
        await rootLoader({
          request: getRequest(path, { cookie: who.cookie }),
          params: {},
          context: testContext(),
        }),
      );
      expect(root.data.mergedNotice, who.name).toEqual(
        s.insiders.includes(who) ? { id: s.id, title: s.title } : null,
      );
    }
    // The private request's own address: a 404 for others, not a redirect naming the target.
    expect((await openPage(s.other, `/requests/${s.id}`, s.id)).status).toBe(404);
    expect((await openPage(s.colleague, `/requests/${s.id}`, s.id)).status).toBe(302);
  });

  it("hides a public request's search hit that would lead into a private request", async () => {
    const s = await setup();
    const token = latinToken();
    const source = await createRequest({
      actor: s.author.actor!,
      orgId: s.orgA.id,
      title: `${token} public words merged away`,
      bodyMd: "",
      categoryId: s.category.id,
    });
    await getDb()
      .updateTable("requests")
      .set({ status: "merged", merged_into_id: s.id })
      .where("id", "=", source.id)
      .execute();
    // Its old address: a 404 for others rather than a redirect naming the private request.
    for (const who of s.outsiders)
      expect((await openPage(who, `/requests/${source.id}`, source.id)).status, who.name).toBe(404);
    const redirected = await openPage(s.colleague, `/requests/${source.id}`, source.id);
    expect(redirected.headers.get("Location")).toBe(`/requests/${s.id}?merged=${source.id}`);
    for (const who of [...s.insiders, ...s.outsiders]) {
      const page = await listRequests({ q: token, viewer: who.actor });
      expect(
        page.items.map((i) => i.id),
        who.name,
      ).toEqual(s.insiders.includes(who) ? [s.id] : []);
      expect(
        (await findSimilarRequests(token, who.actor)).map((r) => r.id),
        who.name,
      ).toEqual(s.insiders.includes(who) ? [s.id] : []);
    }
  });

  it("is told about only to those who may see it: the recipients filter for e-mails", async () => {
    const s = await setup();
    const leaver = await member("Former member", s.orgA.id);
    await getDb()
      .deleteFrom("memberships")
      .where("user_id", "=", leaver.actor!.id)
      .where("org_id", "=", s.orgA.id)
      .execute();
    const ids = [s.author, s.colleague, s.staff, s.other, leaver].map((w) => w.actor!.id);
    const db = getDb();
    expect(await usersWhoCanSee(db, s.id, ids)).toEqual(ids.slice(0, 3));
    expect(await canSeeRequest(db, leaver.actor!.id, s.id)).toBe(false);
    expect(await canSeeRequest(db, s.staff.actor!.id, s.id)).toBe(true);
    // Once public, everyone.
    await setVisibility({ actor: s.staff.actor!, requestId: s.id, visibility: "public" });
    expect(await usersWhoCanSee(db, s.id, ids)).toEqual(ids);
  });
});

describe("choosing and changing visibility", () => {
  it("stores the propose form's choice, public by default", async () => {
    const s = await setup();
    const propose = (title: string, extra: Record<string, string>) =>
      post(s.author, proposeAction, "/requests/new", 0, {
        title,
        categoryId: String(s.category.id),
        confirmed: "1",
        ...extra,
      });
    const privateOne = await propose(`${latinToken()} kept to ourselves`, {
      visibility: "organization",
    });
    const publicOne = await propose(`${latinToken()} for everyone please`, {});
    const bogus = await propose(`${latinToken()} with a made-up choice`, { visibility: "secret" });
    const idOf = (r: { headers: Headers }) => Number(r.headers.get("Location")!.split("/").pop());
    expect((await counters(idOf(privateOne))).visibility).toBe("organization");
    expect((await counters(idOf(publicOne))).visibility).toBe("public");
    expect(bogus.status).toBe(400);
    expect(bogus.data.errors.visibility).toBe("request.error.visibilityInvalid");
  });

  it("lets staff change it, audited before → after, and refuses everyone else with a 404", async () => {
    const s = await setup();
    const path = `/requests/${s.id}/visibility`;
    for (const who of [s.author, s.other]) {
      const refused = await post(who, visibilityAction, path, s.id, { visibility: "public" });
      expect(refused.status, who.name).toBe(404);
    }
    await expect(
      setVisibility({ actor: s.author.actor!, requestId: s.id, visibility: "public" }),
    ).rejects.toBeInstanceOf(ActionRefused);
    expect((await counters(s.id)).visibility).toBe("organization");

    const done = await post(s.staff, visibilityAction, path, s.id, { visibility: "public" });
    expect(done.status).toBe(302);
    expect(done.headers.get("Location")).toBe(`/requests/${s.id}#visibility`);
    expect((await counters(s.id)).visibility).toBe("public");
    const audit = await getDb()
      .selectFrom("audit_log")
      .select(["actor_id", "data_json"])
      .where("action", "=", "request.visibility")
      .where("subject_id", "=", s.id)
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0].actor_id).toBe(s.staff.actor!.id);
    expect(JSON.parse(audit[0].data_json)).toMatchObject({
      before: { visibility: "organization" },
      after: { visibility: "public" },
    });
    // Now public: others see it.
    expect((await openPage(s.other, `/requests/${s.id}`, s.id)).status).toBe(200);

    // A request without an organization (staff's own) stays public.
    const staffOwn = await createRequest({
      actor: s.staff.actor!,
      title: `${latinToken()} staff proposed this one`,
      bodyMd: "",
      categoryId: s.category.id,
      visibility: "organization",
    });
    expect((await counters(staffOwn.id)).visibility).toBe("public");
    await expect(
      setVisibility({ actor: s.staff.actor!, requestId: staffOwn.id, visibility: "organization" }),
    ).rejects.toMatchObject({ messageKey: "visibility.error.noOrg", status: 409 });
  });
});
