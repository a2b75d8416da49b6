// Sponsored development: staff quote a request (each revision a new version), an organization's
// admin accepts it (audience "org"), or admins of several organizations pledge shares of it until
// the gross amount is covered (audience "open"): then the request is funded. A sponsorship row is
// the signed order and is never changed; whether it binds follows its quote, whose status only
// moves forward (open → funded, or open → superseded, withdrawn or expired: the pledges lapse).
// Nothing here moves money: the acceptance record feeds the vendor's own invoicing.
//
// Every function takes the actor and checks permission inside its transaction; every change
// writes its audit row and its e-mails (the outbox) in that same transaction.
import crypto from "node:crypto";
import type { Transaction } from "kysely";
import { requireMembership, requireStaff } from "~/auth/permissions.server";
import { getDb, now, type Database, type Locale } from "~/db.server";
import { getEnv } from "~/env.server";
import type { MessageKey } from "~/i18n/messages";
import type { EmailPayload, QuoteMailKind } from "~/services/emails.server";
import { enqueueEmails, inTransactionThenNudge } from "~/services/outbox.server";
import { cleanLine, cleanMarkdown } from "~/text";
import { recordAudit } from "./audit.server";
import { ActionRefused, type Actor } from "./errors";
import { MAX_MINOR, quoteAmounts, type QuoteAmounts } from "./money";
import { userCanSee } from "./request-visibility.server";
import { getPricingSettings } from "./settings.server";
import { markFunded } from "./triage.server";

type Trx = Transaction<Database>;

export const QUOTE_STATUSES = ["open", "funded", "superseded", "withdrawn", "expired"] as const;
export type QuoteStatus = (typeof QUOTE_STATUSES)[number];
export type QuotePricing = "hourly" | "fixed";
export type QuoteAudience = "org" | "open";

export const TERMS_MAX_LENGTH = 20_000;
export const DELIVERY_WEEKS_MAX = 520;
export const SIGNER_NAME_MAX_LENGTH = 120;
export const DECLINE_REASON_MAX_LENGTH = 2_000;

/** What staff fill in on the quote form, parsed (money and hours already integers). */
export type QuoteInput = {
  pricing: QuotePricing;
  /** Hourly: estimated hours as quarter hours (10.25 h = 41). */
  quarterHours?: number | null;
  /** Hourly: the rate per hour in agorot (default: the setting). */
  rateMinor?: number | null;
  /** Fixed: the amount before VAT in agorot. */
  fixedMinor?: number | null;
  /** The last day it may be accepted, "2027-03-31" (Israel). */
  validUntil: string;
  deliveryWeeks: number;
  termsMd: string;
  audience: QuoteAudience;
  /** audience "org": the organization it is offered to. */
  offeredOrgId?: number | null;
  /** audience "open": the smallest pledge taken, VAT included (null: any). */
  minShareMinor?: number | null;
};

function refuse(key: MessageKey, status = 400, field?: string) {
  return new ActionRefused(key, status, field);
}

export function termsHash(termsMd: string): string {
  return crypto.createHash("sha256").update(termsMd, "utf8").digest("hex");
}

// ---------------------------------------------------------------------------------------------
// Days in Israel

const israelParts = new Intl.DateTimeFormat("en-US", {
  timeZone: "Asia/Jerusalem",
  hourCycle: "h23",
  year: "numeric",
  month: "numeric",
  day: "numeric",
  hour: "numeric",
  minute: "numeric",
  second: "numeric",
});

