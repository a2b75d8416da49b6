// organizations.member_count (what triage shows beside a voting organization) equals a recount
// of its memberships after every kind of membership write.
import { describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { deleteAccount } from "~/models/account-deletion.server";
import {
  acceptInvitation,
  createOrganization,
  inviteMember,
  listAllOrganizations,
  removeMember,
} from "~/models/orgs.server";
import {
  actorOf,
  addMember,
  makeCustomer,
  makeOrg,
  makeUser,
  TEST_PASSWORD,
} from "../support/factories";

/** Every organization's stored member count beside its memberships counted. */
async function storedAndCounted() {
  const db = getDb();
  const orgs = await db
    .selectFrom("organizations")
    .select(["id", "member_count"])
    .orderBy("id")
    .execute();
  const counted = await db
    .selectFrom("memberships")
    .select((eb) => ["org_id", eb.fn.countAll<number>().as("n")])
    .groupBy("org_id")
    .execute();
  const byOrg = new Map(counted.map((row) => [row.org_id, Number(row.n)]));
  return {
    stored: orgs.map((org) => [org.id, org.member_count]),
    counted: orgs.map((org) => [org.id, byOrg.get(org.id) ?? 0]),
  };
}

async function expectCountsExact() {
  const { stored, counted } = await storedAndCounted();
  expect(stored).toEqual(counted);
}

async function memberCountOf(orgId: number) {
  const row = await getDb()
    .selectFrom("organizations")
    .select("member_count")
    .where("id", "=", orgId)
    .executeTakeFirstOrThrow();
  return row.member_count;
}

describe("an organization's member count", () => {
  it("is 1 for a new organization, its admin", async () => {
    const dana = await makeUser({ name: "Dana" });
    const org = await createOrganization({ actor: actorOf(dana), name: "Counting Ltd" });
    expect(await memberCountOf(org.id)).toBe(1);
    await expectCountsExact();
  });

  it("grows with each accepted invitation, and not with one accepted twice", async () => {
    const { org, admin } = await makeOrg("Growing Co", ["member", "admin"]);
    expect(await memberCountOf(org.id)).toBe(3);

    const omer = await makeUser({ name: "Omer" });
    const { token } = await inviteMember({
      actor: actorOf(admin),
      orgId: org.id,
      email: omer.email,
      role: "member",
      locale: "en",
    });
    expect(await memberCountOf(org.id)).toBe(3);
    await acceptInvitation({ token, actor: actorOf(omer) });
    await expect(acceptInvitation({ token, actor: actorOf(omer) })).rejects.toThrow();
    expect(await memberCountOf(org.id)).toBe(4);
    await expectCountsExact();
  });

  it("shrinks when an admin removes a member and when a member leaves", async () => {
    const { org, admin, members } = await makeOrg("Shrinking Co", ["member", "member"]);
    await removeMember({ actor: actorOf(admin), orgId: org.id, userId: members[0].id });
    expect(await memberCountOf(org.id)).toBe(2);
    await removeMember({ actor: actorOf(members[1]), orgId: org.id, userId: members[1].id });
    expect(await memberCountOf(org.id)).toBe(1);
    await expectCountsExact();
  });

  it("does not move when a removal is refused", async () => {
    const { org, admin, members } = await makeOrg("Refusing Co", ["member"]);
    await expect(
      removeMember({ actor: actorOf(members[0]), orgId: org.id, userId: admin.id }),
    ).rejects.toThrow();
    await expect(
      removeMember({ actor: actorOf(admin), orgId: org.id, userId: admin.id }),
    ).rejects.toThrow();
    expect(await memberCountOf(org.id)).toBe(2);
    await expectCountsExact();
  });

  it("drops in every organization of someone who deletes their account", async () => {
    const first = await makeOrg("First Co", ["member"]);
    const second = await makeOrg("Second Co");
    const [leaver] = first.members;
    await addMember(second.org.id, leaver.id);
    expect(await memberCountOf(second.org.id)).toBe(2);

    await deleteAccount({ actor: actorOf(leaver), password: TEST_PASSWORD });

    expect(await memberCountOf(first.org.id)).toBe(1);
    expect(await memberCountOf(second.org.id)).toBe(1);
    await expectCountsExact();
  });

  it("drops to 0 when the only member of an organization deletes their account", async () => {
    const alone = await makeCustomer({ name: "Alone" });
    expect(await memberCountOf(alone.orgId)).toBe(1);
    await deleteAccount({ actor: alone.actor, password: TEST_PASSWORD });
    expect(await memberCountOf(alone.orgId)).toBe(0);
    await expectCountsExact();
  });

  it("is what the staff list of organizations shows", async () => {
    const { org } = await makeOrg("Listed Co", ["member", "member", "member"]);
    await addMember(org.id, (await makeUser()).id, "admin");
    const listed = (await listAllOrganizations()).find((o) => o.id === org.id);
    expect(listed?.memberCount).toBe(5);
    await expectCountsExact();
  });
});
