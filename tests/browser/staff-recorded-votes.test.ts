// Staff turn a customer's WhatsApp message into a vote, without JavaScript: they find the
// organization, choose the member, the source and the quote; the vote counts at once and shows
// "recorded by … from WhatsApp" to staff only; the customer's e-mailed link withdraws it, once.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { translate, translateCount } from "~/i18n/messages";
import {
  allowPageErrors,
  andWaitForLoad,
  expectAccessible,
  launchBrowser,
  newContext,
  signInThroughForm,
  statusLogged,
  waitForHydration,
} from "../support/browser";
import { countersAndCounts, latinToken, makeCustomer, proposeRequest } from "../support/factories";
import {
  closeServerDatabase,
  startServer,
  useServerDatabase,
  waitForMailLink,
  type TestServer,
} from "../support/server";

const DEMO_PASSWORD = "demo-pass-1234";
const STAFF = "staff@broadly.test";
const OMER = "omer@acme.test";

let server: TestServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  server = await startServer({ seed: true });
  useServerDatabase(server);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await closeServerDatabase().catch(() => undefined);
  await server?.stop();
});

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
});

async function page({ js, lang = "en" }: { js: boolean; lang?: "he" | "en" }): Promise<Page> {
  const context = await newContext(browser, { lang, javaScriptEnabled: js });
  contexts.push(context);
  const opened = await context.newPage();
  opened.setDefaultTimeout(10_000);
  return opened;
}

async function voteCountOf(id: number) {
  const row = await getDb()
    .selectFrom("requests")
    .select("vote_count")
    .where("id", "=", id)
    .executeTakeFirstOrThrow();
  return row.vote_count;
}

async function expectCountersExact(id: number) {
  const { stored, counted } = await countersAndCounts(id);
  expect(stored.vote_count).toBe(counted.vote_count);
  expect(stored.org_count).toBe(counted.org_count);
  expect(stored.follower_count).toBe(counted.follower_count);
}

describe("a vote staff record for a customer from WhatsApp", () => {
  it("counts at once, shows its provenance to staff only, and the customer's e-mail link withdraws it once", async () => {
    const author = await makeCustomer({ name: "Rina Author", orgName: "Rina Books" });
    const title = `Recurring ${latinToken()} invoices by WhatsApp`;
    const { id } = await proposeRequest(author, { title, category: "general" });
    expect(await voteCountOf(id)).toBe(1);

    // Staff, without JavaScript.
    const staff = await page({ js: false });
    await signInThroughForm(staff, server.baseUrl, STAFF, DEMO_PASSWORD);
    await staff.goto(`${server.baseUrl}/requests/${id}`);
    const tools = staff.locator("#staff-tools");
    await tools.locator("#staff-tools-org").fill("Acme");
    await andWaitForLoad(staff, () =>
      tools.getByRole("button", { name: translate("en", "customer.org.search") }).click(),
    );
    expect(new URL(staff.url()).pathname).toBe(`/requests/${id}/record-vote`);
    await andWaitForLoad(staff, () =>
      staff
        .getByRole("link", { name: translate("en", "customer.org.choose", { org: "Acme Ltd" }) })
        .click(),
    );
    await staff.locator("#field-userId").selectOption({ label: `Omer Levi (${OMER})` });
    await staff.locator("#field-source").selectOption("whatsapp");
    await staff.locator("#field-quote").fill("We'd use this every single week");
    await andWaitForLoad(staff, () =>
      staff.getByRole("button", { name: translate("en", "recordVote.submit") }).click(),
    );
    expect(new URL(staff.url()).pathname).toBe(`/requests/${id}`);
    await expect.poll(() => voteCountOf(id)).toBe(2);
    await expectCountersExact(id);
    await expect
      .poll(() => staff.locator("main").textContent())
      .toContain(translateCount("en", "count.votes", 2));
    const provenance = translate("en", "staffTools.recorded.by", {
      staff: "Shira Staff",
      from: translate("en", "staffRequests.from.whatsapp"),
    });
    expect(await tools.textContent()).toContain(provenance);
    expect(await tools.textContent()).toContain("We'd use this every single week");

    // Omer, signed in, sees the count but not who recorded it.
    const omer = await page({ js: true });
    await signInThroughForm(omer, server.baseUrl, OMER, DEMO_PASSWORD);
    await omer.goto(`${server.baseUrl}/requests/${id}`);
    await waitForHydration(omer);
    const omerText = (await omer.locator("main").textContent()) ?? "";
    expect(omerText).toContain(translateCount("en", "count.votes", 2));
    expect(omerText).not.toContain(provenance);
    expect(await omer.locator("#staff-tools").count()).toBe(0);

    // The e-mail's withdraw link works for someone who is not signed in, without JavaScript.
    const { url, mail } = await waitForMailLink(server, OMER, "/votes/withdraw/");
    expect(mail.text).toContain(`${server.baseUrl}/requests/${id}`);
    const customer = await page({ js: false });
    await customer.goto(url);
    expect(await customer.locator("main").textContent()).toContain(title);
    await andWaitForLoad(customer, () =>
      customer.getByRole("button", { name: translate("en", "voteWithdraw.submit") }).click(),
    );
    await expect
      .poll(() => customer.getByRole("status").textContent())
      .toContain(translate("en", "voteWithdraw.done"));
    await expect.poll(() => voteCountOf(id)).toBe(1);
    await expectCountersExact(id);

    // The link worked once: opened again, it says so and offers no button.
    await customer.goto(url);
    expect(await customer.locator("main").textContent()).toContain(
      translate("en", "voteWithdraw.used"),
    );
    expect(
      await customer.getByRole("button", { name: translate("en", "voteWithdraw.submit") }).count(),
    ).toBe(0);
    expect(await voteCountOf(id)).toBe(1);

    // Staff's page no longer lists it.
    await staff.goto(`${server.baseUrl}/requests/${id}`);
    expect(await tools.textContent()).not.toContain(provenance);
  });

  it("keeps what staff typed and shows every field's error next to it (Hebrew, JavaScript on)", async () => {
    const author = await makeCustomer({ name: "Tal Author", orgName: "Tal Labs" });
    const { id } = await proposeRequest(author, {
      title: `Payroll ${latinToken()} export`,
      category: "general",
    });
    const acme = await getDb()
      .selectFrom("organizations")
      .select("id")
      .where("name", "=", "Acme Ltd")
      .executeTakeFirstOrThrow();
    const staff = await page({ js: true, lang: "he" });
    await signInThroughForm(staff, server.baseUrl, STAFF, DEMO_PASSWORD);
    allowPageErrors(staff, statusLogged(400), "the form is sent with mistakes on purpose");
    await staff.goto(`${server.baseUrl}/requests/${id}/record-vote?orgId=${acme.id}`);
    await waitForHydration(staff);
    await expectAccessible(staff);
    await staff.locator("#field-newContactEmail").fill("not an address");
    await staff.locator("#field-quote").fill("ציטוט שנשמר");
    await staff.getByRole("button", { name: translate("he", "recordVote.submit") }).click();
    await staff.locator("#field-source-error").waitFor();
    await expect
      .poll(() => staff.locator("#field-newContactEmail-error").textContent())
      .toContain(translate("he", "staffRequests.error.contactEmailInvalid"));
    await expect.poll(() => staff.locator("#field-quote").inputValue()).toBe("ציטוט שנשמר");
    await expect
      .poll(() => staff.locator("#field-newContactEmail").inputValue())
      .toBe("not an address");
    expect(await voteCountOf(id)).toBe(1);
  });
});
