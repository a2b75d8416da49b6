// Customer organizations: creation, members and their roles, invitations.
import crypto from "node:crypto";
import { hashToken, newSecretToken } from "./secret-tokens.server";
import type { Transaction } from "kysely";
import { findMembership, requireMembership } from "~/auth/permissions.server";
import { getDb, now, type Database, type Role, inTransaction, serializeOn } from "~/db.server";
import { cleanLine } from "~/text";
import { getEnv } from "~/env.server";
import type { Locale } from "~/i18n/messages";
import { enqueueEmail, nudgeOutbox } from "~/services/outbox.server";
import { recordAudit } from "./audit.server";
import { markEmailVerified, requireVerifiedEmail } from "./email-verification.server";
import { ActionRefused, type Actor } from "./errors";
import { addMembership, removeMembership } from "./memberships.server";
import { endSessionsOfUser } from "./sessions.server";
import { normalizeEmail } from "./users.server";

export const INVITATION_TTL_DAYS = 14;

export type MembershipSummary = { orgId: number; slug: string; name: string; role: Role };

/** Paths under /orgs/ that belong to pages, not organizations. */
const RESERVED_SLUGS = new Set(["new", "switch"]);

function slugify(name: string): string {
  const ascii = name
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40);
  // Hebrew names have no ASCII letters: a short random slug keeps URLs readable.
  if (ascii.length < 2) return `org-${crypto.randomBytes(3).toString("hex")}`;
  return RESERVED_SLUGS.has(ascii) ? `${ascii}-org` : ascii;
}

export async function createOrganization({ actor, name }: { actor: Actor; name: string }) {
  if (actor.isStaff) throw new ActionRefused("org.error.staffCannotJoin", 403);
  // The name reaches other people's e-mail subjects (invitations): stored cleaned.
  const orgName = cleanLine(name);
  const base = slugify(orgName);
  return inTransaction(async (trx) => {
    await requireVerifiedEmail(trx, actor);
    // Two organizations of one name at once must not both pick the same free slug.
    await serializeOn(trx, `org-slug:${base}`);
    let slug = base;
    for (
      let n = 2;
      await trx
        .selectFrom("organizations")
        .select("id")
        .where("slug", "=", slug)
        .executeTakeFirst();
      n++
    ) {
      slug = `${base}-${n}`;
    }
    const timestamp = now();
    const org = await trx
      .insertInto("organizations")
      .values({ slug, name: orgName, created_by: actor.id, created_at: timestamp })
      .returningAll()
      .executeTakeFirstOrThrow();
    await addMembership(trx, {
      orgId: org.id,
      userId: actor.id,
      role: "admin",
      createdAt: timestamp,
    });
    await recordAudit(trx, {
      actorId: actor.id,
      action: "org.create",
      subjectType: "organization",
      subjectId: org.id,
      data: { before: null, after: { name: org.name, slug, admin: actor.id } },
    });
    return { ...org, member_count: 1 };
  });
}

export type OrgViewerRole = Role | "staff";

/**
 * The organization as the actor may see it: members see their own organization, staff see
 * every organization (read-only); anyone else gets null, which routes answer with 404.
 */
export async function getOrganizationForViewer({ slug, actor }: { slug: string; actor: Actor }) {
  const db = getDb();
  const org = await db
    .selectFrom("organizations")
    .selectAll()
    .where("slug", "=", slug)
    .executeTakeFirst();
  if (!org) return null;
  const membership = await findMembership(db, actor.id, org.id);
  if (membership) return { org, viewerRole: membership.role as OrgViewerRole };
  if (actor.isStaff) return { org, viewerRole: "staff" as OrgViewerRole };
  return null;
}

export async function listMembers(orgId: number) {
  return getDb()
    .selectFrom("memberships")
    .innerJoin("users", "users.id", "memberships.user_id")
    .select([
      "users.id as userId",
      "users.name as name",
      "users.email as email",
      "memberships.role as role",
      "memberships.created_at as joinedAt",
    ])
    .where("memberships.org_id", "=", orgId)
    .orderBy("memberships.created_at")
    .orderBy("users.id")
    .execute();
}

export async function listPendingInvitations(orgId: number) {
  return getDb()
    .selectFrom("invitations")
    .leftJoin("users", "users.id", "invitations.invited_by")
    .select([
      "invitations.id as id",
      "invitations.email as email",
      "invitations.role as role",
      "invitations.created_at as createdAt",
      "invitations.expires_at as expiresAt",
      "users.name as invitedByName",
    ])
    .where("invitations.org_id", "=", orgId)
    .where("invitations.accepted_at", "is", null)
    .where("invitations.revoked_at", "is", null)
    .where("invitations.superseded_at", "is", null)
    .where("invitations.expires_at", ">", now())
    .orderBy("invitations.id", "desc")
    .execute();
}

