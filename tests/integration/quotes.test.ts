// Sponsored development in the model: quoting and revising, the acceptance record and what it
// binds, co-sponsors' pledges that can never over-fund, expiry, withdrawal and their lapses,
// and who may do each (nothing written when refused).
import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { ActionRefused, type Actor } from "~/models/errors";
import {
  acceptQuote,
  declineQuote,
  endOfIsraelDay,
  expireQuotes,
  getRequestQuote,
  israelDay,
  saveQuote,
  termsHash,
  withdrawQuote,
  type Acceptance,
  type QuoteInput,
} from "~/models/quotes.server";
import { getQuoteFormData } from "~/models/quote-form.server";
import { decideRequest } from "~/models/triage.server";
import { renderEmail, type EmailPayload } from "~/services/emails.server";
import { makeCustomer, makeStaffAdmin, proposeRequest, type Customer } from "../support/factories";

let staff: Actor;
beforeEach(async () => {
  staff = await makeStaffAdmin();
});

const TERMS = "Delivered as part of the product for everyone.\n\n**Payment** within 30 days.";

function inDays(days: number): string {
  return israelDay(Date.now() + days * 86_400_000);
}

function hourly(overrides: Partial<QuoteInput> = {}): QuoteInput {
  return {
    pricing: "hourly",
    quarterHours: 160, // 40 h
    rateMinor: 25_000,
    validUntil: inDays(30),
    deliveryWeeks: 6,
    termsMd: TERMS,
    audience: "org",
    ...overrides,
  };
}

/** A request decided as sponsored development, proposed by a customer of its own organization. */
async function quotedRequest(author?: Customer) {
  const who = author ?? (await makeCustomer({ name: "Author" }));
  const { id } = await proposeRequest(who);
  await decideRequest({ actor: staff, requestId: id, decision: { kind: "sponsored" } });
  return { id, author: who };
}

async function refusal(promise: Promise<unknown>): Promise<ActionRefused> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ActionRefused) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

async function counts() {
  const db = getDb();
  const n = async (table: "sponsorships" | "quote_declines" | "quotes") =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    sponsorships: await n("sponsorships"),
    declines: await n("quote_declines"),
    quotes: await n("quotes"),
  };
}

function accepting(
  who: Customer,
  quote: { id: number; version: number; termsSha256: string },
  extra: Partial<Acceptance> = {},
): Acceptance {
  return {
    actor: who.actor,
    quoteId: quote.id,
    version: quote.version,
    orgId: who.orgId,
    termsSha256: quote.termsSha256,
    signerName: `${who.name} Fullname`,
    creditByName: true,
    ip: "203.0.113.7",
    agreed: true,
    ...extra,
  };
}

async function currentQuote(requestId: number) {
  const view = await getRequestQuote({ requestId, viewer: staff });
  if (!view?.current) throw new Error("no quote");
  return view.current;
}

async function outboxFor(emails: string[]) {
  const rows = await getDb()
    .selectFrom("outbox")
    .select(["recipient", "payload_json"])
    .where("recipient", "in", emails)
    .execute();
  return rows.map((r) => ({
    recipient: r.recipient,
    payload: JSON.parse(r.payload_json) as EmailPayload,
  }));
}

describe("days in Israel", () => {
  it("ends a quote's last day at Israel's midnight, in winter and in summer time", () => {
    expect(endOfIsraelDay("2027-01-15")).toBe("2027-01-15T22:00:00.000Z");
    expect(endOfIsraelDay("2027-03-31")).toBe("2027-03-31T21:00:00.000Z");
    expect(endOfIsraelDay("2026-12-31")).toBe("2026-12-31T22:00:00.000Z");
    // 21:30 UTC on 31 December is already 1 January in Israel.
    expect(israelDay(new Date("2026-12-31T22:30:00Z"))).toBe("2027-01-01");
    expect(israelDay(new Date("2026-12-31T21:30:00Z"))).toBe("2026-12-31");
  });
});

