// Hebrew first, English too: how a page picks its language and direction, and how a visitor
// or a user changes it.
import http from "node:http";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { translate, type Locale } from "~/i18n/messages";
import {
  allowPageErrors,
  collectAccessibilityProblems,
  launchBrowser,
  mainSubmit,
  newContext,
  signInThroughForm,
  signUpThroughForm,
  statusLogged,
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

async function documentLocale(page: Page) {
  return {
    lang: await page.getAttribute("html", "lang"),
    dir: await page.getAttribute("html", "dir"),
  };
}

function expected(locale: Locale) {
  return { lang: locale, dir: locale === "he" ? "rtl" : "ltr" };
}

/** After a client-side navigation the URL can change a moment before the document re-renders. */
async function expectLocale(page: Page, locale: Locale) {
  await page
    .waitForFunction((lang) => document.documentElement.lang === lang, locale, { timeout: 5_000 })
    .catch(() => undefined);
  expect(await documentLocale(page)).toEqual(expected(locale));
}

async function heading(page: Page) {
  return (await page.getByRole("heading", { level: 1 }).textContent())?.trim();
}

/** Presses the header's language switch and waits for the page to come back in `to`. */
async function switchLanguage(page: Page, to: Locale) {
  const path = new URL(page.url()).pathname + new URL(page.url()).search;
  await page.locator('header form[action="/language"] button[type=submit]').click();
  await page.waitForFunction((lang) => document.documentElement.lang === lang, to, {
    timeout: 10_000,
  });
  await page.waitForLoadState("load");
  expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe(path);
}

async function withContext<T>(
  context: BrowserContext,
  run: (page: Page) => Promise<T>,
): Promise<T> {
  try {
    return await run(await context.newPage());
  } finally {
    await context.close();
  }
}

/** The document a client that sends no headers of its own gets (fetch() adds Accept-Language). */
function bareGet(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (response) => {
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk) => (body += chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
      })
      .on("error", reject);
  });
}

