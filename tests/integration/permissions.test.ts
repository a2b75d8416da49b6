// Who may see and change an organization's members: its admins; its members only themselves;
// staff may look but not touch; everyone else sees nothing at all.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import { getSessionUser } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { action as accountAction, loader as accountLoader } from "~/routes/account";
import { action as inviteAction } from "~/routes/invite.$token";
import { loader as orgsIndexLoader } from "~/routes/orgs._index";
import { action as orgAction, loader as orgLoader } from "~/routes/orgs.$slug";
import { action as newOrgAction, loader as newOrgLoader } from "~/routes/orgs.new";
import { action as switchAction } from "~/routes/orgs.switch";
import { inviteMember } from "~/models/orgs.server";
import { changePassword } from "~/models/users.server";
import { actorOf, makeOrg, makeUser, TEST_PASSWORD, uniqueEmail } from "../support/factories";
import {
  formRequest,
  getRequest,
  run,
  sessionCookieFor,
  testContext,
  unwrap,
} from "../support/requests";

type Person = Awaited<ReturnType<typeof makeUser>>;

async function viewOrg(user: Person, slug: string) {
  const request = getRequest(`/orgs/${slug}`, { cookie: await sessionCookieFor(user) });
  return unwrap(await run(() => orgLoader({ request, params: { slug }, context: testContext() })));
}

async function postToOrg(user: Person, slug: string, fields: Record<string, string>) {
  const request = formRequest(`/orgs/${slug}`, fields, { cookie: await sessionCookieFor(user) });
  return unwrap(await run(() => orgAction({ request, params: { slug }, context: testContext() })));
}

/** Everything about an organization a refused request must leave exactly as it was. */
async function snapshotOf(orgId: number) {
  const db = getDb();
  return {
    memberships: await db
      .selectFrom("memberships")
      .selectAll()
      .where("org_id", "=", orgId)
      .orderBy("user_id")
      .execute(),
    invitations: await db
      .selectFrom("invitations")
      .selectAll()
      .where("org_id", "=", orgId)
      .orderBy("id")
      .execute(),
    audit: await db
      .selectFrom("audit_log")
      .selectAll()
      .where("subject_type", "=", "organization")
      .where("subject_id", "=", orgId)
      .orderBy("id")
      .execute(),
    outbox: await db.selectFrom("outbox").select(["id", "recipient"]).orderBy("id").execute(),
  };
}

/** Organization B with an admin, a member and a pending invitation, and a separate organization A. */
async function twoOrganizations() {
  const a = await makeOrg("Acme", ["member"]);
  const b = await makeOrg("Globex", ["member"]);
  const { invitationId } = await inviteMember({
    actor: actorOf(b.admin),
    orgId: b.org.id,
    email: uniqueEmail("globex-invitee"),
    role: "member",
    locale: "en",
  });
  return { a, b, bInvitationId: invitationId };
}

type TwoOrganizations = Awaited<ReturnType<typeof twoOrganizations>>;