/** How far Israel's wall clock is ahead of UTC at the instant `ms` (2 or 3 hours). */
export function israelOffsetMs(ms: number): number {
  const parts = Object.fromEntries(
    israelParts.formatToParts(ms).map((p) => [p.type, Number(p.value)]),
  ) as Record<string, number>;
  const wall = Date.UTC(
    parts.year,
    parts.month - 1,
    parts.day,
    parts.hour,
    parts.minute,
    parts.second,
  );
  return wall - Math.floor(ms / 1000) * 1000;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The calendar day `at` falls on in Israel, "2027-03-31". */
export function israelDay(at: Date | number = Date.now()): string {
  const ms = typeof at === "number" ? at : at.getTime();
  const d = new Date(ms + israelOffsetMs(ms));
  return d.toISOString().slice(0, 10);
}

/**
 * The instant the day `day` ends in Israel (its next midnight there), as an ISO string: a quote
 * valid until 31 March may be accepted until 23:59:59.999 that day, Israel time.
 */
export function endOfIsraelDay(day: string): string {
  const match = DAY.exec(day);
  if (!match) throw new RangeError(`not a day: ${day}`);
  const nextMidnightWall = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + 1);
  // The offset at that instant (guess with the offset an hour before, then correct once: the
  // clocks change at night, never at midnight itself).
  let at = nextMidnightWall - israelOffsetMs(nextMidnightWall);
  at = nextMidnightWall - israelOffsetMs(at);
  return new Date(at).toISOString();
}

function isRealDay(day: string): boolean {
  const match = DAY.exec(day);
  if (!match) return false;
  const d = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return d.toISOString().slice(0, 10) === day;
}

// ---------------------------------------------------------------------------------------------
// Reading

const QUOTE_COLUMNS = [
  "quotes.id",
  "quotes.request_id",
  "quotes.version",
  "quotes.status",
  "quotes.pricing",
  "quotes.quarter_hours",
  "quotes.rate_minor",
  "quotes.net_minor",
  "quotes.vat_bps",
  "quotes.vat_minor",
  "quotes.gross_minor",
  "quotes.currency",
  "quotes.valid_until",
  "quotes.expires_at",
  "quotes.delivery_weeks",
  "quotes.terms_md",
  "quotes.terms_sha256",
  "quotes.audience",
  "quotes.offered_org_id",
  "quotes.min_share_minor",
  "quotes.pledged_minor",
  "quotes.created_by",
  "quotes.created_at",
  "quotes.closed_at",
] as const;

type QuoteRow = Awaited<ReturnType<typeof loadQuote>>;

async function loadQuote(trx: Trx | ReturnType<typeof getDb>, quoteId: number) {
  const row = await trx
    .selectFrom("quotes")
    .select(QUOTE_COLUMNS)
    .where("quotes.id", "=", quoteId)
    .executeTakeFirst();
  if (!row) throw refuse("quote.error.notFound", 404);
  return row;
}

/** A quote's status as of `at`: an open one past its end is expired even before the sweep. */
export function effectiveStatus(
  quote: { status: QuoteStatus | string; expires_at: string },
  at: string = now(),
): QuoteStatus {
  if (quote.status === "open" && quote.expires_at <= at) return "expired";
  return quote.status as QuoteStatus;
}

export type QuoteView = {
  id: number;
  requestId: number;
  version: number;
  status: QuoteStatus;
  pricing: QuotePricing;
  quarterHours: number | null;
  rateMinor: number | null;
  amounts: QuoteAmounts;
  vatBps: number;
  currency: string;
  validUntil: string;
  expiresAt: string;
  deliveryWeeks: number;
  termsMd: string;
  termsSha256: string;
  audience: QuoteAudience;
  offeredOrg: { id: number; name: string; slug: string } | null;
  minShareMinor: number | null;
  pledgedMinor: number;
  remainingMinor: number;
  createdAt: string;
  closedAt: string | null;
};

function viewOf(row: QuoteRow, offeredOrg: QuoteView["offeredOrg"], at: string): QuoteView {
  const status = effectiveStatus(row, at);
  return {
    id: row.id,
    requestId: row.request_id,
    version: row.version,
    status,
    pricing: row.pricing as QuotePricing,
    quarterHours: row.quarter_hours,
    rateMinor: row.rate_minor,
    amounts: { netMinor: row.net_minor, vatMinor: row.vat_minor, grossMinor: row.gross_minor },
    vatBps: row.vat_bps,
    currency: row.currency,
    validUntil: row.valid_until,
    expiresAt: row.expires_at,
    deliveryWeeks: row.delivery_weeks,
    termsMd: row.terms_md,
    termsSha256: row.terms_sha256,
    audience: row.audience as QuoteAudience,
    offeredOrg,
    minShareMinor: row.min_share_minor,
    pledgedMinor: row.pledged_minor,
    remainingMinor: Math.max(0, row.gross_minor - row.pledged_minor),
    createdAt: row.created_at,
    closedAt: row.closed_at,
  };
}

