// The key journey: an admin signs up, creates an organization and invites a colleague, who
// follows the e-mailed link, signs up from there and joins.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { translate, type Locale } from "~/i18n/messages";
import {
  allowPageErrors,
  collectAccessibilityProblems,
  launchBrowser,
  mainSubmit,
  newContext,
  orgMemberRows,
  signUpThroughForm,
  statusLogged,
  watchForErrors,
} from "../support/browser";
import { uniqueEmail } from "../support/factories";
import { decodeMail, inviteLinkFrom } from "../support/mail";
import { startServer, waitForMailLink, type TestServer } from "../support/server";

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

function memberRow(page: Page, email: string) {
  return orgMemberRows(page).filter({ hasText: email });
}

function pendingInvitations(page: Page) {
  return page.locator('section[aria-labelledby="invitations-heading"]');
}

async function expectDocumentLocale(page: Page, locale: Locale) {
  // After a client-side navigation the document re-renders a moment after the URL changes.
  await page
    .waitForFunction((lang) => document.documentElement.lang === lang, locale, { timeout: 5_000 })
    .catch(() => undefined);
  expect(await page.getAttribute("html", "lang")).toBe(locale);
  expect(await page.getAttribute("html", "dir")).toBe(locale === "he" ? "rtl" : "ltr");
}

/** Creates an organization from /orgs/new and returns its slug. */
async function createOrganization(page: Page, name: string): Promise<string> {
  await page.locator("#field-name").fill(name);
  await Promise.all([page.waitForURL(/\/orgs\/(?!new)[^/]+$/), mainSubmit(page).click()]);
  return new URL(page.url()).pathname.split("/").pop()!;
}

async function invite(page: Page, email: string, role: "member" | "admin" = "member") {
  const form = page.locator('section[aria-labelledby="invite-heading"] form');
  await form.locator("#field-email").fill(email);
  await form.locator('select[name="role"]').selectOption(role);
  await form.locator("button[type=submit]").click();
  await pendingInvitations(page).getByText(email, { exact: true }).waitFor();
}

