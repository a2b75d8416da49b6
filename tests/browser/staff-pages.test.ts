// The staff pages in the browser: a staff admin manages categories and staff with plain forms
// (no JavaScript), and a customer reads the roadmap's columns in Hebrew and English.
import type { Browser, Page } from "playwright-core";
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
import { makeUser, uniqueEmail } from "../support/factories";
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

async function signedIn(email: string, lang: Locale, javaScriptEnabled: boolean) {
  const context = await newContext(browser, { lang, javaScriptEnabled });
  const page = await context.newPage();
  await signInThroughForm(page, server.baseUrl, email, DEMO_PASSWORD);
  return { context, page };
}

function toast(page: Page) {
  return page.getByRole("status");
}

describe("a staff admin without JavaScript", () => {
  it("adds a category, archives it, and makes a colleague staff", async () => {
    const { context, page } = await signedIn("staff@broadly.test", "en", false);
    allowPageErrors(
      page,
      statusLogged(400),
      "the form missing a name is refused with 400, as tested",
    );
    await page.goto(`${server.baseUrl}/staff/settings`);
    const categories = page.locator('section[aria-labelledby="categories-heading"]');

    // Add: the first submit misses the English name, and keeps what was typed.
    await page.locator("#new-category-slug").fill("browser-made");
    await page.locator("#new-category-he").fill("נוצרה בדפדפן");
    await andWaitForLoad(page, () =>
      categories
        .getByRole("button", { name: translate("en", "staffSettings.categories.add") })
        .click(),
    );
    await expect(page.locator("#new-category-en-error").textContent()).resolves.toBe(
      translate("en", "error.required"),
    );
    await expect(page.locator("#new-category-slug").inputValue()).resolves.toBe("browser-made");
    await page.locator("#new-category-en").fill("Made in a browser");
    await andWaitForLoad(page, () =>
      categories
        .getByRole("button", { name: translate("en", "staffSettings.categories.add") })
        .click(),
    );
    await expect(toast(page).textContent()).resolves.toContain(
      translate("en", "staffSettings.toast.categoryCreated", { name: "Made in a browser" }),
    );
    const row = categories.locator("li").filter({ hasText: "browser-made" });
    await expect(row.textContent()).resolves.toContain("Made in a browser");

    // Archive: the row says so, and the propose form no longer offers it.
    await andWaitForLoad(page, () =>
      row
        .getByRole("button", {
          name: new RegExp(translate("en", "staffSettings.categories.archive")),
        })
        .click(),
    );
    await expect(toast(page).textContent()).resolves.toContain(
      translate("en", "staffSettings.toast.categoryArchived"),
    );
    await expect(
      categories.locator("li").filter({ hasText: "browser-made" }).textContent(),
    ).resolves.toContain(translate("en", "staffSettings.categories.archived"));
    await page.goto(`${server.baseUrl}/requests/new`);
    const options = await page.locator("#field-categoryId option").allTextContents();
    expect(options).not.toContain("Made in a browser");
    expect(options.length).toBeGreaterThan(2);

    // Grant staff to an account that belongs to no organization.
    const colleague = await makeUser({
      name: "Browser Colleague",
      email: uniqueEmail("colleague"),
    });
    await page.goto(`${server.baseUrl}/staff/settings`);
    await page.locator("#grant-email").fill(colleague.email);
    await page.locator("#grant-role").selectOption("admin");
    await andWaitForLoad(page, () =>
      page
        .locator('section[aria-labelledby="staff-heading"]')
        .getByRole("button", { name: translate("en", "staffSettings.staff.grant") })
        .click(),
    );
    await expect(toast(page).textContent()).resolves.toContain(
      translate("en", "staffSettings.toast.staffGranted", { name: "Browser Colleague" }),
    );
    const granted = await getDb()
      .selectFrom("users")
      .select(["is_staff", "staff_role"])
      .where("id", "=", colleague.id)
      .executeTakeFirstOrThrow();
    expect(granted).toEqual({ is_staff: 1, staff_role: "admin" });

    // Each change is in the audit log, newest first.
    await page.goto(`${server.baseUrl}/staff/audit`);
    const actions = await page.locator("main ol > li").allTextContents();
    expect(actions[0]).toContain(translate("en", "audit.action.staff.grant"));
    expect(actions[1]).toContain(translate("en", "audit.action.category.archive"));
    expect(actions[2]).toContain(translate("en", "audit.action.category.create"));
    await context.close();
  });
});

describe("a customer on the roadmap", () => {
  it.each(["he", "en"] as const)("sees the three columns and their cards (%s)", async (lang) => {
    const { context, page } = await signedIn("dana@acme.test", lang, true);
    await page.goto(`${server.baseUrl}/roadmap`);

    await expect(page.locator("h1").textContent()).resolves.toBe(translate(lang, "roadmap.title"));
    const headings = await page.locator("main section h2").allTextContents();
    expect(headings).toEqual([
      translate(lang, "roadmap.column.planned"),
      translate(lang, "roadmap.column.in_progress"),
      translate(lang, "roadmap.column.shipped"),
    ]);
    const planned = page.locator('section[aria-labelledby="roadmap-planned"]');
    await expect(planned.textContent()).resolves.toContain(
      translate(lang, "request.decision.broad"),
    );
    await expect(planned.textContent()).resolves.toContain(
      translate(lang, "request.decision.sponsored"),
    );
    // Each column leads to the whole list on the board.
    await expect(planned.locator('a[href="/?status=planned"]').textContent()).resolves.toBe(
      translate(lang, "roadmap.seeAll.planned"),
    );
    const shipped = page.locator('section[aria-labelledby="roadmap-shipped"] li h3 a');
    expect(await shipped.count()).toBeGreaterThan(0);

    // A card leads to its request.
    const first = planned.locator("li h3 a").first();
    const title = await first.textContent();
    await first.click();
    await page.waitForURL(/\/requests\/\d+$/);
    await page.getByRole("heading", { level: 1, name: title!, exact: true }).waitFor();
    await page.goBack();
    await expectAccessible(page);
    await context.close();
  });
});
