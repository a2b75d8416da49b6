// What a page makes the browser download before it is interactive. Remix replaces every
// `.server` module a route imports with an empty module, and without app/cli/build.js each
// one shared by two routes arrives as a script of its own: a request per page per module.
// And a page loads the catalog of its own language only (app/i18n/load-catalog.ts).
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { en } from "~/i18n/en";
import { he } from "~/i18n/he";
import { staffHe } from "~/i18n/staff.he";
import { launchBrowser, newContext, signInThroughForm, waitForHydration } from "../support/browser";
import { startServer, type TestServer } from "../support/server";

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer({ seed: true });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** The ways a bundle may spell a text: as it is, or with non-ASCII letters as \uXXXX escapes. */
function spellings(text: string): string[] {
  const escaped = text.replace(
    /[^\x00-\x7f]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`,
  );
  return [text, escaped, escaped.toLowerCase()];
}

describe("the catalog a page loads", () => {
  it.each([
    ["he", he["meta.description"], en["meta.description"]],
    ["en", en["meta.description"], he["meta.description"]],
  ] as const)("in %s is its own language's only", async (lang, own, other) => {
    const context = await newContext(browser, { lang });
    const page = await context.newPage();
    const scripts: Promise<string>[] = [];
    page.on("response", (response) => {
      if (response.url().endsWith(".js")) scripts.push(response.text());
    });
    await page.goto(`${server.baseUrl}/`);
    await page.waitForLoadState("networkidle");
    const bodies = await Promise.all(scripts);
    const contains = (text: string) =>
      bodies.some((body) => spellings(text).some((spelling) => body.includes(spelling)));
    expect(contains(own), "its own catalog arrived").toBe(true);
    expect(contains(other), "the other language's catalog stayed on the server").toBe(false);
    // Rendered in the page's language after hydration, not the other one or bare keys.
    expect(await page.locator('meta[name="description"]').getAttribute("content")).toBe(own);
    await context.close();
  });
});

describe("the staff pages' messages", () => {
  // A message only staff pages show (the staff menu's link to the audit log, staff admins only).
  const staffText = staffHe["audit.lead"];

  it.each([
    ["a visitor", null, false],
    ["a customer", "dana@acme.test", false],
    ["a staff member", "staff@broadly.test", true],
  ] as const)("reach %s's browser: %s", async (_who, email, expected) => {
    const context = await newContext(browser, { lang: "he" });
    const page = await context.newPage();
    if (email) await signInThroughForm(page, server.baseUrl, email, "demo-pass-1234");
    // What the board's document loads, once signed in (its scripts may come from the cache).
    const scripts: Promise<string>[] = [];
    page.on("response", (response) => {
      if (response.url().endsWith(".js")) scripts.push(response.text().catch(() => ""));
    });
    await page.goto(`${server.baseUrl}/`);
    await waitForHydration(page);
    await page.waitForLoadState("networkidle");
    const bodies = await Promise.all(scripts);
    expect(bodies.some((body) => spellings(staffText).some((s) => body.includes(s)))).toBe(
      expected,
    );
    await context.close();
  });
});

async function preloadedScripts(path: string): Promise<string[]> {
  const html = await (await fetch(`${server.baseUrl}${path}`)).text();
  return [...html.matchAll(/<link rel="modulepreload" href="([^"]+)"/g)].map((m) => m[1]);
}

describe("scripts a page loads", () => {
  it.each(["/", "/requests/1", "/signin", "/roadmap", "/announcements"])(
    "%s loads no script that is only an emptied server module",
    async (path) => {
      const scripts = await preloadedScripts(path);
      expect(scripts.length).toBeGreaterThan(3);
      for (const src of scripts) {
        const body = await (await fetch(`${server.baseUrl}${src}`)).text();
        const emptied = body.length < 400 && /exports\s*=\s*\{\s*\}/.test(body);
        expect(emptied, `${src} is an empty module: ${body}`).toBe(false);
      }
    },
  );
});
