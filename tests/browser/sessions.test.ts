// Active sessions on the account page, as a user sees them: with JavaScript off, signing out
// another browser and all other browsers; and a copied cookie that stops working at sign-out.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { translate } from "~/i18n/messages";
import {
  expectAccessible,
  launchBrowser,
  newContext,
  signInThroughForm,
  signOutThroughMenu,
  signUpThroughForm,
} from "../support/browser";
import { TEST_PASSWORD, uniqueEmail } from "../support/factories";
import { startServer, type TestServer } from "../support/server";

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const sessionItems = (page: import("playwright-core").Page) =>
  page.locator('section[aria-labelledby="sessions-heading"] li');

describe("active sessions", () => {
  it("signs out another browser, then all others, with plain forms", async () => {
    const email = uniqueEmail("sessions");
    const here = await (await newContext(browser, { javaScriptEnabled: false })).newPage();
    await signUpThroughForm(here, server, { name: "Tal Sessions", email });
    const phones = [];
    for (let i = 0; i < 2; i++) {
      const page = await (await newContext(browser)).newPage();
      await signInThroughForm(page, server.baseUrl, email, TEST_PASSWORD);
      phones.push(page);
    }

    await here.goto(`${server.baseUrl}/account`);
    await expect.poll(() => sessionItems(here).count()).toBe(3);
    const current = sessionItems(here).filter({
      hasText: translate("he", "account.sessions.thisDevice"),
    });
    expect(await current.count()).toBe(1);
    // This browser has no sign-out of its own in the list (the header's sign-out is for that).
    expect(await current.locator("button").count()).toBe(0);

    // One other session: the list shrinks, the page says so, that browser is signed out.
    const other = sessionItems(here)
      .filter({ has: here.locator("button") })
      .first();
    await Promise.all([here.waitForLoadState("load"), other.locator("button").click()]);
    await expect
      .poll(() => here.getByRole("status").textContent())
      .toContain(translate("he", "toast.sessionEnded"));
    await expect.poll(() => sessionItems(here).count()).toBe(2);

    await here.getByRole("button", { name: translate("he", "account.sessions.endOthers") }).click();
    await expect
      .poll(() => here.getByRole("status").textContent())
      .toContain(translate("he", "toast.otherSessionsEnded"));
    await expect.poll(() => sessionItems(here).count()).toBe(1);
    await expect
      .poll(() => here.getByText(translate("he", "account.sessions.onlyThis")).count())
      .toBe(1);

    for (const page of phones) {
      await page.goto(`${server.baseUrl}/account`);
      expect(new URL(page.url()).pathname).toBe("/signin");
    }
  });

  it("shows the list accessibly with JavaScript on", async () => {
    const email = uniqueEmail("sessions-a11y");
    const page = await (await newContext(browser, { lang: "en" })).newPage();
    await signUpThroughForm(page, server, { name: "Ada Sessions", email });
    await page.goto(`${server.baseUrl}/account`);
    await expect.poll(() => sessionItems(page).count()).toBe(1);
    await expectAccessible(page);
  });

  it("does not let a cookie copied before sign-out back in", async () => {
    const email = uniqueEmail("sessions-copy");
    const context = await newContext(browser);
    const page = await context.newPage();
    await signUpThroughForm(page, server, { name: "Copy Cat", email });
    const copied = (await context.cookies()).find((c) => c.name === "__session")!;
    await signOutThroughMenu(page);

    const thief = await newContext(browser);
    await thief.addCookies([copied]);
    const thiefPage = await thief.newPage();
    await thiefPage.goto(`${server.baseUrl}/account`);
    expect(new URL(thiefPage.url()).pathname).toBe("/signin");
  });
});
