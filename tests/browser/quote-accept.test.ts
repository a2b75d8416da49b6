// Accepting quotes in the browser: the offered organization's admin accepts in Hebrew with
// JavaScript off (a refused first try keeps what was typed); a member sees the quote and asks
// the admins instead, an admin of another organization gets an explanation, not a form; an open
// quote co-funded by two organizations becomes funded with its bar full; an expired quote says
// why it cannot be accepted.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { translate, type Locale } from "~/i18n/messages";
import { israelDay, saveQuote, type QuoteInput } from "~/models/quotes.server";
import { decideRequest } from "~/models/triage.server";
import { toggleVote } from "~/models/votes.server";
import {
  allowPageErrors,
  expectAccessible,
  launchBrowser,
  newContext,
  signInThroughForm,
  statusLogged,
  waitForHydration,
} from "../support/browser";
import {
  latinToken,
  makeCustomer,
  makeStaff,
  proposeRequest,
  TEST_PASSWORD,
  type Customer,
} from "../support/factories";
import {
  closeServerDatabase,
  startServer,
  useServerDatabase,
  type TestServer,
} from "../support/server";

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer();
  useServerDatabase(server);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await closeServerDatabase().catch(() => undefined);
  await server?.stop();
});

const contexts: BrowserContext[] = [];
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
});

async function signedInPage(
  email: string,
  { lang = "he", js = true }: { lang?: Locale; js?: boolean } = {},
): Promise<Page> {
  const context = await newContext(browser, { lang, javaScriptEnabled: js });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  await signInThroughForm(page, server.baseUrl, email, TEST_PASSWORD);
  return page;
}

/** A request from `author`'s organization, decided sponsored and quoted at ₪10,000 + VAT. */
async function quotedRequest(
  author: Customer,
  audience: "org" | "open",
  voters: Customer[] = [],
): Promise<{ id: number; quoteId: number }> {
  const staff = await makeStaff(`Quote Staff ${latinToken()}`);
  const { id } = await proposeRequest(author, { title: `Sponsored ${latinToken()}` });
  for (const voter of voters)
    await toggleVote({ requestId: id, actor: voter.actor, orgId: voter.orgId });
  await decideRequest({ actor: staff, requestId: id, decision: { kind: "sponsored" } });
  const input: QuoteInput = {
    pricing: "fixed",
    fixedMinor: 1_000_000,
    validUntil: israelDay(Date.now() + 30 * 24 * 3600 * 1000),
    deliveryWeeks: 6,
    termsMd: "**Payment** within 30 days of delivery.",
    audience,
    offeredOrgId: audience === "org" ? author.orgId : null,
  };
  const { quoteId } = await saveQuote({ actor: staff, requestId: id, input });
  return { id, quoteId };
}

const t = translate;

function toast(page: Page, locale: Locale, key: Parameters<typeof translate>[1]) {
  return page.getByRole("status").filter({ hasText: t(locale, key).split("{")[0] });
}

