// Proposing a title an open request already has, in the browser: without JavaScript and with
// it, the form says the request exists, shows it with its vote button, and keeps what was typed.
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
  watchForErrors,
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

let server: TestServer;
let browser: Browser;
let author: Customer;
let proposer: Customer;

beforeAll(async () => {
  server = await startServer({ seed: true });
  useServerDatabase(server);
  author = await makeCustomer({ name: "Dup Author", orgName: "Dup Authors" });
  proposer = await makeCustomer({ name: "Dup Proposer", orgName: "Dup Proposers" });
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

async function proposePage(js: boolean, lang: Locale): Promise<Page> {
  const context = await newContext(browser, { lang, javaScriptEnabled: js });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  await signInThroughForm(page, server.baseUrl, proposer.email, TEST_PASSWORD);
  await page.goto(`${server.baseUrl}/requests/new`);
  if (js) await waitForHydration(page);
  return page;
}

function voteButtonFor(page: Page, requestId: number) {
  return page
    .locator('section[aria-labelledby="duplicate-heading"]')
    .locator(`form[action="/requests/${requestId}/vote"] button[type=submit]`);
}

describe("proposing an exact duplicate", () => {
  for (const { js, lang } of [
    { js: false, lang: "he" as const },
    { js: true, lang: "en" as const },
  ]) {
    it(`says it exists and offers its vote, keeping what was typed (JavaScript ${js ? "on" : "off"}, ${lang})`, async () => {
      const token = latinToken();
      const existingId = (
        await proposeRequest(author, {
          category: "general",
          title: `Approval ${token} for purchase orders`,
        })
      ).id;
      const page = await proposePage(js, lang);
      const errors = watchForErrors(page);
      allowPageErrors(page, statusLogged(409), "the duplicate is refused with 409, as tested");

      const title = `approval ${token}: for purchase orders!`;
      await page.locator("#field-title").fill(title);
      await page.locator("#field-bodyMd").fill("Two approvers, please.");
      await page.locator("#field-categoryId").selectOption({ index: 1 });
      const submit = page.getByRole("button", { name: translate(lang, "propose.submit") });
      if (js) await submit.click();
      else await andWaitForLoad(page, () => submit.click());

      const panel = page.locator('section[aria-labelledby="duplicate-heading"]');
      await panel.waitFor();
      expect(new URL(page.url()).pathname).toBe("/requests/new");
      expect((await panel.getByRole("heading").textContent())?.trim()).toBe(
        translate(lang, "propose.duplicate.title"),
      );
      await expect.poll(() => panel.locator(`a[href="/requests/${existingId}"]`).count()).toBe(1);
      await expect
        .poll(() => page.locator("#field-title").getAttribute("aria-invalid"))
        .toBe("true");
      await expect
        .poll(() => page.locator("#field-title-error").textContent())
        .toContain(translate(lang, "request.error.duplicate"));
      expect(await page.locator("#field-title").inputValue()).toBe(title);
      expect(await page.locator("#field-bodyMd").inputValue()).toBe("Two approvers, please.");
      // axe runs inside the page, so only where scripts run.
      if (js) await expectAccessible(page);

      // "Vote for this instead" counts the vote on the existing request.
      const vote = voteButtonFor(page, existingId);
      expect(await vote.getAttribute("aria-pressed")).toBe("false");
      if (js) {
        const counted = page.waitForResponse(
          (r) =>
            r.request().method() === "POST" &&
            new URL(r.url()).pathname.startsWith(`/requests/${existingId}/vote`),
        );
        await vote.click();
        expect((await counted).status()).toBe(200);
        await expect.poll(() => vote.getAttribute("aria-pressed")).toBe("true");
      } else {
        await andWaitForLoad(page, () => vote.click());
      }
      await page.goto(`${server.baseUrl}/requests/${existingId}`);
      const pressed = page.locator(
        `form[action="/requests/${existingId}/vote"] button[aria-pressed="true"]`,
      );
      expect(await pressed.count()).toBe(1);
      // A refused form answers 409 by design; nothing else may have failed.
      expect(errors.filter((e) => !e.includes("409"))).toEqual([]);
    });
  }
});