describe("a member of one organization cannot see or change another's members", () => {
  it("answers 404 to an admin of one organization opening another's page", async () => {
    const { a, b } = await twoOrganizations();
    expect((await viewOrg(a.admin, b.org.slug)).status).toBe(404);
    expect((await viewOrg(a.members[0], b.org.slug)).status).toBe(404);
  });

  it("answers a foreign organization exactly like one that doesn't exist", async () => {
    const { a, b } = await twoOrganizations();
    const foreign = (await viewOrg(a.admin, b.org.slug)).response!;
    const missing = (await viewOrg(a.admin, "no-such-org")).response!;
    expect(foreign.status).toBe(missing.status);
    expect(await foreign.text()).toBe(await missing.text());
  });

  it("answers 404 to someone who belongs to no organization at all", async () => {
    const { b } = await twoOrganizations();
    expect((await viewOrg(await makeUser(), b.org.slug)).status).toBe(404);
  });

  it.each([
    ["invite", () => ({ intent: "invite", email: uniqueEmail("spy"), role: "admin" })],
    [
      "revoke",
      (ctx: TwoOrganizations) => ({ intent: "revoke", invitationId: String(ctx.bInvitationId) }),
    ],
    [
      "role",
      (ctx: TwoOrganizations) => ({
        intent: "role",
        userId: String(ctx.b.members[0].id),
        role: "admin",
      }),
    ],
    [
      "role (demote)",
      (ctx: TwoOrganizations) => ({
        intent: "role",
        userId: String(ctx.b.admin.id),
        role: "member",
      }),
    ],
    [
      "remove",
      (ctx: TwoOrganizations) => ({ intent: "remove", userId: String(ctx.b.members[0].id) }),
    ],
    [
      "remove (admin)",
      (ctx: TwoOrganizations) => ({ intent: "remove", userId: String(ctx.b.admin.id) }),
    ],
  ] as const)(
    "refuses an admin of another organization the %s action with 404, changing nothing",
    async (_name, fieldsFor) => {
      const ctx = await twoOrganizations();
      const before = await snapshotOf(ctx.b.org.id);

      const result = await postToOrg(ctx.a.admin, ctx.b.org.slug, fieldsFor(ctx));

      expect(result.status).toBe(404);
      expect(await snapshotOf(ctx.b.org.id)).toEqual(before);
    },
  );

  it("cannot reach another organization's members or invitations through their own organization's page", async () => {
    const { a, b, bInvitationId } = await twoOrganizations();
    const before = await snapshotOf(b.org.id);

    const promote = await postToOrg(a.admin, a.org.slug, {
      intent: "role",
      userId: String(b.members[0].id),
      role: "admin",
    });
    const remove = await postToOrg(a.admin, a.org.slug, {
      intent: "remove",
      userId: String(b.admin.id),
    });
    const revoke = await postToOrg(a.admin, a.org.slug, {
      intent: "revoke",
      invitationId: String(bInvitationId),
    });

    expect([promote.status, remove.status, revoke.status]).toEqual([404, 404, 404]);
    expect(promote.data.errors).toEqual({ form: "org.error.notAMember" });
    expect(revoke.data.errors).toEqual({ form: "org.error.invitationGone" });
    expect(await snapshotOf(b.org.id)).toEqual(before);
  });

  it("shows an admin only their own organization's members and invitations", async () => {
    const { a, b } = await twoOrganizations();
    const page = await viewOrg(a.admin, a.org.slug);

    const emails = [...page.data.members, ...page.data.invitations].map(
      (row: { email: string }) => row.email,
    );
    expect(emails.sort()).toEqual([a.admin.email, a.members[0].email].sort());
    expect(JSON.stringify(page.data)).not.toContain(b.admin.email);
    expect(JSON.stringify(page.data)).not.toContain("globex-invitee");
  });
});