describe("language and direction", () => {
  it("serves Hebrew right to left to a request with no language cookie and no Accept-Language", async () => {
    for (const path of ["/", "/signin"]) {
      const { status, body } = await bareGet(`${server.baseUrl}${path}`);
      expect(status, path).toBe(200);
      const html = /<html\b[^>]*>/.exec(body)?.[0] ?? "";
      const attribute = (name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(html)?.[1];
      expect({ lang: attribute("lang"), dir: attribute("dir") }, path).toEqual(expected("he"));
    }
  });

  it("serves Hebrew right-to-left and English left-to-right, from the browser's languages", async () => {
    for (const locale of ["he", "en"] as const) {
      await withContext(await newContext(browser, { lang: locale }), async (page) => {
        await page.goto(`${server.baseUrl}/signin`);
        await expectLocale(page, locale);
        expect(await heading(page)).toBe(translate(locale, "signIn.title"));
        expect(await page.title()).toContain(translate(locale, "signIn.title"));
        // E-mail addresses stay left-to-right inside a right-to-left page.
        expect(await page.locator("#field-email").getAttribute("dir")).toBe("ltr");
        // The product name sits at the start of the header: the right edge in Hebrew, the left in English.
        const box = (await page.locator("header a[href='/']").first().boundingBox())!;
        const viewport = page.viewportSize()!;
        if (locale === "he") expect(box.x).toBeGreaterThan(viewport.width / 2);
        else expect(box.x + box.width).toBeLessThan(viewport.width / 2);
      });
    }

    // A browser that asks for neither language gets Hebrew, the default.
    const french = await browser.newContext({
      locale: "fr-FR",
      extraHTTPHeaders: { "Accept-Language": "fr-FR,fr;q=0.9" },
    });
    await withContext(french, async (page) => {
      await page.goto(server.baseUrl);
      await expectLocale(page, "he");
    });
  });

  it("switches language from the header, keeps the page, and remembers the choice", async () => {
    const context = await newContext(browser, { lang: "he" });
    await withContext(context, async (page) => {
      await page.goto(`${server.baseUrl}/signin?redirectTo=%2Faccount`);
      await expectLocale(page, "he");

      await switchLanguage(page, "en");
      await expectLocale(page, "en");
      expect(await heading(page)).toBe(translate("en", "signIn.title"));
      expect(await page.getByRole("status").textContent()).toContain(
        translate("en", "toast.languageChanged"),
      );
      // The sign-in form still knows where to go afterwards.
      expect(await page.locator('main input[name="redirectTo"]').inputValue()).toBe("/account");

      // The choice is a cookie: it holds on the next page, and in a new tab.
      const cookie = (await context.cookies()).find((c) => c.name === "lang");
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/" });
      await page.locator('main a[href^="/signup"]').click();
      await page.waitForURL((url) => url.pathname === "/signup");
      await expectLocale(page, "en");
      await expect.poll(() => heading(page)).toBe(translate("en", "signUp.title"));
      const another = await context.newPage();
      await another.goto(server.baseUrl);
      await expectLocale(another, "en");

      // And back to Hebrew.
      await switchLanguage(page, "he");
      expect(await heading(page)).toBe(translate("he", "signUp.title"));
      await another.reload();
      await expectLocale(another, "he");
    });

    // The switch is a plain form: it works without JavaScript too.
    await withContext(
      await newContext(browser, { lang: "he", javaScriptEnabled: false }),
      async (page) => {
        await page.goto(`${server.baseUrl}/signup`);
        await switchLanguage(page, "en");
        expect(await heading(page)).toBe(translate("en", "signUp.title"));
      },
    );
  });

  it("lets a signed-in user's saved language win over the browser and the cookie", async () => {
    const email = uniqueEmail("polyglot");

    // The user signs up in Hebrew and saves English in the account settings.
    await withContext(await newContext(browser, { lang: "he" }), async (page) => {
      await signUpThroughForm(page, server, { name: "Maya Polyglot", email });
      await page.goto(`${server.baseUrl}/account`);
      const profile = page.locator('section[aria-labelledby="profile-heading"] form');
      await profile.locator("#field-locale").selectOption("en");
      await profile.locator("button[type=submit]").click();
      await expectLocale(page, "en");
      await expect.poll(() => heading(page)).toBe(translate("en", "account.title"));
    });

    // Another browser, Hebrew by its languages and by a cookie set while signed out…
    const context = await newContext(browser, { lang: "he" });
    await withContext(context, async (page) => {
      await page.goto(`${server.baseUrl}/signin`);
      await switchLanguage(page, "en");
      await switchLanguage(page, "he");
      await expectLocale(page, "he");

      // … shows English as soon as the user signs in.
      await page.locator("#field-email").fill(email);
      await page.locator("#field-password").fill(TEST_PASSWORD);
      await Promise.all([
        page.waitForURL((url) => url.pathname !== "/signin"),
        mainSubmit(page).click(),
      ]);
      await expectLocale(page, "en");
      await page.goto(`${server.baseUrl}/account`);
      await expectLocale(page, "en");

      // Switching from the header while signed in changes the saved language too.
      await switchLanguage(page, "he");
      expect(await heading(page)).toBe(translate("he", "account.title"));
      // The settings form on the page shows the language now saved. (expect.soft: the checks
      // below still run if this one fails.)
      expect.soft(await page.locator("#field-locale").inputValue()).toBe("he");
      await page.reload();
      expect(await page.locator("#field-locale").inputValue()).toBe("he");
    });

    // So an English browser now gets Hebrew for this user.
    await withContext(await newContext(browser, { lang: "en" }), async (page) => {
      await signInThroughForm(page, server.baseUrl, email, TEST_PASSWORD, "/account");
      await expectLocale(page, "he");
    });
  });

  it("answers an unknown address with a localized 404 page", async () => {
    for (const locale of ["he", "en"] as const) {
      await withContext(await newContext(browser, { lang: locale }), async (page) => {
        allowPageErrors(page, statusLogged(404), "an unknown address is answered 404, as tested");
        const response = await page.goto(`${server.baseUrl}/no-such-page/${locale}`);
        expect(response?.status()).toBe(404);
        await expectLocale(page, locale);
        expect(await heading(page)).toBe(translate(locale, "error.404.title"));
        expect(await page.title()).toContain(translate(locale, "error.404.title"));
        expect(await page.locator("main").textContent()).toContain(
          translate(locale, "error.404.body"),
        );
      });
    }
  });

  for (const phone of [false, true]) {
    for (const locale of ["he", "en"] as const) {
      it(`passes axe on home, sign-in and sign-up in ${locale === "he" ? "Hebrew" : "English"} on a ${phone ? "phone" : "desktop"}`, async () => {
        const problems: string[] = [];
        await withContext(await newContext(browser, { lang: locale, phone }), async (page) => {
          for (const path of ["/", "/signin", "/signup"]) {
            await page.goto(`${server.baseUrl}${path}`);
            await expectLocale(page, locale);
            await collectAccessibilityProblems(page, problems);
          }
        });
        expect(problems).toEqual([]);
      });
    }
  }
});