describe("quoting", () => {
  it("computes the amounts in agorot, hashes the terms and tells the offered organization's admins", async () => {
    const acme = await makeCustomer({ name: "Acme Admin", orgName: "Acme" });
    const { id } = await quotedRequest();
    const saved = await saveQuote({
      actor: staff,
      requestId: id,
      input: hourly({ offeredOrgId: acme.orgId }),
    });
    expect(saved.version).toBe(1);
    const quote = await currentQuote(id);
    expect(quote).toMatchObject({
      status: "open",
      version: 1,
      amounts: { netMinor: 1_000_000, vatMinor: 180_000, grossMinor: 1_180_000 },
      vatBps: 1_800,
      currency: "ILS",
      termsSha256: termsHash(TERMS),
      offeredOrg: { id: acme.orgId, name: "Acme" },
      remainingMinor: 1_180_000,
    });
    expect(quote.expiresAt).toBe(endOfIsraelDay(quote.validUntil));
    const mail = await outboxFor([acme.email]);
    expect(mail).toHaveLength(1);
    expect(mail[0].payload).toMatchObject({
      template: "quote_event",
      kind: "offered",
      grossMinor: 1_180_000,
    });
    const rendered = renderEmail({ ...mail[0].payload, locale: "en" } as EmailPayload);
    expect(rendered.text).toContain("₪11,800");
    expect(rendered.subject).toContain("A quote for");
    const hebrew = renderEmail({ ...mail[0].payload, locale: "he" } as EmailPayload);
    expect(hebrew.text).toContain("11,800");
    expect(hebrew.text).toContain("הצעת מחיר");
  });

  it("refuses customers, unquoted requests and bad input, writing nothing", async () => {
    const acme = await makeCustomer({ orgName: "Acme" });
    const { id } = await quotedRequest();
    const before = await counts();
    expect(
      (
        await refusal(
          saveQuote({
            actor: acme.actor,
            requestId: id,
            input: hourly({ offeredOrgId: acme.orgId }),
          }),
        )
      ).status,
    ).toBe(404);
    const open = await proposeRequest(acme);
    expect(
      (
        await refusal(
          saveQuote({
            actor: staff,
            requestId: open.id,
            input: hourly({ offeredOrgId: acme.orgId }),
          }),
        )
      ).messageKey,
    ).toBe("quote.error.notQuotable");
    const bad: [Partial<QuoteInput>, string][] = [
      [{ rateMinor: 25_050 }, "rate"],
      [{ quarterHours: 0 }, "hours"],
      [{ validUntil: inDays(-1) }, "validUntil"],
      [{ validUntil: "2027-02-30" }, "validUntil"],
      [{ deliveryWeeks: 0 }, "deliveryWeeks"],
      [{ termsMd: "   " }, "termsMd"],
      [{ offeredOrgId: null }, "offeredOrgId"],
      [{ audience: "open", minShareMinor: 99_999_999 }, "minShare"],
      [{ pricing: "fixed", fixedMinor: null }, "amount"],
      [{ pricing: "fixed", fixedMinor: 10_000_000_001 }, "amount"],
    ];
    for (const [change, field] of bad) {
      const refused = await refusal(
        saveQuote({
          actor: staff,
          requestId: id,
          input: hourly({ offeredOrgId: acme.orgId, ...change }),
        }),
      );
      expect(refused.field, JSON.stringify(change)).toBe(field);
    }
    expect(await counts()).toEqual(before);
  });

  it("offers a private request's quote to its own organization only, in the form and the model", async () => {
    const mine = await makeCustomer({ name: "Mine", orgName: "Mine Ltd" });
    const other = await makeCustomer({ name: "Other", orgName: "Other Ltd" });
    const { id } = await quotedRequest(mine);
    await getDb()
      .updateTable("requests")
      .set({ visibility: "organization" })
      .where("id", "=", id)
      .execute();
    const form = await getQuoteFormData({ actor: staff, requestId: id });
    expect([...form.votingOrgs, ...form.otherOrgs].map((o) => o.id)).toEqual([mine.orgId]);
    expect(
      (
        await refusal(
          saveQuote({ actor: staff, requestId: id, input: hourly({ offeredOrgId: other.orgId }) }),
        )
      ).field,
    ).toBe("offeredOrgId");
  });

  it("revises into a new version that supersedes the open one; the old version's pledges lapse", async () => {
    const one = await makeCustomer({ name: "One", orgName: "One" });
    const two = await makeCustomer({ name: "Two", orgName: "Two" });
    const { id } = await quotedRequest();
    await saveQuote({ actor: staff, requestId: id, input: hourly({ audience: "open" }) });
    const v1 = await currentQuote(id);
    await acceptQuote(accepting(one, v1, { shareMinor: 500_000 }));
    const revised = await saveQuote({
      actor: staff,
      requestId: id,
      input: { ...hourly({ audience: "open" }), pricing: "fixed", fixedMinor: 2_000_000 },
    });
    expect(revised.version).toBe(2);
    const view = await getRequestQuote({ requestId: id, viewer: staff });
    expect(view?.versions?.map((v) => [v.version, v.status])).toEqual([
      [2, "open"],
      [1, "superseded"],
    ]);
    expect(view?.current?.amounts).toEqual({
      netMinor: 2_000_000,
      vatMinor: 360_000,
      grossMinor: 2_360_000,
    });
    // Customers see the current version only.
    const forCustomer = await getRequestQuote({ requestId: id, viewer: two.actor });
    expect(forCustomer?.versions).toBeNull();
    // The pledger was told; the old version can no longer be pledged to.
    expect(
      (await outboxFor([one.email]))
        .map((m) => m.payload)
        .filter((p) => p.template === "quote_event" && p.kind === "lapsed"),
    ).toHaveLength(1);
    expect((await refusal(acceptQuote(accepting(two, v1, { shareMinor: 100 })))).messageKey).toBe(
      "quote.error.superseded",
    );
  });
});