describe("a plain member of an organization", () => {
  it("sees the members, but not the pending invitations", async () => {
    const { b } = await twoOrganizations();
    const page = await viewOrg(b.members[0], b.org.slug);

    expect(page.status).toBe(200);
    expect(page.data.viewerRole).toBe("member");
    expect(page.data.members).toHaveLength(2);
    expect(page.data.invitations).toEqual([]);
  });

  it("cannot invite anyone", async () => {
    const { b } = await twoOrganizations();
    const before = await snapshotOf(b.org.id);

    const result = await postToOrg(b.members[0], b.org.slug, {
      intent: "invite",
      email: uniqueEmail("friend"),
      role: "member",
    });

    expect(result.status).toBe(403);
    expect(result.data.errors).toEqual({ form: "org.error.adminOnly" });
    expect(await snapshotOf(b.org.id)).toEqual(before);
  });

  it("cannot make themselves an admin", async () => {
    const { b } = await twoOrganizations();
    const [member] = b.members;
    const before = await snapshotOf(b.org.id);

    const result = await postToOrg(member, b.org.slug, {
      intent: "role",
      userId: String(member.id),
      role: "admin",
    });

    expect(result.status).toBe(403);
    expect(result.data.errors).toEqual({ form: "org.error.adminOnly" });
    expect(await snapshotOf(b.org.id)).toEqual(before);
  });

  it("cannot demote or remove the admin", async () => {
    const { b } = await twoOrganizations();
    const before = await snapshotOf(b.org.id);

    const demote = await postToOrg(b.members[0], b.org.slug, {
      intent: "role",
      userId: String(b.admin.id),
      role: "member",
    });
    const remove = await postToOrg(b.members[0], b.org.slug, {
      intent: "remove",
      userId: String(b.admin.id),
    });

    expect([demote.status, remove.status]).toEqual([403, 403]);
    expect(await snapshotOf(b.org.id)).toEqual(before);
  });

  it("cannot remove or promote another plain member", async () => {
    const a = await makeOrg("Peers", ["member", "member"]);
    const [omer, yael] = a.members;
    const before = await snapshotOf(a.org.id);

    const remove = await postToOrg(omer, a.org.slug, { intent: "remove", userId: String(yael.id) });
    const promote = await postToOrg(omer, a.org.slug, {
      intent: "role",
      userId: String(yael.id),
      role: "admin",
    });

    expect([remove.status, promote.status]).toEqual([403, 403]);
    expect(await snapshotOf(a.org.id)).toEqual(before);
  });

  it("cannot revoke an invitation", async () => {
    const { b, bInvitationId } = await twoOrganizations();
    const before = await snapshotOf(b.org.id);

    const result = await postToOrg(b.members[0], b.org.slug, {
      intent: "revoke",
      invitationId: String(bInvitationId),
    });

    expect(result.status).toBe(403);
    expect(await snapshotOf(b.org.id)).toEqual(before);
  });

  // The hourly invitation allowance belongs to the admins: refused attempts by someone who may
  // not invite at all must not use it up.
  it("cannot use up the admins' invitation allowance with refused invitations", async () => {
    const { org, admin, members } = await makeOrg("Allowance Co", ["member"]);
    for (let i = 0; i < 50; i++) {
      const refused = await postToOrg(members[0], org.slug, {
        intent: "invite",
        email: uniqueEmail(`spam${i}`),
        role: "member",
      });
      expect(refused.status).toBe(403);
    }

    const result = await postToOrg(admin, org.slug, {
      intent: "invite",
      email: uniqueEmail("real-colleague"),
      role: "member",
    });

    expect(result.status).toBe(302);
  });
});

describe("staff", () => {
  it("can look at any organization's members and invitations", async () => {
    const { b } = await twoOrganizations();
    const staff = await makeUser({ isStaff: true });

    const page = await viewOrg(staff, b.org.slug);

    expect(page.status).toBe(200);
    expect(page.data.viewerRole).toBe("staff");
    expect(page.data.members.map((m: { userId: number }) => m.userId).sort()).toEqual(
      [b.admin.id, b.members[0].id].sort(),
    );
    expect(page.data.invitations).toHaveLength(1);
  });

  it.each([
    ["invite", () => ({ intent: "invite", email: uniqueEmail("staff-friend"), role: "member" })],
    [
      "revoke",
      (ctx: TwoOrganizations) => ({ intent: "revoke", invitationId: String(ctx.bInvitationId) }),
    ],
    [
      "role",
      (ctx: TwoOrganizations) => ({
        intent: "role",
        userId: String(ctx.b.members[0].id),
        role: "admin",
      }),
    ],
    [
      "remove",
      (ctx: TwoOrganizations) => ({ intent: "remove", userId: String(ctx.b.members[0].id) }),
    ],
  ] as const)("cannot %s in a customer's organization", async (_name, fieldsFor) => {
    const ctx = await twoOrganizations();
    const staff = await makeUser({ isStaff: true });
    const before = await snapshotOf(ctx.b.org.id);

    const result = await postToOrg(staff, ctx.b.org.slug, fieldsFor(ctx));

    expect(result.status).toBe(403);
    expect(result.data.errors).toEqual({ form: "org.error.adminOnly" });
    expect(await snapshotOf(ctx.b.org.id)).toEqual(before);
  });
});

type Route = (args: LoaderFunctionArgs & ActionFunctionArgs) => Promise<unknown>;

