// The author edits or withdraws their own request, through its routes, while nobody else has
// voted or commented; after that the request belongs to everyone who took part.
import { describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { addComment } from "~/models/comments.server";
import { ActionRefused } from "~/models/errors";
import { followRequest } from "~/models/follows.server";
import { createOrganization } from "~/models/orgs.server";
import { createRequest, editOwnRequest, withdrawOwnRequest } from "~/models/requests.server";
import { isRequestIndexed } from "~/models/search.server";
import { toggleVote } from "~/models/votes.server";
import { loader as boardLoader } from "~/routes/_index";
import { loader as requestLoader } from "~/routes/requests.$id/route";
import { action as editAction, loader as editLoader } from "~/routes/requests.$id_.edit";
import { actorOf, makeUser } from "../support/factories";
import { addMember, makeCategory, makeCustomer, makeStaff } from "../support/factories";
import {
  formRequest,
  getRequest,
  run,
  sessionCookieFor,
  testContext,
  unwrap,
} from "../support/requests";

type Customer = Awaited<ReturnType<typeof customer>>;

/** A signed-in customer of an organization of their own (or of `orgId`), with a session cookie. */
async function customer(name: string, orgId?: number) {
  const user = await makeUser({ name });
  const org = orgId ?? (await createOrganization({ actor: actorOf(user), name: `${name} Ltd` })).id;
  if (orgId) await addMember(orgId, user.id);
  return { user, actor: actorOf(user), orgId: org, cookie: await sessionCookieFor(user) };
}

let proposals = 0;

/** Each proposal's title is its own (an open request with the same title would be a duplicate). */
async function proposeAs(
  author: Customer,
  title = `Export VAT report number ${++proposals} to Excel`,
) {
  const category = await makeCategory();
  const { id } = await createRequest({
    actor: author.actor,
    orgId: author.orgId,
    title,
    bodyMd: "Every month we copy it by hand.",
    categoryId: category.id,
  });
  return { id, categoryId: category.id };
}

async function openEditPage(who: Customer | null, id: number) {
  const request = getRequest(`/requests/${id}/edit`, { cookie: who?.cookie });
  return unwrap(
    await run(() => editLoader({ request, params: { id: String(id) }, context: testContext() })),
  );
}

async function postEdit(who: Customer, id: number, fields: Record<string, string>) {
  const request = formRequest(`/requests/${id}/edit`, fields, { cookie: who.cookie });
  return unwrap(
    await run(() => editAction({ request, params: { id: String(id) }, context: testContext() })),
  );
}

async function openRequestPage(who: Customer | null, id: number) {
  const request = getRequest(`/requests/${id}`, { cookie: who?.cookie });
  return unwrap(
    await run(() => requestLoader({ request, params: { id: String(id) }, context: testContext() })),
  );
}

async function searchBoard(q: string) {
  const request = getRequest(`/?${new URLSearchParams({ q, sort: "newest" })}`);
  const page = unwrap(await boardLoader({ request, params: {}, context: testContext() }));
  return (page.data.items as { id: number }[]).map((item) => item.id);
}

async function storedRequest(id: number) {
  return getDb().selectFrom("requests").selectAll().where("id", "=", id).executeTakeFirst();
}

async function auditOf(id: number, action: string) {
  return getDb()
    .selectFrom("audit_log")
    .selectAll()
    .where("subject_type", "=", "request")
    .where("subject_id", "=", id)
    .where("action", "=", action)
    .execute();
}

async function refusalOf(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ActionRefused);
  return error as ActionRefused;
}

