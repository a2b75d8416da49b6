// E-mail preferences in the browser: the account page's three checkboxes, saved in place with
// JavaScript and by a plain form without; the unsubscribe page an e-mail's link opens (confirm,
// done, undo) in Hebrew and English; the one-click POST a mail client makes (RFC 8058) passing
// the origin check only with its exact body; a bad link's page.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { translate } from "~/i18n/messages";
import { unsubscribeToken } from "~/models/unsubscribe.server";
import {
  allowPageErrors,
  expectAccessible,
  launchBrowser,
  newContext,
  signInThroughForm,
  statusLogged,
  waitForHydration,
} from "../support/browser";
import { makeUser, TEST_PASSWORD, uniqueEmail } from "../support/factories";
import {
  closeServerDatabase,
  startServer,
  useServerDatabase,
  type TestServer,
} from "../support/server";

// startServer's SESSION_SECRET: the server signs and checks links with it.
const SECRET = "browser-test-secret-0123456789abcdef";

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer({ seed: false });
  useServerDatabase(server);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await closeServerDatabase();
  await server?.stop();
});

async function preferencesOf(userId: number) {
  return getDb()
    .selectFrom("users")
    .select(["notify_status", "notify_news", "notify_digest"])
    .where("id", "=", userId)
    .executeTakeFirstOrThrow();
}

function checkbox(page: Page, name: "status" | "news" | "digest") {
  return page.locator(`#pref-${name}`);
}

describe("preferences on the account page", () => {
  for (const [lang, javaScriptEnabled] of [
    ["he", true],
    ["en", true],
    ["he", false],
    ["en", false],
  ] as const) {
    it(`save in ${lang}, JavaScript ${javaScriptEnabled ? "on" : "off"}`, async () => {
      const user = await makeUser({
        name: "Dana Prefs",
        email: uniqueEmail("prefs"),
        locale: lang,
      });
      const context = await newContext(browser, { lang, javaScriptEnabled });
      const page = await context.newPage();
      await signInThroughForm(page, server.baseUrl, user.email, TEST_PASSWORD, "/account");
      if (javaScriptEnabled) await waitForHydration(page);
      const section = page.locator('section[aria-labelledby="notifications-heading"]');
      expect(await section.getByRole("heading").textContent()).toBe(translate(lang, "prefs.title"));
      // The defaults: status updates on, product news and the digest off.
      expect(await checkbox(page, "status").isChecked()).toBe(true);
      expect(await checkbox(page, "news").isChecked()).toBe(false);
      expect(await checkbox(page, "digest").isChecked()).toBe(false);
      if (javaScriptEnabled) await expectAccessible(page);

      // Labels work: clicking the text toggles the box.
      await page.getByText(translate(lang, "prefs.status"), { exact: true }).click();
      await checkbox(page, "news").check();
      await checkbox(page, "digest").check();
      const save = section.getByRole("button", { name: translate(lang, "prefs.save") });
      if (javaScriptEnabled) {
        await save.click();
      } else {
        await Promise.all([page.waitForEvent("load"), save.click()]);
      }
      await expect
        .poll(() => page.getByRole("status").first().textContent())
        .toContain(translate(lang, "prefs.saved"));
      expect(new URL(page.url()).pathname).toBe("/account");
      await expect
        .poll(() => preferencesOf(user.id))
        .toEqual({
          notify_status: 0,
          notify_news: 1,
          notify_digest: 1,
        });
      await expect.poll(() => checkbox(page, "status").isChecked()).toBe(false);
      expect(await checkbox(page, "digest").isChecked()).toBe(true);
      if (javaScriptEnabled) await expectAccessible(page);
      await context.close();
    });
  }
});

