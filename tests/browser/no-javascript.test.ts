// Everything on the accounts path works as plain HTML forms, with JavaScript turned off.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { translate } from "~/i18n/messages";
import {
  allowPageErrors,
  launchBrowser,
  mainSubmit,
  newContext,
  orgMemberRows,
  signInThroughForm,
  signOutThroughMenu,
  signUpThroughForm,
  statusLogged,
} from "../support/browser";
import { uniqueEmail } from "../support/factories";
import { decodeMail, inviteLinkFrom } from "../support/mail";
import { startServer, type TestServer } from "../support/server";

const DEMO_PASSWORD = "demo-pass-1234";
const locale = "he";

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

/** A fresh browser (its own cookies) with JavaScript off; closing the browser closes it. */
async function pageWithoutJavaScript(): Promise<Page> {
  const context = await newContext(browser, { lang: locale, javaScriptEnabled: false });
  return context.newPage();
}

async function heading(page: Page) {
  return (await page.getByRole("heading", { level: 1 }).textContent())?.trim();
}

describe("without JavaScript", () => {
  it("signs in after a wrong password, keeping the e-mail, and returns to the page that asked", async () => {
    const page = await pageWithoutJavaScript();

    // A signed-out visit to /account is sent to sign in, remembering where it came from.
    await page.goto(`${server.baseUrl}/account`);
    // Remix's inline scripts did not run: this really is the page without JavaScript.
    expect(
      await page.evaluate(() => typeof (window as { __remixContext?: unknown }).__remixContext),
    ).toBe("undefined");
    const signInUrl = new URL(page.url());
    expect(signInUrl.pathname).toBe("/signin");
    expect(signInUrl.searchParams.get("redirectTo")).toBe("/account");
    expect(await page.locator('main input[name="redirectTo"]').inputValue()).toBe("/account");

    // A wrong password: the generic message next to the form, the e-mail kept, the password not.
    allowPageErrors(page, statusLogged(401), "the wrong password is answered 401, as tested");
    await page.locator("#field-email").fill("dana@acme.test");
    await page.locator("#field-password").fill("not-the-password");
    const [refused] = await Promise.all([
      page.waitForResponse(
        (r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/signin",
      ),
      mainSubmit(page).click(),
    ]);
    await page.waitForLoadState("load");
    expect(refused.status()).toBe(401);
    const alert = page.locator("main form").getByRole("alert");
    expect((await alert.textContent())?.trim()).toBe(translate(locale, "error.invalidCredentials"));
    expect(await page.locator("#field-email").inputValue()).toBe("dana@acme.test");
    expect(await page.locator("#field-password").inputValue()).toBe("");
    // The message does not say which of the two was wrong.
    expect(await page.locator("#field-email").getAttribute("aria-invalid")).toBeNull();
    expect(await page.locator('main input[name="redirectTo"]').inputValue()).toBe("/account");

    // The right password signs in and goes back to /account.
    await page.locator("#field-password").fill(DEMO_PASSWORD);
    await Promise.all([
      page.waitForURL((url) => url.pathname === "/account"),
      mainSubmit(page).click(),
    ]);
    expect(await heading(page)).toBe(translate(locale, "account.title"));
    expect(await page.getByRole("status").textContent()).toContain(
      translate(locale, "toast.signedIn", { name: "Dana Cohen" }),
    );
  });

  it("keeps the typed name and e-mail when sign-up is refused, and says what to fix", async () => {
    const page = await pageWithoutJavaScript();
    const email = uniqueEmail("nojs-short");
    allowPageErrors(page, statusLogged(400), "both refused sign-ups are answered 400, as tested");
    await page.goto(`${server.baseUrl}/signup`);
    await page.locator("#field-name").fill("Rina Short");
    await page.locator("#field-email").fill(email);
    await page.locator("#field-password").fill("short");
    await mainSubmit(page).click();
    await page.waitForLoadState("load");

    expect(new URL(page.url()).pathname).toBe("/signup");
    expect(await page.locator("#field-name").inputValue()).toBe("Rina Short");
    expect(await page.locator("#field-email").inputValue()).toBe(email);
    const password = page.locator("#field-password");
    expect(await password.getAttribute("aria-invalid")).toBe("true");
    expect(await password.getAttribute("aria-describedby")).toContain("field-password-error");
    expect(await page.locator("#field-password-error").textContent()).toContain(
      translate(locale, "error.passwordTooShort"),
    );

    // An e-mail that already has an account is refused next to the e-mail field.
    await page.locator("#field-email").fill("dana@acme.test");
    await page.locator("#field-password").fill("long-enough-password");
    await mainSubmit(page).click();
    await page.waitForLoadState("load");
    expect(await page.locator("#field-name").inputValue()).toBe("Rina Short");
    expect(await page.locator("#field-email").getAttribute("aria-invalid")).toBe("true");
    expect(await page.locator("#field-email-error").textContent()).toContain(
      translate(locale, "error.emailTaken"),
    );
  });

  it("signs up, creates an organization, sends and revokes an invitation, and signs out", async () => {
    const page = await pageWithoutJavaScript();
    const adminEmail = uniqueEmail("nojs-admin");
    const inviteeEmail = uniqueEmail("nojs-invitee");
    const orgName = `Plain Forms ${Date.now().toString(36)}`;

    await signUpThroughForm(page, server, { name: "Gil Plain", email: adminEmail });
    expect(new URL(page.url()).pathname).toBe("/orgs/new");
    expect(await page.getByRole("status").textContent()).toContain(
      translate(locale, "toast.signedUp", { name: "Gil Plain" }),
    );

    // A too-short name is refused and kept; a good one creates the organization.
    allowPageErrors(page, statusLogged(400), "the refused forms are answered 400, as tested");
    await page.locator("#field-name").fill("P");
    await mainSubmit(page).click();
    await page.waitForLoadState("load");
    expect(await page.locator("#field-name").inputValue()).toBe("P");
    expect(await page.locator("#field-name-error").textContent()).toContain(
      translate(locale, "error.orgNameTooShort"),
    );
    await page.locator("#field-name").fill(orgName);
    await Promise.all([page.waitForURL(/\/orgs\/(?!new)[^/]+$/), mainSubmit(page).click()]);
    expect(await heading(page)).toBe(translate(locale, "org.title", { org: orgName }));
    expect(await page.getByRole("status").textContent()).toContain(
      translate(locale, "toast.orgCreated", { org: orgName }),
    );

    // The invite form: a bad address is refused next to the field, a good one is sent.
    const inviteForm = page.locator('section[aria-labelledby="invite-heading"] form');
    await inviteForm.locator("#field-email").fill("not-an-address");
    await inviteForm.locator("button[type=submit]").click();
    await page.waitForLoadState("load");
    expect(await page.locator("#field-email").inputValue()).toBe("not-an-address");
    expect(await page.locator("#field-email-error").textContent()).toContain(
      translate(locale, "error.emailInvalid"),
    );

    await page
      .locator('section[aria-labelledby="invite-heading"] form #field-email')
      .fill(inviteeEmail);
    await page
      .locator('section[aria-labelledby="invite-heading"] select[name="role"]')
      .selectOption("admin");
    await page
      .locator('section[aria-labelledby="invite-heading"] form button[type=submit]')
      .click();
    await page.waitForLoadState("load");
    expect(await page.getByRole("status").textContent()).toContain(
      translate(locale, "toast.invited", { email: inviteeEmail }),
    );
    const pending = page.locator('section[aria-labelledby="invitations-heading"] li', {
      hasText: inviteeEmail,
    });
    expect(await pending.count()).toBe(1);
    expect(await pending.textContent()).toContain(translate(locale, "role.admin"));
    const mail = decodeMail(await server.waitForMail(inviteeEmail));
    expect(mail.subject).toContain(orgName);

    // Revoking works as a plain form too.
    await pending.locator("button[type=submit]").click();
    await page.waitForLoadState("load");
    expect(await page.getByRole("status").textContent()).toContain(
      translate(locale, "toast.invitationRevoked"),
    );
    expect(
      await page
        .locator('section[aria-labelledby="invitations-heading"] li', { hasText: inviteeEmail })
        .count(),
    ).toBe(0);

    // Sign out from the account menu (a <details>, so it opens without scripts).
    await signOutThroughMenu(page);
    expect(new URL(page.url()).pathname).toBe("/");
    expect(await page.getByRole("status").textContent()).toContain(
      translate(locale, "toast.signedOut"),
    );
    await page.goto(`${server.baseUrl}/orgs/new`);
    expect(new URL(page.url()).pathname).toBe("/signin");
  });
  it("lets an invitee sign up from the e-mailed link and join", async () => {
    // Dana, Acme's admin, invites a new colleague.
    const inviteeEmail = uniqueEmail("nojs-joiner");
    const admin = await pageWithoutJavaScript();
    await signInThroughForm(admin, server.baseUrl, "dana@acme.test", DEMO_PASSWORD, "/orgs/acme");
    expect(new URL(admin.url()).pathname).toBe("/orgs/acme");
    const inviteSection = admin.locator('section[aria-labelledby="invite-heading"]');
    await inviteSection.locator("#field-email").fill(inviteeEmail);
    await inviteSection.locator("button[type=submit]").click();
    await admin.waitForLoadState("load");
    const link = inviteLinkFrom(await server.waitForMail(inviteeEmail));

    // The invitee opens it, follows "sign up and join", and lands back on the invitation.
    const page = await pageWithoutJavaScript();
    await page.goto(link);
    await page.locator('main a[href^="/signup?"]').click();
    await page.waitForURL((url) => url.pathname === "/signup");
    expect(await page.locator("#field-email").inputValue()).toBe(inviteeEmail);
    await signUpThroughForm(page, server, { name: "Tal Joiner", open: false });
    expect(new URL(page.url()).pathname).toBe(new URL(link).pathname);

    // Accepting is a plain form post, and leads to the organization's page.
    await Promise.all([
      page.waitForURL((url) => url.pathname === "/orgs/acme"),
      mainSubmit(page).click(),
    ]);
    expect(await page.getByRole("status").textContent()).toContain(
      translate(locale, "toast.joined", { org: "Acme Ltd" }),
    );
    const me = orgMemberRows(page).filter({ hasText: inviteeEmail });
    expect(await me.textContent()).toContain(translate(locale, "org.members.you"));
    expect(await me.textContent()).toContain(translate(locale, "role.member"));

    await admin.reload();
    expect(await orgMemberRows(admin).filter({ hasText: inviteeEmail }).count()).toBe(1);
  });
});
