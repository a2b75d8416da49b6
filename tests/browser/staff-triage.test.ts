// Staff triage in the browser, as the seeded staff admin: three requests decided from the queue
// at /staff (broadly useful, declined, merged) and one moved on to shipped from its page, with
// JavaScript and without; then a customer sees each outcome on the board, the request pages and
// the roadmap, in Hebrew and English. Also: the queue from the keyboard (j/k, a key per decision,
// the focus after a decision), refused forms that keep what was typed, stale moves, and who is
// refused (customers 404, visitors sent to sign in).
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { quarterLabel } from "~/components/TargetQuarter";
import { upcomingQuarters } from "~/models/quarters";
import { translate, translateCount, translator, type Locale } from "~/i18n/messages";
import {
  allowPageErrors,
  andWaitForLoad,
  launchBrowser,
  newContext,
  signInThroughForm,
  statusLogged,
  waitForHydration,
} from "../support/browser";
import { decideRequest } from "~/models/triage.server";
import { getDb } from "~/db.server";
import {
  latinToken,
  makeCategory,
  makeStaff,
  makeStaffAdmin,
  makeCustomer,
  proposeRequest,
  TEST_PASSWORD,
  type Customer,
} from "../support/factories";
import {
  closeServerDatabase,
  startServer,
  useServerDatabase,
  type TestServer,
} from "../support/server";

const STAFF_EMAIL = "staff@broadly.test";
const DEMO_PASSWORD = "demo-pass-1234";

let server: TestServer;
let browser: Browser;
let author: Customer;
let voter: Customer;

/**
 * Waits until the server's worker has sent the seed's e-mails (the seed decides requests through
 * the triage model, which notifies their followers): while it drains them it writes, and a
 * factory's transaction started meanwhile can be refused with SQLITE_BUSY.
 */