async function offeredOrgOf(db: Trx | ReturnType<typeof getDb>, orgId: number | null) {
  if (orgId === null) return null;
  return (
    (await db
      .selectFrom("organizations")
      .select(["id", "name", "slug"])
      .where("id", "=", orgId)
      .executeTakeFirst()) ?? null
  );
}

export type Sponsor = {
  orgId: number;
  orgName: string;
  shareMinor: number;
  creditByName: boolean;
  acceptedAt: string;
};

/**
 * The request's quote as the request page shows it: the latest version (open or funded; else
 * the latest closed one, so "expired" or "withdrawn" can be said), its sponsors, and for staff
 * every version. Visibility of the request is the caller's (the page loads the request first).
 */
export async function getRequestQuote({
  requestId,
  viewer,
}: {
  requestId: number;
  viewer: Actor | null;
}): Promise<{
  current: QuoteView | null;
  sponsors: Sponsor[];
  versions: QuoteView[] | null;
} | null> {
  const db = getDb();
  const rows = await db
    .selectFrom("quotes")
    .select(QUOTE_COLUMNS)
    .where("quotes.request_id", "=", requestId)
    .orderBy("quotes.version", "desc")
    .limit(viewer?.isStaff ? 50 : 1)
    .execute();
  if (rows.length === 0) return null;
  const at = now();
  const latest = rows[0];
  const current = viewOf(latest, await offeredOrgOf(db, latest.offered_org_id), at);
  const sponsors = (
    await db
      .selectFrom("sponsorships")
      .innerJoin("organizations", "organizations.id", "sponsorships.org_id")
      .select([
        "sponsorships.org_id",
        "organizations.name",
        "sponsorships.share_minor",
        "sponsorships.credit_by_name",
        "sponsorships.accepted_at",
      ])
      .where("sponsorships.quote_id", "=", latest.id)
      .orderBy("sponsorships.accepted_at")
      .orderBy("sponsorships.id")
      .execute()
  ).map((s) => ({
    orgId: s.org_id,
    orgName: s.name,
    shareMinor: s.share_minor,
    creditByName: s.credit_by_name === 1,
    acceptedAt: s.accepted_at,
  }));
  const versions = viewer?.isStaff
    ? await Promise.all(
        rows.map(async (r) => viewOf(r, await offeredOrgOf(db, r.offered_org_id), at)),
      )
    : null;
  return { current, sponsors, versions };
}

// ---------------------------------------------------------------------------------------------
// E-mails

type Recipient = { email: string; name: string; locale: Locale };

function requestUrl(requestId: number): string {
  return `${getEnv().BASE_URL}/requests/${requestId}`;
}

async function adminsOf(
  trx: Trx,
  orgIds: readonly number[],
): Promise<(Recipient & { orgId: number })[]> {
  if (orgIds.length === 0) return [];
  const rows = await trx
    .selectFrom("memberships")
    .innerJoin("users", "users.id", "memberships.user_id")
    .select(["users.email", "users.name", "users.locale", "memberships.org_id"])
    .where("memberships.org_id", "in", orgIds)
    .where("memberships.role", "=", "admin")
    .orderBy("users.id")
    .execute();
  return rows.map((r) => ({
    email: r.email,
    name: r.name,
    locale: r.locale ?? "he",
    orgId: r.org_id,
  }));
}

async function staffRecipients(trx: Trx, except: number | null): Promise<Recipient[]> {
  const rows = await trx
    .selectFrom("users")
    .select(["email", "name", "locale"])
    .where("is_staff", "=", 1)
    .where("id", "!=", except ?? -1)
    .orderBy("name")
    .orderBy("id")
    .execute();
  return rows.map((r) => ({ email: r.email, name: r.name, locale: r.locale ?? "he" }));
}

async function requestOf(trx: Trx, requestId: number) {
  const request = await trx
    .selectFrom("requests")
    .select(["id", "title", "status", "visibility", "org_id"])
    .where("id", "=", requestId)
    .executeTakeFirst();
  if (!request) throw refuse("quote.error.notFound", 404);
  return request;
}

