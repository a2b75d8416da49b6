// The checks models run inside their transaction: they read the rows as they are at that
// moment, in that transaction, and refuse with the caller's catalog key.
import { describe, expect, it } from "vitest";
import { requireMembership, requireStaff } from "~/auth/permissions.server";
import { getDb } from "~/db.server";
import { ActionRefused } from "~/models/errors";
import { removeMembership } from "~/models/memberships.server";
import { actorOf, makeOrg, makeStaff, makeStaffAdmin, makeUser } from "../support/factories";

async function refusalOf(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ActionRefused);
  return { key: (error as ActionRefused).messageKey, status: (error as ActionRefused).status };
}

describe("requireMembership", () => {
  it("returns a member's role, and refuses a stranger with the given key", async () => {
    const { org, admin, members } = await makeOrg("Checked Co", ["member"]);
    const stranger = await makeUser();
    await getDb()
      .transaction()
      .execute(async (trx) => {
        expect(await requireMembership(trx, actorOf(admin), org.id)).toEqual({
          orgId: org.id,
          role: "admin",
        });
        expect(await requireMembership(trx, actorOf(members[0]), org.id)).toEqual({
          orgId: org.id,
          role: "member",
        });
        expect(await refusalOf(requireMembership(trx, actorOf(stranger), org.id))).toEqual({
          key: "org.error.notYourOrg",
          status: 403,
        });
        expect(
          await refusalOf(
            requireMembership(trx, actorOf(stranger), null, {
              refusal: "request.error.orgRequired",
            }),
          ),
        ).toEqual({ key: "request.error.orgRequired", status: 403 });
      });
  });

  it("refuses a plain member when the role asked for is admin", async () => {
    const { org, members } = await makeOrg("Admins Only Co", ["member"]);
    const refusal = await refusalOf(
      getDb()
        .transaction()
        .execute((trx) =>
          requireMembership(trx, actorOf(members[0]), org.id, {
            role: "admin",
            refusal: "org.error.adminOnly",
          }),
        ),
    );
    expect(refusal).toEqual({ key: "org.error.adminOnly", status: 403 });
  });

  it("sees a membership ended earlier in the same transaction", async () => {
    const { org, members } = await makeOrg("Moment Co", ["member"]);
    const [omer] = members;
    const refusal = await refusalOf(
      getDb()
        .transaction()
        .execute(async (trx) => {
          await removeMembership(trx, { orgId: org.id, userId: omer.id });
          await requireMembership(trx, actorOf(omer), org.id);
        }),
    );
    expect(refusal.key).toBe("org.error.notYourOrg");
    // The refusal rolled the transaction back: Omer is still a member.
    const still = await getDb()
      .selectFrom("memberships")
      .select("role")
      .where("org_id", "=", org.id)
      .where("user_id", "=", omer.id)
      .executeTakeFirst();
    expect(still?.role).toBe("member");
  });
});

describe("requireStaff", () => {
  it("answers customers 404 and staff who are not admins 403 for admin actions", async () => {
    const customer = actorOf(await makeUser());
    const staff = await makeStaff();
    const staffAdmin = await makeStaffAdmin();
    const db = getDb();
    expect(await refusalOf(requireStaff(db, customer))).toEqual({
      key: "error.404.title",
      status: 404,
    });
    await expect(requireStaff(db, staff)).resolves.toBeUndefined();
    expect(await refusalOf(requireStaff(db, staff, { admin: true }))).toEqual({
      key: "staff.error.adminOnly",
      status: 403,
    });
    await expect(requireStaff(db, staffAdmin, { admin: true })).resolves.toBeUndefined();
  });

  it("refuses staff whose staff role was revoked after they signed in", async () => {
    const staff = await makeStaff();
    await getDb()
      .updateTable("users")
      .set({ is_staff: 0, staff_role: null })
      .where("id", "=", staff.id)
      .execute();
    // The actor still says staff (as a session loaded earlier would): the row decides.
    expect(staff.isStaff).toBe(true);
    expect((await refusalOf(requireStaff(getDb(), staff))).status).toBe(404);
  });
});