async function outboxDrained() {
  const until = Date.now() + 30_000;
  for (;;) {
    const row = await getDb()
      .selectFrom("outbox")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("sent_at", "is", null)
      .where("failed_at", "is", null)
      .executeTakeFirstOrThrow();
    if (Number(row.n) === 0) return;
    if (Date.now() > until) throw new Error(`the outbox still holds ${row.n} e-mails`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

beforeAll(async () => {
  server = await startServer({ seed: true });
  useServerDatabase(server);
  await outboxDrained();
  author = await makeCustomer({ name: "Avi Ben-David", orgName: "Avi Works" });
  voter = await makeCustomer({ name: "Bea Klein", orgName: "Bea Systems" });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await closeServerDatabase().catch(() => undefined);
  await server?.stop();
});

const contexts: BrowserContext[] = [];
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
});

async function signedInPage(
  email: string,
  {
    lang = "he",
    js = true,
    password = TEST_PASSWORD,
  }: { lang?: Locale; js?: boolean; password?: string } = {},
): Promise<Page> {
  const context = await newContext(browser, { lang, javaScriptEnabled: js });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  await signInThroughForm(page, server.baseUrl, email, password);
  return page;
}

function staffPage(options: { lang?: Locale; js?: boolean } = {}) {
  return signedInPage(STAFF_EMAIL, { ...options, password: DEMO_PASSWORD });
}

/** A category of its own holding `count` new requests (oldest first), so the queue filtered by it shows just them. */
async function queueOf(count: number, label: string) {
  const category = await makeCategory(`Triage ${latinToken()}`);
  const ids: number[] = [];
  for (let i = 0; i < count; i++) {
    const { id } = await proposeRequest(author, {
      categoryId: category.id,
      title: `${label} ${i + 1} ${latinToken()}`,
    });
    ids.push(id);
  }
  return { slug: category.slug, ids };
}

const item = (page: Page, id: number) => page.locator(`#request-${id}`);

/**
 * Opens request `id`'s decision `kind` and returns its form: by the request's button (in place
 * with JavaScript; without, the page comes back with that form open), or by its disclosure
 * once the forms are open.
 */
async function openDecision(page: Page, id: number, kind: string) {
  const details = page.locator(`details[name="decide-${id}"][data-decision="${kind}"]`);
  const opener = page.locator(`form[data-decisions="${id}"] button[name="kind"][value="${kind}"]`);
  if ((await opener.count()) > 0) await opener.click();
  else await details.locator("summary").click();
  const form = details.locator("form");
  await form.waitFor({ state: "visible" });
  return form;
}

/** Submits `form` by its button: with JavaScript by fetcher, without as a page load. */
async function submit(page: Page, form: Locator, js: boolean) {
  const button = form.locator("button[type=submit]");
  if (js) await button.click();
  else await andWaitForLoad(page, () => button.click());
}

async function bodyText(page: Page) {
  return (await page.locator("body").textContent()) ?? "";
}

describe.each([
  { js: true, lang: "he" as Locale },
  { js: false, lang: "en" as Locale },
])("triage from the queue (JavaScript $js, staff in $lang)", ({ js, lang }) => {
  it("decides broad, declined and merged from /staff, ships one from its page, and customers see every outcome in both languages", async () => {
    const t = translator(lang);
    const { slug, ids } = await queueOf(4, js ? "Triage with scripts" : "Triage without scripts");
    const [broad, declined, merged, target] = ids;
    const quarter = upcomingQuarters(Date.now())[1];
    const reason = `Out of scope ${latinToken()}`;
    const page = await staffPage({ lang, js });
    const queueUrl = `${server.baseUrl}/staff?category=${slug}`;
    await page.goto(queueUrl);
    if (js) await waitForHydration(page);

    // The header leads staff here; the queue says how many wait and lists them oldest first.
    expect(await page.locator('header a[href="/staff"]').count()).toBe(1);
    expect(await bodyText(page)).toContain(translateCount(lang, "staffTriage.waiting", 4));
    expect(
      await page.locator("[data-triage-item]").evaluateAll((els) => els.map((e) => e.id)),
    ).toEqual(ids.map((id) => `request-${id}`));
    // Each request offers its decisions as buttons; the forms render only for the one opened.
    expect(await page.locator(`#request-${broad} button[name="kind"]`).count()).toBe(5);
    expect(await page.locator("details[data-decision]").count()).toBe(0);

    // Broadly useful, with a target quarter.
    let form = await openDecision(page, broad, "broad");
    expect(await page.locator("details[data-decision]").count()).toBe(5);
    if (!js) {
      // Opened by address: the queue's filter is kept and the browser lands on the request.
      const opened = new URL(page.url());
      expect(opened.searchParams.get("category")).toBe(slug);
      expect(opened.searchParams.get("decide")).toBe(String(broad));
      expect(opened.hash).toBe(`#request-${broad}`);
    }
    await form.locator("select[name=targetQuarter]").selectOption(quarter);
    await submit(page, form, js);
    await item(page, broad).waitFor({ state: "detached" });
    expect(await bodyText(page)).toContain(t("staffTriage.toast.broad", { id: String(broad) }));

    // Declined, with the public reason.
    form = await openDecision(page, declined, "declined");
    await form.locator("textarea[name=reason]").fill(reason);
    await submit(page, form, js);
    await item(page, declined).waitFor({ state: "detached" });
    expect(await bodyText(page)).toContain(
      t("staffTriage.toast.declined", { id: String(declined) }),
    );

    // Merged into another request, by its number.
    form = await openDecision(page, merged, "merge");
    await form.locator("input[name=targetId]").fill(`#${target}`);
    await submit(page, form, js);
    await item(page, merged).waitFor({ state: "detached" });
    expect(await bodyText(page)).toContain(
      t("staffTriage.toast.merged", { id: String(merged), target: String(target) }),
    );
    expect(await bodyText(page)).toContain(translateCount(lang, "staffTriage.waiting", 1));
    expect(await page.locator("[data-triage-item]").count()).toBe(1);

    // On its page: the target quarter, then planned → in progress → shipped, with a note.
    await page.goto(`${server.baseUrl}/requests/${broad}`);
    if (js) await waitForHydration(page);
    expect(
      await page.locator(`aside[aria-label="${t("request.details")}"]`).textContent(),
    ).toContain(quarterLabel(t, quarter));
    const panel = page.locator('section[aria-labelledby="staff-panel-heading"]');
    const step = panel.locator(`form[action="/requests/${broad}/status"]`);
    await submit(page, step, js);
    await page.getByText(t("staffTriage.toast.moved", { id: String(broad) })).waitFor();
    await step.locator("textarea[name=note]").fill("Available to every organization now");
    await expect.poll(() => step.locator("input[name=to]").inputValue()).toBe("shipped");
    await submit(page, step, js);
    await expect
      .poll(async () => page.locator("main header").textContent())
      .toContain(t("status.shipped"));
    // Shipped is the last step: nothing more to move to, and staff admins may reopen it.
    expect(await step.count()).toBe(0);
    expect(await panel.locator(`form[action="/requests/${broad}/reopen"]`).count()).toBe(1);

    for (const customerLang of ["he", "en"] as const) {
      const c = translator(customerLang);
      const customer = await signedInPage(voter.email, { lang: customerLang, js });
      // The board, every status: "for everyone" on the shipped one, declined, the merged one
      // gone into its target.
      await customer.goto(`${server.baseUrl}/?category=${slug}&status=all`);
      const row = (id: number) =>
        customer.locator("main li").filter({ has: customer.locator(`a[href="/requests/${id}"]`) });
      expect(await row(broad).textContent()).toContain(c("request.decision.broad"));
      expect(await row(broad).textContent()).toContain(c("status.shipped"));
      expect(await row(declined).textContent()).toContain(c("status.declined"));
      expect(await row(merged).count()).toBe(0);
      expect(await row(target).count()).toBe(1);

      // The request pages: the decision badge and the shipping note; the decline's reason; the
      // merged request's address leads to its target, which says so.
      await customer.goto(`${server.baseUrl}/requests/${broad}`);
      const broadPage = await bodyText(customer);
      expect(broadPage).toContain(c("request.decision.broad"));
      expect(broadPage).toContain(c("status.shipped"));
      expect(broadPage).toContain("Available to every organization now");
      expect(await customer.locator('section[aria-labelledby="staff-panel-heading"]').count()).toBe(
        0,
      );

      await customer.goto(`${server.baseUrl}/requests/${declined}`);
      expect(await customer.locator("main header").textContent()).toContain(c("status.declined"));
      expect(
        await customer.locator('section[aria-labelledby="timeline-heading"]').textContent(),
      ).toContain(reason);

      // The roadmap: the shipped one under "recently shipped", marked "for everyone"; the
      // declined one on no column.
      await customer.goto(`${server.baseUrl}/roadmap?category=${slug}`);
      const shippedCard = customer
        .locator('section[aria-labelledby="roadmap-shipped"] li')
        .filter({ has: customer.locator(`a[href="/requests/${broad}"]`) });
      expect(await shippedCard.textContent()).toContain(c("request.decision.broad"));
      expect(await customer.locator(`main a[href="/requests/${declined}"]`).count()).toBe(0);

      await customer.goto(`${server.baseUrl}/requests/${merged}`);
      expect(new URL(customer.url()).pathname).toBe(`/requests/${target}`);
      expect(await bodyText(customer)).toContain(`#${merged}`);
      expect(await customer.locator('header a[href="/staff"]').count()).toBe(0);
    }
  });
});

describe("refused decisions", () => {
  it("keeps what was typed and shows the error by the field, with JavaScript (English)", async () => {
    const { slug, ids } = await queueOf(1, "Refused with scripts");
    const page = await staffPage({ lang: "en" });
    allowPageErrors(page, statusLogged(400), "the refused decision answers 400");
    await page.goto(`${server.baseUrl}/staff?category=${slug}`);
    await waitForHydration(page);
    const form = await openDecision(page, ids[0], "already_exists");
    await form.locator("textarea[name=explanation]").fill("Settings, then Documents");
    await form.locator("input[name=helpUrl]").fill("ftp://help.example.test/documents");
    await form.locator("button[type=submit]").click();
    await page.getByText(translate("en", "triage.error.helpUrlInvalid")).waitFor();
    expect(page.url()).toContain("/staff");
    await expect
      .poll(() => form.locator("textarea[name=explanation]").inputValue())
      .toBe("Settings, then Documents");
    await expect
      .poll(() => form.locator("input[name=helpUrl]").getAttribute("aria-invalid"))
      .toBe("true");
    expect(await item(page, ids[0]).count()).toBe(1);
  });

  it("shows the request page with the form, its errors and the typed text without JavaScript (Hebrew)", async () => {
    const { slug, ids } = await queueOf(1, "Refused without scripts");
    const page = await staffPage({ lang: "he", js: false });
    allowPageErrors(page, statusLogged(400), "the refused decision answers 400");
    await page.goto(`${server.baseUrl}/staff?category=${slug}`);
    const form = await openDecision(page, ids[0], "already_exists");
    await form.locator("textarea[name=explanation]").fill("הגדרות ← מסמכים");
    await form.locator("input[name=helpUrl]").fill("ftp://help.example.test/documents");
    await andWaitForLoad(page, () => form.locator("button[type=submit]").click());
    expect(new URL(page.url()).pathname).toBe(`/requests/${ids[0]}/decide`);
    expect(await bodyText(page)).toContain(translate("he", "triage.error.helpUrlInvalid"));
    expect(await page.locator(`#decide-${ids[0]}-already_exists-explanation`).inputValue()).toBe(
      "הגדרות ← מסמכים",
    );
    // Fixed and sent again, it decides and goes back to the queue it came from.
    await page
      .locator(`#decide-${ids[0]}-already_exists-helpUrl`)
      .fill("https://help.example.test/documents");
    await andWaitForLoad(page, () =>
      page.locator('details[data-decision="already_exists"] button[type=submit]').click(),
    );
    expect(new URL(page.url()).pathname).toBe("/staff");
    await expect
      .poll(() => bodyText(page))
      .toContain(translate("he", "staffTriage.toast.alreadyExists", { id: String(ids[0]) }));
    // Customers see the explanation with its help link.
    const customer = await signedInPage(voter.email, { lang: "he", js: false });
    await customer.goto(`${server.baseUrl}/requests/${ids[0]}`);
    const timeline = customer.locator('section[aria-labelledby="timeline-heading"]');
    expect(await timeline.textContent()).toContain("הגדרות ← מסמכים");
    expect(await timeline.locator('a[href="https://help.example.test/documents"]').count()).toBe(1);
  });
});

describe("a queue that is out of date", () => {
  it("says the request was decided meanwhile, and keeps that decision (Hebrew)", async () => {
    const { slug, ids } = await queueOf(2, "Stale queue");
    const admin = await makeStaffAdmin("Other Staff");
    const page = await staffPage({ lang: "he" });
    await page.goto(`${server.baseUrl}/staff?category=${slug}`);
    await waitForHydration(page);
    await decideRequest({ actor: admin, requestId: ids[0], decision: { kind: "sponsored" } });
    const form = await openDecision(page, ids[0], "broad");
    await form.locator("button[type=submit]").click();
    await page.getByText(translate("he", "triage.error.illegalTransition")).waitFor();
    await item(page, ids[0]).waitFor({ state: "detached" });
    await expect.poll(() => page.locator("[data-triage-item]").count()).toBe(1);
    const row = await getDb()
      .selectFrom("requests")
      .select(["status", "decision"])
      .where("id", "=", ids[0])
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: "quoted", decision: "sponsored" });
  });
});

