// The one set of test-data factories, for the integration suite and for the browser suite
// (which points them at the test server's database with useServerDatabase() first). Users,
// customers' organizations and memberships are inserted directly, which keeps tests that need
// dozens of them fast; requests, and makeOrg's organizations and invitations, go through the
// app's models, so counters, follows, the search index and the audit log are what the site
// would leave.
import crypto from "node:crypto";
import { getDb, now, type Locale, type Role } from "~/db.server";
import { actorOf as actorOfUser, type Actor } from "~/models/errors";
import { acceptInvitation, createOrganization, inviteMember } from "~/models/orgs.server";
import { addMembership } from "~/models/memberships.server";
import { hashPassword } from "~/models/passwords.server";
import { createRequest } from "~/models/requests.server";
import { createUser, normalizeEmail, type PublicUser } from "~/models/users.server";

/** The password of every user made here, unless a test gives another. */
export const TEST_PASSWORD = "correct horse battery";

function unique(prefix: string) {
  return `${prefix}-${crypto.randomBytes(4).toString("hex")}`;
}

/** An address no other test uses, e.g. `dana-3f9a1c0e@example.test`. */
export function uniqueEmail(prefix = "user") {
  return `${unique(prefix)}@example.test`;
}

/** A word no seeded request contains: lowercase Latin letters. */
export function latinToken(prefix = "zq"): string {
  const letters = "bcdfghjklmnpqrstvwxz";
  const bytes = crypto.randomBytes(6);
  return prefix + [...bytes].map((b) => letters[b % letters.length]).join("");
}

/**
 * A made-up Hebrew word whose first three letters are an unlikely run of letters (none of them
 * a one-letter prefix ו ה ב ל מ ש כ, none final), so its three-letter prefix finds only it.
 */
export function hebrewToken(): string {
  const rare = "גזטצקפס";
  const bytes = crypto.randomBytes(3);
  return `${[...bytes].map((b) => rare[b % rare.length]).join("")}ורית`;
}

// Hashing costs ~50 ms by design, so the hash of TEST_PASSWORD is computed once per process.
let testPasswordHash: Promise<string> | undefined;
function passwordHashFor(password: string) {
  if (password !== TEST_PASSWORD) return hashPassword(password);
  testPasswordHash ??= hashPassword(TEST_PASSWORD);
  return testPasswordHash;
}

export type UserOptions = {
  name?: string;
  email?: string;
  password?: string;
  isStaff?: boolean;
  /** For staff: "admin" (a staff admin) or "member" (the default). */
  staffRole?: "admin" | "member";
  locale?: Locale | null;
  /** False for an account whose e-mail address was never confirmed. */
  verified?: boolean;
};

