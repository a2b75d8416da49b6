// Issue 12, points 8 and 9: the sponsorship ledger (filters, totals, pages, the CSV's bytes),
// an organization's own sponsorships (its admins only), and the credit on a shipped request.
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import type { Actor } from "~/models/errors";
import { toDecimalString } from "~/models/money";
import {
  acceptQuote,
  expireQuotes,
  israelDay,
  saveQuote,
  type QuoteInput,
} from "~/models/quotes.server";
import {
  listOrgSponsorships,
  listSponsorships,
  sponsorsToCredit,
  type SponsorshipRow,
} from "~/models/sponsorships.server";
import { changeStatus, decideRequest } from "~/models/triage.server";
import {
  actorOf,
  makeCategory,
  makeOrg,
  makeStaff,
  makeUser,
  proposeRequest,
} from "../support/factories";
import { getRequest, run, sessionCookieFor, testContext, unwrap } from "../support/requests";

const DAY = 86_400_000;
const validUntil = () => israelDay(Date.now() + 30 * DAY);

type Org = Awaited<ReturnType<typeof makeOrg>>;

let staff: Actor;
let acme: Org;
let globex: Org;
let initech: Org;
let categoryId: number;

/** A request decided as sponsored development and quoted: the quote's id, version, hash. */
async function quotedRequest(title: string, input: Partial<QuoteInput> = {}) {
  const request = await proposeRequest(
    { actor: actorOf(acme.members[0]), orgId: acme.org.id },
    { title, categoryId },
  );
  await decideRequest({ actor: staff, requestId: request.id, decision: { kind: "sponsored" } });
  const quote = await saveQuote({
    actor: staff,
    requestId: request.id,
    input: {
      pricing: "fixed",
      fixedMinor: 1_000_000,
      validUntil: validUntil(),
      deliveryWeeks: 4,
      termsMd: "Delivered as described.",
      audience: "open",
      ...input,
    },
  });
  const row = await getDb()
    .selectFrom("quotes")
    .selectAll()
    .where("id", "=", quote.quoteId)
    .executeTakeFirstOrThrow();
  return { requestId: request.id, quote: row };
}

async function sign(
  org: Org,
  quote: { id: number; version: number; terms_sha256: string },
  shareMinor: number | null,
  creditByName = true,
) {
  return acceptQuote({
    actor: actorOf(org.admin),
    quoteId: quote.id,
    version: quote.version,
    orgId: org.org.id,
    shareMinor,
    termsSha256: quote.terms_sha256,
    signerName: `${org.org.name} Signer`,
    creditByName,
    agreed: true,
  });
}

// The world: an "org" quote Acme accepted (funded), an open quote with two pledges (pledged),
// one with a pledge that expired (lapsed), and a shipped one with credit.
let funded: Awaited<ReturnType<typeof quotedRequest>>;
let open: Awaited<ReturnType<typeof quotedRequest>>;
let expired: Awaited<ReturnType<typeof quotedRequest>>;
let shipped: Awaited<ReturnType<typeof quotedRequest>>;

beforeAll(async () => {
  staff = await makeStaff("Ledger Staff");
  acme = await makeOrg("Ledger Acme", ["member"]);
  globex = await makeOrg('Globex, "the" Co');
  initech = await makeOrg("אינטק בע״מ");
  categoryId = (await makeCategory("Ledger")).id;

  funded = await quotedRequest("Ledger funded", {
    pricing: "hourly",
    fixedMinor: null,
    quarterHours: 41,
    rateMinor: 25_000,
    audience: "org",
    offeredOrgId: acme.org.id,
  });
  await sign(acme, funded.quote, null);

  open = await quotedRequest("Ledger open");
  await sign(globex, open.quote, 200_050);
  await sign(initech, open.quote, 300_000);

  expired = await quotedRequest("Ledger expired");
  await sign(acme, expired.quote, 100_000);
  await getDb()
    .updateTable("quotes")
    .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
    .where("id", "=", expired.quote.id)
    .execute();
  await expireQuotes();

  shipped = await quotedRequest("Ledger shipped");
  await sign(globex, shipped.quote, 590_000, true);
  await sign(initech, shipped.quote, 400_000, false);
  await sign(acme, shipped.quote, 190_000, true);
  await changeStatus({ actor: staff, requestId: shipped.requestId, to: "in_progress" });
  await changeStatus({ actor: staff, requestId: shipped.requestId, to: "shipped" });
});