async function tell(
  trx: Trx,
  recipients: readonly Recipient[],
  kind: QuoteMailKind,
  request: { id: number; title: string },
  quote: { grossMinor: number; currency: string; version: number },
  extra: { orgName?: string | null; reason?: string | null } = {},
) {
  // Each address once, in its own language.
  const seen = new Set<string>();
  const messages: { recipient: string; payload: EmailPayload }[] = [];
  for (const r of recipients) {
    if (seen.has(r.email)) continue;
    seen.add(r.email);
    messages.push({
      recipient: r.email,
      payload: {
        template: "quote_event",
        kind,
        locale: r.locale,
        name: r.name,
        requestTitle: request.title,
        requestUrl: requestUrl(request.id),
        grossMinor: quote.grossMinor,
        currency: quote.currency,
        version: quote.version,
        orgName: extra.orgName ?? null,
        reason: extra.reason ?? null,
      },
    });
  }
  await enqueueEmails(trx, messages);
}

// ---------------------------------------------------------------------------------------------
// Staff: quoting, revising, withdrawing

/** The amounts a quote input comes to (money.ts's quoteAmounts, as the form's preview uses). */
function amountsOf(input: QuoteInput, vatBps: number): QuoteAmounts {
  return quoteAmounts({
    pricing: input.pricing,
    quarterHours: input.quarterHours ?? null,
    rateMinor: input.rateMinor ?? null,
    fixedMinor: input.fixedMinor ?? null,
    vatBps,
  });
}

/** Refuses what the form's schema cannot know (the day, the organization, the request). */
async function checkInput(trx: Trx, requestId: number, input: QuoteInput, at: string) {
  if (input.pricing === "hourly") {
    if (!input.quarterHours || input.quarterHours <= 0)
      throw refuse("quote.error.hours", 400, "hours");
    if (!input.rateMinor || input.rateMinor <= 0 || input.rateMinor % 100 !== 0)
      throw refuse("quote.error.rate", 400, "rate");
  } else if (!input.fixedMinor || input.fixedMinor <= 0) {
    throw refuse("quote.error.amount", 400, "amount");
  }
  if (!isRealDay(input.validUntil)) throw refuse("quote.error.validUntil", 400, "validUntil");
  if (input.validUntil < israelDay(new Date(at)))
    throw refuse("quote.error.validUntilPast", 400, "validUntil");
  if (
    !Number.isSafeInteger(input.deliveryWeeks) ||
    input.deliveryWeeks < 1 ||
    input.deliveryWeeks > DELIVERY_WEEKS_MAX
  )
    throw refuse("quote.error.delivery", 400, "deliveryWeeks");
  if (cleanMarkdown(input.termsMd).trim() === "") throw refuse("quote.error.terms", 400, "termsMd");
  if (input.termsMd.length > TERMS_MAX_LENGTH)
    throw refuse("quote.error.termsLong", 400, "termsMd");
  if (input.audience === "org") {
    const org = input.offeredOrgId
      ? await trx
          .selectFrom("organizations")
          .select("id")
          .where("id", "=", input.offeredOrgId)
          .executeTakeFirst()
      : undefined;
    if (!org) throw refuse("quote.error.org", 400, "offeredOrgId");
    // A private request can only be offered to its own organization (no one else sees it).
    const request = await requestOf(trx, requestId);
    if (request.visibility === "organization" && request.org_id !== org.id)
      throw refuse("quote.error.orgPrivate", 400, "offeredOrgId");
  }
  if (input.minShareMinor != null && (input.minShareMinor <= 0 || input.minShareMinor > MAX_MINOR))
    throw refuse("quote.error.minShare", 400, "minShare");
}

/**
 * Staff quote a request decided as sponsored development (status "quoted"), or revise its
 * quote: the new version supersedes the open one, whose pledges lapse (their organizations are
 * told). Returns the new quote's id.
 */