describe("accepting a quote offered to one organization", () => {
  it("records the signed acceptance, funds the quote and moves the request to funded", async () => {
    const acme = await makeCustomer({ name: "Dana Admin", orgName: "Acme" });
    const { id } = await quotedRequest();
    await saveQuote({ actor: staff, requestId: id, input: hourly({ offeredOrgId: acme.orgId }) });
    const quote = await currentQuote(id);
    const result = await acceptQuote(accepting(acme, quote));
    expect(result).toMatchObject({ shareMinor: 1_180_000, funded: true });
    const row = await getDb()
      .selectFrom("sponsorships")
      .selectAll()
      .where("id", "=", result.sponsorshipId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      quote_id: quote.id,
      quote_version: 1,
      request_id: id,
      org_id: acme.orgId,
      share_minor: 1_180_000,
      signer_id: acme.actor.id,
      signer_name: "Dana Admin Fullname",
      signer_email: acme.email,
      signer_ip: "203.0.113.7",
      terms_sha256: termsHash(TERMS),
      credit_by_name: 1,
    });
    const after = await currentQuote(id);
    expect(after).toMatchObject({ status: "funded", pledgedMinor: 1_180_000, remainingMinor: 0 });
    const request = await getDb()
      .selectFrom("requests")
      .select("status")
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(request.status).toBe("funded");
    const audit = await getDb()
      .selectFrom("audit_log")
      .select("action")
      .where("subject_id", "=", id)
      .orderBy("id")
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      "request.decide",
      "quote.create",
      "quote.accept",
      "request.status",
    ]);
    // Staff hear of the acceptance and the funding.
    const staffMail = (await outboxFor([staff.email])).map((m) => m.payload);
    expect(
      staffMail
        .filter((p) => p.template === "quote_event")
        .map((p) => p.template === "quote_event" && p.kind),
    ).toEqual(["accepted", "funded"]);
    // Funded: it cannot be accepted again.
    expect((await refusal(acceptQuote(accepting(acme, after)))).messageKey).toBe(
      "quote.error.funded",
    );
  });

  it("cannot be accepted by a member, another organization's admin, with other terms, unticked or unsigned", async () => {
    const acme = await makeCustomer({ name: "Acme Admin", orgName: "Acme" });
    const member = await makeCustomer({ name: "Member", orgId: acme.orgId });
    const globex = await makeCustomer({ name: "Globex Admin", orgName: "Globex" });
    const { id } = await quotedRequest();
    await saveQuote({ actor: staff, requestId: id, input: hourly({ offeredOrgId: acme.orgId }) });
    const quote = await currentQuote(id);
    const before = await counts();
    expect((await refusal(acceptQuote(accepting(member, quote)))).messageKey).toBe(
      "quote.error.notAdmin",
    );
    expect((await refusal(acceptQuote(accepting(globex, quote)))).messageKey).toBe(
      "quote.error.notOffered",
    );
    // An admin of Globex claiming to sign for Acme is not Acme's admin.
    expect(
      (await refusal(acceptQuote(accepting(globex, quote, { orgId: acme.orgId })))).messageKey,
    ).toBe("quote.error.notAdmin");
    expect(
      (await refusal(acceptQuote(accepting(acme, quote, { termsSha256: termsHash(`${TERMS} `) }))))
        .messageKey,
    ).toBe("quote.error.termsChanged");
    expect((await refusal(acceptQuote(accepting(acme, quote, { agreed: false })))).field).toBe(
      "agreed",
    );
    expect((await refusal(acceptQuote(accepting(acme, quote, { signerName: " " })))).field).toBe(
      "signerName",
    );
    expect(await counts()).toEqual(before);
    expect((await currentQuote(id)).pledgedMinor).toBe(0);
  });

  it("cannot be accepted once expired or withdrawn; expiry runs in the worker and tells the pledgers", async () => {
    const acme = await makeCustomer({ orgName: "Acme" });
    const first = await quotedRequest();
    await saveQuote({
      actor: staff,
      requestId: first.id,
      input: hourly({ offeredOrgId: acme.orgId }),
    });
    const quote = await currentQuote(first.id);
    // Past the end of its last day (the clock is moved by the quote, not the test's machine).
    await getDb()
      .updateTable("quotes")
      .set({ expires_at: "2020-01-01T00:00:00.000Z" })
      .where("id", "=", quote.id)
      .execute();
    expect((await currentQuote(first.id)).status).toBe("expired");
    expect((await refusal(acceptQuote(accepting(acme, quote)))).messageKey).toBe(
      "quote.error.expired",
    );
    expect(await expireQuotes(new Date())).toBeGreaterThanOrEqual(1);
    const stored = await getDb()
      .selectFrom("quotes")
      .select(["status", "closed_at"])
      .where("id", "=", quote.id)
      .executeTakeFirstOrThrow();
    expect(stored.status).toBe("expired");
    expect(stored.closed_at).not.toBeNull();
    // A second sweep finds nothing more to do for it.
    await expireQuotes(new Date());
    const audit = await getDb()
      .selectFrom("audit_log")
      .select("action")
      .where("subject_id", "=", first.id)
      .where("action", "=", "quote.expire")
      .execute();
    expect(audit).toHaveLength(1);

    const second = await quotedRequest();
    await saveQuote({
      actor: staff,
      requestId: second.id,
      input: hourly({ offeredOrgId: acme.orgId }),
    });
    const other = await currentQuote(second.id);
    expect((await refusal(withdrawQuote({ actor: acme.actor, quoteId: other.id }))).status).toBe(
      404,
    );
    await withdrawQuote({ actor: staff, quoteId: other.id });
    expect((await refusal(acceptQuote(accepting(acme, other)))).messageKey).toBe(
      "quote.error.notOpen",
    );
    expect((await refusal(withdrawQuote({ actor: staff, quoteId: other.id }))).messageKey).toBe(
      "quote.error.notOpen",
    );
  });

  it("expires by the worker's clock: open until its last day ends in Israel, expired after", async () => {
    const acme = await makeCustomer({ orgName: "Acme" });
    const { id } = await quotedRequest();
    await saveQuote({
      actor: staff,
      requestId: id,
      input: hourly({ offeredOrgId: acme.orgId, validUntil: inDays(3) }),
    });
    const quote = await currentQuote(id);
    const end = new Date(quote.expiresAt).getTime();
    // A moment before the day ends: nothing expires; the moment it ends: it does.
    await expireQuotes(new Date(end - 1));
    const stillOpen = await getDb()
      .selectFrom("quotes")
      .select("status")
      .where("id", "=", quote.id)
      .executeTakeFirstOrThrow();
    expect(stillOpen.status).toBe("open");
    expect(await expireQuotes(new Date(end))).toBeGreaterThanOrEqual(1);
    const stored = await getDb()
      .selectFrom("quotes")
      .select("status")
      .where("id", "=", quote.id)
      .executeTakeFirstOrThrow();
    expect(stored.status).toBe("expired");
  });

  it("is declined in one step with an optional reason, and staff are told", async () => {
    const acme = await makeCustomer({ orgName: "Acme" });
    const { id } = await quotedRequest();
    await saveQuote({ actor: staff, requestId: id, input: hourly({ offeredOrgId: acme.orgId }) });
    const quote = await currentQuote(id);
    await declineQuote({
      actor: acme.actor,
      quoteId: quote.id,
      version: 1,
      orgId: acme.orgId,
      reason: "Not this year",
    });
    const declines = await getDb()
      .selectFrom("quote_declines")
      .selectAll()
      .where("quote_id", "=", quote.id)
      .execute();
    expect(declines).toMatchObject([
      { org_id: acme.orgId, user_id: acme.actor.id, reason: "Not this year" },
    ]);
    const mail = (await outboxFor([staff.email])).map((m) => m.payload);
    expect(
      mail.some(
        (p) =>
          p.template === "quote_event" && p.kind === "declined" && p.reason === "Not this year",
      ),
    ).toBe(true);
  });
});

