// Customer organizations through their routes: creating one, inviting colleagues by e-mail,
// accepting invitations, roles, leaving, and switching the current organization.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { getSessionUser, takeToast } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { translate } from "~/i18n/messages";
import { ActionRefused } from "~/models/errors";
import { hashToken } from "~/models/secret-tokens.server";
import {
  changeMemberRole,
  INVITATION_TTL_DAYS,
  inviteMember,
  removeMember,
} from "~/models/orgs.server";
import { action as inviteAction, loader as inviteLoader } from "~/routes/invite.$token";
import { loader as orgsIndexLoader } from "~/routes/orgs._index";
import { action as orgAction, loader as orgLoader } from "~/routes/orgs.$slug";
import { action as newOrgAction } from "~/routes/orgs.new";
import { action as switchAction } from "~/routes/orgs.switch";
import { actorOf, makeOrg, makeUser, uniqueEmail } from "../support/factories";
import {
  cookieFrom,
  formRequest,
  getRequest,
  run,
  sessionCookieFor,
  testContext,
  unwrap,
} from "../support/requests";
import { deliverAllDue, inviteTokenIn, mailsTo } from "../support/mail";

type Person = Awaited<ReturnType<typeof makeUser>>;

// These return the session cookie they acted with too: the session is kept on the server, so
// what the action changed in it shows through that same cookie.
async function createOrgAs(user: Person, name: string) {
  const cookie = await sessionCookieFor(user);
  const request = formRequest("/orgs/new", { name }, { cookie });
  return {
    ...unwrap(await run(() => newOrgAction({ request, params: {}, context: testContext() }))),
    cookie,
  };
}

async function postToOrg(user: Person, slug: string, fields: Record<string, string>) {
  const request = formRequest(`/orgs/${slug}`, fields, { cookie: await sessionCookieFor(user) });
  return unwrap(await run(() => orgAction({ request, params: { slug }, context: testContext() })));
}

async function viewOrg(user: Person, slug: string) {
  const request = getRequest(`/orgs/${slug}`, { cookie: await sessionCookieFor(user) });
  return unwrap(await run(() => orgLoader({ request, params: { slug }, context: testContext() })));
}

async function openInvitation(token: string, user?: Person) {
  const request = getRequest(`/invite/${token}`, {
    cookie: user ? await sessionCookieFor(user) : undefined,
  });
  return unwrap(
    await run(() => inviteLoader({ request, params: { token }, context: testContext() })),
  );
}

async function acceptAs(user: Person, token: string) {
  const cookie = await sessionCookieFor(user);
  const request = formRequest(`/invite/${token}`, {}, { cookie });
  return {
    ...unwrap(
      await run(() => inviteAction({ request, params: { token }, context: testContext() })),
    ),
    cookie,
  };
}

/** Invites through the organization page, delivers the e-mail, and returns the link's token. */
async function inviteByEmail(
  admin: Person,
  slug: string,
  email: string,
  role: "member" | "admin" = "member",
) {
  const earlier = new Set(mailsTo(email).map((mail) => mail.file));
  const result = await postToOrg(admin, slug, { intent: "invite", email, role });
  expect(result.status).toBe(302);
  await deliverAllDue();
  // The e-mail this invitation sent (file names don't sort by age: outbox-10 comes before outbox-9).
  const [mail] = mailsTo(email).filter((m) => !earlier.has(m.file));
  return inviteTokenIn(mail);
}

async function roleOf(orgId: number, userId: number) {
  const row = await getDb()
    .selectFrom("memberships")
    .select("role")
    .where("org_id", "=", orgId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return row?.role ?? null;
}

async function auditOf(orgId: number, action: string) {
  return getDb()
    .selectFrom("audit_log")
    .selectAll()
    .where("subject_type", "=", "organization")
    .where("subject_id", "=", orgId)
    .where("action", "=", action)
    .execute();
}

const refusalOf = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ActionRefused);
  return error as ActionRefused;
};

