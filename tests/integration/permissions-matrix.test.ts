// Issue 11, point 10: every staff route and admin action, called as a visitor, a member, an
// organization's admin, an admin of another organization and staff without admin, answers
// the right refusal and changes nothing in the database. A new route is one more row.
import { describe, expect, it } from "vitest";
import { termsHash } from "~/models/quotes.server";
import {
  buildWorld,
  callAs,
  casesOf,
  expectOutcome,
  ORG_ADMIN_ONLY,
  refused,
  snapshotDatabase,
  STAFF_ADMIN_ONLY,
  STAFF_ONLY,
  type MatrixRow,
  type World,
} from "../support/permissions-matrix";

const orgPage = (w: World) => `/orgs/${w.acme.org.slug}`;
const orgParams = (w: World) => ({ slug: w.acme.org.slug });
const requestPage = (w: World) => `/requests/${w.request.id}`;
const requestParams = (w: World) => ({ id: String(w.request.id) });
const orgRoute = () => import("~/routes/orgs.$slug");
const requestRoute = () => import("~/routes/requests.$id/route");
const staffAudit = () => import("~/routes/staff.audit");
const staffSettings = () => import("~/routes/staff.settings");
const quoteRoute = () => import("~/routes/requests.$id_.quote");
/** A valid quote form (the matrix's request is not quoted: only permission is checked here). */
const quoteFields = (w: World, intent: string) => ({
  intent,
  pricing: "hourly",
  hours: "10",
  rate: "250",
  amount: "",
  validUntil: "2099-12-31",
  deliveryWeeks: "4",
  termsMd: "Matrix terms.",
  audience: "org",
  offeredOrgId: String(w.acme.org.id),
  minShare: "",
});
// A page refused to staff who are not admins throws its 403 (no form error to name).
const STAFF_ADMIN_PAGE = { ...STAFF_ADMIN_ONLY, staff: refused(403) };
const customersRefused = (status: 403 | 404, error?: Parameters<typeof refused>[1]) =>
  ({
    visitor: "signin",
    member: refused(status, error),
    orgAdmin: refused(status, error),
    outsider: refused(status, error),
    staff: "allowed",
  }) as const;

const sponsorRoute = () => import("~/routes/requests.$id_.sponsor");
const sponsorPage = (w: World) => `/requests/${w.quotedRequest.id}/sponsor`;
const sponsorParams = (w: World) => ({ id: String(w.quotedRequest.id) });
const QUOTE_SIGNERS = {
  visitor: "signin",
  member: refused(403, "quote.error.notAdmin"),
  orgAdmin: "allowed",
  outsider: refused(403, "quote.error.notAdmin"),
  staff: refused(403, "quote.error.notAdmin"),
} as const;

const newAnnouncement = () => import("~/routes/staff.announcements.new");
const editAnnouncement = () => import("~/routes/staff.announcements.$id/route");
const announcementPage = (w: World) => `/staff/announcements/${w.announcement.id}`;
const announcementParams = (w: World) => ({ id: String(w.announcement.id) });
/** A valid announcement form (only permission is checked here). */
const announcementFields = (intent: string) => ({
  intent,
  titleHe: "כותרת",
  bodyHe: "תוכן.",
  titleEn: "",
  bodyEn: "",
  requestSearch: "",
  publishAt: intent === "schedule" ? "2099-01-01T09:00" : "",
});

