// The permissions matrix: one small world (an organization with an admin, a member and a
// pending invitation, another organization, staff with and without admin, a request), the
// people who act in it, a snapshot of every table, and a runner that calls a route's loader or
// action as each of them and checks the refusal. tests/integration/permissions-matrix.test.ts
// lists the routes.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { expect } from "vitest";
import { getDb, type Database } from "~/db.server";
import type { MessageKey } from "~/i18n/messages";
import { createAnnouncement } from "~/models/announcements.server";
import { addComment } from "~/models/comments.server";
import { inviteMember } from "~/models/orgs.server";
import { israelDay, saveQuote } from "~/models/quotes.server";
import { decideRequest } from "~/models/triage.server";
import type { PublicUser } from "~/models/users.server";
import { actorOf, makeCategory, makeOrg, makeUser, proposeRequest, uniqueEmail } from "./factories";
import { formRequest, getRequest, run, sessionCookieFor, testContext, unwrap } from "./requests";

/** Who knocks: nobody signed in, a plain member, an admin of the organization, staff (not admin). */
export const ACTORS = ["visitor", "member", "orgAdmin", "outsider", "staff"] as const;
export type ActorKind = (typeof ACTORS)[number];

/** What the route must answer: a refusal, or "allowed" (the action is theirs: not checked here). */
export type Outcome =
  "allowed" | "signin" | { redirect: string } | { status: 403 | 404; error?: MessageKey };

export const refused = (status: 403 | 404, error?: MessageKey): Outcome => ({ status, error });

/**
 * The usual columns. `outsider` is an admin of another organization: for an organization's own
 * pages the one who must get 404; for staff routes just another customer.
 */
export const STAFF_ONLY: Record<ActorKind, Outcome> = {
  visitor: "signin",
  member: refused(404),
  orgAdmin: refused(404),
  outsider: refused(404),
  staff: "allowed",
};
export const STAFF_ADMIN_ONLY: Record<ActorKind, Outcome> = {
  ...STAFF_ONLY,
  staff: refused(403, "staff.error.adminOnly"),
};
export const ORG_ADMIN_ONLY: Record<ActorKind, Outcome> = {
  visitor: "signin",
  member: refused(403, "org.error.adminOnly"),
  orgAdmin: "allowed",
  outsider: refused(404),
  staff: refused(403, "org.error.adminOnly"),
};

export type World = Awaited<ReturnType<typeof buildWorld>>;

/** The data every row acts on; add to it when a new route needs something else to point at. */
export async function buildWorld() {
  const acme = await makeOrg("Matrix Acme", ["member", "member"]);
  const globex = await makeOrg("Matrix Globex");
  const { invitationId } = await inviteMember({
    actor: actorOf(acme.admin),
    orgId: acme.org.id,
    email: uniqueEmail("matrix-invitee"),
    role: "member",
    locale: "en",
  });
  const staff = await makeUser({ name: "Matrix Staff", isStaff: true, staffRole: "member" });
  const staffAdmin = await makeUser({
    name: "Matrix Staff Admin",
    isStaff: true,
    staffRole: "admin",
  });
  const category = await makeCategory("Matrix");
  const [member, otherMember] = acme.members;
  const request = await proposeRequest(
    { actor: actorOf(member), orgId: acme.org.id },
    { categoryId: category.id },
  );
  const internalNote = await addComment({
    requestId: request.id,
    actor: actorOf(staff),
    bodyMd: "Matrix internal note",
    kind: "internal",
  });
  // Sponsored development: a request quoted to Acme, open to accept.
  const quotedRequest = await proposeRequest(
    { actor: actorOf(member), orgId: acme.org.id },
    { categoryId: category.id },
  );
  await decideRequest({
    actor: actorOf(staff),
    requestId: quotedRequest.id,
    decision: { kind: "sponsored" },
  });
  const quote = await saveQuote({
    actor: actorOf(staff),
    requestId: quotedRequest.id,
    input: {
      pricing: "fixed",
      fixedMinor: 1_000_000,
      validUntil: israelDay(Date.now() + 30 * 24 * 3600 * 1000),
      deliveryWeeks: 4,
      termsMd: "Matrix terms",
      audience: "org",
      offeredOrgId: acme.org.id,
    },
  });
  // Announcements (issue 13): a draft for the staff edit page's rows to point at.
  const announcement = await createAnnouncement({
    actor: actorOf(staff),
    input: { titleHe: "עדכון המטריצה", bodyHe: "תוכן.", titleEn: "", bodyEn: "", requestIds: [] },
  });
  const people: Record<ActorKind, PublicUser | null> = {
    visitor: null,
    member,
    orgAdmin: acme.admin,
    outsider: globex.admin,
    staff,
  };
  const cookies = {} as Record<ActorKind, string | undefined>;
  for (const kind of ACTORS) {
    const user = people[kind];
    cookies[kind] = user ? await sessionCookieFor(user) : undefined;
  }
  return {
    acme,
    globex,
    member,
    otherMember,
    invitationId,
    staff,
    staffAdmin,
    category,
    request,
    internalNote,
    quotedRequest,
    quote: { ...quote, termsMd: "Matrix terms" },
    announcement,
    people,
    cookies,
  };
}

