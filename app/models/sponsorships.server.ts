// The sponsorship ledger: every acceptance and pledge as staff read it (filters, totals by
// status, keyset pages, CSV for the vendor's invoicing), an organization's own list for its
// admins, and the sponsors a shipped request thanks by name. Read-only: a sponsorship row is
// written once by acceptQuote and never changed; its status is derived from its quote's.
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from "kysely";
import { requireMembership, requireStaff } from "~/auth/permissions.server";
import { getDb, now, type Database } from "~/db.server";
import { translate, type Locale, type MessageKey } from "~/i18n/messages";
import type { Actor } from "./errors";
import { toDecimalString } from "./money";

export const SPONSORSHIP_STATUSES = ["pledged", "funded", "lapsed"] as const;
export type SponsorshipStatus = (typeof SPONSORSHIP_STATUSES)[number];

export const LEDGER_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 500;

export type SponsorshipFilters = {
  status?: SponsorshipStatus | null;
  orgId?: number | null;
  requestId?: number | null;
};

export type SponsorshipRow = {
  id: number;
  orgId: number;
  orgName: string;
  orgSlug: string;
  requestId: number;
  requestTitle: string;
  quoteId: number;
  quoteVersion: number;
  shareMinor: number;
  netMinor: number;
  vatMinor: number;
  grossMinor: number;
  currency: string;
  status: SponsorshipStatus;
  acceptedAt: string;
  signerName: string;
  signerEmail: string;
  creditByName: boolean;
};

export type SponsorshipTotals = Record<SponsorshipStatus, { count: number; shareMinor: number }>;

export type SponsorshipPage = { items: SponsorshipRow[]; nextCursor: string | null };

type Eb = ExpressionBuilder<
  Database & { s: Database["sponsorships"]; q: Database["quotes"] },
  "s" | "q"
>;

/**
 * The sponsorship's status from its quote's, as of `at`: an open quote past its end counts as
 * expired even before the worker's sweep closes it (as effectiveStatus says for quotes).
 */
function statusExpression(eb: Eb, at: string) {
  return eb
    .case()
    .when("q.status", "=", "funded")
    .then(sql.lit("funded"))
    .when(eb.and([eb("q.status", "=", "open"), eb("q.expires_at", ">", at)]))
    .then(sql.lit("pledged"))
    .else(sql.lit("lapsed"))
    .end();
}

function statusCondition(eb: Eb, status: SponsorshipStatus, at: string): Expression<SqlBool> {
  if (status === "funded") return eb("q.status", "=", "funded");
  if (status === "pledged")
    return eb.and([eb("q.status", "=", "open"), eb("q.expires_at", ">", at)]);
  return eb.or([
    eb("q.status", "in", ["superseded", "withdrawn", "expired"]),
    eb.and([eb("q.status", "=", "open"), eb("q.expires_at", "<=", at)]),
  ]);
}

/** "2026-12-02T03:00:00.000Z~17": the last row's time and id (newest first). */
function cursorOf(row: { acceptedAt: string; id: number }): string {
  return `${row.acceptedAt}~${row.id}`;
}

function parseCursor(cursor: string | null | undefined): { at: string; id: number } | null {
  if (!cursor) return null;
  const match = /^(\d{4}-\d{2}-\d{2}T[\d:.]+Z)~(\d{1,12})$/.exec(cursor);
  return match ? { at: match[1], id: Number(match[2]) } : null;
}

function baseQuery(at: string) {
  return getDb()
    .selectFrom("sponsorships as s")
    .innerJoin("quotes as q", "q.id", "s.quote_id")
    .innerJoin("organizations as o", "o.id", "s.org_id")
    .innerJoin("requests as r", "r.id", "s.request_id")
    .select((eb) => [
      "s.id",
      "s.org_id",
      "o.name as org_name",
      "o.slug as org_slug",
      "s.request_id",
      "r.title as request_title",
      "s.quote_id",
      "s.quote_version",
      "s.share_minor",
      "q.net_minor",
      "q.vat_minor",
      "q.gross_minor",
      "q.currency",
      statusExpression(eb as unknown as Eb, at).as("status"),
      "s.accepted_at",
      "s.signer_name",
      "s.signer_email",
      "s.credit_by_name",
    ]);
}

