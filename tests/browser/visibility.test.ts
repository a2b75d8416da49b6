// A private ("organization only") request in the browser: its author chooses it on the
// propose form (with JavaScript and without); a colleague sees it on the board, in search and
// on its page, marked "Organization only"; a member of another organization meets a 404 page
// and finds it nowhere.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { translate, type Locale } from "~/i18n/messages";
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
  closeServerDatabase,
  startServer,
  useServerDatabase,
  type TestServer,
} from "../support/server";
import {
  latinToken,
  makeCategory,
  makeCustomer,
  TEST_PASSWORD,
  type Customer,
} from "../support/factories";

let server: TestServer;
let browser: Browser;
let author: Customer;
let colleague: Customer;
let outsider: Customer;

beforeAll(async () => {
  server = await startServer();
  useServerDatabase(server);
  await makeCategory("Reports");
  author = await makeCustomer({ name: "Private Author", orgName: "Private Org" });
  colleague = await makeCustomer({ name: "Private Colleague", orgId: author.orgId });
  outsider = await makeCustomer({ name: "Outsider", orgName: "Other Org" });
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

async function signedIn(who: Customer, js: boolean, lang: Locale): Promise<Page> {
  const context = await newContext(browser, { lang, javaScriptEnabled: js });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  await signInThroughForm(page, server.baseUrl, who.email, TEST_PASSWORD);
  return page;
}

async function open(page: Page, path: string, js: boolean) {
  const response = await page.goto(`${server.baseUrl}${path}`);
  if (js) await waitForHydration(page);
  return response;
}

function badge(page: Page, lang: Locale) {
  return page.getByText(translate(lang, "visibility.badge"), { exact: true });
}

describe("an organization-only request", () => {
  for (const { js, lang } of [
    { js: false, lang: "he" as const },
    { js: true, lang: "en" as const },
  ]) {
    it(`is proposed as such and seen only by its organization (JavaScript ${js ? "on" : "off"}, ${lang})`, async () => {
      // Words no other request has, so no similar request stops the first submit.
      const token = latinToken();
      const title = `${token} ${latinToken()} ${latinToken()}`;

      const mine = await signedIn(author, js, lang);
      await open(mine, "/requests/new", js);
      await mine.locator("#field-title").fill(title);
      await mine.locator("#field-categoryId").selectOption({ index: 1 });
      // Public is the default; the author keeps it to the organization.
      expect(await mine.locator("#field-visibility-public").isChecked()).toBe(true);
      await mine.getByLabel(translate(lang, "visibility.organization")).check();
      const submit = mine.getByRole("button", { name: translate(lang, "propose.submit") });
      await Promise.all([
        mine.waitForURL((url) => /^\/requests\/\d+$/.test(url.pathname)),
        js ? submit.click() : andWaitForLoad(mine, () => submit.click()),
      ]);
      const path = new URL(mine.url()).pathname;
      await badge(mine, lang).first().waitFor();

      // A colleague: on the board (searched), with the badge, and on its page.
      const theirs = await signedIn(colleague, js, lang);
      await open(theirs, `/?${new URLSearchParams({ q: token })}`, js);
      const row = theirs.locator("main li", { has: theirs.locator(`a[href="${path}"]`) });
      expect(await row.count()).toBe(1);
      expect(await row.getByText(translate(lang, "visibility.badge")).count()).toBe(1);
      if (js) await expectAccessible(theirs);
      expect((await open(theirs, path, js))?.status()).toBe(200);
      expect(await badge(theirs, lang).count()).toBe(1);
      if (js) await expectAccessible(theirs);

      // Another organization: a 404 page, and nothing on the board or in search.
      const other = await signedIn(outsider, js, lang);
      allowPageErrors(
        other,
        statusLogged(404),
        "the private request's page answers 404, as tested",
      );
      expect((await open(other, path, js))?.status()).toBe(404);
      expect(await other.getByText(title).count()).toBe(0);
      expect((await open(other, "/requests/999999999", js))?.status()).toBe(404);
      await open(other, `/?${new URLSearchParams({ q: token })}`, js);
      expect(await other.locator(`a[href="${path}"]`).count()).toBe(0);
      await open(other, `/?${new URLSearchParams({ sort: "newest", status: "all" })}`, js);
      expect(await other.locator(`a[href="${path}"]`).count()).toBe(0);
      expect(await badge(other, lang).count()).toBe(0);
    });
  }
});
