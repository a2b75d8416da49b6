// Staff quote a request in the browser: in Hebrew without JavaScript (the request page's staff
// panel leads to the form; "preview" shows net, VAT and gross and saves nothing; "save" makes
// version 1), and in English with JavaScript (the preview follows what is typed and shows the
// same line as the server's preview), then revise it: version 2 supersedes version 1, and
// withdraw that.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { translate, type Locale } from "~/i18n/messages";
import { formatMoney, quoteAmounts } from "~/models/money";
import { decideRequest } from "~/models/triage.server";
import {
  allowPageErrors,
  andWaitForLoad,
  expectAccessible,
  launchBrowser,
  newContext,
  signInThroughForm,
  statusLogged,
  waitForHydration,
} from "../support/browser";
import {
  actorOf,
  latinToken,
  makeCustomer,
  makeUser,
  proposeRequest,
  TEST_PASSWORD,
  uniqueEmail,
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
let customer: Customer;
let staffEmail: string;

beforeAll(async () => {
  server = await startServer();
  useServerDatabase(server);
  customer = await makeCustomer({ name: "Quote Customer", orgName: "Quoted Works" });
  staffEmail = uniqueEmail("quoting-staff");
  await makeUser({ name: "Quoting Staff", email: staffEmail, isStaff: true, staffRole: "admin" });
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

async function staffPage(lang: Locale, js: boolean): Promise<Page> {
  const context = await newContext(browser, { lang, javaScriptEnabled: js });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  await signInThroughForm(page, server.baseUrl, staffEmail, TEST_PASSWORD);
  return page;
}

/** A request of the customer's, decided as sponsored development (status "quoted"). */
async function quotedRequest() {
  const { id } = await proposeRequest(customer, { title: `Quote me ${latinToken()}` });
  const staff = await getDb()
    .selectFrom("users")
    .selectAll()
    .where("email", "=", staffEmail)
    .executeTakeFirstOrThrow();
  await decideRequest({
    actor: actorOf(staff as never),
    requestId: id,
    decision: { kind: "sponsored" },
  });
  return id;
}

/** The line the customer will see for an hourly quote at the default ₪250 and 18% VAT. */
function expectedLine(lang: Locale, quarterHours: number) {
  const amounts = quoteAmounts({
    pricing: "hourly",
    quarterHours,
    rateMinor: 25_000,
    vatBps: 1_800,
  });
  return translate(lang, "money.withVat", {
    net: formatMoney(amounts.netMinor, lang),
    vat: formatMoney(amounts.vatMinor, lang),
    gross: formatMoney(amounts.grossMinor, lang),
  });
}

async function quotesOf(requestId: number) {
  return getDb()
    .selectFrom("quotes")
    .select(["version", "status", "net_minor", "gross_minor", "quarter_hours"])
    .where("request_id", "=", requestId)
    .orderBy("version")
    .execute();
}

const previewLine = (page: Page) => page.getByTestId("quote-preview-line");

describe("staff quote a request", () => {
  it("in Hebrew without JavaScript: preview, then save version 1", async () => {
    const lang: Locale = "he";
    const id = await quotedRequest();
    const page = await staffPage(lang, false);
    await page.goto(`${server.baseUrl}/requests/${id}`);

    // The staff panel leads to the quote form.
    await andWaitForLoad(page, () =>
      page.getByRole("link", { name: translate(lang, "quoteForm.panel.write") }).click(),
    );
    expect(new URL(page.url()).pathname).toBe(`/requests/${id}/quote`);
    await expect.poll(() => page.locator("input[name=rate]").inputValue()).toBe("250");
    // The voting organization is offered first and chosen.
    await expect
      .poll(() => page.locator("select[name=offeredOrgId]").inputValue())
      .toBe(String(customer.orgId));
    await expect
      .poll(() => previewLine(page).textContent())
      .toBe(translate(lang, "quoteForm.preview.empty"));

    await page.locator("input[name=hours]").fill("40");
    await page.locator("input[name=deliveryWeeks]").fill("6");
    await andWaitForLoad(page, () =>
      page
        .getByRole("button", { name: translate(lang, "quoteForm.submit.preview"), exact: true })
        .click(),
    );
    await expect.poll(() => previewLine(page).textContent()).toBe(expectedLine(lang, 160));
    // Nothing saved, nothing lost.
    await expect.poll(() => quotesOf(id)).toEqual([]);
    await expect.poll(() => page.locator("input[name=hours]").inputValue()).toBe("40");

    await andWaitForLoad(page, () =>
      page
        .getByRole("button", { name: translate(lang, "quoteForm.submit.save"), exact: true })
        .click(),
    );
    expect(new URL(page.url()).pathname).toBe(`/requests/${id}`);
    await expect
      .poll(() => page.locator("body").textContent())
      .toContain(translate(lang, "quoteForm.toast.saved", { version: 1 }));
    await expect
      .poll(() => quotesOf(id))
      .toEqual([
        {
          version: 1,
          status: "open",
          net_minor: 1_000_000,
          gross_minor: 1_180_000,
          quarter_hours: 160,
        },
      ]);
    const version = page.getByTestId("quote-version-1");
    expect(await version.textContent()).toContain(expectedLine(lang, 160));
    expect(await version.textContent()).toContain(translate(lang, "quoteForm.status.open"));
  });

  it("in English with JavaScript: the live preview shows the server's line; then a revision supersedes it", async () => {
    const lang: Locale = "en";
    const id = await quotedRequest();
    const page = await staffPage(lang, true);
    await page.goto(`${server.baseUrl}/requests/${id}/quote`);
    await waitForHydration(page);
    await expectAccessible(page);

    // Typing updates the preview in the browser, without a request.
    await page.locator("input[name=hours]").fill("10.25");
    await expect.poll(() => previewLine(page).textContent()).toBe(expectedLine(lang, 41));
    const live = await previewLine(page).textContent();
    await Promise.all([
      page.waitForResponse((r) => r.request().method() === "POST"),
      page
        .getByRole("button", { name: translate(lang, "quoteForm.submit.preview"), exact: true })
        .click(),
    ]);
    await expect.poll(() => page.locator("input[name=hours]").inputValue()).toBe("10.25");
    await expect.poll(() => previewLine(page).textContent()).toBe(live);
    await expect.poll(() => quotesOf(id)).toEqual([]);

    // Saving with a field missing keeps everything and says what is missing.
    allowPageErrors(page, statusLogged(400), "the refused save answers 400 with its errors");
    await page
      .getByRole("button", { name: translate(lang, "quoteForm.submit.save"), exact: true })
      .click();
    await page.getByText(translate(lang, "quote.error.delivery")).waitFor();
    await expect.poll(() => page.locator("input[name=hours]").inputValue()).toBe("10.25");

    await page.locator("input[name=deliveryWeeks]").fill("4");
    await page
      .getByRole("button", { name: translate(lang, "quoteForm.submit.save"), exact: true })
      .click();
    await page.waitForURL(`${server.baseUrl}/requests/${id}#quote-versions`);
    await page.getByTestId("quote-version-1").waitFor();

    // Revise: the form starts from version 1.
    await page
      .getByTestId("quote-version-1")
      .getByRole("link", { name: /^Revise/ })
      .click();
    await page.waitForURL(`${server.baseUrl}/requests/${id}/quote`);
    await waitForHydration(page);
    expect(await page.locator("input[name=hours]").inputValue()).toBe("10.25");
    expect(await page.locator("input[name=deliveryWeeks]").inputValue()).toBe("4");
    await page.locator("input[name=hours]").fill("12");
    await expect.poll(() => previewLine(page).textContent()).toBe(expectedLine(lang, 48));
    await page
      .getByRole("button", { name: translate(lang, "quoteForm.submit.revise"), exact: true })
      .click();
    await page.waitForURL(`${server.baseUrl}/requests/${id}#quote-versions`);
    await page.getByTestId("quote-version-2").waitFor();
    await expectAccessible(page);

    await expect
      .poll(() => quotesOf(id))
      .toEqual([
        {
          version: 1,
          status: "superseded",
          net_minor: 256_250,
          gross_minor: 302_375,
          quarter_hours: 41,
        },
        { version: 2, status: "open", net_minor: 300_000, gross_minor: 354_000, quarter_hours: 48 },
      ]);
    expect(await page.getByTestId("quote-version-1").textContent()).toContain(
      translate(lang, "quoteForm.status.superseded"),
    );
    expect(await page.getByTestId("quote-version-2").textContent()).toContain(
      expectedLine(lang, 48),
    );

    // Withdraw the open version, saying yes to the question first (dismissed, nothing happens):
    // it can no longer be revised or withdrawn.
    const withdraw = page.getByTestId("quote-version-2").getByRole("button", { name: /^Withdraw/ });
    let asked = "";
    page.once("dialog", (dialog) => {
      asked = dialog.message();
      void dialog.dismiss();
    });
    await withdraw.click();
    expect(asked).toBe(translate(lang, "quoteForm.versions.withdrawConfirm"));
    expect((await quotesOf(id)).map((q) => q.status)).toEqual(["superseded", "open"]);
    page.once("dialog", (dialog) => void dialog.accept());
    await page
      .getByTestId("quote-version-2")
      .getByRole("button", { name: /^Withdraw/ })
      .click();
    await expect
      .poll(() => page.getByTestId("quote-version-2").textContent())
      .toContain(translate(lang, "quoteForm.status.withdrawn"));
    await expect
      .poll(() => page.getByTestId("quote-version-2").getByRole("button").count())
      .toBe(0);
    expect((await quotesOf(id)).map((q) => q.status)).toEqual(["superseded", "withdrawn"]);
  });
});

describe("the quote pages for staff", () => {
  it("pass the accessibility audit in Hebrew on a phone, with a quote's versions on the request page", async () => {
    const id = await quotedRequest();
    const context = await newContext(browser, { lang: "he", javaScriptEnabled: true, phone: true });
    contexts.push(context);
    const page = await context.newPage();
    await signInThroughForm(page, server.baseUrl, staffEmail, TEST_PASSWORD);
    await page.goto(`${server.baseUrl}/requests/${id}/quote`);
    await waitForHydration(page);
    await expectAccessible(page);
    await page.locator("input[name=hours]").fill("8");
    await page.locator("input[name=deliveryWeeks]").fill("2");
    await page
      .getByRole("button", { name: translate("he", "quoteForm.submit.save"), exact: true })
      .click();
    await page.waitForURL(`${server.baseUrl}/requests/${id}#quote-versions`);
    await page.getByTestId("quote-version-1").waitFor();
    await expectAccessible(page);
  });
});
