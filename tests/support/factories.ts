// Small factories that create real rows through the model functions.
import crypto from "node:crypto";
import { getSessionUser, type SessionUser } from "~/auth/session.server";
import type { Role } from "~/db.server";
import { createOrganization, inviteMember, acceptInvitation } from "~/models/orgs.server";
import { createUser, type PublicUser } from "~/models/users.server";
import type { Actor } from "~/models/errors";

export const TEST_PASSWORD = "correct horse battery";

export function uniqueEmail(prefix = "user") {
  return `${prefix}-${crypto.randomBytes(4).toString("hex")}@example.test`;
}

export async function makeUser(
  overrides: Partial<{
    name: string;
    email: string;
    password: string;
    isStaff: boolean;
    locale: "he" | "en";
    /** false: an account as sign-up leaves it, waiting for the e-mailed verification link. */
    verified: boolean;
  }> = {},
) {
  return createUser({
    name: overrides.name ?? "Test User",
    email: overrides.email ?? uniqueEmail(),
    password: overrides.password ?? TEST_PASSWORD,
    isStaff: overrides.isStaff ?? false,
    locale: overrides.locale ?? null,
    emailVerified: overrides.verified ?? true,
  });
}

export function actorOf(user: PublicUser): Actor {
  return { id: user.id, isStaff: user.is_staff === 1, email: user.email, name: user.name };
}

/** An organization with an admin, plus members with the given roles. */
export async function makeOrg(name = "Test Org", memberRoles: Role[] = []) {
  const admin = await makeUser({ name: `${name} Admin` });
  const org = await createOrganization({ actor: actorOf(admin), name });
  const members: PublicUser[] = [];
  for (const role of memberRoles) {
    const member = await makeUser({ name: `${name} ${role}` });
    const { token } = await inviteMember({
      actor: actorOf(admin),
      orgId: org.id,
      email: member.email,
      role,
      locale: "en",
    });
    await acceptInvitation({ token, actor: actorOf(member) });
    members.push(member);
  }
  return { org, admin, members };
}

export type { SessionUser };
export { getSessionUser };
