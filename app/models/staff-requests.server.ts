// Staff on a request: cleaning up its title, description and category, assigning an owner and
// a target quarter, and turning what customers said by e-mail, WhatsApp, a call or a meeting
// into demand: a vote recorded for a member of an organization (who gets an e-mail with a
// single-use link to withdraw it) or a request proposed on their behalf. Every write checks
// the actor is staff inside its transaction and writes its audit row there.
import { sql, type Kysely, type Transaction } from "kysely";
import { requireStaff } from "~/auth/permissions.server";
import {
  getDb,
  now,
  type Database,
  type DemandSource,
  type Locale,
  inTransaction,
  containsText,
} from "~/db.server";
import { getEnv } from "~/env.server";
import { DEFAULT_LOCALE } from "~/i18n/messages";
import { enqueueEmail, nudgeOutbox } from "~/services/outbox.server";
import { cleanLine } from "~/text";
import { recordAudit } from "./audit.server";
import { listStaffMembers } from "./staff.server";
import { checkTargetQuarter } from "./quarters.server";
import { upcomingQuarters } from "./quarters";
import { ActionRefused, type Actor } from "./errors";
import { deleteFollow } from "./follows.server";
import { addMembership } from "./memberships.server";
import { refuse } from "./request-rules.server";
import {
  applyRequestEdit,
  cleanRequestText,
  insertRequest,
  prepareRequestText,
} from "./requests.server";
import { hashToken, newSecretToken } from "./secret-tokens.server";
import { insertUserRow, NO_PASSWORD, normalizeEmail } from "./users.server";
import { castVote, withdrawVote } from "./votes.server";

type Executor = Kysely<Database> | Transaction<Database>;

export const DEMAND_SOURCES = [
  "email",
  "whatsapp",
  "call",
  "meeting",
] as const satisfies readonly DemandSource[];
export const CUSTOMER_QUOTE_MAX_LENGTH = 2_000;
/** How long the e-mailed link to withdraw a recorded vote works. */
export const VOTE_WITHDRAWAL_TTL_DAYS = 90;

// ---------------------------------------------------------------------------------------------
// Clean-up, owner, target quarter

/** The request staff act on; refuses one that does not exist (404) or was merged (409). */
async function requireLiveRequest(trx: Executor, requestId: number) {
  const request = await trx
    .selectFrom("requests")
    .select([
      "id",
      "title",
      "body_md",
      "category_id",
      "status",
      "owner_id",
      "target_quarter",
      "visibility",
      "org_id",
    ])
    .where("id", "=", requestId)
    .executeTakeFirst();
  if (!request) throw refuse("notFound", 404);
  if (request.status === "merged") throw refuse("merged", 409);
  return request;
}

/**
 * Staff clean up a request's title, description and category. The author stays its author;
 * the request is marked edited and its search entry follows, as with the author's own edit
 * (which refuses no duplicate title either: the title already was the request's).
 */
export async function editRequestAsStaff({
  actor,
  requestId,
  title,
  bodyMd,
  categoryId,
}: {
  actor: Actor;
  requestId: number;
  title: string;
  bodyMd: string;
  categoryId: number;
}): Promise<void> {
  const { cleanTitle, body } = cleanRequestText(title, bodyMd);
  await inTransaction(async (trx) => {
    await requireStaff(trx, actor);
    const before = await requireLiveRequest(trx, requestId);
    await applyRequestEdit(trx, { before, cleanTitle, body, categoryId });
    await recordAudit(trx, {
      actorId: actor.id,
      action: "request.edit",
      subjectType: "request",
      subjectId: requestId,
      data: {
        before: { title: before.title, bodyMd: before.body_md, categoryId: before.category_id },
        after: { title: cleanTitle, bodyMd: body, categoryId },
      },
    });
  });
}

/** Makes a staff member the request's owner, or leaves it without one (null). */
export async function assignOwner({
  actor,
  requestId,
  ownerId,
}: {
  actor: Actor;
  requestId: number;
  ownerId: number | null;
}): Promise<void> {
  await inTransaction(async (trx) => {
    await requireStaff(trx, actor);
    const before = await requireLiveRequest(trx, requestId);
    if (ownerId !== null) {
      const owner = await trx
        .selectFrom("users")
        .select("id")
        .where("id", "=", ownerId)
        .where("is_staff", "=", 1)
        .executeTakeFirst();
      if (!owner) throw new ActionRefused("staffRequests.error.ownerNotStaff", 400, "ownerId");
    }
    if (before.owner_id === ownerId) return;
    await trx
      .updateTable("requests")
      .set({ owner_id: ownerId, updated_at: now() })
      .where("id", "=", requestId)
      .execute();
    await recordAudit(trx, {
      actorId: actor.id,
      action: "request.assign",
      subjectType: "request",
      subjectId: requestId,
      data: { before: { ownerId: before.owner_id }, after: { ownerId } },
    });
  });
}