describe("co-sponsoring an open quote", () => {
  it("takes pledges until the gross amount is covered, never more, then funds the request", async () => {
    const [a, b, c] = [
      await makeCustomer({ name: "A", orgName: "A Ltd" }),
      await makeCustomer({ name: "B", orgName: "B Ltd" }),
      await makeCustomer({ name: "C", orgName: "C Ltd" }),
    ];
    const { id } = await quotedRequest();
    await saveQuote({
      actor: staff,
      requestId: id,
      input: {
        ...hourly({ audience: "open", minShareMinor: 100_000 }),
        pricing: "fixed",
        fixedMinor: 1_000_000,
      },
    });
    const quote = await currentQuote(id); // gross 1,180,000
    expect(
      (await refusal(acceptQuote(accepting(a, quote, { shareMinor: 50_000 })))).messageKey,
    ).toBe("quote.error.belowMinimum");
    expect((await acceptQuote(accepting(a, quote, { shareMinor: 590_000 }))).funded).toBe(false);
    expect(
      (await refusal(acceptQuote(accepting(a, quote, { shareMinor: 100_000 })))).messageKey,
    ).toBe("quote.error.alreadyPledged");
    expect(
      (await refusal(acceptQuote(accepting(b, quote, { shareMinor: 600_000 })))).messageKey,
    ).toBe("quote.error.overRemaining");
    expect((await currentQuote(id)).pledgedMinor).toBe(590_000);
    // With the signer's consent, a pledge above what remains takes what remains, and funds it.
    const last = await acceptQuote(
      accepting(b, quote, { shareMinor: 600_000, capToRemaining: true }),
    );
    expect(last).toMatchObject({ shareMinor: 590_000, funded: true });
    expect(
      (await refusal(acceptQuote(accepting(c, quote, { shareMinor: 100_000 })))).messageKey,
    ).toBe("quote.error.funded");
    const request = await getDb()
      .selectFrom("requests")
      .select("status")
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(request.status).toBe("funded");
    const view = await getRequestQuote({ requestId: id, viewer: c.actor });
    expect(view?.sponsors.map((s) => [s.orgName, s.shareMinor])).toEqual([
      ["A Ltd", 590_000],
      ["B Ltd", 590_000],
    ]);
  });

  it("cannot be over-funded by pledges that arrive at the same moment", async () => {
    const pledgers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => makeCustomer({ name: `P${i}`, orgName: `Pledger ${i}` })),
    );
    const { id } = await quotedRequest();
    await saveQuote({
      actor: staff,
      requestId: id,
      input: { ...hourly({ audience: "open" }), pricing: "fixed", fixedMinor: 1_000_000 },
    });
    const quote = await currentQuote(id); // gross 1,180,000: three pledges of 400,000 cannot all fit
    const results = await Promise.allSettled(
      pledgers.map((p) => acceptQuote(accepting(p, quote, { shareMinor: 400_000 }))),
    );
    const taken = results.filter((r) => r.status === "fulfilled");
    expect(taken).toHaveLength(2);
    for (const r of results)
      if (r.status === "rejected")
        expect((r.reason as ActionRefused).messageKey).toBe("quote.error.overRemaining");
    const shares = await getDb()
      .selectFrom("sponsorships")
      .select((eb) => eb.fn.sum<number>("share_minor").as("sum"))
      .where("quote_id", "=", quote.id)
      .executeTakeFirstOrThrow();
    const stored = await currentQuote(id);
    expect(Number(shares.sum)).toBe(800_000);
    expect(stored.pledgedMinor).toBe(800_000);
    expect(stored.status).toBe("open");
  });

  it("lapses every pledge when withdrawn unfunded, telling each pledging organization's admins", async () => {
    const a = await makeCustomer({ name: "A", orgName: "A Ltd" });
    const b = await makeCustomer({ name: "B", orgName: "B Ltd" });
    const { id } = await quotedRequest();
    await saveQuote({ actor: staff, requestId: id, input: hourly({ audience: "open" }) });
    const quote = await currentQuote(id);
    await acceptQuote(accepting(a, quote, { shareMinor: 100_000 }));
    await acceptQuote(accepting(b, quote, { shareMinor: 100_000 }));
    await withdrawQuote({ actor: staff, quoteId: quote.id });
    for (const who of [a, b]) {
      const lapsed = (await outboxFor([who.email])).filter(
        (m) => m.payload.template === "quote_event" && m.payload.kind === "lapsed",
      );
      expect(lapsed).toHaveLength(1);
    }
    // The sponsorship rows are still there, unchanged: their quote's status says they lapsed.
    const rows = await getDb()
      .selectFrom("sponsorships")
      .select(["share_minor"])
      .where("quote_id", "=", quote.id)
      .execute();
    expect(rows).toHaveLength(2);
    const request = await getDb()
      .selectFrom("requests")
      .select("status")
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(request.status).toBe("quoted");
  });
});

describe("the quote form's organization search", () => {
  it("finds an organization by any part of its name, in any letter case, % and _ as written", async () => {
    const author = await makeCustomer({ name: "Author", orgName: "Author's Org" });
    const { id } = await proposeRequest(author);
    await decideRequest({ actor: staff, requestId: id, decision: { kind: "sponsored" } });
    const tag = Math.random().toString(36).slice(2, 8);
    const wanted = await makeCustomer({ name: "Wanted", orgName: `Zephyr ${tag} Industries` });
    await makeCustomer({ name: "Percent", orgName: `100% ${tag} Widgets` });
    const found = async (orgSearch: string) =>
      (await getQuoteFormData({ actor: staff, requestId: id, orgSearch })).otherOrgs.map(
        (o) => o.name,
      );
    expect(await found(`ZEPHYR ${tag.toUpperCase()}`)).toEqual([wanted.orgName]);
    expect(await found(`${tag} indus`)).toEqual([wanted.orgName]);
    expect(await found(`0% ${tag}`)).toEqual([`100% ${tag} Widgets`]);
    expect(await found(`z_phyr ${tag}`)).toEqual([]);
  });
});