// prettier-ignore
const ROWS: MatrixRow[] = [
  // The staff list of organizations sends customers to their account page, where theirs are.
  { name: "GET /orgs", method: "GET", route: () => import("~/routes/orgs._index"), path: () => "/orgs",
    expect: { visitor: "signin", member: { redirect: "/account" }, orgAdmin: { redirect: "/account" }, outsider: { redirect: "/account" }, staff: "allowed" } },
  { name: "invite a member", method: "POST", route: orgRoute, path: orgPage, params: orgParams,
    fields: () => ({ intent: "invite", email: "matrix-new@example.test", role: "admin" }), expect: ORG_ADMIN_ONLY },
  { name: "revoke an invitation", method: "POST", route: orgRoute, path: orgPage, params: orgParams,
    fields: (w) => ({ intent: "revoke", invitationId: String(w.invitationId) }), expect: ORG_ADMIN_ONLY },
  { name: "promote a member", method: "POST", route: orgRoute, path: orgPage, params: orgParams,
    fields: (w) => ({ intent: "role", userId: String(w.otherMember.id), role: "admin" }), expect: ORG_ADMIN_ONLY },
  { name: "demote the admin", method: "POST", route: orgRoute, path: orgPage, params: orgParams,
    fields: (w) => ({ intent: "role", userId: String(w.acme.admin.id), role: "member" }), expect: ORG_ADMIN_ONLY },
  { name: "remove a member", method: "POST", route: orgRoute, path: orgPage, params: orgParams,
    fields: (w) => ({ intent: "remove", userId: String(w.otherMember.id) }), expect: ORG_ADMIN_ONLY },
  { name: "remove the admin", method: "POST", route: orgRoute, path: orgPage, params: orgParams,
    fields: (w) => ({ intent: "remove", userId: String(w.acme.admin.id) }), expect: ORG_ADMIN_ONLY },
  { name: "write an internal note", method: "POST", route: requestRoute, path: requestPage, params: requestParams,
    fields: () => ({ intent: "comment", kind: "internal", bodyMd: "Only staff should read this." }), expect: customersRefused(403, "request.error.staffOnly") },
  { name: "write the official answer", method: "POST", route: requestRoute, path: requestPage, params: requestParams,
    fields: () => ({ intent: "comment", kind: "official", bodyMd: "The team's answer." }), expect: customersRefused(403, "request.error.staffOnly") },
  // Staff pages: the audit log and staff settings (staff admins only; their own tests cover more).
  { name: "GET /staff/audit", method: "GET", route: staffAudit, path: () => "/staff/audit", expect: STAFF_ADMIN_PAGE },
  { name: "GET /staff/settings", method: "GET", route: staffSettings, path: () => "/staff/settings", expect: STAFF_ADMIN_PAGE },
  { name: "add a category", method: "POST", route: staffSettings, path: () => "/staff/settings",
    fields: () => ({ intent: "categoryCreate", slug: "matrix-new", nameHe: "חדשה", nameEn: "New" }), expect: STAFF_ADMIN_ONLY },
  { name: "rename a category", method: "POST", route: staffSettings, path: () => "/staff/settings",
    fields: (w) => ({ intent: "categoryRename", categoryId: String(w.category.id), nameHe: "א", nameEn: "B" }), expect: STAFF_ADMIN_ONLY },
  { name: "reorder a category", method: "POST", route: staffSettings, path: () => "/staff/settings",
    fields: (w) => ({ intent: "categoryMove", categoryId: String(w.category.id), direction: "up" }), expect: STAFF_ADMIN_ONLY },
  { name: "archive a category", method: "POST", route: staffSettings, path: () => "/staff/settings",
    fields: (w) => ({ intent: "categoryArchive", categoryId: String(w.category.id), archived: "1" }), expect: STAFF_ADMIN_ONLY },
  { name: "grant staff", method: "POST", route: staffSettings, path: () => "/staff/settings",
    fields: (w) => ({ intent: "staffGrant", email: w.acme.admin.email, role: "admin" }), expect: STAFF_ADMIN_ONLY },
  { name: "change a staff role", method: "POST", route: staffSettings, path: () => "/staff/settings",
    fields: (w) => ({ intent: "staffRole", userId: String(w.staffAdmin.id), role: "member" }), expect: STAFF_ADMIN_ONLY },
  { name: "revoke staff", method: "POST", route: staffSettings, path: () => "/staff/settings",
    fields: (w) => ({ intent: "staffRevoke", userId: String(w.staffAdmin.id) }), expect: STAFF_ADMIN_ONLY },
  { name: "change the rate and VAT", method: "POST", route: staffSettings, path: () => "/staff/settings",
    fields: () => ({ intent: "pricing", hourlyRate: "1", vatPercent: "1" }), expect: STAFF_ADMIN_ONLY },
  // Staff clean-up, owner, target quarter and demand on a customer's behalf (staff-edits).
  { name: "GET staff edit", method: "GET", route: () => import("~/routes/requests.$id_.staff-edit"), path: (w) => `${requestPage(w)}/staff-edit`, params: requestParams, expect: STAFF_ONLY },
  { name: "staff edit", method: "POST", route: () => import("~/routes/requests.$id_.staff-edit"), path: (w) => `${requestPage(w)}/staff-edit`, params: requestParams,
    fields: () => ({ title: "A title a customer should not set", bodyMd: "", categoryId: "1" }), expect: STAFF_ONLY },
  { name: "assign owner", method: "POST", route: () => import("~/routes/requests.$id_.owner"), path: (w) => `${requestPage(w)}/owner`, params: requestParams,
    fields: () => ({ ownerId: "" }), expect: STAFF_ONLY },
  { name: "target quarter", method: "POST", route: () => import("~/routes/requests.$id_.quarter"), path: (w) => `${requestPage(w)}/quarter`, params: requestParams,
    fields: () => ({ quarter: "2099-Q1" }), expect: STAFF_ONLY },
  { name: "GET record a vote", method: "GET", route: () => import("~/routes/requests.$id_.record-vote"), path: (w) => `${requestPage(w)}/record-vote?org=a`, params: requestParams, expect: STAFF_ONLY },
  { name: "record a vote", method: "POST", route: () => import("~/routes/requests.$id_.record-vote"), path: (w) => `${requestPage(w)}/record-vote`, params: requestParams,
    fields: (w) => ({ orgId: String(w.acme.org.id), userId: "", newContactEmail: "matrix-contact@example.test", newContactName: "Matrix Contact", source: "whatsapp" }), expect: STAFF_ONLY },
  { name: "GET /staff/propose", method: "GET", route: () => import("~/routes/staff_.propose"), path: () => "/staff/propose?org=a", expect: STAFF_ONLY },
  { name: "propose on behalf", method: "POST", route: () => import("~/routes/staff_.propose"), path: () => "/staff/propose",
    fields: (w) => ({ orgId: String(w.acme.org.id), userId: "", newContactEmail: "matrix-contact@example.test", newContactName: "Matrix Contact", source: "email", title: "A request a customer should not file", bodyMd: "", categoryId: "1" }), expect: STAFF_ONLY },
  // Triage: the queue, the decisions, the progress steps, reopening, visibility.
  { name: "GET /staff", method: "GET", route: () => import("~/routes/staff._index/route"), path: () => "/staff", expect: STAFF_ONLY },
  { name: "decide: declined", method: "POST", route: () => import("~/routes/requests.$id.decide"), path: (w) => `${requestPage(w)}/decide`, params: requestParams,
    fields: () => ({ kind: "declined", reason: "Not for everyone." }), expect: STAFF_ONLY },
  { name: "decide: broadly useful", method: "POST", route: () => import("~/routes/requests.$id.decide"), path: (w) => `${requestPage(w)}/decide`, params: requestParams,
    fields: () => ({ kind: "broad", targetQuarter: "", note: "" }), expect: STAFF_ONLY },
  { name: "next step", method: "POST", route: () => import("~/routes/requests.$id.status"), path: (w) => `${requestPage(w)}/status`, params: requestParams,
    fields: () => ({ to: "in_progress", note: "" }), expect: STAFF_ONLY },
  { name: "reopen", method: "POST", route: () => import("~/routes/requests.$id.reopen"), path: (w) => `${requestPage(w)}/reopen`, params: requestParams,
    fields: () => ({ reason: "We look at it again." }), expect: STAFF_ADMIN_ONLY },
  // Quotes (issue 12): the staff quote page, its preview, save and withdrawal, and quote settings.
  { name: "GET the quote form", method: "GET", route: quoteRoute, path: (w) => `${requestPage(w)}/quote`, params: requestParams, expect: STAFF_ONLY },
  { name: "preview a quote", method: "POST", route: quoteRoute, path: (w) => `${requestPage(w)}/quote`, params: requestParams,
    fields: (w) => quoteFields(w, "preview"), expect: STAFF_ONLY },
  { name: "save a quote", method: "POST", route: quoteRoute, path: (w) => `${requestPage(w)}/quote`, params: requestParams,
    fields: (w) => quoteFields(w, "save"), expect: STAFF_ONLY },
  { name: "withdraw a quote", method: "POST", route: quoteRoute, path: (w) => `${requestPage(w)}/quote`, params: requestParams,
    fields: () => ({ intent: "withdraw", quoteId: "1" }), expect: STAFF_ONLY },
  { name: "change the quote settings", method: "POST", route: staffSettings, path: () => "/staff/settings",
    fields: () => ({ intent: "quoteSettings", termsMd: "Matrix terms.", validDays: "10" }), expect: STAFF_ADMIN_ONLY },
  { name: "visibility", method: "POST", route: () => import("~/routes/requests.$id.visibility"), path: (w) => `${requestPage(w)}/visibility`, params: requestParams,
    fields: () => ({ visibility: "organization" }), expect: STAFF_ONLY },

  // Sponsored development: only the offered organization's admins sign or decline; its members
  // ask them; the page itself explains to anyone signed in why they cannot sign.
  { name: "GET /requests/:id/sponsor", method: "GET", route: sponsorRoute, path: sponsorPage, params: sponsorParams,
    expect: { visitor: "signin", member: "allowed", orgAdmin: "allowed", outsider: "allowed", staff: "allowed" } },
  { name: "accept a quote", method: "POST", route: sponsorRoute, path: sponsorPage, params: sponsorParams,
    fields: (w) => ({ intent: "accept", version: String(w.quote.version), termsSha256: termsHash(w.quote.termsMd), orgId: String(w.acme.org.id), agreed: "on", signerName: "Matrix Signer" }),
    expect: QUOTE_SIGNERS },
  { name: "decline a quote", method: "POST", route: sponsorRoute, path: sponsorPage, params: sponsorParams,
    fields: (w) => ({ intent: "decline", version: String(w.quote.version), orgId: String(w.acme.org.id) }),
    expect: QUOTE_SIGNERS },
  { name: "ask the admins to accept", method: "POST", route: sponsorRoute, path: sponsorPage, params: sponsorParams,
    fields: (w) => ({ intent: "ask", orgId: String(w.acme.org.id) }),
    expect: { visitor: "signin", member: "allowed", orgAdmin: "allowed", outsider: refused(403, "org.error.notYourOrg"), staff: refused(403, "org.error.notYourOrg") } },
  // The sponsorship ledger (staff) and an organization's own sponsorships (its admins, and staff).
  { name: "GET /staff/sponsorships", method: "GET", route: () => import("~/routes/staff.sponsorships"), path: () => "/staff/sponsorships", expect: STAFF_ONLY },
  { name: "GET /staff/sponsorships.csv", method: "GET", route: () => import("~/routes/staff.sponsorships[.csv]"), path: () => "/staff/sponsorships.csv", expect: STAFF_ONLY },
  { name: "GET /orgs/:slug/sponsorships", method: "GET", route: () => import("~/routes/orgs.$slug_.sponsorships"), path: (w) => `${orgPage(w)}/sponsorships`, params: orgParams,
    expect: { visitor: "signin", member: refused(403), orgAdmin: "allowed", outsider: refused(404), staff: "allowed" } },
  // Announcements (issue 13): staff write, preview, publish, schedule, correct and delete them.
  { name: "GET /staff/announcements", method: "GET", route: () => import("~/routes/staff.announcements._index"), path: () => "/staff/announcements", expect: STAFF_ONLY },
  { name: "GET /staff/announcements/new", method: "GET", route: newAnnouncement, path: () => "/staff/announcements/new?requests=1", expect: STAFF_ONLY },
  ...["save", "preview", "search", "publish", "schedule"].map((intent): MatrixRow => (
    { name: `new announcement: ${intent}`, method: "POST", route: newAnnouncement, path: () => "/staff/announcements/new",
      fields: () => announcementFields(intent), expect: STAFF_ONLY })),
  { name: "GET /staff/announcements/:id", method: "GET", route: editAnnouncement, path: announcementPage, params: announcementParams, expect: STAFF_ONLY },
  ...["save", "preview", "search", "publish", "schedule", "unschedule", "delete"].map((intent): MatrixRow => (
    { name: `announcement: ${intent}`, method: "POST", route: editAnnouncement, path: announcementPage, params: announcementParams,
      fields: () => announcementFields(intent), expect: STAFF_ONLY })),
];