describe("editing one's own request", () => {
  it("changes the title, description and category, marks it edited, and search finds the new words", async () => {
    const dana = await customer("Dana");
    const { id } = await proposeAs(dana, "Export the VAT report to Excel");
    const other = await makeCategory("Payroll");
    expect(await searchBoard("Excel")).toContain(id);

    const page = await openEditPage(dana, id);
    expect(page.status).toBe(200);
    expect(page.data.request).toMatchObject({ id, editable: true });

    const result = await postEdit(dana, id, {
      intent: "edit",
      title: "Export the payslips to a spreadsheet",
      bodyMd: "Every month, for the accountant.",
      categoryId: String(other.id),
    });

    expect(result.status).toBe(302);
    expect(result.headers.get("Location")).toBe(`/requests/${id}`);
    const stored = await storedRequest(id);
    expect(stored).toMatchObject({
      title: "Export the payslips to a spreadsheet",
      body_md: "Every month, for the accountant.",
      category_id: other.id,
    });
    expect(stored!.edited_at).not.toBeNull();
    expect(await searchBoard("payslips")).toContain(id);
    expect(await searchBoard("Excel")).not.toContain(id);
    const [audit] = await auditOf(id, "request.edited");
    expect(audit.actor_id).toBe(dana.user.id);
  });

  it("doesn't count the author's own vote, follow and comments as someone else taking part", async () => {
    const dana = await customer("Dana");
    const { id } = await proposeAs(dana);
    await followRequest({ requestId: id, actor: dana.actor });
    await addComment({ requestId: id, actor: dana.actor, orgId: dana.orgId, bodyMd: "Details." });

    expect((await openRequestPage(dana, id)).data.canEdit).toBe(true);
    expect((await openEditPage(dana, id)).data.request.editable).toBe(true);
  });

  it("shows every field's error at once and keeps what was typed", async () => {
    const dana = await customer("Dana");
    const { id } = await proposeAs(dana);
    const longBody = "x".repeat(20_001);

    const result = await postEdit(dana, id, {
      intent: "edit",
      title: "",
      bodyMd: longBody,
      categoryId: "",
    });

    expect(result.status).toBe(400);
    expect(Object.keys(result.data.errors).sort()).toEqual(["bodyMd", "categoryId", "title"]);
    expect(result.data.values).toMatchObject({ title: "", bodyMd: longBody, categoryId: "" });
    expect((await storedRequest(id))!.edited_at).toBeNull();
  });

  it("is refused once another user has voted, and the edit page says why", async () => {
    const dana = await customer("Dana");
    const { id, categoryId } = await proposeAs(dana);
    const { title } = (await storedRequest(id))!;
    const noa = await makeCustomer({ name: "Noa" });
    await toggleVote({ requestId: id, actor: noa.actor, orgId: noa.orgId });

    expect((await openRequestPage(dana, id)).data.canEdit).toBe(false);
    const page = await openEditPage(dana, id);
    expect(page.status).toBe(200);
    expect(page.data.request.editable).toBe(false);
    const result = await postEdit(dana, id, {
      intent: "edit",
      title: "Something else entirely",
      bodyMd: "",
      categoryId: String(categoryId),
    });
    expect(result.status).toBe(409);
    expect(result.data.errors).toEqual({ form: "request.error.othersTookPart" });
    expect((await storedRequest(id))!.title).toBe(title);
  });

  it.each([
    ["a customer's comment", false],
    ["a staff member's internal note", true],
  ])("is refused once someone else has written %s", async (_what, internal) => {
    const dana = await customer("Dana");
    const { id, categoryId } = await proposeAs(dana);
    const writer = internal ? { actor: await makeStaff(), orgId: null } : await makeCustomer();
    await addComment({
      requestId: id,
      actor: writer.actor,
      orgId: writer.orgId,
      bodyMd: "Us too.",
      kind: internal ? "internal" : "public",
    });

    const refusal = await refusalOf(
      editOwnRequest({
        requestId: id,
        actor: dana.actor,
        title: "Something else entirely",
        bodyMd: "",
        categoryId,
      }),
    );
    expect(refusal).toMatchObject({ messageKey: "request.error.othersTookPart", status: 409 });
    expect((await openRequestPage(dana, id)).data.canEdit).toBe(false);
  });

  it("is refused once staff have moved it on from 'under review'", async () => {
    const dana = await customer("Dana");
    const { id, categoryId } = await proposeAs(dana);
    await getDb().updateTable("requests").set({ status: "planned" }).where("id", "=", id).execute();

    const refusal = await refusalOf(
      editOwnRequest({
        requestId: id,
        actor: dana.actor,
        title: "A new title",
        bodyMd: "",
        categoryId,
      }),
    );
    expect(refusal.status).toBe(409);
  });

  it("is refused to a colleague of the author and to a user of another organization", async () => {
    const dana = await customer("Dana");
    const { id, categoryId } = await proposeAs(dana);
    const { title } = (await storedRequest(id))!;
    const colleague = await customer("Omer", dana.orgId);
    const stranger = await customer("Noa");

    for (const someone of [colleague, stranger]) {
      expect((await openRequestPage(someone, id)).data.canEdit).toBe(false);
      expect((await openEditPage(someone, id)).status).toBe(403);
      const edit = await postEdit(someone, id, {
        intent: "edit",
        title: "Taken over by someone else",
        bodyMd: "",
        categoryId: String(categoryId),
      });
      expect(edit.status).toBe(403);
      const withdraw = await postEdit(someone, id, { intent: "withdraw", confirm: "on" });
      expect(withdraw.status).toBe(403);
      const refusal = await refusalOf(withdrawOwnRequest({ requestId: id, actor: someone.actor }));
      expect(refusal).toMatchObject({ messageKey: "request.error.notAuthor", status: 403 });
    }
    expect((await storedRequest(id))!.title).toBe(title);
    expect(await openRequestPage(null, id)).toMatchObject({ status: 200 });
    expect((await openRequestPage(null, id)).data.canEdit).toBe(false);
  });

  it("answers 404 for a request that doesn't exist", async () => {
    const dana = await customer("Dana");
    expect((await openEditPage(dana, 999_999)).status).toBe(404);
  });
});