/** Sets the quarter staff aim to ship the request in ("2027-Q1"), or clears it (null). */
export async function setTargetQuarter({
  actor,
  requestId,
  quarter,
}: {
  actor: Actor;
  requestId: number;
  quarter: string | null;
}): Promise<void> {
  await inTransaction(async (trx) => {
    await requireStaff(trx, actor);
    const before = await requireLiveRequest(trx, requestId);
    if (quarter !== null) checkTargetQuarter(quarter);
    if (before.target_quarter === quarter) return;
    await trx
      .updateTable("requests")
      .set({ target_quarter: quarter, updated_at: now() })
      .where("id", "=", requestId)
      .execute();
    await recordAudit(trx, {
      actorId: actor.id,
      action: "request.quarter",
      subjectType: "request",
      subjectId: requestId,
      data: { before: { quarter: before.target_quarter }, after: { quarter } },
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Demand on a customer's behalf

export type CustomerChoice = {
  orgId: number;
  /** An existing member of the organization, */
  userId?: number | null;
  /** or someone new (or a member known by e-mail): becomes a member without a password. */
  newContact?: { email: string; name: string } | null;
};

type ChosenCustomer = {
  user: { id: number; email: string; name: string; locale: Locale | null };
  org: { id: number; name: string };
  contactCreated: boolean;
};

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * The customer staff act for, read in the transaction: a member of the organization, or a new
 * contact who becomes one (a user without a password, counted in member_count). An address
 * that belongs to staff, or to someone outside the organization, is refused: staff cannot add
 * a customer of one organization to another.
 */
async function chooseCustomer(
  trx: Transaction<Database>,
  actor: Actor,
  { orgId, userId, newContact }: CustomerChoice,
): Promise<ChosenCustomer> {
  const org = await trx
    .selectFrom("organizations")
    .select(["id", "name"])
    .where("id", "=", orgId)
    .executeTakeFirst();
  if (!org) throw new ActionRefused("staffRequests.error.orgUnknown", 400, "orgId");
  const memberQuery = trx
    .selectFrom("memberships")
    .innerJoin("users", "users.id", "memberships.user_id")
    .select(["users.id as id", "users.email as email", "users.name as name", "users.locale"])
    .where("memberships.org_id", "=", orgId);
  if (userId != null) {
    const member = await memberQuery.where("users.id", "=", userId).executeTakeFirst();
    if (!member) throw new ActionRefused("staffRequests.error.notAMember", 400, "userId");
    return { user: member, org, contactCreated: false };
  }
  if (!newContact) throw new ActionRefused("staffRequests.error.customerRequired", 400, "userId");
  const email = normalizeEmail(newContact.email);
  if (!EMAIL.test(email) || email.length > 254)
    throw new ActionRefused("staffRequests.error.contactEmailInvalid", 400, "newContactEmail");
  const member = await memberQuery.where("users.email", "=", email).executeTakeFirst();
  if (member) return { user: member, org, contactCreated: false };
  const existing = await trx
    .selectFrom("users")
    .select(["id", "is_staff"])
    .where("email", "=", email)
    .executeTakeFirst();
  if (existing?.is_staff === 1)
    throw new ActionRefused("staffRequests.error.contactIsStaff", 400, "newContactEmail");
  if (existing)
    throw new ActionRefused("staffRequests.error.contactElsewhere", 409, "newContactEmail");
  const name = cleanLine(newContact.name);
  if (name === "" || [...name].length > 80)
    throw new ActionRefused("staffRequests.error.contactNameRequired", 400, "newContactName");
  const at = now();
  // Staff know this person (they wrote to them), as with accounts the seed or the CLI makes;
  // the account has no password until its owner sets one through "forgot password".
  const user = await insertUserRow(trx, {
    email,
    name,
    passwordHash: NO_PASSWORD,
    locale: null,
    isStaff: false,
    staffRole: null,
    verifiedAt: at,
    at,
  });
  await addMembership(trx, { orgId, userId: user.id, role: "member", createdAt: at });
  await recordAudit(trx, {
    actorId: actor.id,
    action: "org.contact_add",
    subjectType: "organization",
    subjectId: orgId,
    data: { before: null, after: { userId: user.id, email, name, role: "member" } },
  });
  return {
    user: { id: user.id, email: user.email, name: user.name, locale: user.locale },
    org,
    contactCreated: true,
  };
}

function checkSourceAndQuote(source: string, quote: string | null | undefined) {
  if (!(DEMAND_SOURCES as readonly string[]).includes(source))
    throw new ActionRefused("staffRequests.error.sourceInvalid", 400, "source");
  const text = quote?.trim() ? quote.trim() : null;
  if (text && text.length > CUSTOMER_QUOTE_MAX_LENGTH)
    throw new ActionRefused("staffRequests.error.quoteTooLong", 400, "quote");
  return { source: source as DemandSource, quote: text };
}

/** The field a refusal about the chosen customer belongs to. */
function customerField(choice: CustomerChoice) {
  return choice.userId != null ? "userId" : "newContactEmail";
}

function requestUrl(requestId: number) {
  return `${getEnv().BASE_URL}/requests/${requestId}`;
}

/**
 * Records a vote for a customer who asked for the request by e-mail, WhatsApp, a call or a
 * meeting: it counts for their organization like any vote (through castVote, so every counter
 * stays exact), follows the request for them, remembers who recorded it, how, and what the
 * customer said, and e-mails them a link to see it and a single-use link to withdraw it.
 */
export async function recordVoteFor({
  actor,
  requestId,
  source: askedSource,
  quote: askedQuote,
  ...choice
}: CustomerChoice & {
  actor: Actor;
  requestId: number;
  source: DemandSource;
  quote?: string | null;
}): Promise<{
  userId: number;
  name: string;
  contactCreated: boolean;
  voteCount: number;
  orgCount: number;
}> {
  const { source, quote } = checkSourceAndQuote(askedSource, askedQuote);
  const result = await inTransaction(async (trx) => {
    await requireStaff(trx, actor);
    const request = await requireLiveRequest(trx, requestId);
    // An organization-only request stays with its organization: nobody else's vote is added.
    if (request.visibility === "organization" && request.org_id !== choice.orgId)
      throw new ActionRefused("staffRequests.error.privateRequest", 409, "orgId");
    const { user, org, contactCreated } = await chooseCustomer(trx, actor, choice);
    const voted = await trx
      .selectFrom("votes")
      .select("recorded_by")
      .where("request_id", "=", requestId)
      .where("user_id", "=", user.id)
      .executeTakeFirst();
    if (voted)
      throw new ActionRefused("staffRequests.error.alreadyVoted", 409, customerField(choice));
    const before = await trx
      .selectFrom("requests")
      .select(["vote_count", "org_count"])
      .where("id", "=", requestId)
      .executeTakeFirstOrThrow();
    const at = now();
    const counts = await castVote(trx, {
      requestId,
      userId: user.id,
      orgId: org.id,
      at,
      recordedBy: actor.id,
      source,
      customerQuote: quote,
    });
    const token = newSecretToken();
    await trx
      .insertInto("vote_withdrawal_tokens")
      .values({
        request_id: requestId,
        user_id: user.id,
        recorded_by: actor.id,
        token_hash: hashToken(token),
        created_at: at,
        expires_at: new Date(Date.parse(at) + VOTE_WITHDRAWAL_TTL_DAYS * 86_400_000).toISOString(),
      })
      .execute();
    await enqueueEmail(trx, user.email, {
      template: "vote_recorded",
      locale: user.locale ?? DEFAULT_LOCALE,
      name: user.name,
      requestTitle: request.title,
      requestUrl: requestUrl(requestId),
      orgName: org.name,
      staffName: actor.name,
      source,
      withdrawUrl: `${getEnv().BASE_URL}/votes/withdraw/${token}`,
    });
    await recordAudit(trx, {
      actorId: actor.id,
      action: "vote.record",
      subjectType: "request",
      subjectId: requestId,
      data: {
        before: { voteCount: before.vote_count, orgCount: before.org_count, voted: false },
        after: { ...counts, voted: true },
        userId: user.id,
        orgId: org.id,
        source,
        quote,
        contactCreated,
      },
    });
    return { userId: user.id, name: user.name, contactCreated, ...counts };
  });
  nudgeOutbox();
  return result;
}

/**
 * Proposes a request on a customer's behalf: its author is the customer, its organization
 * theirs, its source how staff heard it and recorded_by the staff member; the author's vote is
 * a recorded one. Goes through the same code as proposing (category, exact duplicate, status
 * event, vote, follow, search entry), and e-mails the customer a link to it.
 */
export async function proposeOnBehalf({
  actor,
  title,
  bodyMd,
  categoryId,
  source: askedSource,
  quote: askedQuote,
  ...choice
}: CustomerChoice & {
  actor: Actor;
  title: string;
  bodyMd: string;
  categoryId: number;
  source: DemandSource;
  quote?: string | null;
}): Promise<{ id: number; userId: number; name: string; contactCreated: boolean }> {
  const { source, quote } = checkSourceAndQuote(askedSource, askedQuote);
  const text = await prepareRequestText(title, bodyMd);
  const result = await inTransaction(async (trx) => {
    await requireStaff(trx, actor);
    const { user, org, contactCreated } = await chooseCustomer(trx, actor, choice);
    const { id } = await insertRequest(trx, {
      ...text,
      categoryId,
      authorId: user.id,
      orgId: org.id,
      actorId: actor.id,
      // The customer's own view: another organization's private request is no duplicate.
      viewer: { id: user.id, isStaff: false },
      source,
      recordedBy: actor.id,
      customerQuote: quote,
    });
    await enqueueEmail(trx, user.email, {
      template: "proposed_on_behalf",
      locale: user.locale ?? DEFAULT_LOCALE,
      name: user.name,
      requestTitle: text.cleanTitle,
      requestUrl: requestUrl(id),
      orgName: org.name,
      staffName: actor.name,
      source,
    });
    await recordAudit(trx, {
      actorId: actor.id,
      action: "request.propose_on_behalf",
      subjectType: "request",
      subjectId: id,
      data: {
        before: null,
        after: { title: text.cleanTitle, categoryId, authorId: user.id, orgId: org.id, source },
        quote,
        contactCreated,
      },
    });
    return { id, userId: user.id, name: user.name, contactCreated };
  });
  nudgeOutbox();
  return result;
}

// ---------------------------------------------------------------------------------------------
// Withdrawing a recorded vote through its e-mailed link

export type WithdrawalState = "valid" | "used" | "expired" | "unknown" | "gone";

const MERGE_HOPS_MAX = 5;

/** The request a vote on `requestId` lives on now: the same one, or where merges took it. */
async function liveRequestOf(db: Executor, requestId: number) {
  let id = requestId;
  for (let hop = 0; hop <= MERGE_HOPS_MAX; hop++) {
    const row = await db
      .selectFrom("requests")
      .select(["id", "title", "status", "merged_into_id"])
      .where("id", "=", id)
      .executeTakeFirst();
    if (!row) return null;
    if (row.status !== "merged" || row.merged_into_id === null) return row;
    id = row.merged_into_id;
  }
  return null;
}

/** The recorded vote of the user on the request, if it is still there and still recorded. */
function recordedVote(db: Executor, requestId: number, userId: number) {
  return db
    .selectFrom("votes")
    .leftJoin("organizations", "organizations.id", "votes.org_id")
    .leftJoin("users as staff", "staff.id", "votes.recorded_by")
    .select([
      "votes.source as source",
      "votes.recorded_by as recordedBy",
      "organizations.name as orgName",
      "staff.name as staffName",
    ])
    .where("votes.request_id", "=", requestId)
    .where("votes.user_id", "=", userId)
    .where("votes.recorded_by", "is not", null)
    .executeTakeFirst();
}

/** What the withdrawal link would do if used now, and what it is about; uses nothing. */
export async function getVoteWithdrawal({ token }: { token: string }) {
  const db = getDb();
  const row = await db
    .selectFrom("vote_withdrawal_tokens")
    .select(["request_id", "user_id", "expires_at", "used_at"])
    .where("token_hash", "=", hashToken(token))
    .executeTakeFirst();
  if (!row) return { state: "unknown" as WithdrawalState, request: null, vote: null };
  const request = await liveRequestOf(db, row.request_id);
  const vote = request ? await recordedVote(db, request.id, row.user_id) : undefined;
  const state: WithdrawalState =
    row.used_at !== null ? "used" : row.expires_at <= now() ? "expired" : !vote ? "gone" : "valid";
  return {
    state,
    request: request ? { id: request.id, title: request.title } : null,
    vote: vote ?? null,
  };
}

const WITHDRAWAL_REFUSALS = {
  used: "voteWithdraw.used",
  expired: "voteWithdraw.expired",
  unknown: "voteWithdraw.unknown",
  gone: "voteWithdraw.gone",
} as const;

/**
 * Withdraws the recorded vote the link was e-mailed for, and the follow that came with it,
 * keeping every counter exact; the link then stops working. The link is the customer's
 * authority here (a contact staff added may have no password), as a password-reset link is.
 */
export async function withdrawRecordedVote({
  token,
}: {
  token: string;
}): Promise<{ requestId: number }> {
  return inTransaction(async (trx) => {
    const at = now();
    // Conditional, so two clicks racing with the same link cannot both use it.
    const claimed = await trx
      .updateTable("vote_withdrawal_tokens")
      .set({ used_at: at })
      .where("token_hash", "=", hashToken(token))
      .where("used_at", "is", null)
      .where("expires_at", ">", at)
      .returning(["request_id", "user_id"])
      .executeTakeFirst();
    if (!claimed) {
      const row = await trx
        .selectFrom("vote_withdrawal_tokens")
        .select(["used_at"])
        .where("token_hash", "=", hashToken(token))
        .executeTakeFirst();
      const state = !row ? "unknown" : row.used_at ? "used" : "expired";
      throw new ActionRefused(WITHDRAWAL_REFUSALS[state], 410);
    }
    const request = await liveRequestOf(trx, claimed.request_id);
    const vote = request ? await recordedVote(trx, request.id, claimed.user_id) : undefined;
    // Withdrawn already, or replaced by a vote of their own: nothing to do (and the link
    // stays unused, as it withdrew nothing).
    if (!request || !vote) throw new ActionRefused(WITHDRAWAL_REFUSALS.gone, 409);
    const counts = await withdrawVote(trx, { requestId: request.id, userId: claimed.user_id });
    await deleteFollow(trx, request.id, claimed.user_id);
    await recordAudit(trx, {
      actorId: claimed.user_id,
      action: "vote.withdraw_recorded",
      subjectType: "request",
      subjectId: request.id,
      data: {
        before: { voted: true, recordedBy: vote.recordedBy, source: vote.source },
        after: { voted: false, ...counts },
        via: "email_link",
      },
    });
    return { requestId: request.id };
  });
}

// ---------------------------------------------------------------------------------------------
// What the staff tools show

function requireStaffViewer(actor: Actor | null): asserts actor is Actor {
  if (!actor?.isStaff) throw refuse("staffOnly", 403);
}

const RECORDED_VOTES_PER_PAGE = 10;

function encodeRecordedCursor(createdAt: string, userId: number) {
  return Buffer.from(JSON.stringify([createdAt, userId])).toString("base64url");
}

function decodeRecordedCursor(cursor: string | null | undefined): [string, number] | null {
  if (!cursor) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === "string" &&
      Number.isSafeInteger(value[1])
    )
      return [value[0], value[1] as number];
  } catch {
    // a made-up cursor is the first page
  }
  return null;
}

/**
 * The votes staff recorded on the request, newest first, a page at a time (keyset on the
 * votes_by_request_created_at index): who, for which organization, by whom, how, and the quote.
 */
export async function listRecordedVotes({
  actor,
  requestId,
  cursor,
  limit = RECORDED_VOTES_PER_PAGE,
}: {
  actor: Actor | null;
  requestId: number;
  cursor?: string | null;
  limit?: number;
}) {
  requireStaffViewer(actor);
  let query = getDb()
    .selectFrom("votes")
    .innerJoin("users as voter", "voter.id", "votes.user_id")
    .leftJoin("users as staff", "staff.id", "votes.recorded_by")
    .leftJoin("organizations", "organizations.id", "votes.org_id")
    .select([
      "votes.user_id as userId",
      "voter.name as voterName",
      "organizations.name as orgName",
      "staff.name as staffName",
      "votes.source as source",
      "votes.customer_quote as quote",
      "votes.created_at as createdAt",
    ])
    .where("votes.request_id", "=", requestId)
    .where("votes.recorded_by", "is not", null);
  const after = decodeRecordedCursor(cursor);
  if (after)
    query = query.where(
      sql<boolean>`(${sql.ref("votes.created_at")}, ${sql.ref("votes.user_id")}) < (${after[0]}, ${after[1]})`,
    );
  const rows = await query
    .orderBy("votes.created_at", "desc")
    .orderBy("votes.user_id", "desc")
    .limit(limit + 1)
    .execute();
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items,
    nextCursor:
      rows.length > limit && last ? encodeRecordedCursor(last.createdAt, last.userId) : null,
  };
}

/** Everything the request page's staff section shows; staff only. */
export async function getStaffTools({
  actor,
  requestId,
  recordedCursor,
}: {
  actor: Actor | null;
  requestId: number;
  recordedCursor?: string | null;
}) {
  requireStaffViewer(actor);
  const db = getDb();
  const request = await db
    .selectFrom("requests")
    .leftJoin("users as owner", "owner.id", "requests.owner_id")
    .leftJoin("users as recorder", "recorder.id", "requests.recorded_by")
    .select([
      "requests.owner_id as ownerId",
      "owner.name as ownerName",
      "requests.target_quarter as targetQuarter",
      "requests.edited_at as editedAt",
      "requests.source as source",
      "recorder.name as recordedByName",
    ])
    .where("requests.id", "=", requestId)
    .executeTakeFirst();
  if (!request) throw refuse("notFound", 404);
  const [staffMembers, recordedVotes] = await Promise.all([
    listStaffMembers(getDb()),
    listRecordedVotes({ actor, requestId, cursor: recordedCursor }),
  ]);
  const quarters = upcomingQuarters();
  // A quarter already set stays in the list even once it has passed, so the select shows it.
  if (request.targetQuarter && !quarters.includes(request.targetQuarter))
    quarters.unshift(request.targetQuarter);
  return {
    ...request,
    staffMembers: staffMembers.map(({ id, name }) => ({ id, name })),
    quarters,
    recordedVotes: recordedVotes.items,
    recordedVotesNext: recordedVotes.nextCursor,
  };
}

export type StaffTools = Awaited<ReturnType<typeof getStaffTools>>;

const ORG_MATCHES_MAX = 20;
const MEMBERS_SHOWN_MAX = 200;

/** Organizations whose name contains `q` (staff choosing a customer), by name; staff only. */
export async function findOrganizations({ actor, q }: { actor: Actor | null; q: string }) {
  requireStaffViewer(actor);
  const text = cleanLine(q).slice(0, 80);
  if (text === "") return [];
  return getDb()
    .selectFrom("organizations")
    .select(["id", "name", "slug", "member_count as memberCount"])
    .where(containsText("name", text))
    .orderBy("name")
    .orderBy("id")
    .limit(ORG_MATCHES_MAX)
    .execute();
}

/**
 * The organization staff chose and its first members by name (the others are reached by their
 * e-mail address in the new-contact fields, which finds an existing member); staff only.
 */
export async function getOrganizationForRecording({
  actor,
  orgId,
}: {
  actor: Actor | null;
  orgId: number;
}) {
  requireStaffViewer(actor);
  const db = getDb();
  const org = await db
    .selectFrom("organizations")
    .select(["id", "name", "slug", "member_count as memberCount"])
    .where("id", "=", orgId)
    .executeTakeFirst();
  if (!org) return null;
  const members = await db
    .selectFrom("memberships")
    .innerJoin("users", "users.id", "memberships.user_id")
    .select(["users.id as id", "users.name as name", "users.email as email"])
    .where("memberships.org_id", "=", orgId)
    .orderBy("users.name")
    .orderBy("users.id")
    .limit(MEMBERS_SHOWN_MAX + 1)
    .execute();
  return {
    org,
    members: members.slice(0, MEMBERS_SHOWN_MAX),
    moreMembers: members.length > MEMBERS_SHOWN_MAX,
  };
}

/**
 * The customer picker's state from the page's query: the organization chosen (`orgId`), or the
 * organizations matching the search (`org`); staff only.
 */
export async function getCustomerPicker({
  actor,
  query,
  orgId,
}: {
  actor: Actor | null;
  query: string;
  orgId: number | null;
}) {
  requireStaffViewer(actor);
  const chosen = orgId ? await getOrganizationForRecording({ actor, orgId }) : null;
  const matches = !chosen && query.trim() ? await findOrganizations({ actor, q: query }) : null;
  return { query, matches, chosen };
}