describe("the permissions matrix", () => {
  // A world of its own per case, so that a refusal that did change something fails alone.
  it.each(casesOf(ROWS))(
    "%s as %s: refused, nothing changed",
    async (_name, kind, row, outcome) => {
      const world = await buildWorld();
      const before = await snapshotDatabase();
      expectOutcome(await callAs(world, row, kind), outcome);
      expect(await snapshotDatabase()).toEqual(before);
    },
  );

  const requestPageRow: MatrixRow = {
    name: "GET /requests/:id",
    method: "GET",
    route: requestRoute,
    path: requestPage,
    params: requestParams,
    expect: STAFF_ONLY,
  };

  // Not a refusal, a page: what the request page keeps for staff is missing for everyone else.
  it.each(["visitor", "member", "orgAdmin", "outsider"] as const)(
    "shows %s no staff-only part of the request page",
    async (kind) => {
      const world = await buildWorld();
      const { result } = await callAs(world, requestPageRow, kind);
      expect(result.status).toBe(200);
      expect(result.data.demand).toBeNull();
      expect(result.data.comments.map((c: { id: number }) => c.id)).not.toContain(
        world.internalNote.id,
      );
      expect(JSON.stringify(result.data)).not.toContain("Matrix internal note");
    },
  );

  it("shows staff the request page's staff-only parts", async () => {
    const world = await buildWorld();
    const { result } = await callAs(world, requestPageRow, "staff");
    expect(result.data.demand).not.toBeNull();
    expect(JSON.stringify(result.data)).toContain("Matrix internal note");
  });

  it("has a row for every route it names, each with a loader or action to call", async () => {
    for (const row of ROWS) {
      const module = await row.route();
      expect(row.method === "GET" ? module.loader : module.action, row.name).toBeTypeOf("function");
    }
  });
});
