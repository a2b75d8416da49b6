// The rules around a request that must not leak: who may comment, which comment an address
// reaches, what the vote route accepts, which ids are addresses at all, and the methods of
// the action-only routes.
import { describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { addComment } from "~/models/comments.server";
import { loader as languageLoader } from "~/routes/language";
import { action as previewAction, loader as previewLoader } from "~/routes/markdown.preview";
import { loader as switchLoader } from "~/routes/orgs.switch";
import { action as requestAction, loader as requestLoader } from "~/routes/requests.$id/route";
import { action as voteAction, loader as voteLoader } from "~/routes/requests.$id.vote";
import { loader as signOutLoader } from "~/routes/signout";
import { actorOf, makeUser } from "../support/factories";
import { insertOrg, makeCustomer, makeStaff, proposeRequest } from "../support/factories";
import {
  formRequest,
  getRequest,
  run,
  sessionCookieFor,
  testContext,
  unwrap,
} from "../support/requests";

async function commentRows(requestId: number) {
  return getDb()
    .selectFrom("comments")
    .select(["id", "body_md", "deleted_at"])
    .where("request_id", "=", requestId)
    .execute();
}

async function voteCount(requestId: number) {
  const row = await getDb()
    .selectFrom("requests")
    .select("vote_count")
    .where("id", "=", requestId)
    .executeTakeFirstOrThrow();
  return row.vote_count;
}

/** A signed-in customer of a new organization: the model actor and a session cookie. */
async function signedInCustomer(name: string) {
  const { actor, orgId } = await makeCustomer({ name });
  const user = await getDb()
    .selectFrom("users")
    .selectAll()
    .where("id", "=", actor.id)
    .executeTakeFirstOrThrow();
  const { password_hash: _hash, ...publicUser } = user;
  return { actor, orgId, cookie: await sessionCookieFor(publicUser) };
}

function postToRequest(id: string, fields: Record<string, string>, cookie: string) {
  return run(() =>
    requestAction({
      request: formRequest(`/requests/${id}`, fields, { cookie }),
      params: { id },
      context: testContext(),
    }),
  ).then(unwrap);
}

describe("who may comment", () => {
  it("refuses a customer without an organization, as voting and proposing do", async () => {
    const author = await makeCustomer();
    const { id } = await proposeRequest(author);
    const loner = await makeUser({ name: "Loner" });

    await expect(
      addComment({ requestId: id, actor: actorOf(loner), orgId: null, bodyMd: "Me too" }),
    ).rejects.toMatchObject({ messageKey: "request.error.orgRequired", status: 403 });

    // Through the page: the same localized explanation, next to the comment box, text kept.
    const result = await postToRequest(
      String(id),
      { intent: "comment", bodyMd: "Me too" },
      await sessionCookieFor(loner),
    );
    expect(result.status).toBe(403);
    expect(result.data.errors.form).toBe("request.error.orgRequired");
    expect(result.data.values.bodyMd).toBe("Me too");
    expect(await commentRows(id)).toEqual([]);
  });

  it("refuses a customer commenting for an organization they do not belong to", async () => {
    const author = await makeCustomer();
    const { id } = await proposeRequest(author);
    const commenter = await makeCustomer({ name: "Commenter" });
    const elsewhere = await insertOrg("Someone else's org");

    await expect(
      addComment({
        requestId: id,
        actor: commenter.actor,
        orgId: elsewhere.id,
        bodyMd: "Speaking for them",
      }),
    ).rejects.toMatchObject({ messageKey: "request.error.orgRequired", status: 403 });
    expect(await commentRows(id)).toEqual([]);

    // Their own organization is fine, and staff comment for none.
    await addComment({
      requestId: id,
      actor: commenter.actor,
      orgId: commenter.orgId,
      bodyMd: "Speaking for us",
    });
    await addComment({ requestId: id, actor: await makeStaff(), bodyMd: "Noted" });
    expect(await commentRows(id)).toHaveLength(2);
  });
});

describe("a comment is reached only through its own request", () => {
  it("answers 404 to an edit or a delete through another request's address, changing nothing", async () => {
    const commenter = await signedInCustomer("Commenter");
    const { id: ownRequest } = await proposeRequest(commenter);
    const { id: otherRequest } = await proposeRequest(commenter);
    const comment = await addComment({
      requestId: ownRequest,
      actor: commenter.actor,
      orgId: commenter.orgId,
      bodyMd: "Original",
    });

    const edit = await postToRequest(
      String(otherRequest),
      { intent: "edit-comment", commentId: String(comment.id), bodyMd: "Changed" },
      commenter.cookie,
    );
    expect(edit.status).toBe(404);
    const deleted = await postToRequest(
      String(otherRequest),
      { intent: "delete-comment", commentId: String(comment.id) },
      commenter.cookie,
    );
    expect(deleted.status).toBe(404);

    expect(await commentRows(ownRequest)).toEqual([
      { id: comment.id, body_md: "Original", deleted_at: null },
    ]);
    const counts = await getDb()
      .selectFrom("requests")
      .select(["id", "comment_count"])
      .where("id", "in", [ownRequest, otherRequest])
      .orderBy("id")
      .execute();
    expect(counts.map((r) => r.comment_count)).toEqual([1, 0]);

    // Through its own address the same edit works.
    const own = await postToRequest(
      String(ownRequest),
      { intent: "edit-comment", commentId: String(comment.id), bodyMd: "Changed" },
      commenter.cookie,
    );
    expect(own.status).toBe(302);
    expect((await commentRows(ownRequest))[0].body_md).toBe("Changed");
  });
});

describe("the vote route", () => {
  it("refuses a `via` it does not know with 400, without voting", async () => {
    const author = await makeCustomer();
    const { id } = await proposeRequest(author);
    const voter = await signedInCustomer("Voter");
    for (const via of ["bogus", "", "FETCH"]) {
      const result = unwrap(
        await run(() =>
          voteAction({
            request: formRequest(`/requests/${id}/vote`, { via }, { cookie: voter.cookie }),
            params: { id: String(id) },
            context: testContext(),
          }),
        ),
      );
      expect(result.status, via).toBe(400);
    }
    expect(await voteCount(id)).toBe(1);

    const counted = unwrap(
      await run(() =>
        voteAction({
          request: formRequest(`/requests/${id}/vote`, { via: "fetch" }, { cookie: voter.cookie }),
          params: { id: String(id) },
          context: testContext(),
        }),
      ),
    );
    expect(counted.status).toBe(200);
    expect(await voteCount(id)).toBe(2);
  });
});

describe("ids in addresses and forms", () => {
  const NOT_CANONICAL = (id: number) => [
    `0x${id.toString(16)}`,
    ` ${id}`,
    `${id} `,
    `0${id}`,
    `${id}e0`,
    `+${id}`,
    `${id}.0`,
    "9007199254740993",
  ];

  it("answers 404 for the request page at any spelling of an id but the canonical one", async () => {
    const author = await makeCustomer();
    const { id } = await proposeRequest(author);
    for (const spelling of NOT_CANONICAL(id)) {
      const result = unwrap(
        await run(() =>
          requestLoader({
            request: getRequest(`/requests/${encodeURIComponent(spelling)}`),
            params: { id: spelling },
            context: testContext(),
          }),
        ),
      );
      expect(result.status, JSON.stringify(spelling)).toBe(404);
    }
    const canonical = unwrap(
      await requestLoader({
        request: getRequest(`/requests/${id}`),
        params: { id: String(id) },
        context: testContext(),
      }),
    );
    expect(canonical.data.request.id).toBe(id);
  });

  it("answers 404 to a vote or a comment at such an address, without writing", async () => {
    const author = await makeCustomer();
    const { id } = await proposeRequest(author);
    const voter = await signedInCustomer("Voter");
    for (const spelling of NOT_CANONICAL(id)) {
      const vote = unwrap(
        await run(() =>
          voteAction({
            request: formRequest("/requests/x/vote", {}, { cookie: voter.cookie }),
            params: { id: spelling },
            context: testContext(),
          }),
        ),
      );
      expect(vote.status, JSON.stringify(spelling)).toBe(404);
      const comment = await postToRequest(
        spelling,
        { intent: "comment", bodyMd: "Hello" },
        voter.cookie,
      );
      expect(comment.status, JSON.stringify(spelling)).toBe(404);
    }
    expect(await voteCount(id)).toBe(1);
    expect(await commentRows(id)).toEqual([]);
  });

  it("refuses a comment id in a form spelled any other way", async () => {
    const commenter = await signedInCustomer("Commenter");
    const { id } = await proposeRequest(commenter);
    const comment = await addComment({
      requestId: id,
      actor: commenter.actor,
      orgId: commenter.orgId,
      bodyMd: "Original",
    });
    for (const spelling of NOT_CANONICAL(comment.id)) {
      const result = await postToRequest(
        String(id),
        { intent: "delete-comment", commentId: spelling },
        commenter.cookie,
      );
      expect(result.status, JSON.stringify(spelling)).toBe(400);
    }
    expect(await commentRows(id)).toEqual([
      { id: comment.id, body_md: "Original", deleted_at: null },
    ]);
  });
});

describe("routes that only take a form post", () => {
  it("answers a GET to the Markdown preview with 405 and Allow: POST", async () => {
    const response = await previewLoader();
    expect(response.status).toBe(405);
    expect(response.headers.get("Allow")).toBe("POST");
    // The POST it is for still works.
    const user = await makeUser();
    const preview = (await previewAction({
      request: formRequest(
        "/markdown/preview",
        { text: "**hi**" },
        { cookie: await sessionCookieFor(user) },
      ),
      params: {},
      context: testContext(),
    })) as Response;
    expect(await preview.json()).toEqual({ html: "<p><strong>hi</strong></p>\n" });
  });

  it("send a GET to vote, switch, sign out or change language back to a page, doing nothing", async () => {
    // Signing in to vote or to switch comes back to these addresses with a GET, so they lead to
    // the page the action belongs to; none of them acts on a GET.
    const vote = await voteLoader({
      request: getRequest("/requests/5/vote"),
      params: { id: "5" },
      context: testContext(),
    });
    expect(vote.status).toBe(302);
    expect(vote.headers.get("Location")).toBe("/requests/5");
    for (const loader of [switchLoader, signOutLoader, languageLoader]) {
      const response = await loader();
      expect(response.status).toBe(302);
      expect(response.headers.get("Location")).toBe("/");
    }
  });
});