describe("a quote offered to one organization", () => {
  it("is accepted by its admin in Hebrew without JavaScript, a refused try keeping what was typed", async () => {
    const admin = await makeCustomer({ name: "Dana Cohen", orgName: `Acme ${latinToken()}` });
    const { id } = await quotedRequest(admin, "org");
    const page = await signedInPage(admin.email, { lang: "he", js: false });
    allowPageErrors(page, statusLogged(400), "the first try is refused on purpose (no checkbox)");
    await page.goto(`${server.baseUrl}/requests/${id}`);
    const card = page.locator("section[aria-labelledby=quote-title]");
    await expect(card.textContent()).resolves.toContain(t("he", "quote.status.open"));
    await page.getByRole("link", { name: t("he", "quote.card.review") }).click();
    await page.waitForURL(`**/requests/${id}/sponsor`);
    await expect(page.locator("[data-testid=quote-terms] strong").textContent()).resolves.toBe(
      "Payment",
    );

    // No checkbox: refused, the typed name kept.
    await page.locator("#field-signerName").fill("דנה כהן");
    await page.locator("input[name=creditByName]").check();
    await page.getByRole("button", { name: t("he", "quote.accept.submit") }).click();
    await page.waitForLoadState();
    await expect(page.getByText(t("he", "quote.error.agree")).count()).resolves.toBe(1);
    await expect(page.locator("#field-signerName").inputValue()).resolves.toBe("דנה כהן");
    await expect(page.locator("input[name=creditByName]").isChecked()).resolves.toBe(true);

    await page.locator("input[name=agreed]").check();
    await page.getByRole("button", { name: t("he", "quote.accept.submit") }).click();
    await page.waitForURL(`**/requests/${id}`);
    await expect.poll(() => toast(page, "he", "quote.toast.funded").count()).toBe(1);
    await expect(card.textContent()).resolves.toContain(t("he", "quote.status.funded"));
    await expect(page.locator("[data-testid=quote-sponsors]").textContent()).resolves.toContain(
      admin.orgName,
    );
    const row = await getDb()
      .selectFrom("sponsorships")
      .innerJoin("quotes", "quotes.id", "sponsorships.quote_id")
      .select(["sponsorships.signer_name", "sponsorships.share_minor", "quotes.gross_minor"])
      .where("sponsorships.request_id", "=", id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ signer_name: "דנה כהן", share_minor: 1_180_000 });
    const request = await getDb()
      .selectFrom("requests")
      .select("status")
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(request.status).toBe("funded");
  });

  it("cannot be accepted by a member, who asks the admins, nor by another organization's admin", async () => {
    const admin = await makeCustomer({ name: "Avi Admin", orgName: `Offered ${latinToken()}` });
    const member = await makeCustomer({ name: "Miki Member", orgId: admin.orgId });
    const outsider = await makeCustomer({ name: "Olga Outside", orgName: `Other ${latinToken()}` });
    const { id } = await quotedRequest(admin, "org");

    const memberPage = await signedInPage(member.email, { lang: "en", js: false });
    await memberPage.goto(`${server.baseUrl}/requests/${id}`);
    await expect(
      memberPage.getByRole("link", { name: t("en", "quote.card.review") }).count(),
    ).resolves.toBe(0);
    await memberPage.getByRole("button", { name: t("en", "quote.card.ask") }).click();
    await memberPage.waitForURL(`**/requests/${id}`);
    await expect.poll(() => toast(memberPage, "en", "quote.toast.asked").count()).toBe(1);
    await memberPage.goto(`${server.baseUrl}/requests/${id}/sponsor`);
    await expect(memberPage.locator("input[name=signerName]").count()).resolves.toBe(0);
    const wish = await getDb()
      .selectFrom("outbox")
      .select("id")
      .where("recipient", "=", admin.email)
      .where("payload_json", "like", "%wish%")
      .execute();
    expect(wish.length).toBe(1);

    const outsiderPage = await signedInPage(outsider.email, { lang: "en" });
    await outsiderPage.goto(`${server.baseUrl}/requests/${id}`);
    await waitForHydration(outsiderPage);
    await expect(
      outsiderPage.getByRole("link", { name: t("en", "quote.card.review") }).count(),
    ).resolves.toBe(0);
    await outsiderPage.goto(`${server.baseUrl}/requests/${id}/sponsor`);
    await expect(outsiderPage.getByText(t("en", "quote.accept.why.noOrg")).count()).resolves.toBe(
      1,
    );
    await expect(outsiderPage.locator("input[name=signerName]").count()).resolves.toBe(0);
    await expectAccessible(outsiderPage);
    const rows = await getDb()
      .selectFrom("sponsorships")
      .select("id")
      .where("request_id", "=", id)
      .execute();
    expect(rows).toEqual([]);
  });

  it("cannot be accepted once expired, and says why", async () => {
    const admin = await makeCustomer({ name: "Eli Expired", orgName: `Late ${latinToken()}` });
    const { id, quoteId } = await quotedRequest(admin, "org");
    await getDb()
      .updateTable("quotes")
      .set({ expires_at: new Date(Date.now() - 60_000).toISOString() })
      .where("id", "=", quoteId)
      .execute();
    const page = await signedInPage(admin.email, { lang: "he", js: false });
    await page.goto(`${server.baseUrl}/requests/${id}`);
    await expect(
      page.locator("section[aria-labelledby=quote-title]").textContent(),
    ).resolves.toContain(t("he", "quote.status.expired"));
    await expect(
      page.getByRole("link", { name: t("he", "quote.card.review") }).count(),
    ).resolves.toBe(0);
    await page.goto(`${server.baseUrl}/requests/${id}/sponsor`);
    const why = t("he", "quote.accept.why.expired").split("{")[0];
    await expect(page.getByText(why).count()).resolves.toBe(1);
    await expect(page.locator("input[name=signerName]").count()).resolves.toBe(0);
  });
});

