// A customer meets an announcement: the unread badge in the header, the changelog that clears
// it, the request page's link to it, and the feed that carries it; in Hebrew and English, with
// JavaScript and without.
import { parseFeed } from "@rowanmanning/feed-parser";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { translate, translateCount, type Locale } from "~/i18n/messages";
import { createAnnouncement, publishAnnouncement } from "~/models/announcements.server";
import type { Actor } from "~/models/errors";
import { changeStatus, decideRequest } from "~/models/triage.server";
import {
  expectAccessible,
  launchBrowser,
  newContext,
  signInThroughForm,
  waitForHydration,
} from "../support/browser";
import {
  latinToken,
  makeCustomer,
  makeStaff,
  proposeRequest,
  TEST_PASSWORD,
} from "../support/factories";
import {
  closeServerDatabase,
  startServer,
  useServerDatabase,
  type TestServer,
} from "../support/server";

let server: TestServer;
let browser: Browser;
let staff: Actor;
let requestId: number;
let requestTitle: string;

beforeAll(async () => {
  server = await startServer({ seed: true });
  useServerDatabase(server);
  staff = await makeStaff();
  const author = await makeCustomer({ name: "Avi Ben-David", orgName: "Avi Works" });
  requestTitle = `Export to Excel ${latinToken()}`;
  ({ id: requestId } = await proposeRequest(author, { category: "general", title: requestTitle }));
  await decideRequest({ actor: staff, requestId, decision: { kind: "broad" } });
  await changeStatus({ actor: staff, requestId, to: "in_progress" });
  await changeStatus({ actor: staff, requestId, to: "shipped" });
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

async function publish({ english }: { english: boolean }) {
  const token = latinToken();
  const text = {
    titleHe: `ייצוא לאקסל ${token}`,
    bodyHe: "אפשר עכשיו **לייצא** כל דוח.",
    titleEn: english ? `Excel export ${token}` : "",
    bodyEn: english ? "You can now **export** any report." : "",
  };
  const { id } = await createAnnouncement({
    actor: staff,
    input: { ...text, requestIds: [requestId] },
  });
  await publishAnnouncement({ actor: staff, id });
  return { id, ...text };
}

function badge(page: Page) {
  return page.locator('header nav a[href="/announcements"] [data-testid="unread-badge"]');
}

it("shows a demo account the seed's newest announcement as unread, and the changelog lists the seed's", async () => {
  const context = await newContext(browser, { lang: "en" });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  await signInThroughForm(page, server.baseUrl, "omer@acme.test", "demo-pass-1234");
  await waitForHydration(page);
  await expect.poll(() => badge(page).locator("bdi").textContent()).toBe("1");
  await page.locator('header nav a[href="/announcements"]').click();
  await expect.poll(() => page.locator('[data-testid="announcement"]').count()).toBe(3);
  await expect.poll(() => badge(page).count()).toBe(0);
});

describe.each([
  { lang: "he" as Locale, js: true },
  { lang: "en" as Locale, js: true },
  { lang: "he" as Locale, js: false },
  { lang: "en" as Locale, js: false },
])("a customer in $lang, JavaScript $js", ({ lang, js }) => {
  it("sees the badge, opens the changelog, the badge clears; the request and the feed link to it", async () => {
    const context = await newContext(browser, { lang, javaScriptEnabled: js });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const customer = await makeCustomer({ name: "Dana Levi" });
    await signInThroughForm(page, server.baseUrl, customer.email, TEST_PASSWORD);
    await expect.poll(() => badge(page).count()).toBe(0);

    // English only in the JavaScript runs: without it, the English reader gets the Hebrew, marked.
    const announcement = await publish({ english: js });
    const title = lang === "en" && js ? announcement.titleEn : announcement.titleHe;
    await page.goto(`${server.baseUrl}/`);
    if (js) await waitForHydration(page);
    await expect
      .poll(() => badge(page).textContent())
      .toContain(translateCount(lang, "changelog.unread", 1));
    await expect.poll(() => badge(page).locator("bdi").textContent()).toBe("1");

    // Opening the changelog from the header: a client navigation with JavaScript.
    await page.locator('header nav a[href="/announcements"]').click();
    const entry = page.locator('[data-testid="announcement"]', { hasText: title }).first();
    await expect.poll(() => entry.count()).toBe(1);
    await expect.poll(() => badge(page).count()).toBe(0);
    if (lang === "en" && !js) {
      await expect
        .poll(() => entry.textContent())
        .toContain(translate("en", "changelog.hebrewOnly"));
      expect(await entry.locator("h2").getAttribute("lang")).toBe("he");
      expect(await entry.locator("h2").getAttribute("dir")).toBe("rtl");
    }
    expect(await entry.locator(`a[href="/requests/${requestId}"]`).textContent()).toBe(
      requestTitle,
    );
    const feedHref = lang === "en" ? "/announcements.atom?lang=en" : "/announcements.atom";
    expect(
      await page
        .locator('head link[rel="alternate"][type="application/atom+xml"]')
        .getAttribute("href"),
    ).toBe(feedHref);
    if (js) await expectAccessible(page);

    // The watermark moved: elsewhere too the badge stays gone.
    await page.locator('header nav a[href="/"]').click();
    await expect.poll(() => page.url()).toBe(`${server.baseUrl}/`);
    await page.locator("main h1").first().waitFor();
    await expect.poll(() => badge(page).count()).toBe(0);

    // The request page links to its announcement; the link leads to its permalink.
    await page.goto(`${server.baseUrl}/requests/${requestId}`);
    if (js) await waitForHydration(page);
    const announced = page.locator('[data-testid="announced"] a', { hasText: title });
    await announced.click();
    await expect.poll(() => page.url()).toBe(`${server.baseUrl}/announcements/${announcement.id}`);
    await expect.poll(() => page.locator("main h1").textContent()).toBe(title);
    if (js) await expectAccessible(page);

    // The feed of the page's language carries the entry.
    const response = await page.request.get(`${server.baseUrl}${feedHref}`);
    expect(response.headers()["content-type"]).toBe("application/atom+xml; charset=utf-8");
    const feed = parseFeed(await response.text());
    expect(feed.language).toBe(lang);
    const item = feed.items.find(
      (i) => i.url === `${server.baseUrl}/announcements/${announcement.id}`,
    );
    expect(item?.title).toBe(title);
  });
});