type RouteFunction = (args: LoaderFunctionArgs & ActionFunctionArgs) => Promise<unknown>;

/** One line of the matrix: a route module's loader (GET) or action (POST) and who gets what. */
export type MatrixRow = {
  name: string;
  method: "GET" | "POST";
  /** The route module, e.g. `() => import("~/routes/orgs._index")`. */
  route: () => Promise<{ loader?: unknown; action?: unknown }>;
  path: (world: World) => string;
  params?: (world: World) => Record<string, string>;
  /** The form a POST sends: valid input, so that only permission can refuse it. */
  fields?: (world: World) => Record<string, string>;
  expect: Record<ActorKind, Outcome>;
};

export type Refusal = Exclude<Outcome, "allowed">;

/** The matrix as test cases: one per row and actor whose outcome is a refusal. */
export function casesOf(rows: MatrixRow[]): [string, ActorKind, MatrixRow, Refusal][] {
  return rows.flatMap((row) =>
    ACTORS.flatMap((kind) => {
      const outcome = row.expect[kind];
      return outcome === "allowed" ? [] : [[row.name, kind, row, outcome] as const];
    }),
  ) as [string, ActorKind, MatrixRow, Refusal][];
}

/** Calls the row's loader or action as `kind`, with a real Request carrying their cookie. */
export async function callAs(world: World, row: MatrixRow, kind: ActorKind) {
  const module = await row.route();
  const fn = (row.method === "GET" ? module.loader : module.action) as RouteFunction | undefined;
  if (!fn)
    throw new Error(`${row.name}: the route has no ${row.method === "GET" ? "loader" : "action"}`);
  const path = row.path(world);
  const cookie = world.cookies[kind];
  const request =
    row.method === "GET"
      ? getRequest(path, { cookie })
      : formRequest(path, row.fields?.(world) ?? {}, { cookie });
  return {
    path,
    result: unwrap(
      await run(() => fn({ request, params: row.params?.(world) ?? {}, context: testContext() })),
    ),
  };
}

/** Asserts the answer is the refusal the row expects. */
export function expectOutcome(
  { path, result }: Awaited<ReturnType<typeof callAs>>,
  outcome: Refusal,
) {
  if (outcome === "signin" || "redirect" in outcome) {
    expect(result.status).toBe(302);
    const location = new URL(result.headers.get("Location")!, "http://broadly.test");
    if (outcome === "signin") {
      expect(location.pathname).toBe("/signin");
      expect(location.searchParams.get("redirectTo")).toBe(path);
    } else {
      expect(location.pathname).toBe(outcome.redirect);
    }
    return;
  }
  expect(result.status).toBe(outcome.status);
  // An action that answers with the form's errors names the refusal; a thrown 404 says nothing.
  if (outcome.error) expect(result.data?.errors?.form).toBe(outcome.error);
}

/**
 * How each table is compared before and after: every row, or (for a table a plain signed-in
 * page view may touch) the rows without the touched columns. Keyed by every table, so a new
 * table fails to typecheck until it is listed here.
 */
const TABLES: Record<keyof Database, { orderBy: string; ignore?: string[] }> = {
  // Opening the changelog moves the reader's watermark: a page view, not an action.
  users: { orderBy: "id", ignore: ["announcements_seen_at"] },
  organizations: { orderBy: "id" },
  memberships: { orderBy: "org_id, user_id" },
  invitations: { orderBy: "id" },
  categories: { orderBy: "id" },
  settings: { orderBy: "key" },
  audit_log: { orderBy: "id" },
  announcements: { orderBy: "id" },
  announcement_requests: { orderBy: "announcement_id, request_id" },
  outbox: { orderBy: "id" },
  rate_limits: { orderBy: "key" },
  leases: { orderBy: "name" },
  requests: { orderBy: "id" },
  votes: { orderBy: "request_id, user_id" },
  request_org_votes: { orderBy: "request_id, org_id" },
  request_vote_days: { orderBy: "request_id, day" },
  comments: { orderBy: "id" },
  follows: { orderBy: "request_id, user_id" },
  status_events: { orderBy: "id" },
  // Any signed-in request may refresh "last seen": that is not a change a refusal made.
  sessions: { orderBy: "id", ignore: ["last_seen_at"] },
  user_tokens: { orderBy: "id" },
  vote_withdrawal_tokens: { orderBy: "id" },
  quotes: { orderBy: "id" },
  sponsorships: { orderBy: "id" },
  quote_declines: { orderBy: "id" },
  // Raised by any write to public content: a refusal that moved it wrote something.
  content_versions: { orderBy: "stripe" },
};

/** Every row of every table (the matrix's world is small), for before/after comparison. */
export async function snapshotDatabase() {
  const db = getDb();
  const snapshot: Record<string, unknown[]> = {};
  for (const [table, { orderBy, ignore = [] }] of Object.entries(TABLES)) {
    let query = db.selectFrom(table as keyof Database).selectAll();
    for (const column of orderBy.split(", ")) query = query.orderBy(column as never);
    const rows = (await query.execute()) as Record<string, unknown>[];
    snapshot[table] = rows.map((row) =>
      Object.fromEntries(Object.entries(row).filter(([column]) => !ignore.includes(column))),
    );
  }
  return snapshot;
}