/** A user who can sign in with `password` (TEST_PASSWORD unless given). */
export async function makeUser({
  name = "Test User",
  email = uniqueEmail(),
  password = TEST_PASSWORD,
  isStaff = false,
  staffRole = "member",
  locale = null,
  verified = true,
}: UserOptions = {}): Promise<PublicUser> {
  // An unverified account is made the way sign-up makes it, verification e-mail included.
  if (!verified)
    return createUser({ name, email, password, isStaff, locale, emailVerified: false });
  const timestamp = now();
  const { password_hash: _hash, ...user } = await getDb()
    .insertInto("users")
    .values({
      email: normalizeEmail(email),
      name,
      password_hash: await passwordHashFor(password),
      is_staff: isStaff ? 1 : 0,
      staff_role: isStaff ? staffRole : null,
      locale,
      email_verified_at: verified ? timestamp : null,
      created_at: timestamp,
      updated_at: timestamp,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return user;
}

export function actorOf(user: PublicUser): Actor {
  return actorOfUser(user);
}

/** A user as the models see them (an Actor), for tests that only need someone to act. */
export async function insertUser({
  name = "Someone",
  ...options
}: UserOptions = {}): Promise<Actor> {
  return actorOf(await makeUser({ name, ...options }));
}

export function makeStaff(name = "Staff Member") {
  return insertUser({ name, isStaff: true });
}

export function makeStaffAdmin(name = "Staff Admin") {
  return insertUser({ name, isStaff: true, staffRole: "admin" });
}

export async function insertOrg(name = "Org") {
  return getDb()
    .insertInto("organizations")
    .values({ slug: unique("org"), name, created_by: null, created_at: now() })
    .returning(["id", "name", "slug"])
    .executeTakeFirstOrThrow();
}

/** Adds the user to the organization directly, its member count kept exact as the models do. */
export async function addMember(orgId: number, userId: number, role: Role = "member") {
  await getDb()
    .transaction()
    .execute((trx) => addMembership(trx, { orgId, userId, role }));
}

export type Customer = {
  actor: Actor;
  email: string;
  name: string;
  orgId: number;
  orgName: string;
};

/**
 * A customer: a member of the given organization, or else the admin of a new one of their own
 * (named `orgName`, or "<name>'s org"). They can sign in with TEST_PASSWORD.
 */
export async function makeCustomer({
  name = "Customer",
  orgId,
  orgName,
}: { name?: string; orgId?: number; orgName?: string } = {}): Promise<Customer> {
  const email = uniqueEmail(
    name
      .split(" ")[0]
      .toLowerCase()
      .replace(/[^a-z0-9]/g, "") || "customer",
  );
  const actor = await insertUser({ name, email });
  if (orgId !== undefined) {
    await addMember(orgId, actor.id);
    const org = await getDb()
      .selectFrom("organizations")
      .select("name")
      .where("id", "=", orgId)
      .executeTakeFirstOrThrow();
    return { actor, email: actor.email, name, orgId, orgName: org.name };
  }
  const org = await insertOrg(orgName ?? `${name}'s org`);
  await addMember(org.id, actor.id, "admin");
  return { actor, email: actor.email, name, orgId: org.id, orgName: org.name };
}

/**
 * An organization created by its admin through the model, plus members with the given roles who
 * joined through invitations, as on the site.
 */
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

/** A new category of its own. */
export async function makeCategory(name = "General") {
  return getDb()
    .insertInto("categories")
    .values({ slug: unique("cat"), name_he: `${name} (he)`, name_en: name })
    .returningAll()
    .executeTakeFirstOrThrow();
}

async function categoryIdOf(slug: string): Promise<number> {
  const row = await getDb()
    .selectFrom("categories")
    .select("id")
    .where("slug", "=", slug)
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Proposes a request as `author` (who votes for it and follows it, as on the site), in the
 * category `categoryId`, or the existing category with the slug `category`, or a new one.
 */
export async function proposeRequest(
  author: { actor: Actor; orgId: number | null },
  {
    title = `A request ${unique("t")}`,
    bodyMd = "Please add this.",
    categoryId,
    category,
  }: { title?: string; bodyMd?: string; categoryId?: number; category?: string } = {},
) {
  return createRequest({
    actor: author.actor,
    orgId: author.orgId,
    title,
    bodyMd,
    categoryId: categoryId ?? (category ? await categoryIdOf(category) : (await makeCategory()).id),
  });
}

/** Counters as stored next to the same numbers counted from the rows. */
export async function countersAndCounts(requestId: number) {
  const db = getDb();
  const stored = await db
    .selectFrom("requests")
    .select(["vote_count", "org_count", "follower_count", "comment_count", "recent_vote_count"])
    .where("id", "=", requestId)
    .executeTakeFirstOrThrow();
  const votes = await db
    .selectFrom("votes")
    .select((eb) => [
      eb.fn.countAll<number>().as("votes"),
      eb.fn.count<number>("org_id").distinct().as("orgs"),
    ])
    .where("request_id", "=", requestId)
    .executeTakeFirstOrThrow();
  const follows = await db
    .selectFrom("follows")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("request_id", "=", requestId)
    .executeTakeFirstOrThrow();
  const comments = await db
    .selectFrom("comments")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("request_id", "=", requestId)
    .where("is_internal", "=", 0)
    .where("deleted_at", "is", null)
    .executeTakeFirstOrThrow();
  const orgRows = await db
    .selectFrom("request_org_votes")
    .select((eb) => [
      eb.fn.countAll<number>().as("n"),
      eb.fn.coalesce(eb.fn.sum<number>("votes"), eb.lit(0)).as("votes"),
    ])
    .where("request_id", "=", requestId)
    .executeTakeFirstOrThrow();
  const days = await db
    .selectFrom("request_vote_days")
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>("votes"), eb.lit(0)).as("n"))
    .where("request_id", "=", requestId)
    .executeTakeFirstOrThrow();
  const counted = {
    vote_count: Number(votes.votes),
    org_count: Number(votes.orgs),
    follower_count: Number(follows.n),
    comment_count: Number(comments.n),
    recent_vote_count: Number(days.n),
    org_rows: Number(orgRows.n),
    org_row_votes: Number(orgRows.votes),
  };
  const { org_rows: _rows, org_row_votes: _rowVotes, ...expected } = counted;
  // `expected`: what each stored counter should read, counted from the rows.
  return { stored, counted, expected };
}
