// The staff pages of a request and /staff/propose through their loaders and actions: visitors
// are sent to sign in, customers get a 404 with nothing changed, staff's forms come back with
// every error next to its field and what they typed; the withdrawal page works signed out.
import { describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { createOrganization } from "~/models/orgs.server";
import { upcomingQuarters } from "~/models/quarters";
import { loader as requestLoader } from "~/routes/requests.$id/route";
import { action as ownerAction } from "~/routes/requests.$id_.owner";
import { action as quarterAction } from "~/routes/requests.$id_.quarter";
import { action as recordAction, loader as recordLoader } from "~/routes/requests.$id_.record-vote";
import { action as editAction, loader as editLoader } from "~/routes/requests.$id_.staff-edit";
import { action as proposeAction, loader as proposeLoader } from "~/routes/staff_.propose";
import { action as withdrawAction, loader as withdrawLoader } from "~/routes/votes.withdraw.$token";
import {
  actorOf,
  addMember,
  latinToken,
  makeCategory,
  makeStaff,
  makeUser,
  proposeRequest,
} from "../support/factories";
import { deliverAllDue, linkTokenIn, mailsTo } from "../support/mail";
import {
  formRequest,
  getRequest,
  run,
  sessionCookieFor,
  testContext,
  unwrap,
} from "../support/requests";

type Handler = (args: {
  request: Request;
  params: Record<string, string>;
  context: never;
}) => Promise<unknown>;

async function call(handler: unknown, request: Request, params: Record<string, string> = {}) {
  return unwrap(
    await run(() => (handler as Handler)({ request, params, context: testContext() as never })),
  );
}

async function setup() {
  const customerUser = await makeUser({ name: "Carmel Customer" });
  const org = await createOrganization({
    actor: actorOf(customerUser),
    name: `Carmel ${latinToken()}`,
  });
  const member = await makeUser({ name: "Miki Member" });
  await addMember(org.id, member.id);
  const { id } = await proposeRequest({ actor: actorOf(customerUser), orgId: org.id });
  const staffActor = await makeStaff("Sivan Staff");
  const staffUser = await getDb()
    .selectFrom("users")
    .selectAll()
    .where("id", "=", staffActor.id)
    .executeTakeFirstOrThrow();
  return {
    id,
    org,
    member,
    staffActor,
    staff: await sessionCookieFor(staffUser),
    customer: await sessionCookieFor(customerUser),
  };
}

async function requestRow(id: number) {
  return getDb().selectFrom("requests").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
}

describe("who may open and post the staff forms", () => {
  it("sends visitors to sign in and answers customers with 404, changing nothing", async () => {
    const { id, customer } = await setup();
    const before = await requestRow(id);
    const params = { id: String(id) };
    const pages = [
      [editLoader, `/requests/${id}/staff-edit`],
      [recordLoader, `/requests/${id}/record-vote`],
      [proposeLoader, `/staff/propose`],
    ] as const;
    for (const [loader, path] of pages) {
      const visitor = await call(loader, getRequest(path), params);
      expect(visitor.status).toBe(302);
      expect(visitor.headers.get("Location")).toMatch(/^\/signin\?redirectTo=/);
      expect((await call(loader, getRequest(path, { cookie: customer }), params)).status).toBe(404);
    }
    const posts = [
      [
        editAction,
        `/requests/${id}/staff-edit`,
        { title: "A customer's new title", bodyMd: "", categoryId: "1" },
      ],
      [ownerAction, `/requests/${id}/owner`, { ownerId: "" }],
      [quarterAction, `/requests/${id}/quarter`, { quarter: upcomingQuarters()[1] }],
      [recordAction, `/requests/${id}/record-vote`, { orgId: "1", userId: "1", source: "email" }],
    ] as const;
    for (const [action, path, fields] of posts) {
      expect((await call(action, formRequest(path, fields), params)).status).toBe(302);
      expect(
        (await call(action, formRequest(path, fields, { cookie: customer }), params)).status,
      ).toBe(404);
    }
    expect(await requestRow(id)).toEqual(before);
    // The request page gives customers no staff section.
    const page = await call(
      requestLoader,
      getRequest(`/requests/${id}`, { cookie: customer }),
      params,
    );
    expect(page.data.staffTools).toBeNull();
  });
});

describe("staff's forms", () => {
  it("edits through the staff edit page and shows the staff section with owner and quarter saved", async () => {
    const { id, staff, staffActor } = await setup();
    const category = await makeCategory("Payroll");
    const params = { id: String(id) };
    const title = `Cleaned ${latinToken()} title for everyone`;
    const edited = await call(
      editAction,
      formRequest(
        `/requests/${id}/staff-edit`,
        { title, bodyMd: "Clearer.", categoryId: String(category.id) },
        { cookie: staff },
      ),
      params,
    );
    expect(edited.status).toBe(302);
    expect((await requestRow(id)).title).toBe(title);
    const quarter = upcomingQuarters()[2];
    expect(
      (
        await call(
          ownerAction,
          formRequest(
            `/requests/${id}/owner`,
            { ownerId: String(staffActor.id) },
            { cookie: staff },
          ),
          params,
        )
      ).status,
    ).toBe(302);
    expect(
      (
        await call(
          quarterAction,
          formRequest(`/requests/${id}/quarter`, { quarter }, { cookie: staff }),
          params,
        )
      ).status,
    ).toBe(302);
    const page = await call(
      requestLoader,
      getRequest(`/requests/${id}`, { cookie: staff }),
      params,
    );
    expect(page.data.staffTools).toMatchObject({
      ownerId: staffActor.id,
      ownerName: "Sivan Staff",
      targetQuarter: quarter,
    });
    expect(page.data.staffTools.editedAt).not.toBeNull();
  });

  it("returns every field's error at once with the typed values, and a past quarter's refusal next to its select", async () => {
    const { id, staff, org } = await setup();
    const params = { id: String(id) };
    const bad = await call(
      recordAction,
      formRequest(
        `/requests/${id}/record-vote?orgId=${org.id}`,
        {
          orgId: String(org.id),
          userId: "",
          newContactEmail: "nope",
          newContactName: "Someone",
          source: "",
          quote: "They said so",
        },
        { cookie: staff },
      ),
      params,
    );
    expect(bad.status).toBe(400);
    expect(bad.data.errors).toEqual({
      source: "staffRequests.error.sourceInvalid",
      newContactEmail: "staffRequests.error.contactEmailInvalid",
    });
    expect(bad.data.values).toMatchObject({ newContactEmail: "nope", quote: "They said so" });

    const past = await call(
      quarterAction,
      formRequest(`/requests/${id}/quarter`, { quarter: "2001-Q1" }, { cookie: staff }),
      params,
    );
    expect(past.status).toBe(400);
    expect(past.data.errors).toEqual({ quarter: "staffRequests.error.quarterPast" });
    expect(past.data.values.quarter).toBe("2001-Q1");
  });

  it("finds the organization, lists its members, records the vote, and the e-mailed link withdraws it signed out", async () => {
    const { id, staff, org, member } = await setup();
    const params = { id: String(id) };
    const search = await call(
      recordLoader,
      getRequest(`/requests/${id}/record-vote?org=${encodeURIComponent(org.name.slice(0, 10))}`, {
        cookie: staff,
      }),
      params,
    );
    expect(search.data.picker.matches.map((m: { id: number }) => m.id)).toContain(org.id);
    const chosen = await call(
      recordLoader,
      getRequest(`/requests/${id}/record-vote?orgId=${org.id}`, { cookie: staff }),
      params,
    );
    expect(chosen.data.picker.chosen.members.map((m: { id: number }) => m.id)).toContain(member.id);

    const recorded = await call(
      recordAction,
      formRequest(
        `/requests/${id}/record-vote?orgId=${org.id}`,
        { orgId: String(org.id), userId: String(member.id), source: "meeting", quote: "" },
        { cookie: staff },
      ),
      params,
    );
    expect(recorded.status).toBe(302);
    expect((await requestRow(id)).vote_count).toBe(2);
    await deliverAllDue();
    const token = linkTokenIn(mailsTo(member.email)[0], "/votes/withdraw/");
    const page = await call(withdrawLoader, getRequest(`/votes/withdraw/${token}`), { token });
    expect(page.data).toMatchObject({ state: "valid", request: { id } });
    const done = await call(withdrawAction, formRequest(`/votes/withdraw/${token}`, {}), { token });
    expect(done.data).toMatchObject({ done: true, requestId: id });
    expect((await requestRow(id)).vote_count).toBe(1);
    const again = await call(withdrawAction, formRequest(`/votes/withdraw/${token}`, {}), {
      token,
    });
    expect(again.status).toBe(410);
    expect(again.data.error).toBe("voteWithdraw.used");
    expect((await requestRow(id)).vote_count).toBe(1);
  });

  it("proposes on a customer's behalf from /staff/propose and points an exact duplicate at its request", async () => {
    const { id: existingId, staff, org, member } = await setup();
    const category = await makeCategory();
    const title = `Bank ${latinToken()} reconciliation`;
    const fields = {
      orgId: String(org.id),
      userId: String(member.id),
      source: "email",
      quote: "",
      title,
      bodyMd: "",
      categoryId: String(category.id),
    };
    const created = await call(
      proposeAction,
      formRequest(`/staff/propose?orgId=${org.id}`, fields, { cookie: staff }),
    );
    expect(created.status).toBe(302);
    const newId = Number(created.headers.get("Location")!.split("/requests/")[1]);
    expect(await requestRow(newId)).toMatchObject({
      author_id: member.id,
      org_id: org.id,
      source: "email",
    });
    const existing = await requestRow(existingId);
    const duplicate = await call(
      proposeAction,
      formRequest(
        `/staff/propose?orgId=${org.id}`,
        { ...fields, title: existing.title },
        { cookie: staff },
      ),
    );
    expect(duplicate.status).toBe(409);
    expect(duplicate.data).toMatchObject({
      errors: { title: "request.error.duplicate" },
      duplicate: { id: existingId },
    });
  });
});
