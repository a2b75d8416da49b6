// One organization's members are invisible and untouchable from another, and from other sites.
import fs from "node:fs";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { translate } from "~/i18n/messages";
import {
  allowPageErrors,
  launchBrowser,
  newContext,
  orgMemberRows,
  signInThroughForm,
  statusLogged,
} from "../support/browser";
import { startServer, type TestServer } from "../support/server";

const DEMO_PASSWORD = "demo-pass-1234";

let server: TestServer;
let browser: Browser;
let dana: { context: BrowserContext; page: Page };

beforeAll(async () => {
  server = await startServer({ seed: true });
  browser = await launchBrowser();
  dana = await signedIn("dana@acme.test");
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function signedIn(email: string) {
  const context = await newContext(browser, { lang: "en" });
  const page = await context.newPage();
  await signInThroughForm(page, server.baseUrl, email, DEMO_PASSWORD);
  return { context, page };
}

/** What Acme's admin sees: the members and the pending invitations' addresses. */
async function acmeAsDana() {
  await dana.page.goto(`${server.baseUrl}/orgs/acme`);
  const members = await orgMemberRows(dana.page).allTextContents();
  const invitations = await dana.page
    .locator('section[aria-labelledby="invitations-heading"] li')
    .allTextContents();
  expect(members.length).toBeGreaterThanOrEqual(2);
  return {
    members: members.join("\n"),
    invitations: invitations.join("\n"),
    memberCount: members.length,
  };
}

/** POSTs a form from inside the page, as a script on this origin would (so it passes the CSRF check). */
async function postFromPage(page: Page, path: string, fields: Record<string, string>) {
  return page.evaluate(
    async ({ path, fields }) => {
      const response = await fetch(path, {
        method: "POST",
        body: new URLSearchParams(fields),
        redirect: "manual",
      });
      return { status: response.status, type: response.type };
    },
    { path, fields },
  );
}

function mailsTo(address: string): number {
  if (!fs.existsSync(server.mailDir)) return 0;
  return fs
    .readdirSync(server.mailDir)
    .filter((file) => file.endsWith(".eml"))
    .filter((file) => fs.readFileSync(`${server.mailDir}/${file}`, "utf8").includes(address))
    .length;
}

/** Long enough for the outbox worker (polling every 200 ms) to have sent anything queued. */
const outboxTick = () => new Promise((resolve) => setTimeout(resolve, 700));

describe("organization isolation", () => {
  it("shows another organization's page as not found to a member of a different one", async () => {
    const { context, page } = await signedIn("noa@globex.test");
    allowPageErrors(page, statusLogged(404), "Acme's page is not found for Globex's admin");
    const response = await page.goto(`${server.baseUrl}/orgs/acme`);
    expect(response?.status()).toBe(404);
    expect((await page.getByRole("heading", { level: 1 }).textContent())?.trim()).toBe(
      translate("en", "error.404.title"),
    );
    const body = (await page.locator("main").textContent()) ?? "";
    for (const secret of ["Acme Ltd", "dana@acme.test", "omer@acme.test", "Dana Cohen"])
      expect(body).not.toContain(secret);

    // Her own organization is there, so the 404 is about Acme, not about her.
    expect((await page.goto(`${server.baseUrl}/orgs/globex`))?.status()).toBe(200);
    await context.close();
  });

  it("refuses another organization's member who posts an invitation or a role change directly", async () => {
    const { context, page } = await signedIn("noa@globex.test");
    allowPageErrors(page, statusLogged(404), "her posts to Acme are answered 404, as tested");
    await page.goto(`${server.baseUrl}/orgs/globex`);
    const before = await acmeAsDana();

    const invite = await postFromPage(page, "/orgs/acme", {
      intent: "invite",
      email: "intruder@globex.test",
      role: "admin",
    });
    expect(invite.status).toBe(404);
    const promote = await postFromPage(page, "/orgs/acme", {
      intent: "role",
      userId: "1",
      role: "admin",
    });
    expect(promote.status).toBe(404);
    // Single-fetch data requests, the way Remix itself submits, are refused the same way.
    expect(
      (
        await postFromPage(page, "/orgs/acme.data", {
          intent: "invite",
          email: "intruder@globex.test",
          role: "admin",
        })
      ).status,
    ).toBe(404);

    await outboxTick();
    const after = await acmeAsDana();
    expect(after.invitations).not.toContain("intruder@globex.test");
    expect(after).toEqual(before);
    expect(mailsTo("intruder@globex.test")).toBe(0);
    await context.close();
  });

  it("gives a plain member no invite form and no controls over others, and refuses their direct posts", async () => {
    const { context, page } = await signedIn("omer@acme.test");
    const response = await page.goto(`${server.baseUrl}/orgs/acme`);
    expect(response?.status()).toBe(200);
    const members = orgMemberRows(page);
    expect(await members.count()).toBeGreaterThanOrEqual(2);

    // No invite form, no pending invitations, no e-mail field at all.
    expect(await page.locator('section[aria-labelledby="invite-heading"]').count()).toBe(0);
    expect(await page.locator('section[aria-labelledby="invitations-heading"]').count()).toBe(0);
    expect(await page.locator("main #field-email").count()).toBe(0);

    // Dana's row has no buttons; Omer's own row only lets him leave.
    const danaRow = members.filter({ hasText: "dana@acme.test" });
    expect(await danaRow.locator("button").count()).toBe(0);
    const omerRow = members.filter({ hasText: "omer@acme.test" });
    expect(await omerRow.locator("button").allTextContents()).toEqual([
      translate("en", "org.members.leave"),
    ]);
    expect(await page.locator('main input[name="intent"][value="role"]').count()).toBe(0);
    expect(await page.locator('main input[name="intent"][value="invite"]').count()).toBe(0);

    // Posting the forms he cannot see is refused by the server too.
    allowPageErrors(page, statusLogged(403), "his direct posts are answered 403, as tested");
    const before = await acmeAsDana();
    const invite = await postFromPage(page, "/orgs/acme", {
      intent: "invite",
      email: "friend-of-omer@example.test",
      role: "member",
    });
    expect(invite.status).toBe(403);
    const danaId = await orgMemberRows(dana.page)
      .filter({ hasText: "dana@acme.test" })
      .locator('input[name="userId"]')
      .first()
      .inputValue();
    const demote = await postFromPage(page, "/orgs/acme", {
      intent: "role",
      userId: danaId,
      role: "member",
    });
    expect(demote.status).toBe(403);
    const remove = await postFromPage(page, "/orgs/acme", { intent: "remove", userId: danaId });
    expect(remove.status).toBe(403);

    await outboxTick();
    const after = await acmeAsDana();
    expect(after).toEqual(before);
    expect(mailsTo("friend-of-omer@example.test")).toBe(0);
    await context.close();
  });
});

describe("cross-site requests", () => {
  async function danaCookieHeader() {
    const cookies = await dana.context.cookies(server.baseUrl);
    return cookies.map((c) => `${c.name}=${c.value}`).join("; ");
  }

  it("refuses a POST that says it comes from another origin, even with a valid session", async () => {
    const cookie = await danaCookieHeader();
    expect(cookie).toContain("__session=");
    const body = new URLSearchParams({
      intent: "invite",
      email: "evil@evil.example",
      role: "admin",
    });
    const headers = { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" };

    const fromOrigin = await fetch(`${server.baseUrl}/orgs/acme`, {
      method: "POST",
      body,
      headers: { ...headers, Origin: "http://evil.example", "Accept-Language": "en" },
      redirect: "manual",
    });
    expect(fromOrigin.status).toBe(403);
    expect(await fromOrigin.text()).toContain(translate("en", "error.crossSite.title"));

    const fromFetchMetadata = await fetch(`${server.baseUrl}/orgs/acme`, {
      method: "POST",
      body,
      headers: { ...headers, "Sec-Fetch-Site": "cross-site" },
      redirect: "manual",
    });
    expect(fromFetchMetadata.status).toBe(403);

    // The same request from this site's own origin goes through: the cookie was good, the origin was not.
    const fromHome = await fetch(`${server.baseUrl}/orgs/acme`, {
      method: "POST",
      body: new URLSearchParams({ intent: "invite", email: "welcome@acme.test", role: "member" }),
      headers: { ...headers, Origin: server.baseUrl, "Sec-Fetch-Site": "same-origin" },
      redirect: "manual",
    });
    expect(fromHome.status).toBe(302);

    await outboxTick();
    const acme = await acmeAsDana();
    expect(acme.invitations).toContain("welcome@acme.test");
    expect(acme.invitations).not.toContain("evil@evil.example");
    expect(mailsTo("evil@evil.example")).toBe(0);
  });

  it("refuses a form on another site that a signed-in user's browser submits", async () => {
    // A page "on evil.example" (served by the test) that auto-submits a form to Broadly.
    const page = await dana.context.newPage();
    allowPageErrors(page, statusLogged(403), "the forged form is answered 403, as tested");
    await page.route("http://evil.example/**", (route) =>
      route.fulfill({
        contentType: "text/html",
        body: `<!doctype html><form method="post" action="${server.baseUrl}/orgs/acme">
          <input name="intent" value="invite"><input name="email" value="forged@evil.example"><input name="role" value="admin">
          </form><script>document.forms[0].submit()</script>`,
      }),
    );
    const refused = page.waitForResponse(
      (r) => r.url() === `${server.baseUrl}/orgs/acme` && r.request().method() === "POST",
    );
    await page.goto("http://evil.example/attack");
    expect((await refused).status()).toBe(403);
    await page.close();

    await outboxTick();
    const acme = await acmeAsDana();
    expect(acme.invitations).not.toContain("forged@evil.example");
    expect(mailsTo("forged@evil.example")).toBe(0);
  });
});
