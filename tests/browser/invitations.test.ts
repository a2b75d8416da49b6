// Invitations as people meet them in the browser: the invite form empties after sending (with
// JavaScript and without), a plain member sees members rather than management, "write to us"
// is a real link, and joining a second organization keeps the one the user works for.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { translate, type Locale } from "~/i18n/messages";
import {
  expectAccessible,
  launchBrowser,
  newContext,
  signInThroughForm,
  waitForHydration,
  watchForErrors,
} from "../support/browser";
import { uniqueEmail } from "../support/factories";
import { decodeMail, inviteLinkFrom } from "../support/mail";
import { startServer, type TestServer } from "../support/server";

const DEMO_PASSWORD = "demo-pass-1234";

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

async function signedIn(
  email: string,
  { lang = "he", javaScriptEnabled = true }: { lang?: Locale; javaScriptEnabled?: boolean } = {},
) {
  const context = await newContext(browser, { lang, javaScriptEnabled });
  const page = await context.newPage();
  const errors = watchForErrors(page);
  await signInThroughForm(page, server.baseUrl, email, DEMO_PASSWORD);
  return { context, page, errors };
}

function inviteForm(page: Page) {
  return page.locator('section[aria-labelledby="invite-heading"] form');
}

async function sendInvitation(page: Page, email: string) {
  const form = inviteForm(page);
  await form.locator("#field-email").fill(email);
  await form.locator('select[name="role"]').selectOption("admin");
  await form.locator("button[type=submit]").click();
  await page
    .locator('section[aria-labelledby="invitations-heading"]')
    .getByText(email, { exact: true })
    .waitFor();
}

describe("the invite form", () => {
  it.each([true, false])(
    "is empty again after an invitation is sent (JavaScript %s)",
    async (javaScriptEnabled) => {
      const { context, page, errors } = await signedIn("dana@acme.test", { javaScriptEnabled });
      await page.goto(`${server.baseUrl}/orgs/acme`);
      if (javaScriptEnabled) await waitForHydration(page);
      const email = uniqueEmail(javaScriptEnabled ? "js" : "nojs");

      await sendInvitation(page, email);

      await page
        .getByRole("status")
        .getByText(translate("he", "toast.invited", { email }))
        .waitFor();
      const form = inviteForm(page);
      await expect(form.locator("#field-email").inputValue()).resolves.toBe("");
      await expect(form.locator('select[name="role"]').inputValue()).resolves.toBe("member");
      if (javaScriptEnabled) {
        // Ready for the next colleague.
        await expect(page.evaluate(() => document.activeElement?.id ?? null)).resolves.toBe(
          "field-email",
        );
        await expectAccessible(page);
      }
      expect(errors).toEqual([]);
      await context.close();
    },
  );
});

describe("a plain member", () => {
  it.each(["he", "en"] as const)(
    "sees the members, not management, and can write to us from the account page (%s)",
    async (lang) => {
      const { context, page, errors } = await signedIn("omer@acme.test", { lang });

      await page.goto(`${server.baseUrl}/account`);
      const orgs = page.locator('section[aria-labelledby="orgs-heading"]');
      await expect(orgs.textContent()).resolves.toContain(
        translate(lang, "account.orgs.view", { org: "Acme Ltd" }),
      );
      await expect(orgs.textContent()).resolves.not.toContain(
        translate(lang, "account.orgs.open", { org: "Acme Ltd" }),
      );
      const writeToUs = page.locator(
        'section[aria-labelledby="profile-heading"] a[href^="mailto:"]',
      );
      await expect(writeToUs.getAttribute("href")).resolves.toMatch(
        /^mailto:support@broadly\.test\?subject=.+/,
      );
      await expectAccessible(page);

      await page.goto(`${server.baseUrl}/orgs/acme`);
      await expect(page.locator("main").textContent()).resolves.toContain(
        translate(lang, "org.memberView", { org: "Acme Ltd" }),
      );
      await expect(inviteForm(page).count()).resolves.toBe(0);
      // The only control on the members list is leaving, on their own row.
      const controls = page.locator('section[aria-labelledby="members-heading"] button');
      await expect(controls.allTextContents()).resolves.toEqual([
        translate(lang, "org.members.leave"),
      ]);
      await page.locator("header details > summary").click();
      await expect(page.locator("header details nav").textContent()).resolves.toContain(
        translate(lang, "account.orgMembers"),
      );
      await expectAccessible(page);
      expect(errors).toEqual([]);
      await context.close();
    },
  );
});

describe("joining a second organization", () => {
  it("keeps the current organization and says how to switch", async () => {
    const noa = await signedIn("noa@globex.test", { lang: "en" });
    await noa.page.goto(`${server.baseUrl}/orgs/globex`);
    await sendInvitation(noa.page, "omer@acme.test");
    // The invitation to Omer (the demo data's quotes e-mail Globex's admins and staff too).
    const link = inviteLinkFrom(
      await server.waitForMail(
        (raw) => raw.includes("To: omer@acme.test") && /\/invite\//.test(decodeMail(raw).text),
      ),
    );
    await noa.context.close();

    const omer = await signedIn("omer@acme.test", { lang: "en" });
    await omer.page.goto(link);
    await Promise.all([
      omer.page.waitForURL((url) => url.pathname === "/orgs/globex"),
      omer.page
        .getByRole("button", { name: translate("en", "invite.accept", { org: "Globex" }) })
        .click(),
    ]);

    await omer.page
      .getByRole("status")
      .getByText("You joined Globex. You're still working as Acme Ltd: switch in the account menu.")
      .waitFor();
    await expect(omer.page.locator("header details > summary").textContent()).resolves.toContain(
      "Acme Ltd",
    );
    // The joined organization's page offers the switch too.
    const switchHere = omer.page.getByRole("button", {
      name: translate("en", "org.switchHere", { org: "Globex" }),
    });
    await expectAccessible(omer.page);
    await switchHere.click();
    await omer.page
      .getByRole("status")
      .getByText(translate("en", "toast.orgSwitched", { org: "Globex" }))
      .waitFor();
    await expect(switchHere.count()).resolves.toBe(0);
    expect(omer.errors).toEqual([]);
    await omer.context.close();
  });
});