async function readPage(
  filters: SponsorshipFilters,
  cursor: string | null | undefined,
  limit: number,
): Promise<SponsorshipPage> {
  const at = now();
  const size = Math.min(Math.max(Math.trunc(limit) || 1, 1), MAX_PAGE_SIZE);
  let query = baseQuery(at);
  if (filters.orgId != null) query = query.where("s.org_id", "=", filters.orgId);
  if (filters.requestId != null) query = query.where("s.request_id", "=", filters.requestId);
  const status = filters.status;
  if (status) query = query.where((eb) => statusCondition(eb as unknown as Eb, status, at));
  const after = parseCursor(cursor);
  if (after)
    query = query.where((eb) =>
      eb(eb.refTuple("s.accepted_at", "s.id"), "<", eb.tuple(after.at, after.id)),
    );
  const rows = await query
    .orderBy("s.accepted_at", "desc")
    .orderBy("s.id", "desc")
    .limit(size + 1)
    .execute();
  const items = rows.slice(0, size).map((r): SponsorshipRow => ({
    id: r.id,
    orgId: r.org_id,
    orgName: r.org_name,
    orgSlug: r.org_slug,
    requestId: r.request_id,
    requestTitle: r.request_title,
    quoteId: r.quote_id,
    quoteVersion: r.quote_version,
    shareMinor: r.share_minor,
    netMinor: r.net_minor,
    vatMinor: r.vat_minor,
    grossMinor: r.gross_minor,
    currency: r.currency,
    status: r.status as SponsorshipStatus,
    acceptedAt: r.accepted_at,
    signerName: r.signer_name,
    signerEmail: r.signer_email,
    creditByName: r.credit_by_name === 1,
  }));
  return {
    items,
    nextCursor: rows.length > size ? cursorOf(items[items.length - 1]) : null,
  };
}

/**
 * What the sponsorships matching the organization and request filters add up to, by status,
 * in one grouped query (the status filter does not apply: the totals show every status).
 */
async function readTotals(filters: SponsorshipFilters): Promise<SponsorshipTotals> {
  const at = now();
  let derived = getDb()
    .selectFrom("sponsorships as s")
    .innerJoin("quotes as q", "q.id", "s.quote_id")
    .select((eb) => [statusExpression(eb as unknown as Eb, at).as("status"), "s.share_minor"]);
  if (filters.orgId != null) derived = derived.where("s.org_id", "=", filters.orgId);
  if (filters.requestId != null) derived = derived.where("s.request_id", "=", filters.requestId);
  // Grouped outside the derived table: PostgreSQL reads GROUP BY "status" as quotes' column,
  // and the CASE repeated would carry its own parameter, which it does not see as the same.
  const rows = await getDb()
    .selectFrom(derived.as("by_status"))
    .select((eb) => [
      "by_status.status",
      eb.fn.countAll<number>().as("count"),
      eb.fn.sum<number>("by_status.share_minor").as("share"),
    ])
    .groupBy("by_status.status")
    .execute();
  const totals = Object.fromEntries(
    SPONSORSHIP_STATUSES.map((s) => [s, { count: 0, shareMinor: 0 }]),
  ) as SponsorshipTotals;
  for (const row of rows) {
    totals[row.status as SponsorshipStatus] = {
      count: Number(row.count),
      shareMinor: Number(row.share ?? 0),
    };
  }
  return totals;
}

/** The staff ledger: a page of sponsorships newest first, and the totals by status. */
export async function listSponsorships({
  actor,
  filters = {},
  cursor = null,
  limit = LEDGER_PAGE_SIZE,
}: {
  actor: Actor;
  filters?: SponsorshipFilters;
  cursor?: string | null;
  limit?: number;
}): Promise<
  SponsorshipPage & { totals: SponsorshipTotals; organizations: { id: number; name: string }[] }
> {
  await requireStaff(getDb(), actor);
  const [page, totals, organizations] = await Promise.all([
    readPage(filters, cursor, limit),
    readTotals(filters),
    // The filter's choices: the organizations that signed something (not every customer).
    getDb()
      .selectFrom("organizations")
      .select(["id", "name"])
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom("sponsorships")
            .select("sponsorships.id")
            .whereRef("sponsorships.org_id", "=", "organizations.id"),
        ),
      )
      .orderBy("name")
      .orderBy("id")
      .execute(),
  ]);
  return { ...page, totals, organizations };
}