describe("the unsubscribe page", () => {
  for (const [lang, javaScriptEnabled] of [
    ["he", true],
    ["en", true],
    ["en", false],
  ] as const) {
    it(`confirms, unsubscribes and undoes in ${lang}, JavaScript ${javaScriptEnabled ? "on" : "off"}`, async () => {
      const user = await makeUser({ name: "Omer Unsub", email: uniqueEmail("unsub") });
      await getDb()
        .updateTable("users")
        .set({ notify_news: 1 })
        .where("id", "=", user.id)
        .execute();
      // No sign-in: the link is its own authority.
      const context = await newContext(browser, { lang, javaScriptEnabled });
      const page = await context.newPage();
      await page.goto(`${server.baseUrl}/unsubscribe/${unsubscribeToken(user.id, "news", SECRET)}`);
      if (javaScriptEnabled) await waitForHydration(page);
      const topic = translate(lang, "unsubscribe.topic.news");
      expect(await page.locator("h1").textContent()).toBe(translate(lang, "unsubscribe.title"));
      expect(await page.locator("main").textContent()).toContain(
        translate(lang, "unsubscribe.confirm", { topic }),
      );
      // Opening the page changed nothing (link scanners open it too).
      expect((await preferencesOf(user.id)).notify_news).toBe(1);
      if (javaScriptEnabled) await expectAccessible(page);

      const press = async (key: Parameters<typeof translate>[1]) => {
        const button = page.locator("main").getByRole("button", { name: translate(lang, key) });
        if (javaScriptEnabled) await button.click();
        else await Promise.all([page.waitForEvent("load"), button.click()]);
      };
      await press("unsubscribe.button");
      await expect
        .poll(() => page.locator("h1").textContent())
        .toBe(translate(lang, "unsubscribe.done.title"));
      await expect
        .poll(() => page.getByRole("status").first().textContent())
        .toContain(translate(lang, "unsubscribe.done.body", { topic }));
      expect((await preferencesOf(user.id)).notify_news).toBe(0);
      if (javaScriptEnabled) await expectAccessible(page);

      await press("unsubscribe.undo");
      await expect
        .poll(() => page.locator("h1").textContent())
        .toBe(translate(lang, "unsubscribe.resubscribed.title"));
      expect((await preferencesOf(user.id)).notify_news).toBe(1);
      if (javaScriptEnabled) await expectAccessible(page);
      await context.close();
    });
  }

  it("says a bad link does not work, in the reader's language, with a 404", async () => {
    for (const lang of ["he", "en"] as const) {
      const context = await newContext(browser, { lang });
      const page = await context.newPage();
      allowPageErrors(page, statusLogged(404), "the page answers a bad link with 404");
      const response = await page.goto(`${server.baseUrl}/unsubscribe/1.status.forged`);
      expect(response?.status()).toBe(404);
      await waitForHydration(page);
      expect(await page.locator("h1").textContent()).toBe(
        translate(lang, "unsubscribe.invalid.title"),
      );
      await expectAccessible(page);
      await context.close();
    }
  });
});

describe("one-click unsubscribe (RFC 8058)", () => {
  async function post(token: string, body: string, headers: Record<string, string> = {}) {
    return fetch(`${server.baseUrl}/unsubscribe/${token}`, {
      method: "POST",
      body,
      headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
      redirect: "manual",
    });
  }

  it("unsubscribes with the exact body, from a mail client or a webmail's own origin", async () => {
    const user = await makeUser({ name: "Mail Client", email: uniqueEmail("oneclick") });
    const token = unsubscribeToken(user.id, "status", SECRET);

    expect((await post(token, "List-Unsubscribe=One-Click")).status).toBe(200);
    expect((await preferencesOf(user.id)).notify_status).toBe(0);

    await getDb()
      .updateTable("users")
      .set({ notify_status: 1 })
      .where("id", "=", user.id)
      .execute();
    const fromWebmail = await post(token, "List-Unsubscribe=One-Click", {
      Origin: "https://mail.example.com",
      "Sec-Fetch-Site": "cross-site",
    });
    expect(fromWebmail.status).toBe(200);
    expect((await preferencesOf(user.id)).notify_status).toBe(0);
  });

  it("still refuses any other cross-site POST to the page (its Undo included)", async () => {
    const user = await makeUser({ name: "Forged", email: uniqueEmail("forged") });
    const token = unsubscribeToken(user.id, "status", SECRET);
    await getDb()
      .updateTable("users")
      .set({ notify_status: 0 })
      .where("id", "=", user.id)
      .execute();
    const forged = await post(token, "intent=resubscribe", {
      Origin: "https://evil.example",
      "Sec-Fetch-Site": "cross-site",
    });
    expect(forged.status).toBe(403);
    expect((await preferencesOf(user.id)).notify_status).toBe(0);
    // And a forged token changes nothing even with the right body.
    expect(
      (await post(`${user.id}.status.${"A".repeat(43)}`, "List-Unsubscribe=One-Click")).status,
    ).toBe(404);
  });
});