export async function saveQuote({
  actor,
  requestId,
  input,
}: {
  actor: Actor;
  requestId: number;
  input: QuoteInput;
}): Promise<{ quoteId: number; version: number }> {
  return inTransactionThenNudge(async (trx) => {
    await requireStaff(trx, actor);
    const at = now();
    const request = await requestOf(trx, requestId);
    if (request.status !== "quoted") throw refuse("quote.error.notQuotable", 409);
    await checkInput(trx, requestId, input, at);
    const { vatBps, currency } = await getPricingSettings(trx);
    let amounts: QuoteAmounts;
    try {
      amounts = amountsOf(input, vatBps);
    } catch {
      throw refuse("quote.error.tooLarge", 400, input.pricing === "hourly" ? "hours" : "amount");
    }
    if (input.minShareMinor != null && input.minShareMinor > amounts.grossMinor)
      throw refuse("quote.error.minShare", 400, "minShare");

    const previous = await trx
      .selectFrom("quotes")
      .select(QUOTE_COLUMNS)
      .where("quotes.request_id", "=", requestId)
      .orderBy("quotes.version", "desc")
      .limit(1)
      .executeTakeFirst();
    const version = (previous?.version ?? 0) + 1;
    const termsMd = cleanMarkdown(input.termsMd);
    const inserted = await trx
      .insertInto("quotes")
      .values({
        request_id: requestId,
        version,
        status: "open",
        pricing: input.pricing,
        quarter_hours: input.pricing === "hourly" ? input.quarterHours! : null,
        rate_minor: input.pricing === "hourly" ? input.rateMinor! : null,
        net_minor: amounts.netMinor,
        vat_bps: vatBps,
        vat_minor: amounts.vatMinor,
        gross_minor: amounts.grossMinor,
        currency,
        valid_until: input.validUntil,
        expires_at: endOfIsraelDay(input.validUntil),
        delivery_weeks: input.deliveryWeeks,
        terms_md: termsMd,
        terms_sha256: termsHash(termsMd),
        audience: input.audience,
        offered_org_id: input.audience === "org" ? input.offeredOrgId! : null,
        min_share_minor: input.audience === "open" ? (input.minShareMinor ?? null) : null,
        created_by: actor.id,
        created_at: at,
      })
      .returning("id")
      .executeTakeFirstOrThrow();

    let superseded: QuoteRow | null = null;
    if (previous && effectiveStatus(previous, at) === "open") {
      await closeQuote(trx, previous, "superseded", at);
      superseded = previous;
    }
    await recordAudit(trx, {
      actorId: actor.id,
      action: previous ? "quote.revise" : "quote.create",
      subjectType: "request",
      subjectId: requestId,
      data: {
        quoteId: inserted.id,
        version,
        pricing: input.pricing,
        netMinor: amounts.netMinor,
        vatMinor: amounts.vatMinor,
        grossMinor: amounts.grossMinor,
        audience: input.audience,
        offeredOrgId: input.offeredOrgId ?? null,
        validUntil: input.validUntil,
        supersededVersion: superseded?.version ?? null,
      },
    });

    const quote = { grossMinor: amounts.grossMinor, currency, version };
    // Offered: the organization's admins; open: the admins of the organizations that voted.
    const offeredTo =
      input.audience === "org"
        ? [input.offeredOrgId!]
        : (
            await trx
              .selectFrom("request_org_votes")
              .select("org_id")
              .where("request_id", "=", requestId)
              .execute()
          ).map((r) => r.org_id);
    await tell(
      trx,
      await adminsOf(trx, offeredTo),
      previous ? "revised" : "offered",
      request,
      quote,
    );
    return { quoteId: inserted.id, version };
  });
}

/**
 * Ends an open quote (superseded, withdrawn, expired): the update is conditional on it being
 * open, so two closers cannot both act; its pledges lapse with it and their organizations'
 * admins are told. The sponsorship rows are not touched.
 */
async function closeQuote(
  trx: Trx,
  quote: QuoteRow,
  status: "superseded" | "withdrawn" | "expired",
  at: string,
): Promise<boolean> {
  const closed = await trx
    .updateTable("quotes")
    .set({ status, closed_at: at })
    .where("id", "=", quote.id)
    .where("status", "=", "open")
    .executeTakeFirst();
  if (Number(closed.numUpdatedRows) === 0) return false;
  const pledgers = await trx
    .selectFrom("sponsorships")
    .select("org_id")
    .where("quote_id", "=", quote.id)
    .execute();
  if (pledgers.length > 0) {
    const request = await requestOf(trx, quote.request_id);
    await tell(
      trx,
      await adminsOf(
        trx,
        pledgers.map((p) => p.org_id),
      ),
      "lapsed",
      request,
      { grossMinor: quote.gross_minor, currency: quote.currency, version: quote.version },
      { reason: status },
    );
  }
  return true;
}