describe("withdrawing one's own request", () => {
  it("deletes it with its votes, follows, comments, timeline and search entry, and records it", async () => {
    const dana = await customer("Dana");
    const { id } = await proposeAs(dana, "Withdrawable dashboard widget");
    await addComment({ requestId: id, actor: dana.actor, orgId: dana.orgId, bodyMd: "More." });
    expect(await searchBoard("Withdrawable")).toContain(id);

    const result = await postEdit(dana, id, { intent: "withdraw", confirm: "on" });

    expect(result.status).toBe(302);
    expect(result.headers.get("Location")).toBe("/");
    expect(await storedRequest(id)).toBeUndefined();
    for (const table of [
      "votes",
      "request_org_votes",
      "request_vote_days",
      "follows",
      "comments",
      "status_events",
    ] as const) {
      const rows = await getDb()
        .selectFrom(table)
        .selectAll()
        .where("request_id", "=", id)
        .execute();
      expect(rows, table).toEqual([]);
    }
    expect(await searchBoard("Withdrawable")).not.toContain(id);
    expect(await isRequestIndexed(getDb(), id)).toBe(false);
    const [audit] = await auditOf(id, "request.withdrawn");
    expect(audit.actor_id).toBe(dana.user.id);
    expect(JSON.parse(audit.data_json)).toMatchObject({ title: "Withdrawable dashboard widget" });
    expect((await openRequestPage(dana, id)).status).toBe(404);
  });

  it("asks to confirm first, and keeps the request until then", async () => {
    const dana = await customer("Dana");
    const { id } = await proposeAs(dana);

    const result = await postEdit(dana, id, { intent: "withdraw" });

    expect(result.status).toBe(400);
    expect(result.data.errors).toEqual({ confirm: "requestEdit.withdraw.confirmRequired" });
    expect(await storedRequest(id)).toBeDefined();
  });

  it("is refused once another user has voted, keeping the request and its counts", async () => {
    const dana = await customer("Dana");
    const { id } = await proposeAs(dana);
    const noa = await makeCustomer({ name: "Noa" });
    await toggleVote({ requestId: id, actor: noa.actor, orgId: noa.orgId });

    const result = await postEdit(dana, id, { intent: "withdraw", confirm: "on" });

    expect(result.status).toBe(409);
    expect(result.data.errors).toEqual({ form: "request.error.othersTookPart" });
    expect(await storedRequest(id)).toMatchObject({ vote_count: 2, org_count: 2 });
    expect(await auditOf(id, "request.withdrawn")).toEqual([]);
  });
});
