// Staff's demand view on the request page: the top organizations with their counts, a chart with
// a table behind it, and "More organizations" paging through the rest without JavaScript (links)
// and with it (appended in place); customers are not shown it. The board's "waiting longest"
// sort is offered to staff only. Every page here is also watched
// for console and hydration errors (browser-setup.ts).
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { translate, type Locale } from "~/i18n/messages";
import { toggleVote } from "~/models/votes.server";
import {
  andWaitForLoad,
  expectAccessible,
  launchBrowser,
  newContext,
  signInThroughForm,
  waitForHydration,
} from "../support/browser";
import {
  closeServerDatabase,
  startServer,
  useServerDatabase,
  type TestServer,
} from "../support/server";
import {
  latinToken,
  makeCustomer,
  proposeRequest,
  TEST_PASSWORD,
  type Customer,
} from "../support/factories";

const STAFF_EMAIL = "staff@broadly.test";
const DEMO_PASSWORD = "demo-pass-1234";
/** The author's organization and these: 13 in all, the first page shows 10. */
const VOTING_ORGS = 12;

let server: TestServer;
let browser: Browser;
let author: Customer;
let requestId: number;

beforeAll(async () => {
  server = await startServer({ seed: true });
  useServerDatabase(server);
  author = await makeCustomer({ name: "Avi Ben-David", orgName: "Avi Works" });
  ({ id: requestId } = await proposeRequest(author, {
    category: "general",
    title: `Demand ${latinToken()} by organization`,
  }));
  // The first organization has two voters (and so leads), the rest one each.
  for (let i = 0; i < VOTING_ORGS; i++) {
    const voter = await makeCustomer({ name: `Voter ${i}`, orgName: `Org ${i} ${latinToken()}` });
    await toggleVote({ requestId, actor: voter.actor, orgId: voter.orgId });
    if (i === 0) {
      const colleague = await makeCustomer({ name: "Colleague", orgId: voter.orgId });
      await toggleVote({ requestId, actor: colleague.actor, orgId: colleague.orgId });
    }
  }
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
  password: string,
  { lang = "he", js = true }: { lang?: Locale; js?: boolean } = {},
): Promise<Page> {
  const context = await newContext(browser, { lang, javaScriptEnabled: js });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  await signInThroughForm(page, server.baseUrl, email, password);
  return page;
}

const organizations = (page: Page) => page.locator("#demand ol > li");

describe("the demand view", () => {
  it("shows staff the top organizations and pages through the rest without JavaScript (Hebrew)", async () => {
    const locale = "he";
    const page = await signedInPage(STAFF_EMAIL, DEMO_PASSWORD, { lang: locale, js: false });
    await page.goto(`${server.baseUrl}/requests/${requestId}`);
    const card = page.locator("#demand");
    expect(await card.locator("h2").textContent()).toBe(translate(locale, "demand.title"));
    expect(await organizations(page).count()).toBe(10);
    // The leader: two of its two members voted.
    const leader = (await organizations(page).first().textContent()) ?? "";
    expect(leader).toContain("Org 0");
    expect(leader).toContain("הצביעו 2 מתוך 2 חברי הארגון");
    // The chart's numbers, for screen readers: 12 weeks, this week's 14 votes last.
    const weeks = card.locator("table tbody tr");
    expect(await weeks.count()).toBe(12);
    expect(await weeks.last().locator("td").textContent()).toBe("14");

    const seen = new Set(await organizations(page).locator("a").allTextContents());
    const more = page.getByRole("link", { name: translate(locale, "demand.orgs.more") });
    await andWaitForLoad(page, () => more.click());
    expect(new URL(page.url()).searchParams.get("orgs")).toBeTruthy();
    expect(await organizations(page).count()).toBe(3);
    for (const name of await organizations(page).locator("a").allTextContents()) seen.add(name);
    expect(seen.size).toBe(13);
    expect(await card.textContent()).toContain("ארגונים 11–13 מתוך 13.");
    expect(await more.count()).toBe(0);
    await andWaitForLoad(page, () =>
      page.getByRole("link", { name: translate(locale, "demand.orgs.backToTop") }).click(),
    );
    await expect.poll(() => organizations(page).count()).toBe(10);
  });

  it("appends the next organizations in place with JavaScript, and passes axe (English)", async () => {
    const locale = "en";
    const page = await signedInPage(STAFF_EMAIL, DEMO_PASSWORD, { lang: locale });
    await page.goto(`${server.baseUrl}/requests/${requestId}`);
    await waitForHydration(page);
    const address = page.url();
    expect(await organizations(page).first().textContent()).toContain("2 of 2 members voted");
    await page.getByRole("link", { name: translate(locale, "demand.orgs.more") }).click();
    await expect.poll(() => organizations(page).count()).toBe(13);
    expect(page.url()).toBe(address);
    const names = await organizations(page).locator("a").allTextContents();
    expect(new Set(names).size).toBe(13);
    expect(
      await page.getByRole("link", { name: translate(locale, "demand.orgs.more") }).count(),
    ).toBe(0);
    await expectAccessible(page);

    // The board offers staff the "waiting longest" sort.
    await page.goto(`${server.baseUrl}/`);
    await waitForHydration(page);
    const tabs = page.getByRole("navigation", { name: translate(locale, "board.sort.label") });
    await tabs.getByRole("link", { name: translate(locale, "board.sort.waiting") }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get("sort")).toBe("waiting");
    await expect
      .poll(() => tabs.locator('[aria-current="page"]').textContent())
      .toBe(translate(locale, "board.sort.waiting"));
  });

  it("is not shown to a customer", async () => {
    const page = await signedInPage(author.email, TEST_PASSWORD, { lang: "en" });
    await page.goto(`${server.baseUrl}/requests/${requestId}`);
    await waitForHydration(page);
    expect(await page.locator("h1").textContent()).toContain("Demand");
    expect(await page.locator("#demand").count()).toBe(0);
    expect(await page.getByText(translate("en", "demand.weeks.title")).count()).toBe(0);
    // Nor is the staff sort, and asking for it gives the default order.
    await page.goto(`${server.baseUrl}/?sort=waiting`);
    await waitForHydration(page);
    expect(
      await page.getByRole("link", { name: translate("en", "board.sort.waiting") }).count(),
    ).toBe(0);
    expect(
      await page
        .getByRole("navigation", { name: translate("en", "board.sort.label") })
        .locator('[aria-current="page"]')
        .textContent(),
    ).toBe(translate("en", "board.sort.orgs"));
  });
});
