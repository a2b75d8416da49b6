// The acceptance point "amounts agree to the agora": for the same quotes, what staff see on the
// request page, what the customer sees there, what the acceptance record holds and what the
// ledger's CSV says are the same agorot (and the same text where they are formatted).
import { describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { formatMoney, toDecimalString } from "~/models/money";
import {
  acceptQuote,
  getRequestQuote,
  israelDay,
  saveQuote,
  type QuoteInput,
} from "~/models/quotes.server";
import { decideRequest } from "~/models/triage.server";
import { loader as requestLoader } from "~/routes/requests.$id/route";
import { actorOf, makeCustomer, makeUser, proposeRequest } from "../support/factories";
import { getRequest, run, sessionCookieFor, testContext, unwrap } from "../support/requests";

/** Quotes whose VAT lands on awkward agorot, the half-agora edge included. */
const CASES: { name: string; input: Partial<QuoteInput>; gross: number }[] = [
  // 10.25 h × ₪250 = ₪2,562.50; VAT 18% = ₪461.25.
  {
    name: "hourly by quarter hours",
    input: { pricing: "hourly", quarterHours: 41, rateMinor: 25_000 },
    gross: 302_375,
  },
  // ₪1,234.56; VAT 22,222.08 agorot rounds down.
  {
    name: "fixed with VAT below half",
    input: { pricing: "fixed", fixedMinor: 123_456 },
    gross: 145_678,
  },
  // 12,345,675 × 18% = 2,222,221.5 agorot: half-up on the VAT line.
  {
    name: "fixed at half an agora",
    input: { pricing: "fixed", fixedMinor: 12_345_675 },
    gross: 14_567_897,
  },
];

async function loadPage(id: number, cookie: string) {
  return unwrap(
    await run(() =>
      requestLoader({
        request: getRequest(`/requests/${id}`, { cookie }),
        params: { id: String(id) },
        context: testContext(),
      }),
    ),
  ).data as { quote: Awaited<ReturnType<typeof getRequestQuote>> };
}

describe("a quote's amounts, everywhere they appear", () => {
  it("agree to the agora between staff's page, the customer's page, the acceptance record and the CSV", async () => {
    const staffUser = await makeUser({ name: "Amounts Staff", isStaff: true, staffRole: "admin" });
    const staff = actorOf(staffUser);
    const staffCookie = await sessionCookieFor(staffUser);
    const requestIds: number[] = [];
    for (const c of CASES) {
      const buyer = await makeCustomer({ name: `Buyer ${c.name}`, orgName: `Buyer ${c.name}` });
      const { id } = await proposeRequest(buyer);
      requestIds.push(id);
      await decideRequest({ actor: staff, requestId: id, decision: { kind: "sponsored" } });
      await saveQuote({
        actor: staff,
        requestId: id,
        input: {
          validUntil: israelDay(Date.now() + 10 * 86_400_000),
          deliveryWeeks: 4,
          termsMd: "Terms.",
          audience: "org",
          offeredOrgId: buyer.orgId,
          ...c.input,
        } as QuoteInput,
      });
      const buyerUser = await getDb()
        .selectFrom("users")
        .selectAll()
        .where("id", "=", buyer.actor.id)
        .executeTakeFirstOrThrow();
      const before = (await loadPage(id, await sessionCookieFor(buyerUser))).quote!.current!;
      const staffView = (await loadPage(id, staffCookie)).quote!.current!;
      // The same agorot on both pages, and the expected ones.
      expect(before.amounts).toEqual(staffView.amounts);
      expect(before.amounts.grossMinor).toBe(c.gross);
      expect(before.amounts.netMinor + before.amounts.vatMinor).toBe(c.gross);
      for (const locale of ["he", "en"] as const)
        expect(formatMoney(before.amounts.grossMinor, locale)).toBe(formatMoney(c.gross, locale));
      await acceptQuote({
        actor: buyer.actor,
        quoteId: before.id,
        version: before.version,
        orgId: buyer.orgId,
        termsSha256: before.termsSha256,
        signerName: "Buyer Signer",
        creditByName: false,
        agreed: true,
      });
      const record = await getDb()
        .selectFrom("sponsorships")
        .select(["share_minor"])
        .where("quote_id", "=", before.id)
        .executeTakeFirstOrThrow();
      expect(record.share_minor).toBe(c.gross);
    }

    // The ledger's CSV for the same requests.
    const { loader: csvLoader } = await import("~/routes/staff.sponsorships[.csv]");
    const rows: string[][] = [];
    for (const id of requestIds) {
      const response = (await run(() =>
        (csvLoader as (args: unknown) => Promise<Response>)({
          request: getRequest(`/staff/sponsorships.csv?request=${id}`, { cookie: staffCookie }),
          params: {},
          context: testContext(),
        }),
      )) as Response;
      const text = (await response.text()).replace(/^\uFEFF/, "");
      const lines = text.trim().split("\r\n");
      expect(lines).toHaveLength(2); // the header and this request's one acceptance
      // No field here holds a comma (the names are chosen so), so a split reads it.
      const cells = lines[1].split(",");
      expect(cells).toHaveLength(lines[0].split(",").length);
      rows.push(cells);
    }
    for (const [i, c] of CASES.entries()) {
      const staffView = (await getRequestQuote({ requestId: requestIds[i], viewer: staff }))!
        .current!;
      const { netMinor, vatMinor, grossMinor } = staffView.amounts;
      // Share, net, VAT and gross as decimal shekels: the CSV's 8th to 11th columns.
      expect(rows[i].slice(7, 11)).toEqual([
        toDecimalString(grossMinor),
        toDecimalString(netMinor),
        toDecimalString(vatMinor),
        toDecimalString(grossMinor),
      ]);
      expect(grossMinor).toBe(c.gross);
    }
  });
});