/** Staff withdraw an open quote: it can no longer be accepted, and its pledges lapse. */
export async function withdrawQuote({ actor, quoteId }: { actor: Actor; quoteId: number }) {
  await inTransactionThenNudge(async (trx) => {
    await requireStaff(trx, actor);
    const quote = await loadQuote(trx, quoteId);
    const at = now();
    if (effectiveStatus(quote, at) !== "open" || !(await closeQuote(trx, quote, "withdrawn", at)))
      throw refuse("quote.error.notOpen", 409);
    await recordAudit(trx, {
      actorId: actor.id,
      action: "quote.withdraw",
      subjectType: "request",
      subjectId: quote.request_id,
      data: { quoteId, version: quote.version },
    });
  });
}

/**
 * Expires the open quotes whose last day has ended (run by the outbox worker's loop, so no cron
 * is needed; reads treat them as expired already): each in its own small transaction, its
 * pledgers told. Returns how many expired.
 */
export async function expireQuotes(at: Date = new Date()): Promise<number> {
  const when = at.toISOString();
  const due = await getDb()
    .selectFrom("quotes")
    .select("id")
    .where("status", "=", "open")
    .where("expires_at", "<=", when)
    .orderBy("expires_at")
    .orderBy("id")
    .limit(100)
    .execute();
  let expired = 0;
  for (const { id } of due) {
    const done = await inTransactionThenNudge(async (trx) => {
      const quote = await loadQuote(trx, id);
      if (!(await closeQuote(trx, quote, "expired", when))) return false;
      await recordAudit(trx, {
        actorId: null,
        action: "quote.expire",
        subjectType: "request",
        subjectId: quote.request_id,
        data: { quoteId: id, version: quote.version, validUntil: quote.valid_until },
      });
      return true;
    });
    if (done) expired++;
  }
  return expired;
}

// ---------------------------------------------------------------------------------------------
// Customers: accepting, pledging, declining, asking the admins

/** The quote an organization's admin may act on: open, unexpired, this very version. */
async function requireAcceptable(trx: Trx, quoteId: number, version: number, at: string) {
  const quote = await loadQuote(trx, quoteId);
  const status = effectiveStatus(quote, at);
  if (quote.version !== version || status === "superseded")
    throw refuse("quote.error.superseded", 409);
  if (status === "expired") throw refuse("quote.error.expired", 409);
  if (status === "funded") throw refuse("quote.error.funded", 409);
  if (status !== "open") throw refuse("quote.error.notOpen", 409);
  return quote;
}

/** The request must be one this user may see: the same 404 as everywhere else otherwise. */
async function requireVisibleTo(trx: Trx, requestId: number, userId: number) {
  const request = await requestOf(trx, requestId);
  const visible = await trx
    .selectFrom("users")
    .select("users.id")
    .where("users.id", "=", userId)
    .where(userCanSee({ visibility: request.visibility, orgId: request.org_id }))
    .executeTakeFirst();
  if (!visible) throw refuse("quote.error.notFound", 404);
  return request;
}

export type Acceptance = {
  actor: Actor;
  quoteId: number;
  /** The version the signer was shown. */
  version: number;
  orgId: number;
  /** Open quotes: the pledge, VAT included; "org" quotes: ignored (the whole gross amount). */
  shareMinor?: number | null;
  /** With the signer's consent, a pledge above what remains is taken as what remains. */
  capToRemaining?: boolean;
  /** The SHA-256 of the terms text the signer was shown (hex). */
  termsSha256: string;
  signerName: string;
  creditByName: boolean;
  ip?: string | null;
  /** Ticked "I accept the terms". */
  agreed: boolean;
};