describe("onboarding: sign up, create an organization, invite a colleague who joins", () => {
  it("works end to end in Hebrew, with the invitee signing up from the e-mailed link", async () => {
    const locale: Locale = "he";
    const adminEmail = uniqueEmail("admin");
    const inviteeEmail = uniqueEmail("invitee");
    // A Hebrew name: the slug cannot come from its letters.
    const orgName = `מעבדות צפון ${Date.now().toString(36)}`;
    const a11y: string[] = [];

    // The admin signs up and lands on the new-organization page.
    const adminContext = await newContext(browser, { lang: locale });
    const admin = await adminContext.newPage();
    const adminErrors = watchForErrors(admin);
    await admin.goto(`${server.baseUrl}/signup`);
    await expectDocumentLocale(admin, locale);
    await expect(admin.getByRole("heading", { level: 1 }).textContent()).resolves.toBe(
      translate(locale, "signUp.title"),
    );
    await collectAccessibilityProblems(admin, a11y);
    await signUpThroughForm(admin, server, {
      name: "Dalia Admin",
      email: adminEmail,
      open: false,
      verify: false,
    });
    expect(new URL(admin.url()).pathname).toBe("/orgs/new");
    await admin
      .getByRole("status")
      .getByText(translate(locale, "toast.signedUp", { name: "Dalia Admin" }))
      .waitFor();
    await collectAccessibilityProblems(admin, a11y);

    // Until the address is confirmed, a banner says so and creating the organization is refused.
    allowPageErrors(
      admin,
      statusLogged(403),
      "creating an organization before the address is confirmed is refused with 403, as tested",
    );
    const banner = admin.getByText(translate(locale, "verify.resend"));
    await banner.waitFor();
    await admin.locator("#field-name").fill(orgName);
    await mainSubmit(admin).click();
    await admin.locator("main").getByText(translate(locale, "verify.error.required")).waitFor();

    // The verification e-mail, in Hebrew, carries the link that confirms the address.
    const verification = await waitForMailLink(server, adminEmail, "/verify-email/");
    expect(verification.mail.subject).toBe(translate(locale, "mail.verify.subject"));
    await admin.goto(verification.url);
    await admin.getByRole("status").getByText(translate(locale, "toast.emailVerified")).waitFor();
    await expect(banner.count()).resolves.toBe(0);
    await admin.goto(`${server.baseUrl}/orgs/new`);

    // … creates the organization and becomes its only admin.
    const slug = await createOrganization(admin, orgName);
    await admin.getByRole("heading", { level: 1, name: orgName }).waitFor();
    await admin
      .getByRole("status")
      .getByText(translate(locale, "toast.orgCreated", { org: orgName }))
      .waitFor();
    await expect(memberRow(admin, adminEmail).textContent()).resolves.toContain(
      translate(locale, "role.admin"),
    );
    await collectAccessibilityProblems(admin, a11y);

    // … and invites a colleague; the invitation is listed as pending.
    await invite(admin, inviteeEmail);
    await admin
      .getByRole("status")
      .getByText(translate(locale, "toast.invited", { email: inviteeEmail }))
      .waitFor();
    await collectAccessibilityProblems(admin, a11y);

    // The invitation e-mail is in Hebrew and carries a personal link to this server.
    const mail = await server.waitForMail(inviteeEmail);
    const { subject, text } = decodeMail(mail);
    expect(subject).toContain(orgName);
    expect(text).toContain(translate(locale, "mail.invite.action"));
    const link = inviteLinkFrom(mail);
    expect(link.startsWith(`${server.baseUrl}/invite/`)).toBe(true);

    // Someone signed in with another address (here the admin) is told so, and cannot accept it.
    await admin.goto(link);
    await expect(admin.locator("main").getByRole("alert").textContent()).resolves.toContain(
      translate(locale, "invite.wrongAccount"),
    );
    await expect(
      admin
        .getByRole("button", { name: translate(locale, "invite.accept", { org: orgName }) })
        .count(),
    ).resolves.toBe(0);

    // The colleague, in a browser of their own, opens the link while signed out.
    const inviteeContext = await newContext(browser, { lang: locale });
    const invitee = await inviteeContext.newPage();
    const inviteeErrors = watchForErrors(invitee);
    const opened = await invitee.goto(link);
    expect(opened?.status()).toBe(200);
    await invitee
      .getByRole("heading", { level: 1, name: translate(locale, "invite.title", { org: orgName }) })
      .waitFor();
    await expect(invitee.locator("main").textContent()).resolves.toContain(inviteeEmail);
    await collectAccessibilityProblems(invitee, a11y);

    // "Sign up and join" leads to sign-up with the invited address already filled in.
    await invitee.locator('main a[href^="/signup?"]').click();
    await invitee.waitForURL((url) => url.pathname === "/signup");
    const signUpUrl = new URL(invitee.url());
    expect(signUpUrl.searchParams.get("email")).toBe(inviteeEmail);
    expect(signUpUrl.searchParams.get("redirectTo")).toBe(new URL(link).pathname);
    await expect(invitee.locator("#field-email").inputValue()).resolves.toBe(inviteeEmail);
    // No need to open the verification e-mail: joining through the invitation confirms the address.
    await signUpThroughForm(invitee, server, { name: "Yoav Invitee", open: false, verify: false });

    // Back on the invitation, now signed in with the matching address: accept it.
    expect(new URL(invitee.url()).pathname).toBe(new URL(link).pathname);
    const accept = invitee.getByRole("button", {
      name: translate(locale, "invite.accept", { org: orgName }),
    });
    await accept.waitFor();
    await Promise.all([
      invitee.waitForURL((url) => url.pathname === `/orgs/${slug}`),
      accept.click(),
    ]);
    await invitee
      .getByRole("status")
      .getByText(translate(locale, "toast.joined", { org: orgName }))
      .waitFor();
    await expect(invitee.getByText(translate(locale, "verify.resend")).count()).resolves.toBe(0);

    // The invitee sees themselves as a member, and neither the invite form nor other members' controls.
    const me = memberRow(invitee, inviteeEmail);
    await expect(me.textContent()).resolves.toContain(translate(locale, "org.members.you"));
    await expect(me.textContent()).resolves.toContain(translate(locale, "role.member"));
    await expect(memberRow(invitee, adminEmail).count()).resolves.toBe(1);
    await expect(
      invitee.locator('section[aria-labelledby="invite-heading"]').count(),
    ).resolves.toBe(0);
    await collectAccessibilityProblems(invitee, a11y);

    // The admin's page lists the new member, and the invitation is no longer pending.
    await admin.goto(`${server.baseUrl}/orgs/${slug}`);
    await expect(memberRow(admin, inviteeEmail).textContent()).resolves.toContain(
      translate(locale, "role.member"),
    );
    await expect(
      pendingInvitations(admin).getByText(inviteeEmail, { exact: true }).count(),
    ).resolves.toBe(0);

    // The link is single-use: opening it again says so.
    allowPageErrors(
      invitee,
      statusLogged(410),
      "a used invitation link is answered 410, as tested",
    );
    const again = await invitee.goto(link);
    expect(again?.status()).toBe(410);
    await invitee
      .getByRole("heading", { level: 1, name: translate(locale, "invite.problemTitle") })
      .waitFor();

    // 403 on the organization refused before verifying and 410 on the reopened link are
    // expected; nothing else failed.
    expect(adminErrors.filter((e) => !statusLogged(403).test(e))).toEqual([]);
    expect(inviteeErrors.filter((e) => !statusLogged(410).test(e))).toEqual([]);
    // Accessibility last, so the whole journey above is checked even when axe finds something.
    expect(a11y).toEqual([]);
    await adminContext.close();
    await inviteeContext.close();
  });

  it("works in English at phone size, with an invitee who already has an account", async () => {
    const locale: Locale = "en";
    const adminEmail = uniqueEmail("phone-admin");
    const inviteeEmail = uniqueEmail("phone-invitee");
    const orgName = `Harbor Works ${Date.now().toString(36)}`;
    const a11y: string[] = [];

    const adminContext = await newContext(browser, { lang: locale, phone: true });
    const admin = await adminContext.newPage();
    await signUpThroughForm(admin, server, { name: "Alex Admin", email: adminEmail });
    await expectDocumentLocale(admin, locale);
    const slug = await createOrganization(admin, orgName);
    await invite(admin, inviteeEmail, "admin");
    await collectAccessibilityProblems(admin, a11y);

    // The invitee already has an account and is signed in when the link arrives.
    const inviteeContext = await newContext(browser, { lang: locale, phone: true });
    const invitee = await inviteeContext.newPage();
    await signUpThroughForm(invitee, server, { name: "Sam Invitee", email: inviteeEmail });

    // Their mailbox also has the verification e-mail: pick the invitation.
    const { url: inviteLink, mail } = await waitForMailLink(server, inviteeEmail, "/invite/");
    expect(mail.subject).toBe(
      translate(locale, "mail.invite.subject", { inviter: "Alex Admin", org: orgName }),
    );
    await invitee.goto(inviteLink);
    await expectDocumentLocale(invitee, locale);
    await expect(invitee.locator("main").textContent()).resolves.toContain(
      translate(locale, "invite.lead", {
        inviter: "Alex Admin",
        org: orgName,
        role: translate(locale, "role.admin"),
      }),
    );
    await collectAccessibilityProblems(invitee, a11y);
    await Promise.all([
      invitee.waitForURL((url) => url.pathname === `/orgs/${slug}`),
      invitee
        .getByRole("button", { name: translate(locale, "invite.accept", { org: orgName }) })
        .click(),
    ]);
    await expect(memberRow(invitee, inviteeEmail).textContent()).resolves.toContain(
      translate(locale, "role.admin"),
    );
    // Invited as admin, the newcomer gets the invite form too.
    await invitee.locator('section[aria-labelledby="invite-heading"]').waitFor();
    await collectAccessibilityProblems(invitee, a11y);

    await admin.reload();
    await expect(memberRow(admin, inviteeEmail).textContent()).resolves.toContain(
      translate(locale, "role.admin"),
    );
    expect(a11y).toEqual([]);
    await adminContext.close();
    await inviteeContext.close();
  });
});
