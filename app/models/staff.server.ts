// Who is staff, and with which role: staff admins grant, change and revoke it. There is always
// at least one staff admin: the last one cannot be demoted or revoked, by others or themselves.
//
// Staff are the vendor's people, never a customer's: only an account that belongs to no
// organization can be made staff (a staff member who also voted for a customer would blur
// whose demand is whose). Such a person signs up, and a staff admin grants them staff here.
import { requireStaff } from "~/auth/permissions.server";
import { now, inTransaction } from "~/db.server";
import { recordAudit } from "~/models/audit.server";
import { ActionRefused, type Actor } from "~/models/errors";
import { normalizeEmail } from "~/models/users.server";

export type StaffRole = "admin" | "member";
export type StaffMember = { id: number; name: string; email: string; role: StaffRole };

type Executor = Parameters<typeof requireStaff>[0];

/** Every staff member, admins first, then by name. */
export async function listStaffMembers(trx: Executor): Promise<StaffMember[]> {
  const rows = await trx
    .selectFrom("users")
    .select(["id", "name", "email", "staff_role"])
    .where("is_staff", "=", 1)
    .orderBy("name")
    .orderBy("id")
    .execute();
  const members = rows.map((r) => ({
    id: r.id,
    name: r.name,
    email: r.email,
    role: (r.staff_role === "admin" ? "admin" : "member") as StaffRole,
  }));
  return [
    ...members.filter((m) => m.role === "admin"),
    ...members.filter((m) => m.role !== "admin"),
  ];
}

async function countStaffAdmins(trx: Executor): Promise<number> {
  const row = await trx
    .selectFrom("users")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("is_staff", "=", 1)
    .where("staff_role", "=", "admin")
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function findStaffMember(trx: Executor, userId: number) {
  const row = await trx
    .selectFrom("users")
    .select(["id", "email", "staff_role"])
    .where("id", "=", userId)
    .where("is_staff", "=", 1)
    .executeTakeFirst();
  if (!row) throw new ActionRefused("staffSettings.staff.error.notStaff", 404);
  return { ...row, role: (row.staff_role === "admin" ? "admin" : "member") as StaffRole };
}

/** Makes the account with this e-mail address staff, with the role given. */
export async function grantStaff({
  actor,
  email,
  role,
}: {
  actor: Actor;
  email: string;
  role: StaffRole;
}): Promise<{ userId: number; name: string }> {
  return inTransaction(async (trx) => {
    await requireStaff(trx, actor, { admin: true });
    const user = await trx
      .selectFrom("users")
      .select(["id", "name", "is_staff"])
      .where("email", "=", normalizeEmail(email))
      .executeTakeFirst();
    if (!user) throw new ActionRefused("staffSettings.staff.error.noAccount", 404, "email");
    if (user.is_staff === 1)
      throw new ActionRefused("staffSettings.staff.error.alreadyStaff", 409, "email");
    const membership = await trx
      .selectFrom("memberships")
      .select("org_id")
      .where("user_id", "=", user.id)
      .executeTakeFirst();
    if (membership) throw new ActionRefused("staffSettings.staff.error.isCustomer", 409, "email");
    await trx
      .updateTable("users")
      .set({ is_staff: 1, staff_role: role, updated_at: now() })
      .where("id", "=", user.id)
      .execute();
    await recordAudit(trx, {
      actorId: actor.id,
      action: "staff.grant",
      subjectType: "user",
      subjectId: user.id,
      data: { before: { staff: false }, after: { staff: true, role } },
    });
    return { userId: user.id, name: user.name };
  });
}

export async function setStaffRole({
  actor,
  userId,
  role,
}: {
  actor: Actor;
  userId: number;
  role: StaffRole;
}): Promise<void> {
  await inTransaction(async (trx) => {
    await requireStaff(trx, actor, { admin: true });
    const member = await findStaffMember(trx, userId);
    if (member.role === role) return;
    if (member.role === "admin" && (await countStaffAdmins(trx)) <= 1)
      throw new ActionRefused("staffSettings.staff.error.lastAdmin", 409);
    await trx
      .updateTable("users")
      .set({ staff_role: role, updated_at: now() })
      .where("id", "=", userId)
      .execute();
    await recordAudit(trx, {
      actorId: actor.id,
      action: "staff.role",
      subjectType: "user",
      subjectId: userId,
      data: { before: { role: member.role }, after: { role } },
    });
  });
}

/** Takes staff away from the account; it stays an ordinary account. */
export async function revokeStaff({ actor, userId }: { actor: Actor; userId: number }) {
  await inTransaction(async (trx) => {
    await requireStaff(trx, actor, { admin: true });
    const member = await findStaffMember(trx, userId);
    if (member.role === "admin" && (await countStaffAdmins(trx)) <= 1)
      throw new ActionRefused("staffSettings.staff.error.lastAdmin", 409);
    await trx
      .updateTable("users")
      .set({ is_staff: 0, staff_role: null, updated_at: now() })
      .where("id", "=", userId)
      .execute();
    await recordAudit(trx, {
      actorId: actor.id,
      action: "staff.revoke",
      subjectType: "user",
      subjectId: userId,
      data: { before: { staff: true, role: member.role }, after: { staff: false } },
    });
  });
}