/**
 * An organization's admin accepts a quote for it (audience "org": the whole amount) or pledges
 * a share of an open one. The sponsorship row records the quote and version, the organization,
 * the signer (typed name, e-mail address, IP), the share and the hash of the terms shown. When
 * the pledges cover the gross amount the quote is funded and the request becomes funded.
 * Over-funding is impossible: the pledged total only grows by an update that checks it in the
 * same statement.
 */
export async function acceptQuote(input: Acceptance): Promise<{
  sponsorshipId: number;
  shareMinor: number;
  funded: boolean;
}> {
  const { actor, quoteId, orgId } = input;
  return inTransactionThenNudge(async (trx) => {
    await requireMembership(trx, actor, orgId, { role: "admin", refusal: "quote.error.notAdmin" });
    const at = now();
    const quote = await requireAcceptable(trx, quoteId, input.version, at);
    const request = await requireVisibleTo(trx, quote.request_id, actor.id);
    if (!input.agreed) throw refuse("quote.error.agree", 400, "agreed");
    const signerName = cleanLine(input.signerName);
    if (signerName.length < 2 || signerName.length > SIGNER_NAME_MAX_LENGTH)
      throw refuse("quote.error.signerName", 400, "signerName");
    if (input.termsSha256 !== quote.terms_sha256) throw refuse("quote.error.termsChanged", 409);

    let share: number;
    if (quote.audience === "org") {
      if (quote.offered_org_id !== orgId) throw refuse("quote.error.notOffered", 403);
      share = quote.gross_minor;
    } else {
      const asked = input.shareMinor ?? 0;
      if (!Number.isSafeInteger(asked) || asked <= 0)
        throw refuse("quote.error.share", 400, "share");
      const remaining = quote.gross_minor - quote.pledged_minor;
      share = asked;
      if (asked > remaining) {
        if (!input.capToRemaining) throw refuse("quote.error.overRemaining", 409, "share");
        share = remaining;
      }
      // The minimum does not apply to the pledge that completes the funding.
      if (quote.min_share_minor != null && share < quote.min_share_minor && share < remaining)
        throw refuse("quote.error.belowMinimum", 400, "share");
    }
    const already = await trx
      .selectFrom("sponsorships")
      .select("id")
      .where("quote_id", "=", quoteId)
      .where("org_id", "=", orgId)
      .executeTakeFirst();
    if (already) throw refuse("quote.error.alreadyPledged", 409);

    const user = await trx
      .selectFrom("users")
      .select(["email"])
      .where("id", "=", actor.id)
      .executeTakeFirstOrThrow();
    const sponsorship = await trx
      .insertInto("sponsorships")
      .values({
        quote_id: quoteId,
        quote_version: quote.version,
        request_id: quote.request_id,
        org_id: orgId,
        share_minor: share,
        signer_id: actor.id,
        signer_name: signerName,
        signer_email: user.email,
        signer_ip: input.ip ?? null,
        terms_sha256: quote.terms_sha256,
        credit_by_name: input.creditByName ? 1 : 0,
        accepted_at: at,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const org = await trx
      .selectFrom("organizations")
      .select("name")
      .where("id", "=", orgId)
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      actorId: actor.id,
      action: "quote.accept",
      subjectType: "request",
      subjectId: quote.request_id,
      data: {
        quoteId,
        version: quote.version,
        orgId,
        sponsorshipId: sponsorship.id,
        shareMinor: share,
        termsSha256: quote.terms_sha256,
      },
    });
    const money = {
      grossMinor: quote.gross_minor,
      currency: quote.currency,
      version: quote.version,
    };
    await tell(trx, await staffRecipients(trx, null), "accepted", request, money, {
      orgName: org.name,
    });

    // The one write that decides: only while the pledges still leave room for this share (its
    // refusal undoes the rows above with the transaction). Last, because it holds the quote's
    // row until the transaction ends, and every other pledge on the quote waits for that row.
    const grown = await trx
      .updateTable("quotes")
      .set((eb) => ({ pledged_minor: eb("pledged_minor", "+", share) }))
      .where("id", "=", quoteId)
      .where("status", "=", "open")
      .where((eb) => eb(eb("pledged_minor", "+", share), "<=", eb.ref("gross_minor")))
      .returning(["pledged_minor", "gross_minor"])
      .executeTakeFirst();
    if (!grown) throw refuse("quote.error.overRemaining", 409, "share");

    const funded = grown.pledged_minor === grown.gross_minor;
    if (funded) {
      await trx
        .updateTable("quotes")
        .set({ status: "funded", closed_at: at })
        .where("id", "=", quoteId)
        .where("status", "=", "open")
        .execute();
      await markFunded(trx, actor, quote.request_id, quote.version);
      const sponsors = await trx
        .selectFrom("sponsorships")
        .select("org_id")
        .where("quote_id", "=", quoteId)
        .execute();
      await tell(
        trx,
        [
          ...(await staffRecipients(trx, null)),
          ...(await adminsOf(
            trx,
            sponsors.map((s) => s.org_id),
          )),
        ],
        "funded",
        request,
        money,
      );
    }
    return { sponsorshipId: sponsorship.id, shareMinor: share, funded };
  });
}

