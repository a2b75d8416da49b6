import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAccessible, launchBrowser, newContext } from "../support/browser";
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

describe("home page (smoke)", () => {
  it("is Hebrew and right-to-left by default", async () => {
    const context = await newContext(browser, { lang: "he" });
    const page = await context.newPage();
    await page.goto(server.baseUrl);
    expect(await page.getAttribute("html", "lang")).toBe("he");
    expect(await page.getAttribute("html", "dir")).toBe("rtl");
    await expectAccessible(page);
    await context.close();
  });
});