/** Every sponsorship the filters match, newest first (the CSV export), read a page at a time. */
export async function listAllSponsorships({
  actor,
  filters = {},
}: {
  actor: Actor;
  filters?: SponsorshipFilters;
}): Promise<SponsorshipRow[]> {
  await requireStaff(getDb(), actor);
  const rows: SponsorshipRow[] = [];
  let cursor: string | null = null;
  do {
    const page = await readPage(filters, cursor, MAX_PAGE_SIZE);
    rows.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return rows;
}

/**
 * An organization's own sponsorships, for its admins (and staff): members are refused as for
 * the organization's other admin pages, since these are the organization's signed orders.
 */
export async function listOrgSponsorships({
  actor,
  orgId,
  cursor = null,
  limit = LEDGER_PAGE_SIZE,
}: {
  actor: Actor;
  orgId: number;
  cursor?: string | null;
  limit?: number;
}): Promise<SponsorshipPage & { totals: SponsorshipTotals }> {
  const db = getDb();
  if (!actor.isStaff) {
    await requireMembership(db, actor, orgId, { role: "admin", refusal: "org.error.adminOnly" });
  } else {
    // Staff as their row says now (a revoked staff member is not staff any more).
    await requireStaff(db, actor);
  }
  const [page, totals] = await Promise.all([
    readPage({ orgId }, cursor, limit),
    readTotals({ orgId }),
  ]);
  return { ...page, totals };
}

/**
 * The organizations a shipped request thanks by name: the sponsors of its funded quote who
 * agreed to be named, in the order they signed.
 */
export async function sponsorsToCredit(requestId: number): Promise<string[]> {
  const rows = await getDb()
    .selectFrom("sponsorships as s")
    .innerJoin("quotes as q", "q.id", "s.quote_id")
    .innerJoin("organizations as o", "o.id", "s.org_id")
    .select("o.name")
    .where("s.request_id", "=", requestId)
    .where("q.status", "=", "funded")
    .where("s.credit_by_name", "=", 1)
    .orderBy("s.accepted_at")
    .orderBy("s.id")
    .execute();
  return rows.map((r) => r.name);
}

// ---------------------------------------------------------------------------------------------
// CSV

/**
 * One RFC 4180 field: quoted when it holds a comma, a quote, a line break or leading/trailing
 * space, with quotes doubled. A text that a spreadsheet would run as a formula (=, +, -, @, or
 * a tab or carriage return first) gets a leading apostrophe, so an organization's name cannot
 * become a formula in the vendor's spreadsheet.
 */
export function csvField(value: string, { text = true }: { text?: boolean } = {}): string {
  let out = value;
  if (text && /^[=+\-@\t\r]/.test(out)) out = `'${out}`;
  return /[",\r\n]|^\s|\s$/.test(out) ? `"${out.replace(/"/g, '""')}"` : out;
}

/** Lines of fields joined with CRLF (RFC 4180), each line ending with one. */
export function csvLines(lines: readonly (readonly string[])[]): string {
  return lines.map((fields) => `${fields.join(",")}\r\n`).join("");
}

const CSV_COLUMNS: MessageKey[] = [
  "sponsorships.csv.acceptedAt",
  "sponsorships.csv.organization",
  "sponsorships.csv.requestId",
  "sponsorships.csv.request",
  "sponsorships.csv.quoteId",
  "sponsorships.csv.version",
  "sponsorships.csv.status",
  "sponsorships.csv.share",
  "sponsorships.csv.net",
  "sponsorships.csv.vat",
  "sponsorships.csv.gross",
  "sponsorships.csv.currency",
  "sponsorships.csv.signerName",
  "sponsorships.csv.signerEmail",
];

const STATUS_KEYS: Record<SponsorshipStatus, MessageKey> = {
  pledged: "sponsorships.status.pledged",
  funded: "sponsorships.status.funded",
  lapsed: "sponsorships.status.lapsed",
};

/**
 * The ledger as a CSV file a spreadsheet opens correctly in Hebrew: UTF-8 with a byte order
 * mark, headers in `locale`, amounts as decimal shekels with two digits ("2500.50"), times as
 * ISO 8601 in UTC.
 */
export function csvOfSponsorships(rows: readonly SponsorshipRow[], locale: Locale): string {
  const header = CSV_COLUMNS.map((key) => csvField(translate(locale, key)));
  const body = rows.map((r) => [
    csvField(r.acceptedAt, { text: false }),
    csvField(r.orgName),
    String(r.requestId),
    csvField(r.requestTitle),
    String(r.quoteId),
    String(r.quoteVersion),
    csvField(translate(locale, STATUS_KEYS[r.status])),
    toDecimalString(r.shareMinor),
    toDecimalString(r.netMinor),
    toDecimalString(r.vatMinor),
    toDecimalString(r.grossMinor),
    csvField(r.currency),
    csvField(r.signerName),
    csvField(r.signerEmail),
  ]);
  return `\uFEFF${csvLines([header, ...body])}`;
}