/** An organization's admin declines a quote offered to it (one click; the reason is optional). */
export async function declineQuote({
  actor,
  quoteId,
  version,
  orgId,
  reason,
}: {
  actor: Actor;
  quoteId: number;
  version: number;
  orgId: number;
  reason?: string | null;
}) {
  await inTransactionThenNudge(async (trx) => {
    await requireMembership(trx, actor, orgId, { role: "admin", refusal: "quote.error.notAdmin" });
    const quote = await requireAcceptable(trx, quoteId, version, now());
    const request = await requireVisibleTo(trx, quote.request_id, actor.id);
    if (quote.audience === "org" && quote.offered_org_id !== orgId)
      throw refuse("quote.error.notOffered", 403);
    const text =
      cleanMarkdown(reason ?? "")
        .trim()
        .slice(0, DECLINE_REASON_MAX_LENGTH) || null;
    await trx
      .insertInto("quote_declines")
      .values({
        quote_id: quoteId,
        org_id: orgId,
        user_id: actor.id,
        reason: text,
        created_at: now(),
      })
      .execute();
    const org = await trx
      .selectFrom("organizations")
      .select("name")
      .where("id", "=", orgId)
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      actorId: actor.id,
      action: "quote.decline",
      subjectType: "request",
      subjectId: quote.request_id,
      data: { quoteId, version, orgId, reason: text },
    });
    await tell(
      trx,
      await staffRecipients(trx, null),
      "declined",
      request,
      { grossMinor: quote.gross_minor, currency: quote.currency, version: quote.version },
      { orgName: org.name, reason: text },
    );
  });
}

/** A member who is not an admin asks their organization's admins to accept ("we'd like this"). */
export async function askAdminsToAccept({
  actor,
  quoteId,
  orgId,
}: {
  actor: Actor;
  quoteId: number;
  orgId: number;
}) {
  await inTransactionThenNudge(async (trx) => {
    await requireMembership(trx, actor, orgId);
    const quote = await loadQuote(trx, quoteId);
    if (effectiveStatus(quote, now()) !== "open") throw refuse("quote.error.notOpen", 409);
    const request = await requireVisibleTo(trx, quote.request_id, actor.id);
    if (quote.audience === "org" && quote.offered_org_id !== orgId)
      throw refuse("quote.error.notOffered", 403);
    const admins = (await adminsOf(trx, [orgId])).filter((a) => a.email !== actor.email);
    await tell(
      trx,
      admins,
      "wish",
      request,
      { grossMinor: quote.gross_minor, currency: quote.currency, version: quote.version },
      { orgName: actor.name },
    );
  });
}

/** What the acceptance page needs to know about the viewer: which organizations they may sign for. */
export async function signableOrganizations(actor: Actor, quote: QuoteView) {
  const rows = await getDb()
    .selectFrom("memberships")
    .innerJoin("organizations", "organizations.id", "memberships.org_id")
    .select(["organizations.id", "organizations.name", "memberships.role"])
    .where("memberships.user_id", "=", actor.id)
    .orderBy("organizations.name")
    .execute();
  return rows
    .filter((r) => quote.audience === "open" || r.id === quote.offeredOrg?.id)
    .map((r) => ({ id: r.id, name: r.name, isAdmin: r.role === "admin" }));
}
