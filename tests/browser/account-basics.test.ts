// Account basics in the browser, in Hebrew: a user who forgot their password gets a link by
// e-mail and chooses a new one, then deletes their account; the request they proposed stays,
// by "a former member".
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { translate } from "~/i18n/messages";
import {
  allowPageErrors,
  collectAccessibilityProblems,
  launchBrowser,
  mainSubmit,
  newContext,
  signOutThroughMenu,
  signUpThroughForm,
  statusLogged,
  waitForHydration,
  watchForErrors,
} from "../support/browser";
import { uniqueEmail } from "../support/factories";
import { startServer, waitForMailLink, type TestServer } from "../support/server";

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

const locale = "he";
const NEW_PASSWORD = "סיסמה חדשה וארוכה";

function statusText(page: Page) {
  return page.getByRole("status").first().textContent();
}

describe("forgot password, then delete the account", () => {
  it("resets the password from the e-mailed link and deletes the account, keeping the request", async () => {
    const email = uniqueEmail("forgetful");
    const title = `ייצוא דוח מע"מ ${Date.now().toString(36)}`;
    const a11y: string[] = [];
    const context = await newContext(browser, { lang: locale });
    const page = await context.newPage();
    const errors = watchForErrors(page);

    // A new user signs up (and confirms the address), creates an organization and proposes.
    await signUpThroughForm(page, server, { name: "Tamar Forgetful", email });
    await page.locator("#field-name").fill(`Forgetful Ltd ${Date.now().toString(36)}`);
    await Promise.all([page.waitForURL(/\/orgs\/(?!new)[^/]+$/), mainSubmit(page).click()]);
    await page.goto(`${server.baseUrl}/requests/new`);
    await waitForHydration(page);
    await page.locator("#field-title").fill(title);
    await page.locator("#field-categoryId").selectOption({ index: 1 });
    await Promise.all([
      page.waitForURL(/\/requests\/\d+$/),
      page.getByRole("button", { name: translate(locale, "propose.submit") }).click(),
    ]);
    const requestUrl = page.url();
    await signOutThroughMenu(page);

    // "Forgot your password?" from the sign-in card leads to a form that asks for the address.
    await page.goto(`${server.baseUrl}/signin`);
    await Promise.all([
      page.waitForURL((url) => url.pathname === "/forgot-password"),
      page.getByRole("link", { name: translate(locale, "signIn.forgot") }).click(),
    ]);
    await collectAccessibilityProblems(page, a11y);
    await page.locator("#field-email").fill(email);
    await mainSubmit(page).click();
    const answer = page.locator("main").getByRole("status");
    await answer.waitFor();
    await expect.poll(() => answer.textContent()).toContain(email);
    await collectAccessibilityProblems(page, a11y);

    // The e-mail (in Hebrew) carries the link; the page it opens sets the new password.
    const reset = await waitForMailLink(server, email, "/reset-password/");
    expect(reset.mail.subject).toBe(translate(locale, "mail.reset.subject"));
    await page.goto(reset.url);
    await page.getByRole("heading", { level: 1, name: translate(locale, "reset.title") }).waitFor();
    await collectAccessibilityProblems(page, a11y);
    await page.locator("#field-newPassword").fill(NEW_PASSWORD);
    await Promise.all([page.waitForURL((url) => url.pathname === "/"), mainSubmit(page).click()]);
    await expect
      .poll(() => statusText(page))
      .toContain(translate(locale, "toast.passwordReset", { name: "Tamar Forgetful" }));

    // The link worked once: opened again, it says so and offers a new one.
    await page.goto(reset.url);
    await page.getByText(translate(locale, "reset.used")).waitFor();
    await page.getByRole("link", { name: translate(locale, "reset.askAgain") }).waitFor();
    await collectAccessibilityProblems(page, a11y);

    // Account settings → "Delete my account" → a page that explains and asks for the password.
    await page.goto(`${server.baseUrl}/account`);
    await Promise.all([
      page.waitForURL((url) => url.pathname === "/account/delete"),
      page.getByRole("link", { name: translate(locale, "account.delete.link") }).click(),
    ]);
    await page.getByText(translate(locale, "accountDelete.what.content")).waitFor();
    await collectAccessibilityProblems(page, a11y);
    allowPageErrors(
      page,
      statusLogged(400),
      "a wrong password on the deletion page is answered 400, as tested",
    );
    await page.locator("#field-password").fill("not my password");
    await mainSubmit(page).click();
    await page.locator("#field-password-error").waitFor();
    await expect
      .poll(() => page.locator("#field-password-error").textContent())
      .toContain(translate(locale, "error.wrongPassword"));
    await page.locator("#field-password").fill(NEW_PASSWORD);
    await Promise.all([page.waitForURL((url) => url.pathname === "/"), mainSubmit(page).click()]);
    await expect.poll(() => statusText(page)).toContain(translate(locale, "toast.accountDeleted"));
    // Signed out: the header offers to sign in again.
    await expect(page.locator("header details").count()).resolves.toBe(0);

    // The request stays, by "a former member".
    await page.goto(requestUrl);
    await expect(page.locator("main header").textContent()).resolves.toContain(
      translate(locale, "request.proposedBy", {
        author: translate(locale, "request.formerMember"),
      }),
    );

    // The wrong password's 400 is expected; nothing else failed.
    expect(errors.filter((e) => !statusLogged(400).test(e))).toEqual([]);
    expect(a11y).toEqual([]);
    await context.close();
  });
});
