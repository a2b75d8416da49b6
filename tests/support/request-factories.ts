// Factories for the request, vote and comment tests. Users made here get a placeholder
// password hash (they never sign in), which keeps tests that need dozens of them fast.
import crypto from "node:crypto";
import { getDb, now } from "~/db.server";
import type { Actor } from "~/models/errors";
import { createRequest } from "~/models/requests.server";

function unique(prefix: string) {
  return `${prefix}-${crypto.randomBytes(4).toString("hex")}`;
}

export async function makeCategory(name = "General") {
  const slug = unique("cat");
  return getDb()
    .insertInto("categories")
    .values({ slug, name_he: `${name} (he)`, name_en: name })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function insertUser({
  name = "Someone",
  isStaff = false,
  verified = true,
}: { name?: string; isStaff?: boolean; verified?: boolean } = {}): Promise<Actor> {
  const email = `${unique("u")}@example.test`;
  const timestamp = now();
  const user = await getDb()
    .insertInto("users")
    .values({
      email,
      name,
      password_hash: "not-a-real-hash",
      is_staff: isStaff ? 1 : 0,
      staff_role: isStaff ? "member" : null,
      locale: null,
      email_verified_at: verified ? timestamp : null,
      created_at: timestamp,
      updated_at: timestamp,
    })
    .returning(["id", "email", "name", "is_staff"])
    .executeTakeFirstOrThrow();
  return { id: user.id, email: user.email, name: user.name, isStaff: user.is_staff === 1 };
}

export async function insertOrg(name = "Org") {
  return getDb()
    .insertInto("organizations")
    .values({ slug: unique("org"), name, created_by: null, created_at: now() })
    .returning(["id", "name"])
    .executeTakeFirstOrThrow();
}

export async function addMember(orgId: number, userId: number) {
  await getDb()
    .insertInto("memberships")
    .values({ org_id: orgId, user_id: userId, role: "member", created_at: now() })
    .execute();
}

/** A customer who belongs to a new organization (or the given one): { actor, orgId }. */
export async function makeCustomer({
  name = "Customer",
  orgId,
  verified = true,
}: { name?: string; orgId?: number; verified?: boolean } = {}) {
  const actor = await insertUser({ name, verified });
  const org = orgId ?? (await insertOrg(`${name}'s org`)).id;
  await addMember(org, actor.id);
  return { actor, orgId: org };
}

export function makeStaff(name = "Staff Member") {
  return insertUser({ name, isStaff: true });
}

export async function proposeRequest(
  author: { actor: Actor; orgId: number | null },
  {
    title = `A request ${unique("t")}`,
    bodyMd = "Please add this.",
    categoryId,
  }: { title?: string; bodyMd?: string; categoryId?: number } = {},
) {
  const category = categoryId ?? (await makeCategory()).id;
  return createRequest({
    actor: author.actor,
    orgId: author.orgId,
    title,
    bodyMd,
    categoryId: category,
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
  return {
    stored,
    counted: {
      vote_count: Number(votes.votes),
      org_count: Number(votes.orgs),
      follower_count: Number(follows.n),
      comment_count: Number(comments.n),
      recent_vote_count: Number(days.n),
      org_rows: Number(orgRows.n),
      org_row_votes: Number(orgRows.votes),
    },
  };
}
