// Data for the requests browser tests, written straight into the test server's SQLite file
// through the app's own models (so counters, votes, follows and the search index are exactly
// what proposing through the site would leave), which is much faster than the forms and is
// not subject to the per-user proposing limit. Call useServerDatabase() before anything else.
import crypto from "node:crypto";
import { getDb } from "~/db.server";
import type { Actor } from "~/models/errors";
import { createOrganization } from "~/models/orgs.server";
import { createRequest } from "~/models/requests.server";
import { createUser } from "~/models/users.server";
import { TEST_PASSWORD, uniqueEmail } from "../support/browser";
import type { TestServer } from "../support/server";

/** Points the models of this process at the server's database file (before their first query). */
export function useServerDatabase(server: TestServer) {
  process.env.DATABASE_URL = server.databaseFile;
  process.env.MAIL_DIR = server.mailDir;
  // Vitest sets BASE_URL to Vite's base ("/"), which the app's configuration refuses.
  process.env.BASE_URL = server.baseUrl;
}

export async function closeServerDatabase() {
  await getDb().destroy();
}

export type Customer = {
  actor: Actor;
  email: string;
  name: string;
  orgId: number;
  orgName: string;
};

/** A user who can sign in with TEST_PASSWORD, admin of a new organization of their own. */
export async function makeCustomer(name: string, orgName: string): Promise<Customer> {
  const email = uniqueEmail(name.split(" ")[0].toLowerCase());
  const user = await createUser({ name, email, password: TEST_PASSWORD });
  const actor: Actor = { id: user.id, email: user.email, name: user.name, isStaff: false };
  const org = await createOrganization({ actor, name: orgName });
  return { actor, email, name, orgId: org.id, orgName: org.name };
}

export async function categoryId(slug: string): Promise<number> {
  const row = await getDb()
    .selectFrom("categories")
    .select("id")
    .where("slug", "=", slug)
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Proposes a request as `author` (who votes for it and follows it, as on the site). */
export async function propose(
  author: Customer,
  {
    title,
    bodyMd = "",
    category = "general",
  }: { title: string; bodyMd?: string; category?: string },
): Promise<number> {
  const { id } = await createRequest({
    actor: author.actor,
    orgId: author.orgId,
    title,
    bodyMd,
    categoryId: await categoryId(category),
  });
  return id;
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
