// Organization and account admin actions each leave one audit row, written with the change,
// saying who did what and what it was before and after; a refused action leaves none.
import { describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { deleteAccount } from "~/models/account-deletion.server";
import {
  acceptInvitation,
  changeMemberRole,
  createOrganization,
  inviteMember,
  removeMember,
  revokeInvitation,
} from "~/models/orgs.server";
import { actorOf, makeOrg, makeUser, TEST_PASSWORD, uniqueEmail } from "../support/factories";

async function auditRows(action: string, subjectId: number) {
  const rows = await getDb()
    .selectFrom("audit_log")
    .selectAll()
    .where("action", "=", action)
    .where("subject_id", "=", subjectId)
    .orderBy("id")
    .execute();
  return rows.map((row) => ({ ...row, data: JSON.parse(row.data_json) }));
}

async function auditCount() {
  const row = await getDb()
    .selectFrom("audit_log")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe("the audit log of organization admin actions", () => {
  it("records creating an organization", async () => {
    const dana = await makeUser({ name: "Dana" });
    const org = await createOrganization({ actor: actorOf(dana), name: "Audited Ltd" });

    const [row] = await auditRows("org.create", org.id);
    expect(row).toMatchObject({ actor_id: dana.id, subject_type: "organization" });
    expect(row.data).toEqual({
      before: null,
      after: { name: "Audited Ltd", slug: org.slug, admin: dana.id },
    });
  });

  it("records an invitation, with the one it replaces as before", async () => {
    const { org, admin } = await makeOrg("Inviting Co");
    const email = uniqueEmail("guest");
    const first = await inviteMember({
      actor: actorOf(admin),
      orgId: org.id,
      email,
      role: "member",
      locale: "en",
    });
    const second = await inviteMember({
      actor: actorOf(admin),
      orgId: org.id,
      email,
      role: "admin",
      locale: "en",
    });

    const rows = await auditRows("org.invite", org.id);
    expect(rows.map((r) => r.actor_id)).toEqual([admin.id, admin.id]);
    expect(rows[0].data).toMatchObject({
      email,
      before: null,
      after: { invitationId: first.invitationId, role: "member" },
    });
    expect(rows[1].data).toMatchObject({
      before: { invitationId: first.invitationId, role: "member" },
      after: { invitationId: second.invitationId, role: "admin" },
    });
    // The link's secret never reaches the log.
    expect(JSON.stringify(rows)).not.toContain(second.token);
  });

  it("records revoking an invitation", async () => {
    const { org, admin } = await makeOrg("Revoking Co");
    const email = uniqueEmail("revoked");
    const { invitationId } = await inviteMember({
      actor: actorOf(admin),
      orgId: org.id,
      email,
      role: "member",
      locale: "en",
    });
    await revokeInvitation({ actor: actorOf(admin), orgId: org.id, invitationId });

    const [row] = await auditRows("org.invite_revoke", org.id);
    expect(row.actor_id).toBe(admin.id);
    expect(row.data).toEqual({
      invitationId,
      email,
      before: { state: "pending", role: "member" },
      after: { state: "revoked" },
    });
  });

  it("records accepting an invitation", async () => {
    const { org, admin } = await makeOrg("Joining Co");
    const omer = await makeUser({ name: "Omer" });
    const { token, invitationId } = await inviteMember({
      actor: actorOf(admin),
      orgId: org.id,
      email: omer.email,
      role: "member",
      locale: "en",
    });
    await acceptInvitation({ token, actor: actorOf(omer) });

    const [row] = await auditRows("org.invite_accept", org.id);
    expect(row.actor_id).toBe(omer.id);
    expect(row.data).toEqual({
      invitationId,
      userId: omer.id,
      before: null,
      after: { role: "member" },
    });
  });

  it("records a role change, and nothing when the role stays", async () => {
    const { org, admin, members } = await makeOrg("Roles Co", ["member"]);
    const [omer] = members;
    await changeMemberRole({
      actor: actorOf(admin),
      orgId: org.id,
      userId: omer.id,
      role: "admin",
    });
    await changeMemberRole({
      actor: actorOf(admin),
      orgId: org.id,
      userId: omer.id,
      role: "admin",
    });

    const rows = await auditRows("org.role", org.id);
    expect(rows).toHaveLength(1);
    expect(rows[0].actor_id).toBe(admin.id);
    expect(rows[0].data).toEqual({
      userId: omer.id,
      before: { role: "member" },
      after: { role: "admin" },
    });
  });

  it("records removing a member, and leaving, apart", async () => {
    const { org, admin, members } = await makeOrg("Parting Co", ["member", "admin"]);
    const [omer, yael] = members;
    await removeMember({ actor: actorOf(admin), orgId: org.id, userId: omer.id });
    await removeMember({ actor: actorOf(yael), orgId: org.id, userId: yael.id });

    const [removed] = await auditRows("org.remove", org.id);
    expect(removed.actor_id).toBe(admin.id);
    expect(removed.data).toEqual({ userId: omer.id, before: { role: "member" }, after: null });
    const [left] = await auditRows("org.leave", org.id);
    expect(left.actor_id).toBe(yael.id);
    expect(left.data).toEqual({ userId: yael.id, before: { role: "admin" }, after: null });
  });

  it("writes no row for a refused action", async () => {
    const { org, admin, members } = await makeOrg("Refused Co", ["member"]);
    const outsider = await makeUser({ name: "Outsider" });
    const before = await auditCount();

    await expect(
      inviteMember({
        actor: actorOf(members[0]),
        orgId: org.id,
        email: uniqueEmail(),
        role: "admin",
        locale: "en",
      }),
    ).rejects.toThrow();
    await expect(
      changeMemberRole({
        actor: actorOf(outsider),
        orgId: org.id,
        userId: admin.id,
        role: "member",
      }),
    ).rejects.toThrow();
    await expect(
      removeMember({ actor: actorOf(members[0]), orgId: org.id, userId: admin.id }),
    ).rejects.toThrow();

    expect(await auditCount()).toBe(before);
  });
});

describe("the audit log of account deletion", () => {
  it("records the deleted account's memberships and votes, and not who they were", async () => {
    const { org, members } = await makeOrg("Deleting Co", ["member"]);
    const [leaver] = members;
    await deleteAccount({ actor: actorOf(leaver), password: TEST_PASSWORD });

    const [row] = await auditRows("account.delete", leaver.id);
    expect(row).toMatchObject({ actor_id: null, subject_type: "user" });
    expect(row.data).toMatchObject({
      before: { memberships: [{ orgId: org.id, role: "member" }], votes: 0, follows: 0 },
      after: null,
    });
    expect(row.data_json).not.toContain(leaver.email);
  });
});