describe("someone who is not signed in", () => {
  const pages: [string, "GET" | "POST", string, Route, Record<string, string>][] = [
    ["the account page", "GET", "/account", accountLoader as Route, {}],
    ["saving the profile", "POST", "/account", accountAction as Route, {}],
    ["the new organization page", "GET", "/orgs/new", newOrgLoader as Route, {}],
    ["creating an organization", "POST", "/orgs/new", newOrgAction as Route, {}],
    [
      "an organization's page",
      "GET",
      "/orgs/globex?tab=members",
      orgLoader as Route,
      { slug: "globex" },
    ],
    ["changing an organization", "POST", "/orgs/globex", orgAction as Route, { slug: "globex" }],
    ["switching organization", "POST", "/orgs/switch", switchAction as Route, {}],
    ["the staff list of organizations", "GET", "/orgs", orgsIndexLoader as Route, {}],
    [
      "accepting an invitation",
      "POST",
      "/invite/some-token",
      inviteAction as Route,
      { token: "some-token" },
    ],
  ];

  it.each(pages)(
    "is sent to sign in, and back afterwards, from %s",
    async (_name, method, path, route, params) => {
      const { b } = await twoOrganizations();
      const before = await snapshotOf(b.org.id);
      const fields = {
        intent: "role",
        userId: String(b.members[0].id),
        role: "admin",
        name: "Sneaky",
        orgId: String(b.org.id),
      };
      const request = method === "GET" ? getRequest(path) : formRequest(path, fields);

      const result = unwrap(await run(() => route({ request, params, context: testContext() })));

      expect(result.status).toBe(302);
      const location = new URL(result.headers.get("Location")!, "http://broadly.test");
      expect(location.pathname).toBe("/signin");
      expect(location.searchParams.get("redirectTo")).toBe(path);
      expect(await snapshotOf(b.org.id)).toEqual(before);
    },
  );

  it("is treated as signed out once a password change elsewhere ended the session", async () => {
    const { b } = await twoOrganizations();
    const cookie = await sessionCookieFor(b.admin);
    const elsewhere = await sessionCookieFor(b.admin);
    const elsewhereSession = await getSessionUser(getRequest("/", { cookie: elsewhere }));
    await changePassword({
      userId: b.admin.id,
      currentPassword: TEST_PASSWORD,
      newPassword: "a brand new password",
      keepSessionId: elsewhereSession!.sessionId,
    });
    const request = getRequest(`/orgs/${b.org.slug}`, { cookie });
    const result = unwrap(
      await run(() => orgLoader({ request, params: { slug: b.org.slug }, context: testContext() })),
    );
    expect(result.status).toBe(302);
    expect(result.headers.get("Location")).toMatch(/^\/signin\?/);
  });

  it("cannot sign in as someone else by editing the session cookie", async () => {
    const { b } = await twoOrganizations();
    // Take a member's genuine cookie and put the admin's session token in it, keeping the
    // member's signature (an attacker who learned the token still can't sign for it).
    const genuine = await sessionCookieFor(b.members[0]);
    const adminCookie = await sessionCookieFor(b.admin);
    const tokenOf = (cookie: string) => {
      const [payload] = decodeURIComponent(cookie.split("=")[1]).split(".");
      return JSON.parse(Buffer.from(payload, "base64").toString("utf8")) as string;
    };
    const [name, value] = genuine.split("=");
    const [, signature] = decodeURIComponent(value).split(".");
    const edited = Buffer.from(JSON.stringify(tokenOf(adminCookie))).toString("base64");
    const forged = `${name}=${encodeURIComponent(`${edited}.${signature}`)}`;
    expect(await getSessionUser(getRequest("/", { cookie: forged }))).toBeNull();

    const before = await snapshotOf(b.org.id);
    const request = formRequest(
      `/orgs/${b.org.slug}`,
      { intent: "remove", userId: String(b.members[0].id) },
      { cookie: forged },
    );
    const result = unwrap(
      await run(() => orgAction({ request, params: { slug: b.org.slug }, context: testContext() })),
    );

    expect(result.status).toBe(302);
    expect(result.headers.get("Location")).toMatch(/^\/signin\?/);
    expect(await snapshotOf(b.org.id)).toEqual(before);
  });
});