describe("the staff panel on a decided request", () => {
  it("lets a staff admin reopen with a required reason, and shows a stale move the model's refusal without changing anything (English)", async () => {
    const { ids } = await queueOf(2, "Panel");
    const [declined, stale] = ids;
    const admin = await makeStaffAdmin("Ruth Admin");
    await decideRequest({
      actor: admin,
      requestId: declined,
      decision: { kind: "declined", reason: "Not now" },
    });
    const t = translator("en");
    const page = await staffPage({ lang: "en" });
    allowPageErrors(page, statusLogged(400), "the reopen without a reason answers 400");
    allowPageErrors(page, statusLogged(409), "the stale decision answers 409");
    await page.goto(`${server.baseUrl}/requests/${declined}`);
    await waitForHydration(page);
    const reopen = page.locator(`form[action="/requests/${declined}/reopen"]`);
    await page.getByText(t("staffTriage.panel.reopen")).click();
    await reopen.locator("textarea[name=reason]").fill("   ");
    await reopen.locator("button[type=submit]").click();
    await page.getByText(t("triage.error.reasonRequired")).waitFor();
    await reopen.locator("textarea[name=reason]").fill("Three more customers asked for it");
    await reopen.locator("button[type=submit]").click();
    await page.getByText(t("staffTriage.toast.reopened", { id: String(declined) })).waitFor();
    await expect.poll(() => page.locator("main header").textContent()).toContain(t("status.open"));
    expect(
      await page.locator('section[aria-labelledby="timeline-heading"]').textContent(),
    ).toContain("Three more customers asked for it");
    expect(
      await page.locator(`form[data-decisions="${declined}"] button[name="kind"]`).count(),
    ).toBe(5);

    // Another staff member decides first; this page's decision is refused with the model's
    // message and the request keeps the other decision.
    await page.goto(`${server.baseUrl}/requests/${stale}`);
    await waitForHydration(page);
    await decideRequest({ actor: admin, requestId: stale, decision: { kind: "broad" } });
    const form = await openDecision(page, stale, "sponsored");
    await form.locator("button[type=submit]").click();
    await page.getByText(t("triage.error.illegalTransition")).waitFor();
    const row = await getDb()
      .selectFrom("requests")
      .select(["status", "decision"])
      .where("id", "=", stale)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: "planned", decision: "broad" });
  });

  it("offers staff who are not admins the next step but not reopening (Hebrew, no JavaScript)", async () => {
    const { ids } = await queueOf(1, "Member staff");
    const member = await makeStaff("Yael Staff");
    await decideRequest({ actor: member, requestId: ids[0], decision: { kind: "broad" } });
    const page = await signedInPage(member.email, { lang: "he", js: false });
    await page.goto(`${server.baseUrl}/requests/${ids[0]}`);
    const panel = page.locator('section[aria-labelledby="staff-panel-heading"]');
    expect(await panel.locator(`form[action="/requests/${ids[0]}/status"]`).count()).toBe(1);
    expect(await panel.locator(`form[action="/requests/${ids[0]}/reopen"]`).count()).toBe(0);
    await andWaitForLoad(page, () =>
      panel.locator(`form[action="/requests/${ids[0]}/status"] button[type=submit]`).click(),
    );
    await expect
      .poll(() => page.locator("main header").textContent())
      .toContain(translate("he", "status.in_progress"));
  });
});