export async function listAllOrganizations() {
  return getDb()
    .selectFrom("organizations")
    .select(["id", "slug", "name", "created_at as createdAt", "member_count as memberCount"])
    .orderBy("name")
    .execute();
}

/** Refuses unless the actor is an admin of the organization now (inside `trx`). */
function requireOrgAdmin(trx: Transaction<Database>, actor: Actor, orgId: number) {
  return requireMembership(trx, actor, orgId, { role: "admin", refusal: "org.error.adminOnly" });
}

export async function inviteMember({
  actor,
  orgId,
  email,
  role,
  locale,
}: {
  actor: Actor;
  orgId: number;
  email: string;
  role: Role;
  locale: Locale;
}): Promise<{ invitationId: number; token: string }> {
  const address = normalizeEmail(email);
  const token = newSecretToken();
  const result = await inTransaction(async (trx) => {
    await requireOrgAdmin(trx, actor, orgId);
    const org = await trx
      .selectFrom("organizations")
      .selectAll()
      .where("id", "=", orgId)
      .executeTakeFirstOrThrow();
    const alreadyMember = await trx
      .selectFrom("memberships")
      .innerJoin("users", "users.id", "memberships.user_id")
      .select("users.id")
      .where("memberships.org_id", "=", orgId)
      .where("users.email", "=", address)
      .executeTakeFirst();
    if (alreadyMember) throw new ActionRefused("org.error.alreadyMember", 400, "email");
    const timestamp = now();
    // Inviting the same address again supersedes the earlier link rather than keeping both:
    // one pending invitation per address, with the latest role, that one revocation ends.
    // The earlier link then says a newer invitation was sent, not that it was cancelled.
    const superseded = await trx
      .updateTable("invitations")
      .set({ superseded_at: timestamp })
      .where("org_id", "=", orgId)
      .where("email", "=", address)
      .where("accepted_at", "is", null)
      .where("revoked_at", "is", null)
      .where("superseded_at", "is", null)
      .returning(["id", "role"])
      .execute();
    const expiresAt = new Date(Date.now() + INVITATION_TTL_DAYS * 86_400_000).toISOString();
    const invitation = await trx
      .insertInto("invitations")
      .values({
        org_id: orgId,
        email: address,
        role,
        token_hash: hashToken(token),
        invited_by: actor.id,
        created_at: timestamp,
        expires_at: expiresAt,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await enqueueEmail(trx, address, {
      template: "invitation",
      locale,
      orgName: org.name,
      inviterName: actor.name,
      role,
      url: `${getEnv().BASE_URL}/invite/${token}`,
      expiresAt,
    });
    await recordAudit(trx, {
      actorId: actor.id,
      action: "org.invite",
      subjectType: "organization",
      subjectId: orgId,
      data: {
        email: address,
        // The pending invitation this one replaces, if any.
        before: superseded[0] ? { invitationId: superseded[0].id, role: superseded[0].role } : null,
        after: { invitationId: invitation.id, role, expiresAt },
      },
    });
    return { invitationId: invitation.id, token };
  });
  nudgeOutbox();
  return result;
}

export async function revokeInvitation({
  actor,
  orgId,
  invitationId,
}: {
  actor: Actor;
  orgId: number;
  invitationId: number;
}) {
  await inTransaction(async (trx) => {
    await requireOrgAdmin(trx, actor, orgId);
    const revoked = await trx
      .updateTable("invitations")
      .set({ revoked_at: now() })
      .where("id", "=", invitationId)
      .where("org_id", "=", orgId)
      .where("accepted_at", "is", null)
      .where("revoked_at", "is", null)
      .where("superseded_at", "is", null)
      .returning(["email", "role"])
      .executeTakeFirst();
    if (!revoked) throw new ActionRefused("org.error.invitationGone", 404);
    await recordAudit(trx, {
      actorId: actor.id,
      action: "org.invite_revoke",
      subjectType: "organization",
      subjectId: orgId,
      data: {
        invitationId,
        email: revoked.email,
        before: { state: "pending", role: revoked.role },
        after: { state: "revoked" },
      },
    });
  });
}

export type InvitationState = "pending" | "expired" | "revoked" | "superseded" | "accepted";

export async function getInvitationByToken(token: string) {
  const row = await getDb()
    .selectFrom("invitations")
    .innerJoin("organizations", "organizations.id", "invitations.org_id")
    .leftJoin("users", "users.id", "invitations.invited_by")
    .select([
      "invitations.id as id",
      "invitations.email as email",
      "invitations.role as role",
      "invitations.expires_at as expiresAt",
      "invitations.accepted_at as acceptedAt",
      "invitations.revoked_at as revokedAt",
      "invitations.superseded_at as supersededAt",
      "organizations.id as orgId",
      "organizations.name as orgName",
      "organizations.slug as orgSlug",
      "users.name as inviterName",
    ])
    .where("invitations.token_hash", "=", hashToken(token))
    .executeTakeFirst();
  if (!row) return null;
  // A superseded link points to the newer e-mail even once it expired: that one may still work.
  const state: InvitationState = row.acceptedAt
    ? "accepted"
    : row.revokedAt
      ? "revoked"
      : row.supersededAt
        ? "superseded"
        : row.expiresAt <= now()
          ? "expired"
          : "pending";
  return { ...row, state };
}

export async function acceptInvitation({ token, actor }: { token: string; actor: Actor }) {
  const invitation = await getInvitationByToken(token);
  if (!invitation) throw new ActionRefused("invite.invalid", 404);
  if (invitation.state === "expired") throw new ActionRefused("invite.expired", 410);
  if (invitation.state === "revoked") throw new ActionRefused("invite.revoked", 410);
  if (invitation.state === "superseded") throw new ActionRefused("invite.superseded", 410);
  if (invitation.state === "accepted") throw new ActionRefused("invite.alreadyUsed", 410);
  if (actor.isStaff) throw new ActionRefused("org.error.staffCannotJoin", 403);
  if (normalizeEmail(actor.email) !== invitation.email)
    throw new ActionRefused("invite.wrongAccount", 403);
  await inTransaction(async (trx) => {
    const timestamp = now();
    const claimed = await trx
      .updateTable("invitations")
      .set({ accepted_at: timestamp, accepted_by: actor.id })
      .where("id", "=", invitation.id)
      .where("accepted_at", "is", null)
      .where("revoked_at", "is", null)
      .where("superseded_at", "is", null)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) throw new ActionRefused("invite.alreadyUsed", 410);
    const before = await findMembership(trx, actor.id, invitation.orgId);
    await addMembership(trx, {
      orgId: invitation.orgId,
      userId: actor.id,
      role: invitation.role,
      createdAt: timestamp,
    });
    // The invitation went to this account's address, so following its link proves the inbox.
    await markEmailVerified(trx, actor.id);
    await recordAudit(trx, {
      actorId: actor.id,
      action: "org.invite_accept",
      subjectType: "organization",
      subjectId: invitation.orgId,
      data: {
        invitationId: invitation.id,
        userId: actor.id,
        before: before ? { role: before.role } : null,
        after: { role: before?.role ?? invitation.role },
      },
    });
  });
  return { orgId: invitation.orgId, slug: invitation.orgSlug, name: invitation.orgName };
}

async function countAdmins(trx: Transaction<Database>, orgId: number): Promise<number> {
  const row = await trx
    .selectFrom("memberships")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("org_id", "=", orgId)
    .where("role", "=", "admin")
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function changeMemberRole({
  actor,
  orgId,
  userId,
  role,
}: {
  actor: Actor;
  orgId: number;
  userId: number;
  role: Role;
}) {
  await inTransaction(async (trx) => {
    await requireOrgAdmin(trx, actor, orgId);
    const member = await findMembership(trx, userId, orgId);
    if (!member) throw new ActionRefused("org.error.notAMember", 404);
    if (member.role === role) return;
    if (member.role === "admin" && (await countAdmins(trx, orgId)) <= 1) {
      throw new ActionRefused("org.error.lastAdmin", 409);
    }
    await trx
      .updateTable("memberships")
      .set({ role })
      .where("org_id", "=", orgId)
      .where("user_id", "=", userId)
      .execute();
    await recordAudit(trx, {
      actorId: actor.id,
      action: "org.role",
      subjectType: "organization",
      subjectId: orgId,
      data: { userId, before: { role: member.role }, after: { role } },
    });
  });
}

/** An admin removes a member, or any member leaves; the last admin can do neither. */
export async function removeMember({
  actor,
  orgId,
  userId,
}: {
  actor: Actor;
  orgId: number;
  userId: number;
}) {
  const leaving = userId === actor.id;
  await inTransaction(async (trx) => {
    if (!leaving) await requireOrgAdmin(trx, actor, orgId);
    const member = await findMembership(trx, userId, orgId);
    if (!member) throw new ActionRefused("org.error.notAMember", 404);
    if (member.role === "admin" && (await countAdmins(trx, orgId)) <= 1) {
      throw new ActionRefused("org.error.lastAdmin", 409);
    }
    await removeMembership(trx, { orgId, userId });
    // A removed member is signed out everywhere at once, rather than keeping a page open on
    // the organization; one who leaves stays signed in.
    if (!leaving) await endSessionsOfUser(trx, userId);
    await recordAudit(trx, {
      actorId: actor.id,
      action: leaving ? "org.leave" : "org.remove",
      subjectType: "organization",
      subjectId: orgId,
      data: { userId, before: { role: member.role }, after: null },
    });
  });
}