describe("an open quote", () => {
  it("is co-funded by two organizations and becomes funded, its bar full", async () => {
    const first = await makeCustomer({ name: "Fay First", orgName: `First ${latinToken()}` });
    const second = await makeCustomer({ name: "Sam Second", orgName: `Second ${latinToken()}` });
    const { id } = await quotedRequest(first, "open", [second]);

    // The first pledges half with JavaScript, in English.
    const firstPage = await signedInPage(first.email, { lang: "en" });
    await firstPage.goto(`${server.baseUrl}/requests/${id}`);
    await waitForHydration(firstPage);
    await firstPage.getByRole("link", { name: t("en", "quote.card.review") }).click();
    await firstPage.waitForURL(`**/requests/${id}/sponsor`);
    await expect(firstPage.locator("[data-testid=quote-split]").textContent()).resolves.toContain(
      "2 organizations voted; ₪5,900 each",
    );
    await expectAccessible(firstPage);
    await firstPage.locator("#field-share").fill("5,900");
    await firstPage.locator("input[name=agreed]").check();
    await firstPage.locator("#field-signerName").fill("Fay First");
    await firstPage.getByRole("button", { name: t("en", "quote.accept.submit") }).click();
    await firstPage.waitForURL(`**/requests/${id}`);
    // With JavaScript the toast arrives with the client-side navigation.
    await firstPage.getByRole("status").filter({ hasText: "₪5,900 remains" }).waitFor();
    const bar = firstPage.locator("[data-testid=quote-funding-bar]");
    await expect(bar.getAttribute("value")).resolves.toBe("590000");

    // The second asks for more than remains, then takes what remains, without JavaScript.
    const secondPage = await signedInPage(second.email, { lang: "he", js: false });
    allowPageErrors(
      secondPage,
      statusLogged(409),
      "the pledge above what remains is refused on purpose",
    );
    await secondPage.goto(`${server.baseUrl}/requests/${id}/sponsor`);
    await secondPage.locator("#field-share").fill("9000");
    await secondPage.locator("input[name=agreed]").check();
    await secondPage.locator("#field-signerName").fill("סם שני");
    await secondPage.getByRole("button", { name: t("he", "quote.accept.submit") }).click();
    await secondPage.waitForLoadState();
    await expect(secondPage.getByText(t("he", "quote.error.overRemaining")).count()).resolves.toBe(
      1,
    );
    await expect(secondPage.locator("#field-share").inputValue()).resolves.toBe("9000");
    await secondPage.locator("input[name=capToRemaining]").check();
    await secondPage.locator("input[name=agreed]").check();
    await secondPage.getByRole("button", { name: t("he", "quote.accept.submit") }).click();
    await secondPage.waitForURL(`**/requests/${id}`);
    await expect.poll(() => toast(secondPage, "he", "quote.toast.funded").count()).toBe(1);
    const card = secondPage.locator("section[aria-labelledby=quote-title]");
    await expect(card.textContent()).resolves.toContain(t("he", "quote.status.funded"));
    const fullBar = secondPage.locator("[data-testid=quote-funding-bar]");
    await expect(fullBar.getAttribute("value")).resolves.toBe("1180000");
    await expect(fullBar.getAttribute("max")).resolves.toBe("1180000");
    await expect(secondPage.locator("main").textContent()).resolves.toContain(
      t("he", "status.funded"),
    );
  });
});

describe("before the quote", () => {
  it("says sponsorship is possible and a quote is coming, then shows the quote instead", async () => {
    const author = await makeCustomer({ name: "Bo Before", orgName: `Before ${latinToken()}` });
    const staff = await makeStaff(`Before Staff ${latinToken()}`);
    const { id } = await proposeRequest(author, { title: `Soon quoted ${latinToken()}` });
    await decideRequest({ actor: staff, requestId: id, decision: { kind: "sponsored" } });
    const context = await newContext(browser, { lang: "en", javaScriptEnabled: false });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/requests/${id}`);
    const header = page.locator("main header");
    await expect(header.textContent()).resolves.toContain(
      t("en", "staffTriage.outcome.quoteComing"),
    );
    await expect(page.locator("section[aria-labelledby=quote-title]").count()).resolves.toBe(0);

    await saveQuote({
      actor: staff,
      requestId: id,
      input: {
        pricing: "hourly",
        quarterHours: 160,
        rateMinor: 25_000,
        validUntil: israelDay(Date.now() + 30 * 24 * 3600 * 1000),
        deliveryWeeks: 6,
        termsMd: "Terms.",
        audience: "org",
        offeredOrgId: author.orgId,
      },
    });
    await page.reload();
    await expect(header.textContent()).resolves.not.toContain(
      t("en", "staffTriage.outcome.quoteComing"),
    );
    const card = page.locator("section[aria-labelledby=quote-title]");
    const text = await card.textContent();
    expect(text).toContain("₪10,000 + VAT ₪1,800 = ₪11,800");
    expect(text).toContain("40 hours × ₪250 an hour");
    expect(text).toContain(`Offered to ${author.orgName}`);
    // A visitor is offered to sign in, not a form.
    await expect(
      page.getByRole("link", { name: t("en", "quote.card.signIn") }).count(),
    ).resolves.toBe(1);
  });
});

describe("the quote's pages", () => {
  it("pass the accessibility audit in Hebrew on a phone and in English on a desktop", async () => {
    const admin = await makeCustomer({ name: "Pia Phone", orgName: `Phone ${latinToken()}` });
    const { id } = await quotedRequest(admin, "open");
    for (const [lang, phone] of [
      ["he", true],
      ["en", false],
    ] as const) {
      const context = await newContext(browser, { lang, phone });
      contexts.push(context);
      const page = await context.newPage();
      await signInThroughForm(page, server.baseUrl, admin.email, TEST_PASSWORD);
      await page.goto(`${server.baseUrl}/requests/${id}`);
      await waitForHydration(page);
      await expectAccessible(page);
      await page.goto(`${server.baseUrl}/requests/${id}/sponsor`);
      await waitForHydration(page);
      await expectAccessible(page);
    }
  });
});
