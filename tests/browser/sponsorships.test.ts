// The sponsorship ledger in the browser, on the demo data: staff read it in Hebrew and English,
// filter it without JavaScript and download the CSV; Globex's admin reads Globex's own
// sponsorships, an Acme member is refused; a visitor sees the thanks on the shipped request.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { translate, type Locale } from "~/i18n/messages";
import {
  allowPageErrors,
  andWaitForLoad,
  expectAccessible,
  launchBrowser,
  newContext,
  signInThroughForm,
  statusLogged,
} from "../support/browser";
import {
  closeServerDatabase,
  startServer,
  useServerDatabase,
  type TestServer,
} from "../support/server";

const DEMO_PASSWORD = "demo-pass-1234";

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer({ seed: true });
  useServerDatabase(server);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await closeServerDatabase();
  await server?.stop();
});

async function signedIn(email: string, lang: Locale, javaScriptEnabled = true) {
  const context = await newContext(browser, { lang, javaScriptEnabled });
  const page = await context.newPage();
  await signInThroughForm(page, server.baseUrl, email, DEMO_PASSWORD);
  return { context, page };
}

describe("the staff ledger", () => {
  it.each(["he", "en"] as const)("lists the demo's sponsorships with totals (%s)", async (lang) => {
    const { context, page } = await signedIn("staff@broadly.test", lang);
    await page.locator("summary").filter({ hasText: "Shira" }).first().click();
    await Promise.all([
      page.waitForURL((url) => url.pathname === "/staff/sponsorships"),
      page.getByRole("link", { name: translate(lang, "sponsorships.menu") }).click(),
    ]);
    await expect
      .poll(() => page.getByRole("heading", { level: 1 }).textContent())
      .toBe(translate(lang, "sponsorships.title"));
    const rows = page.locator("tr[data-sponsorship]");
    await expect.poll(() => rows.count()).toBe(3);
    expect(await page.locator("table").textContent()).toContain("Hooli Israel");
    expect(await page.locator('[data-status="funded"]').textContent()).toContain(
      lang === "en" ? "₪10,620" : "10,620",
    );
    expect(await page.locator('[data-status="pledged"]').textContent()).toContain(
      lang === "en" ? "₪11,800" : "11,800",
    );
    await expectAccessible(page);
    await context.close();
  });

  it("filters by status without JavaScript and downloads the CSV with a BOM", async () => {
    const { context, page } = await signedIn("staff@broadly.test", "en", false);
    await page.goto(`${server.baseUrl}/staff/sponsorships`);
    await page.locator("#ledger-status").selectOption("funded");
    await andWaitForLoad(page, () =>
      page.getByRole("button", { name: translate("en", "board.filter.apply") }).click(),
    );
    expect(new URL(page.url()).searchParams.get("status")).toBe("funded");
    const rows = page.locator("tr[data-sponsorship]");
    await expect.poll(() => rows.count()).toBe(1);
    await expect.poll(() => rows.first().textContent()).toContain("Globex");
    const href = await page
      .getByRole("link", { name: translate("en", "sponsorships.download") })
      .getAttribute("href");
    expect(href).toBe("/staff/sponsorships.csv?status=funded");
    const response = await context.request.get(`${server.baseUrl}${href}`);
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toBe("text/csv; charset=utf-8");
    const body = await response.body();
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = body.subarray(3).toString("utf8").split("\r\n");
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(",Globex,");
    expect(lines[1]).toContain(",10620.00,9000.00,1620.00,10620.00,ILS,");
    await context.close();
  });
});

describe("an organization's sponsorships", () => {
  it("shows Globex's admin Globex's own, from the organization's page", async () => {
    const { context, page } = await signedIn("noa@globex.test", "en");
    await page.goto(`${server.baseUrl}/orgs/globex`);
    await Promise.all([
      page.waitForURL((url) => url.pathname === "/orgs/globex/sponsorships"),
      page.getByRole("link", { name: translate("en", "sponsorships.orgLink") }).click(),
    ]);
    // The URL changes before React has committed the new page: wait for its rows.
    const rows = page.locator("tr[data-sponsorship]");
    await expect.poll(() => rows.count()).toBe(1);
    await expect
      .poll(() => rows.first().textContent())
      .toContain("Export invoices to SAP Business One");
    await expectAccessible(page);
    await context.close();
  });

  it("refuses a member of Acme", async () => {
    const { context, page } = await signedIn("omer@acme.test", "he");
    allowPageErrors(page, statusLogged(403), "a member is refused the admins' page, as tested");
    const response = await page.goto(`${server.baseUrl}/orgs/acme/sponsorships`);
    expect(response?.status()).toBe(403);
    await context.close();
  });
});

describe("the credit", () => {
  it.each(["he", "en"] as const)(
    "thanks Globex on the shipped request's page (%s)",
    async (lang) => {
      const context = await newContext(browser, { lang });
      const page = await context.newPage();
      const { id } = await getDb()
        .selectFrom("requests")
        .select("id")
        .where("title", "=", "Export invoices to SAP Business One")
        .executeTakeFirstOrThrow();
      await page.goto(`${server.baseUrl}/requests/${id}`);
      const credit = page.getByTestId("sponsor-credit");
      expect(await credit.textContent()).toBe(
        translate(lang, "sponsorships.credit", { sponsors: "Globex" }),
      );
      expect(await credit.locator("bdi").textContent()).toBe("Globex");
      await context.close();
    },
  );
});