describe("creating an organization", () => {
  it("makes the creator its admin, opens its page and records it in the audit log", async () => {
    const dana = await makeUser({ name: "Dana" });
    const result = await createOrgAs(dana, "Acme Ltd");

    expect(result.status).toBe(302);
    expect(result.headers.get("Location")).toBe("/orgs/acme-ltd");
    const org = await getDb()
      .selectFrom("organizations")
      .selectAll()
      .where("slug", "=", "acme-ltd")
      .executeTakeFirstOrThrow();
    expect(org).toMatchObject({ name: "Acme Ltd", created_by: dana.id });
    expect(await roleOf(org.id, dana.id)).toBe("admin");
    const audit = await auditOf(org.id, "org.create");
    expect(audit).toHaveLength(1);
    expect(audit[0].actor_id).toBe(dana.id);
    // The new organization becomes the current one.
    const session = await getSessionUser(getRequest("/", { cookie: result.cookie }));
    expect(session?.currentOrg?.orgId).toBe(org.id);
  });

  it("gives two organizations with the same name different addresses", async () => {
    const first = await createOrgAs(await makeUser(), "Globex");
    const second = await createOrgAs(await makeUser(), "Globex");
    expect(first.headers.get("Location")).toBe("/orgs/globex");
    expect(second.headers.get("Location")).toBe("/orgs/globex-2");
  });

  it("gives an organization with a Hebrew name a short readable address", async () => {
    const result = await createOrgAs(await makeUser(), "אקמה בע״מ");
    expect(result.headers.get("Location")).toMatch(/^\/orgs\/org-[0-9a-f]{6}$/);
  });

  // /orgs/new and /orgs/switch are pages of their own, and a static route always wins over /orgs/$slug.
  it.each(["New", "Switch"])(
    "gives an organization named %j an address of its own, not another page's",
    async (name) => {
      const taken = fs
        .readdirSync(path.join(process.cwd(), "app/routes"))
        .map((file) => /^orgs\.([a-z][a-z0-9-]*)\.tsx?$/.exec(file)?.[1])
        .filter((segment): segment is string => Boolean(segment));
      expect(taken).toEqual(expect.arrayContaining(["new", "switch"]));

      const result = await createOrgAs(await makeUser(), name);

      expect(result.status).toBe(302);
      const slug = result.headers.get("Location")!.replace(/^\/orgs\//, "");
      expect(taken).not.toContain(slug);
    },
  );

  it("asks for a name of at least two characters", async () => {
    const result = await createOrgAs(await makeUser(), "A");
    expect(result.status).toBe(400);
    expect(result.data).toMatchObject({
      errors: { name: "error.orgNameTooShort" },
      values: { name: "A" },
    });
  });

  it("refuses to let a staff member create an organization", async () => {
    const staff = await makeUser({ isStaff: true });
    const before = await getDb().selectFrom("organizations").select("id").execute();

    const result = await createOrgAs(staff, "Staff Club");

    expect(result.status).toBe(403);
    expect(result.data.errors).toEqual({ form: "org.error.staffCannotJoin" });
    expect(await getDb().selectFrom("organizations").select("id").execute()).toEqual(before);
  });
});

describe("inviting colleagues", () => {
  it("keeps only a hash of the link's token, and e-mails the link through the outbox", async () => {
    const { org, admin } = await makeOrg("Invites Ltd");
    const email = uniqueEmail("omer");

    const result = await postToOrg(admin, org.slug, {
      intent: "invite",
      email: email.toUpperCase(),
      role: "member",
    });

    expect(result.status).toBe(302);
    expect(result.headers.get("Location")).toBe(`/orgs/${org.slug}`);
    const invitation = await getDb()
      .selectFrom("invitations")
      .selectAll()
      .where("email", "=", email)
      .executeTakeFirstOrThrow();
    expect(invitation).toMatchObject({
      org_id: org.id,
      role: "member",
      invited_by: admin.id,
      accepted_at: null,
      revoked_at: null,
    });
    expect(invitation.token_hash).toMatch(/^[0-9a-f]{64}$/);
    const lifetime = Date.parse(invitation.expires_at) - Date.parse(invitation.created_at);
    expect(lifetime).toBeGreaterThan((INVITATION_TTL_DAYS * 24 - 1) * 3_600_000);
    expect(lifetime).toBeLessThanOrEqual(INVITATION_TTL_DAYS * 24 * 3_600_000 + 1000);

    // Written to the outbox in the same action, not sent from the request.
    const queued = await getDb()
      .selectFrom("outbox")
      .selectAll()
      .where("recipient", "=", email)
      .execute();
    expect(queued).toHaveLength(1);
    expect(queued[0]).toMatchObject({ kind: "email", sent_at: null, attempts: 0 });
    expect(mailsTo(email)).toHaveLength(0);

    await deliverAllDue();

    const [mail] = mailsTo(email);
    expect(mail.subject).toContain("Invites Ltd");
    expect(mail.text).toMatch(/http:\/\/broadly\.test\/invite\/[A-Za-z0-9_-]{40,}/);
    expect(mail.html).toContain(`http://broadly.test/invite/${inviteTokenIn(mail)}`);
    const token = inviteTokenIn(mail);
    expect(hashToken(token)).toBe(invitation.token_hash);
    // The link itself is stored nowhere in the invitation.
    expect(JSON.stringify(invitation)).not.toContain(token);
  });

  it("writes the invitation in the inviter's language", async () => {
    const admin = await makeUser({ locale: "he" });
    await createOrgAs(admin, "Hebrew Speakers");
    const email = uniqueEmail();
    await inviteByEmail(admin, "hebrew-speakers", email);
    const [mail] = mailsTo(email);
    expect(mail.subject).toContain("הזמין/ה אתכם");
    expect(mail.html).toContain('dir="rtl"');
  });

  it("lists the invitation as pending on the organization page", async () => {
    const { org, admin } = await makeOrg("Pending Co");
    const email = uniqueEmail();
    await postToOrg(admin, org.slug, { intent: "invite", email, role: "admin" });

    const page = await viewOrg(admin, org.slug);
    expect(page.data.invitations).toEqual([
      expect.objectContaining({ email, role: "admin", invitedByName: admin.name }),
    ]);
  });

  it("refuses to invite someone who is already a member", async () => {
    const { org, admin, members } = await makeOrg("Members Co", ["member"]);
    const result = await postToOrg(admin, org.slug, {
      intent: "invite",
      email: members[0].email,
      role: "admin",
    });
    expect(result.status).toBe(400);
    expect(result.data.errors).toEqual({ email: "org.error.alreadyMember" });
  });

  it("explains an invalid e-mail address and keeps what was typed", async () => {
    const { org, admin } = await makeOrg("Typos Co");
    const result = await postToOrg(admin, org.slug, {
      intent: "invite",
      email: "omer@",
      role: "member",
    });
    expect(result.status).toBe(400);
    expect(result.data).toMatchObject({
      intent: "invite",
      errors: { email: "error.emailInvalid" },
      values: { email: "omer@" },
    });
  });

  it("supersedes the earlier link when the same address is invited again, and says so on it", async () => {
    const { org, admin } = await makeOrg("Reinvite Co");
    const omer = await makeUser();
    const oldToken = await inviteByEmail(admin, org.slug, omer.email);
    const newToken = await inviteByEmail(admin, org.slug, omer.email.toUpperCase(), "admin");
    expect(newToken).not.toBe(oldToken);

    // The first link explains that a newer invitation replaced it, rather than "cancelled".
    const stalePage = await openInvitation(oldToken, omer);
    expect(stalePage.status).toBe(410);
    expect(stalePage.data.problem).toBe("invite.superseded");
    const stale = await acceptAs(omer, oldToken);
    expect(stale.status).toBe(410);
    expect(stale.data.errors).toEqual({ form: "invite.superseded" });
    expect(await roleOf(org.id, omer.id)).toBeNull();

    // One pending invitation per address: the newest, with its role.
    expect((await viewOrg(admin, org.slug)).data.invitations).toEqual([
      expect.objectContaining({ email: omer.email, role: "admin" }),
    ]);
    expect((await openInvitation(newToken, omer)).data.problem).toBeNull();
    expect((await acceptAs(omer, newToken)).status).toBe(302);
    expect(await roleOf(org.id, omer.id)).toBe("admin");
  });

  it("still points a superseded link to the newer e-mail once it has expired", async () => {
    const { org, admin } = await makeOrg("Old Links Co");
    const email = uniqueEmail();
    const oldToken = await inviteByEmail(admin, org.slug, email);
    await inviteByEmail(admin, org.slug, email);
    await getDb()
      .updateTable("invitations")
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where("token_hash", "=", hashToken(oldToken))
      .execute();
    expect((await openInvitation(oldToken)).data.problem).toBe("invite.superseded");
  });

  it("ends every link to an address when its pending invitation is revoked", async () => {
    const { org, admin } = await makeOrg("Revoke After Reinvite");
    const omer = await makeUser();
    const oldToken = await inviteByEmail(admin, org.slug, omer.email);
    const newToken = await inviteByEmail(admin, org.slug, omer.email);
    const [pending] = (await viewOrg(admin, org.slug)).data.invitations;

    await postToOrg(admin, org.slug, { intent: "revoke", invitationId: String(pending.id) });

    expect((await acceptAs(omer, newToken)).data.errors).toEqual({ form: "invite.revoked" });
    expect((await acceptAs(omer, oldToken)).data.errors).toEqual({ form: "invite.superseded" });
    expect(await roleOf(org.id, omer.id)).toBeNull();
  });

  it("forgets the link's token once the invitation e-mail is sent", async () => {
    const { org, admin } = await makeOrg("Forgetful Outbox");
    const email = uniqueEmail("redacted");
    await postToOrg(admin, org.slug, { intent: "invite", email, role: "member" });
    const outboxRows = () =>
      getDb().selectFrom("outbox").selectAll().where("recipient", "=", email).execute();
    // Until it is sent, the outbox row needs the link to build the e-mail.
    const [queued] = await outboxRows();
    expect(queued.payload_json).toMatch(/\/invite\/[A-Za-z0-9_-]{40,}/);

    await deliverAllDue();

    const token = inviteTokenIn(mailsTo(email)[0]);
    const [sent] = await outboxRows();
    expect(sent.sent_at).not.toBeNull();
    expect(sent.payload_json).not.toContain(token);
    expect(sent.payload_json).not.toMatch(/\/invite\//);
    // What the database still holds of the invitation is the token's hash, nowhere the token.
    const audit = await auditOf(org.id, "org.invite");
    expect(JSON.stringify(audit)).not.toContain(token);
    const invitation = await getDb()
      .selectFrom("invitations")
      .selectAll()
      .where("email", "=", email)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(invitation)).not.toContain(token);
  });

  it("lets an admin revoke a pending invitation", async () => {
    const { org, admin } = await makeOrg("Revokers");
    const omer = await makeUser();
    const token = await inviteByEmail(admin, org.slug, omer.email);
    const [pending] = (await viewOrg(admin, org.slug)).data.invitations;

    const result = await postToOrg(admin, org.slug, {
      intent: "revoke",
      invitationId: String(pending.id),
    });

    expect(result.status).toBe(302);
    expect((await viewOrg(admin, org.slug)).data.invitations).toEqual([]);
    expect((await openInvitation(token, omer)).data.problem).toBe("invite.revoked");
    expect((await acceptAs(omer, token)).data.errors).toEqual({ form: "invite.revoked" });
    expect(await roleOf(org.id, omer.id)).toBeNull();
    expect(await auditOf(org.id, "org.invite_revoke")).toHaveLength(1);
  });

  it("answers 404 when revoking an invitation that is already gone", async () => {
    const { org, admin } = await makeOrg("Twice Revoked");
    await postToOrg(admin, org.slug, { intent: "invite", email: uniqueEmail(), role: "member" });
    const [pending] = (await viewOrg(admin, org.slug)).data.invitations;
    await postToOrg(admin, org.slug, { intent: "revoke", invitationId: String(pending.id) });

    const again = await postToOrg(admin, org.slug, {
      intent: "revoke",
      invitationId: String(pending.id),
    });
    expect(again.status).toBe(404);
    expect(again.data.errors).toEqual({ form: "org.error.invitationGone" });
  });

  it("allows 50 invitations an hour per organization, then asks to wait", async () => {
    const { org, admin } = await makeOrg("Busy Inviters");
    for (let i = 0; i < 50; i++) {
      const result = await postToOrg(admin, org.slug, {
        intent: "invite",
        email: uniqueEmail(`bulk${i}`),
        role: "member",
      });
      expect(result.status).toBe(302);
    }
    const email = uniqueEmail("one-too-many");
    const limited = await postToOrg(admin, org.slug, { intent: "invite", email, role: "member" });

    expect(limited.status).toBe(429);
    expect(limited.data.errors).toEqual({ email: "error.inviteLimited" });
    expect(
      await getDb().selectFrom("invitations").select("id").where("email", "=", email).execute(),
    ).toEqual([]);
  });
});

describe("accepting an invitation", () => {
  it("shows a visitor who invited them to which organization, without leaking the link onwards", async () => {
    const { org, admin } = await makeOrg("Showcase Ltd");
    const token = await inviteByEmail(admin, org.slug, uniqueEmail("guest"), "admin");

    const page = await openInvitation(token);

    expect(page.status).toBe(200);
    expect(page.data).toMatchObject({
      invitation: { orgName: "Showcase Ltd", inviterName: admin.name, role: "admin" },
      problem: null,
      viewer: null,
    });
    expect(page.headers.get("Referrer-Policy")).toBe("no-referrer");
  });

  it("makes the invited account a member with the invited role", async () => {
    const { org, admin } = await makeOrg("Joiners Ltd");
    const omer = await makeUser({ name: "Omer" });
    const token = await inviteByEmail(admin, org.slug, omer.email, "admin");
    expect((await openInvitation(token, omer)).data.viewer).toMatchObject({
      matches: true,
      isStaff: false,
    });

    const result = await acceptAs(omer, token);

    expect(result.status).toBe(302);
    expect(result.headers.get("Location")).toBe(`/orgs/${org.slug}`);
    expect(await roleOf(org.id, omer.id)).toBe("admin");
    const invitation = await getDb()
      .selectFrom("invitations")
      .selectAll()
      .where("email", "=", omer.email)
      .executeTakeFirstOrThrow();
    expect(invitation.accepted_by).toBe(omer.id);
    expect(invitation.accepted_at).not.toBeNull();
    expect(await auditOf(org.id, "org.invite_accept")).toHaveLength(1);
    // The organization just joined becomes the current one.
    const session = await getSessionUser(getRequest("/", { cookie: result.cookie }));
    expect(session?.currentOrg?.orgId).toBe(org.id);
  });

  it("keeps the current organization when joining another, and says how to switch", async () => {
    const omer = await makeUser({ name: "Omer" });
    await createOrgAs(omer, "Zephyr Works");
    const { org: other, admin } = await makeOrg("Aardvark Works");
    const token = await inviteByEmail(admin, other.slug, omer.email);

    const result = await acceptAs(omer, token);

    expect(result.status).toBe(302);
    expect(result.headers.get("Location")).toBe(`/orgs/${other.slug}`);
    expect(await roleOf(other.id, omer.id)).toBe("member");
    const { cookie } = result;
    // Still working for Zephyr, although Aardvark now comes first in the alphabet.
    const session = await getSessionUser(getRequest("/", { cookie }));
    expect(session?.currentOrg?.name).toBe("Zephyr Works");
    expect(session?.memberships.map((m) => m.name)).toEqual(["Aardvark Works", "Zephyr Works"]);
    const flash = cookieFrom(result.response!);
    const { toast } = await takeToast(getRequest("/", { cookie: flash }));
    expect(toast).toEqual({
      key: "toast.joinedKeptCurrent",
      params: { org: "Aardvark Works", current: "Zephyr Works" },
    });
    expect(translate("en", toast!.key, toast!.params)).toBe(
      "You joined Aardvark Works. You're still working as Zephyr Works: switch in the account menu.",
    );
    // The joined organization's page offers the switch in one click.
    const page = unwrap(
      await orgLoader({
        request: getRequest(`/orgs/${other.slug}`, { cookie }),
        params: { slug: other.slug },
        context: testContext(),
      }),
    );
    expect(page.data.workingFor).toBe("Zephyr Works");
  });

  it("matches the invited address whatever its letter case", async () => {
    const { org, admin } = await makeOrg("Case Insensitive");
    const omer = await makeUser();
    const token = await inviteByEmail(admin, org.slug, `  ${omer.email.toUpperCase()}  `);
    expect((await acceptAs(omer, token)).status).toBe(302);
    expect(await roleOf(org.id, omer.id)).toBe("member");
  });

  it("refuses an account with a different e-mail, and leaves the link for the right person", async () => {
    const { org, admin } = await makeOrg("Right Person");
    const omer = await makeUser();
    const eve = await makeUser({ name: "Eve" });
    const token = await inviteByEmail(admin, org.slug, omer.email);
    expect((await openInvitation(token, eve)).data.viewer).toMatchObject({ matches: false });

    const result = await acceptAs(eve, token);

    expect(result.status).toBe(403);
    expect(result.data.errors).toEqual({ form: "invite.wrongAccount" });
    expect(await roleOf(org.id, eve.id)).toBeNull();
    expect((await acceptAs(omer, token)).status).toBe(302);
  });

  it("works only once", async () => {
    const { org, admin } = await makeOrg("Single Use");
    const omer = await makeUser();
    const token = await inviteByEmail(admin, org.slug, omer.email);
    await acceptAs(omer, token);

    const again = await acceptAs(omer, token);
    expect(again.status).toBe(410);
    expect(again.data.errors).toEqual({ form: "invite.alreadyUsed" });
    const page = await openInvitation(token, omer);
    expect(page.status).toBe(410);
    expect(page.data.problem).toBe("invite.alreadyUsed");
    const memberships = await getDb()
      .selectFrom("memberships")
      .select("user_id")
      .where("org_id", "=", org.id)
      .execute();
    expect(memberships.filter((m) => m.user_id === omer.id)).toHaveLength(1);
  });

  it("refuses an expired invitation", async () => {
    const { org, admin } = await makeOrg("Expired Co");
    const omer = await makeUser();
    const token = await inviteByEmail(admin, org.slug, omer.email);
    await getDb()
      .updateTable("invitations")
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where("token_hash", "=", hashToken(token))
      .execute();

    const result = await acceptAs(omer, token);
    expect(result.status).toBe(410);
    expect(result.data.errors).toEqual({ form: "invite.expired" });
    expect(await roleOf(org.id, omer.id)).toBeNull();
    expect((await openInvitation(token)).data.problem).toBe("invite.expired");
    // An expired invitation no longer shows as pending either.
    expect((await viewOrg(admin, org.slug)).data.invitations).toEqual([]);
  });

  it("says a link that was never issued is not valid", async () => {
    const omer = await makeUser();
    const bogus = "A".repeat(43);
    const page = await openInvitation(bogus);
    expect(page.status).toBe(404);
    expect(page.data.problem).toBe("invite.invalid");
    const result = await acceptAs(omer, bogus);
    expect(result.status).toBe(404);
    expect(result.data.errors).toEqual({ form: "invite.invalid" });
  });

  it("refuses to let a staff member join, even when invited", async () => {
    const { org, admin } = await makeOrg("Staff Magnet");
    const staff = await makeUser({ isStaff: true });
    const token = await inviteByEmail(admin, org.slug, staff.email);

    const result = await acceptAs(staff, token);
    expect(result.status).toBe(403);
    expect(result.data.errors).toEqual({ form: "org.error.staffCannotJoin" });
    expect(await roleOf(org.id, staff.id)).toBeNull();
  });
});

describe("roles and leaving", () => {
  it("refuses to demote the last admin", async () => {
    const { org, admin } = await makeOrg("Lonely Admin", ["member"]);
    const result = await postToOrg(admin, org.slug, {
      intent: "role",
      userId: String(admin.id),
      role: "member",
    });

    expect(result.status).toBe(409);
    expect(result.data.errors).toEqual({ form: "org.error.lastAdmin" });
    expect(await roleOf(org.id, admin.id)).toBe("admin");
  });

  it("refuses to let the last admin leave", async () => {
    const { org, admin } = await makeOrg("Stuck Admin", ["member"]);
    const result = await postToOrg(admin, org.slug, { intent: "remove", userId: String(admin.id) });

    expect(result.status).toBe(409);
    expect(result.data.errors).toEqual({ form: "org.error.lastAdmin" });
    expect(await roleOf(org.id, admin.id)).toBe("admin");
  });

  it("refuses to remove the last admin, in the model as well as on the page", async () => {
    const { org, admin } = await makeOrg("Model Guard");
    const demote = await refusalOf(
      changeMemberRole({ actor: actorOf(admin), orgId: org.id, userId: admin.id, role: "member" }),
    );
    expect(demote).toMatchObject({ messageKey: "org.error.lastAdmin", status: 409 });
    const remove = await refusalOf(
      removeMember({ actor: actorOf(admin), orgId: org.id, userId: admin.id }),
    );
    expect(remove).toMatchObject({ messageKey: "org.error.lastAdmin", status: 409 });
    expect(await roleOf(org.id, admin.id)).toBe("admin");
  });

  it("lets an admin step down once a second admin exists", async () => {
    const { org, admin, members } = await makeOrg("Handover Ltd", ["member"]);
    const [successor] = members;

    expect(
      (
        await postToOrg(admin, org.slug, {
          intent: "role",
          userId: String(successor.id),
          role: "admin",
        })
      ).status,
    ).toBe(302);
    expect(
      (
        await postToOrg(admin, org.slug, {
          intent: "role",
          userId: String(admin.id),
          role: "member",
        })
      ).status,
    ).toBe(302);

    expect(await roleOf(org.id, successor.id)).toBe("admin");
    expect(await roleOf(org.id, admin.id)).toBe("member");
    const changes = await auditOf(org.id, "org.role");
    expect(changes.map((row) => JSON.parse(row.data_json))).toEqual([
      { userId: successor.id, before: { role: "member" }, after: { role: "admin" } },
      { userId: admin.id, before: { role: "admin" }, after: { role: "member" } },
    ]);
  });

  it("lets an admin leave once a second admin exists", async () => {
    const { org, admin, members } = await makeOrg("Leaving Admin", ["admin"]);
    const result = await postToOrg(admin, org.slug, { intent: "remove", userId: String(admin.id) });

    expect(result.status).toBe(302);
    expect(result.headers.get("Location")).toBe("/account");
    expect(await roleOf(org.id, admin.id)).toBeNull();
    expect(await roleOf(org.id, members[0].id)).toBe("admin");
  });

  it("lets a member leave", async () => {
    const { org, members } = await makeOrg("Open Door", ["member"]);
    const [omer] = members;
    const result = await postToOrg(omer, org.slug, { intent: "remove", userId: String(omer.id) });

    expect(result.status).toBe(302);
    expect(result.headers.get("Location")).toBe("/account");
    expect(await roleOf(org.id, omer.id)).toBeNull();
    const [left] = await auditOf(org.id, "org.leave");
    expect(left.actor_id).toBe(omer.id);
    // Once gone, the organization's page is gone for them too.
    expect((await viewOrg(omer, org.slug)).status).toBe(404);
  });

  it("lets an admin remove a member", async () => {
    const { org, admin, members } = await makeOrg("Tidy Co", ["member", "member"]);
    const result = await postToOrg(admin, org.slug, {
      intent: "remove",
      userId: String(members[0].id),
    });

    expect(result.status).toBe(302);
    expect(result.headers.get("Location")).toBe(`/orgs/${org.slug}`);
    expect(await roleOf(org.id, members[0].id)).toBeNull();
    expect(await roleOf(org.id, members[1].id)).toBe("member");
    const [removed] = await auditOf(org.id, "org.remove");
    expect(JSON.parse(removed.data_json)).toEqual({
      userId: members[0].id,
      before: { role: "member" },
      after: null,
    });
  });

  it("answers 404 for someone who is not a member", async () => {
    const { org, admin } = await makeOrg("Strangers");
    const stranger = await makeUser();
    const result = await postToOrg(admin, org.slug, {
      intent: "role",
      userId: String(stranger.id),
      role: "admin",
    });
    expect(result.status).toBe(404);
    expect(result.data.errors).toEqual({ form: "org.error.notAMember" });
    expect(await roleOf(org.id, stranger.id)).toBeNull();
  });

  it("answers 400 to an intent it doesn't know", async () => {
    const { org, admin } = await makeOrg("Unknown Intents");
    expect((await postToOrg(admin, org.slug, { intent: "delete-org" })).status).toBe(400);
  });
});

describe("the current organization", () => {
  async function switchTo(user: Person, orgId: number, redirectTo?: string) {
    const fields: Record<string, string> = { orgId: String(orgId) };
    if (redirectTo !== undefined) fields.redirectTo = redirectTo;
    const cookie = await sessionCookieFor(user);
    const request = formRequest("/orgs/switch", fields, { cookie });
    return {
      ...unwrap(await run(() => switchAction({ request, params: {}, context: testContext() }))),
      cookie,
    };
  }

  it("switches to another of the user's own organizations and returns to the page", async () => {
    const user = await makeUser();
    await createOrgAs(user, "Alpha Group");
    await createOrgAs(user, "Beta Group");
    const beta = await getDb()
      .selectFrom("organizations")
      .selectAll()
      .where("slug", "=", "beta-group")
      .executeTakeFirstOrThrow();

    const result = await switchTo(user, beta.id, "/roadmap");

    expect(result.status).toBe(302);
    expect(result.headers.get("Location")).toBe("/roadmap");
    const session = await getSessionUser(getRequest("/", { cookie: result.cookie }));
    expect(session?.currentOrg).toMatchObject({ orgId: beta.id, name: "Beta Group" });
  });

  it("answers 404 when switching to an organization the user doesn't belong to", async () => {
    const user = await makeUser();
    await createOrgAs(user, "Mine Only");
    const { org: foreign } = await makeOrg("Not Mine");

    const result = await switchTo(user, foreign.id);

    expect(result.status).toBe(404);
    expect(result.headers.get("Set-Cookie")).toBeNull();
  });

  it.each(["//evil.com", "https://evil.com", "/.//evil.com"])(
    "stays on this site when asked to return to %j",
    async (redirectTo) => {
      const user = await makeUser();
      await createOrgAs(user, `Redirect Test ${redirectTo}`);
      const [membership] = (await getSessionUser(
        getRequest("/", { cookie: await sessionCookieFor(user) }),
      ))!.memberships;
      const result = await switchTo(user, membership.orgId, redirectTo);
      expect(result.status).toBe(302);
      expect(result.headers.get("Location")).toBe("/");
    },
  );
});

describe("the list of all organizations", () => {
  it("is for staff, with member counts", async () => {
    const { org } = await makeOrg("Counted Co", ["member", "member"]);
    const staff = await makeUser({ isStaff: true });
    const request = getRequest("/orgs", { cookie: await sessionCookieFor(staff) });
    const result = unwrap(await orgsIndexLoader({ request, params: {}, context: testContext() }));
    const listed = result.data.organizations.find((o: { id: number }) => o.id === org.id);
    expect(listed).toMatchObject({ slug: org.slug, name: "Counted Co" });
    expect(Number(listed.memberCount)).toBe(3);
  });

  it("sends a customer to their account page instead", async () => {
    const { admin } = await makeOrg("Customer Co");
    const request = getRequest("/orgs", { cookie: await sessionCookieFor(admin) });
    const result = unwrap(
      await run(() => orgsIndexLoader({ request, params: {}, context: testContext() })),
    );
    expect(result.status).toBe(302);
    expect(result.headers.get("Location")).toBe("/account");
  });
});

describe("invitations in the model", () => {
  it("refuse a non-admin inviter even when called directly", async () => {
    const { org, members } = await makeOrg("Direct Calls", ["member"]);
    const refusal = await refusalOf(
      inviteMember({
        actor: actorOf(members[0]),
        orgId: org.id,
        email: uniqueEmail(),
        role: "admin",
        locale: "en",
      }),
    );
    expect(refusal).toMatchObject({ messageKey: "org.error.adminOnly", status: 403 });
  });
});
