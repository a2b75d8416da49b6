// What the staff quote form needs besides the quote itself: the request, the settings that
// prefill it, the organizations that voted for the request (most votes first) and others to
// choose from. Staff only.
import { requireStaff } from "~/auth/permissions.server";
import { containsText, getDb } from "~/db.server";
import type { Actor } from "./errors";
import { ActionRefused } from "./errors";
import { getQuoteSettings, getPricingSettings } from "./settings.server";

/** How many voting organizations the form offers first, and others at most. */
const VOTING_ORGS_SHOWN = 20;
const OTHER_ORGS_SHOWN = 100;

export type QuoteFormOrg = { id: number; name: string; votes: number };

export async function getQuoteFormData({
  actor,
  requestId,
  orgSearch,
}: {
  actor: Actor;
  requestId: number;
  /** Part of an organization's name, to find one that did not vote. */
  orgSearch?: string | null;
}) {
  const db = getDb();
  await requireStaff(db, actor);
  const request = await db
    .selectFrom("requests")
    .select(["id", "title", "status", "visibility", "org_id"])
    .where("id", "=", requestId)
    .executeTakeFirst();
  if (!request) throw new ActionRefused("quote.error.notFound", 404);
  const votingOrgs = await db
    .selectFrom("request_org_votes")
    .innerJoin("organizations", "organizations.id", "request_org_votes.org_id")
    .select(["organizations.id", "organizations.name", "request_org_votes.votes"])
    .where("request_org_votes.request_id", "=", requestId)
    .where("request_org_votes.votes", ">", 0)
    .orderBy("request_org_votes.votes", "desc")
    .orderBy("organizations.name")
    .limit(VOTING_ORGS_SHOWN)
    .execute();
  const search = orgSearch?.trim() ?? "";
  let others = db
    .selectFrom("organizations")
    .select(["id", "name"])
    .orderBy("name")
    .orderBy("id")
    .limit(OTHER_ORGS_SHOWN);
  if (search) {
    others = others.where(containsText("name", search));
  }
  // A private request can only be offered to its own organization (no other one may see it):
  // the choice offers that one alone, as saveQuote insists.
  const allowed = (org: { id: number }) =>
    request.visibility !== "organization" || org.id === request.org_id;
  if (request.visibility === "organization" && request.org_id !== null)
    others = others.where("id", "=", request.org_id);
  const otherOrgs = (await others.execute())
    .filter((o) => !votingOrgs.some((v) => v.id === o.id))
    .map((o) => ({ ...o, votes: 0 }));
  return {
    request: { id: request.id, title: request.title, status: request.status },
    pricing: await getPricingSettings(db),
    settings: await getQuoteSettings(db),
    votingOrgs: votingOrgs.filter(allowed) as QuoteFormOrg[],
    otherOrgs: otherOrgs.filter(allowed) as QuoteFormOrg[],
    orgSearch: search,
  };
}