const mine = (rows: SponsorshipRow[]) =>
  rows.filter((r) => [funded, open, expired, shipped].some((q) => q.requestId === r.requestId));

describe("the staff ledger", () => {
  it("lists every sponsorship newest first with its quote's amounts and derived status", async () => {
    const { items } = await listSponsorships({ actor: staff, limit: 500 });
    const rows = mine(items);
    expect(rows).toHaveLength(7);
    for (let i = 1; i < rows.length; i++)
      expect(rows[i - 1].acceptedAt >= rows[i].acceptedAt).toBe(true);
    const acmeFunded = rows.find((r) => r.requestId === funded.requestId)!;
    expect(acmeFunded).toMatchObject({
      orgName: "Ledger Acme",
      requestTitle: "Ledger funded",
      quoteId: funded.quote.id,
      quoteVersion: 1,
      // 10.25 h × ₪250 = ₪2,562.50, VAT 18% = ₪461.25, gross ₪3,023.75: Acme's whole share.
      netMinor: 256_250,
      vatMinor: 46_125,
      grossMinor: 302_375,
      shareMinor: 302_375,
      currency: "ILS",
      status: "funded",
      signerName: "Ledger Acme Signer",
      signerEmail: acme.admin.email,
    });
    expect(rows.filter((r) => r.requestId === open.requestId).map((r) => r.status)).toEqual([
      "pledged",
      "pledged",
    ]);
    expect(rows.find((r) => r.requestId === expired.requestId)!.status).toBe("lapsed");
  });

  it("filters by status, organization and request", async () => {
    const pledged = await listSponsorships({ actor: staff, filters: { status: "pledged" } });
    expect(pledged.items.every((r) => r.status === "pledged")).toBe(true);
    expect(mine(pledged.items)).toHaveLength(2);
    const lapsed = await listSponsorships({ actor: staff, filters: { status: "lapsed" } });
    expect(mine(lapsed.items).map((r) => r.requestId)).toEqual([expired.requestId]);
    const ofAcme = await listSponsorships({ actor: staff, filters: { orgId: acme.org.id } });
    expect(ofAcme.items.map((r) => r.requestId).sort()).toEqual(
      [funded.requestId, expired.requestId, shipped.requestId].sort(),
    );
    const ofRequest = await listSponsorships({
      actor: staff,
      filters: { requestId: shipped.requestId, status: "funded" },
    });
    expect(ofRequest.items.map((r) => r.orgName)).toEqual([
      "Ledger Acme",
      "אינטק בע״מ",
      'Globex, "the" Co',
    ]);
    expect(ofRequest.organizations.map((o) => o.id)).toEqual(
      expect.arrayContaining([acme.org.id, globex.org.id, initech.org.id]),
    );
  });

  it("adds up the shares by status, for the organization and request filters", async () => {
    const { totals } = await listSponsorships({ actor: staff, filters: { orgId: acme.org.id } });
    expect(totals).toEqual({
      funded: { count: 2, shareMinor: 302_375 + 190_000 },
      pledged: { count: 0, shareMinor: 0 },
      lapsed: { count: 1, shareMinor: 100_000 },
    });
    const ofOpen = await listSponsorships({
      actor: staff,
      filters: { requestId: open.requestId, status: "funded" },
    });
    // The status filter narrows the list, not the totals.
    expect(ofOpen.items).toEqual([]);
    expect(ofOpen.totals.pledged).toEqual({ count: 2, shareMinor: 500_050 });
  });

  it("pages by keyset without losing or repeating a row", async () => {
    const all = (await listSponsorships({ actor: staff, limit: 500 })).items.map((r) => r.id);
    const paged: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<typeof listSponsorships>> = await listSponsorships({
        actor: staff,
        cursor,
        limit: 3,
      });
      expect(page.items.length).toBeLessThanOrEqual(3);
      paged.push(...page.items.map((r) => r.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBeGreaterThan(2);
    expect(paged).toEqual(all);
  });

  it("is refused to customers as if it did not exist", async () => {
    await expect(listSponsorships({ actor: actorOf(acme.admin) })).rejects.toMatchObject({
      status: 404,
    });
  });
});

describe("the ledger pages", () => {
  const ledger = () => import("~/routes/staff.sponsorships");
  const csvRoute = () => import("~/routes/staff.sponsorships[.csv]");

  async function load(
    route: () => Promise<{ loader: (args: never) => Promise<unknown> }>,
    path: string,
    cookie: string | undefined,
    params: Record<string, string> = {},
  ) {
    const { loader } = await route();
    return unwrap(
      await run(() =>
        (loader as (args: unknown) => Promise<unknown>)({
          request: getRequest(path, { cookie, headers: { "Accept-Language": "en" } }),
          params,
          context: testContext(),
        }),
      ),
    );
  }

  it("shows staff the ledger with the filters from the query", async () => {
    const staffUser = await makeUser({ name: "Ledger Page Staff", isStaff: true });
    const cookie = await sessionCookieFor(staffUser);
    const result = await load(
      ledger,
      `/staff/sponsorships?status=lapsed&org=${acme.org.id}`,
      cookie,
    );
    expect(result.status).toBe(200);
    expect(result.data.filters).toEqual({
      status: "lapsed",
      org: String(acme.org.id),
      request: "",
    });
    expect(result.data.items.map((r: SponsorshipRow) => r.requestId)).toEqual([expired.requestId]);
    // A value the form does not offer is no filter, not an error.
    const odd = await load(ledger, "/staff/sponsorships?status=owed&cursor=x", cookie);
    expect(odd.status).toBe(200);
    expect(odd.data.filters.status).toBe("");
  });

  it("sends visitors to sign in and answers customers 404, for the page and the CSV", async () => {
    const customer = await sessionCookieFor(acme.admin);
    for (const [route, path] of [
      [ledger, "/staff/sponsorships"],
      [csvRoute, "/staff/sponsorships.csv"],
    ] as const) {
      expect((await load(route, path, customer)).status).toBe(404);
      const visitor = await load(route, path, undefined);
      expect(visitor.status).toBe(302);
      expect(visitor.headers.get("Location")).toContain("/signin");
    }
  });

  it("exports a CSV a spreadsheet opens in Hebrew: BOM, decimal shekels, ISO dates, quoting", async () => {
    const staffUser = await makeUser({ name: "CSV Staff", isStaff: true, locale: "he" });
    const result = await load(
      csvRoute,
      `/staff/sponsorships.csv?request=${shipped.requestId}`,
      await sessionCookieFor(staffUser),
    );
    const response = result.response!;
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toMatch(
      /^attachment; filename="sponsorships-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const bytes = Buffer.from(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString("utf8");
    const lines = text.split("\r\n");
    expect(lines.at(-1)).toBe("");
    // Headers in the staff member's saved language.
    expect(lines[0].startsWith("נחתם,ארגון,מספר בקשה,בקשה,")).toBe(true);
    expect(lines).toHaveLength(1 + 3 + 1);
    const globexLine = lines.find((l) => l.includes("Globex"))!;
    const gross = toDecimalString(shipped.quote.gross_minor);
    expect(gross).toBe("11800.00");
    expect(globexLine).toMatch(
      new RegExp(
        `^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z,"Globex, ""the"" Co",${shipped.requestId},Ledger shipped,${shipped.quote.id},1,ממומן,5900\\.00,10000\\.00,1800\\.00,11800\\.00,ILS,`,
      ),
    );
    expect(lines.some((l) => l.includes(",אינטק בע״מ,"))).toBe(true);
  });

  it("agrees to the agora with the acceptance records", async () => {
    const staffUser = await makeUser({ name: "CSV Staff 2", isStaff: true, locale: "en" });
    const result = await load(
      csvRoute,
      "/staff/sponsorships.csv",
      await sessionCookieFor(staffUser),
    );
    const text = (await result.response!.text()).slice(1);
    const records = await getDb()
      .selectFrom("sponsorships")
      .innerJoin("quotes", "quotes.id", "sponsorships.quote_id")
      .select([
        "sponsorships.id",
        "share_minor",
        "net_minor",
        "vat_minor",
        "gross_minor",
        "quote_id",
      ])
      .execute();
    expect(records.length).toBeGreaterThanOrEqual(7);
    for (const record of records) {
      const amounts = [record.share_minor, record.net_minor, record.vat_minor, record.gross_minor]
        .map(toDecimalString)
        .join(",")
        .replace(/\./g, "\\.");
      expect(text, `sponsorship ${record.id}`).toMatch(
        new RegExp(`,${record.quote_id},\\d+,[^,]+,${amounts},ILS,`),
      );
    }
  });
});

describe("an organization's own sponsorships", () => {
  const orgRoute = () => import("~/routes/orgs.$slug_.sponsorships");

  async function open(kind: "admin" | "member" | "outsider" | "staff") {
    const user =
      kind === "admin"
        ? acme.admin
        : kind === "member"
          ? acme.members[0]
          : kind === "outsider"
            ? globex.admin
            : await makeUser({ name: "Org Page Staff", isStaff: true });
    const { loader } = await orgRoute();
    const cookie = await sessionCookieFor(user);
    return unwrap(
      await run(() =>
        loader({
          request: getRequest(`/orgs/${acme.org.slug}/sponsorships`, { cookie }),
          params: { slug: acme.org.slug },
          context: testContext(),
        }),
      ),
    );
  }

  it("shows its admins the organization's sponsorships only, with their totals", async () => {
    const result = await open("admin");
    expect(result.status).toBe(200);
    expect(result.data.items.map((r: SponsorshipRow) => r.orgName)).toEqual([
      "Ledger Acme",
      "Ledger Acme",
      "Ledger Acme",
    ]);
    expect(result.data.totals.lapsed).toEqual({ count: 1, shareMinor: 100_000 });
    expect((await open("staff")).status).toBe(200);
  });

  it("refuses a member (403) and another organization's admin (404)", async () => {
    expect((await open("member")).status).toBe(403);
    expect((await open("outsider")).status).toBe(404);
    await expect(
      listOrgSponsorships({ actor: actorOf(globex.admin), orgId: acme.org.id }),
    ).rejects.toMatchObject({ status: 403, messageKey: "org.error.adminOnly" });
  });
});

describe("the credit on a shipped request", () => {
  it("names the sponsors of the funded quote who agreed to be named, in the order they signed", async () => {
    expect(await sponsorsToCredit(shipped.requestId)).toEqual(['Globex, "the" Co', "Ledger Acme"]);
    // Pledges on a quote that lapsed thank no one.
    expect(await sponsorsToCredit(expired.requestId)).toEqual([]);
  });

  it("is on the shipped request's page in the reader's language, and only when shipped", async () => {
    const { loader } = await import("~/routes/requests.$id/route");
    const page = async (requestId: number) =>
      unwrap(
        await run(() =>
          loader({
            request: getRequest(`/requests/${requestId}`),
            params: { id: String(requestId) },
            context: testContext(),
          }),
        ),
      );
    expect((await page(shipped.requestId)).data.credit).toEqual([
      'Globex, "the" Co',
      "Ledger Acme",
    ]);
    // Funded and not shipped yet: no thanks yet.
    expect((await page(funded.requestId)).data.credit).toBeNull();
  });
});