describe("the queue from the keyboard", () => {
  it("moves with j/k, opens a decision by its key, never takes keys typed in a field, and keeps the focus on the next request", async () => {
    const { slug, ids } = await queueOf(3, "Keyboard");
    const [first, second, third] = ids;
    const page = await staffPage({ lang: "he" });
    await page.goto(`${server.baseUrl}/staff?category=${slug}`);
    await waitForHydration(page);
    const focused = () => page.evaluate(() => document.activeElement?.id ?? "");

    await page.keyboard.press("j");
    await expect.poll(() => focused()).toBe(`request-${first}`);
    await page.keyboard.press("j");
    await page.keyboard.press("j");
    await expect.poll(() => focused()).toBe(`request-${third}`);
    await page.keyboard.press("k");
    await expect.poll(() => focused()).toBe(`request-${second}`);

    // d opens this request's decline and puts the cursor in its reason; typing there is text.
    await page.keyboard.press("d");
    await expect.poll(() => focused()).toBe(`decide-${second}-declined-reason`);
    await page.keyboard.type("just a duplicate, merge keys must not fire");
    await expect.poll(() => focused()).toBe(`decide-${second}-declined-reason`);
    await expect
      .poll(() => page.locator(`#decide-${second}-declined-reason`).inputValue())
      .toBe("just a duplicate, merge keys must not fire");
    await page.keyboard.press("Control+Enter");
    await item(page, second).waitFor({ state: "detached" });
    // The decided request's place is taken by the next one, which has the focus.
    await expect.poll(focused).toBe(`request-${third}`);

    // s opens the sponsored decision at its (optional) note; Ctrl+Enter decides; the focus
    // goes to what is left.
    await page.keyboard.press("s");
    await expect.poll(() => focused()).toBe(`decide-${third}-sponsored-note`);
    await page.keyboard.press("Control+Enter");
    await item(page, third).waitFor({ state: "detached" });
    await expect.poll(focused).toBe(`request-${first}`);
    await expect
      .poll(() => bodyText(page))
      .toContain(translateCount("he", "staffTriage.waiting", 1));
  });
});

describe("who may triage", () => {
  it("answers 404 to customers and sends visitors to sign in, on the queue and the decision routes", async () => {
    const { ids } = await queueOf(1, "Not yours");
    const customer = await signedInPage(voter.email, { lang: "en" });
    allowPageErrors(
      customer.context(),
      statusLogged(404),
      "staff pages do not exist for customers",
    );
    expect((await customer.goto(`${server.baseUrl}/staff`))?.status()).toBe(404);
    for (const action of ["decide", "status", "reopen"]) {
      const opened = await customer.goto(`${server.baseUrl}/requests/${ids[0]}/${action}`);
      expect(opened?.status()).toBe(404);
    }
    const posted = await customer.request.post(`${server.baseUrl}/requests/${ids[0]}/decide`, {
      form: { kind: "declined", reason: "no" },
      headers: { Origin: server.baseUrl },
    });
    expect(posted.status()).toBe(404);
    // A visitor is asked to sign in first, as on every staff page.
    const visitorContext = await newContext(browser, { lang: "he" });
    contexts.push(visitorContext);
    const visitor = await visitorContext.newPage();
    await visitor.goto(`${server.baseUrl}/staff`);
    expect(new URL(visitor.url()).pathname).toBe("/signin");
    // Still waiting: nothing was decided.
    const staff = await staffPage({ lang: "en" });
    await staff.goto(`${server.baseUrl}/requests/${ids[0]}`);
    expect(await staff.locator("main header").textContent()).toContain(
      translate("en", "status.open"),
    );
  });
});
