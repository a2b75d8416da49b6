// The request page in the browser: the comment edit countdown (hydrated as rendered, then
// ticking), staff's one-of-three comment kind and a form that starts afresh after posting,
// comment counts that match what each viewer is shown, and mixed-direction text in the status
// history. Every page here is also watched for console and hydration errors (browser-setup.ts).
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { formatDate } from "~/i18n/format";
import { translate, translateCount, type Locale } from "~/i18n/messages";
import { addComment } from "~/models/comments.server";
import {
  andWaitForLoad,
  launchBrowser,
  newContext,
  signInThroughForm,
  waitForHydration,
} from "../support/browser";
import {
  closeServerDatabase,
  startServer,
  useServerDatabase,
  type TestServer,
} from "../support/server";
import {
  latinToken,
  makeCustomer,
  proposeRequest,
  TEST_PASSWORD,
  type Customer,
} from "../support/factories";

/** A request proposed by `author` in the seeded "general" category; its id. */
async function propose(author: Customer, { title }: { title: string }) {
  return (await proposeRequest(author, { category: "general", title })).id;
}

const STAFF_EMAIL = "staff@broadly.test";
const DEMO_PASSWORD = "demo-pass-1234";

let server: TestServer;
let browser: Browser;
let avi: Customer;
let bea: Customer;

beforeAll(async () => {
  server = await startServer({ seed: true });
  useServerDatabase(server);
  avi = await makeCustomer({ name: "Avi Ben-David", orgName: "Avi Works" });
  bea = await makeCustomer({ name: "Bea Klein", orgName: "Bea Systems" });
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
  { lang = "he", js = true }: { lang?: Locale; js?: boolean } = {},
  password = TEST_PASSWORD,
): Promise<Page> {
  const context = await newContext(browser, { lang, javaScriptEnabled: js });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  await signInThroughForm(page, server.baseUrl, email, password);
  return page;
}

function commentItems(page: Page) {
  return page.locator('#comments li[id^="comment-"]');
}

/** The number in the comments heading, "תגובות (3)". */
async function shownCommentCount(page: Page): Promise<number> {
  const heading = (await page.locator("#comments-heading").textContent()) ?? "";
  return Number(/\((\d+)\)/.exec(heading)?.[1]);
}

/** Moves a comment's time back so that `msLeft` of its 15-minute edit window remain. */
async function leaveEditTime(commentId: number, msLeft: number) {
  const createdAt = new Date(Date.now() - 15 * 60_000 + msLeft).toISOString();
  await getDb()
    .updateTable("comments")
    .set({ created_at: createdAt })
    .where("id", "=", commentId)
    .execute();
}

describe("the comment edit countdown", () => {
  it("shows the minutes left as rendered, hydrates without errors, then counts down (Hebrew)", async () => {
    const locale = "he";
    const id = await propose(bea, { title: `ספירה ${latinToken()} לאחור` });
    const { id: commentId } = await addComment({
      requestId: id,
      actor: avi.actor,
      orgId: avi.orgId,
      bodyMd: "אפשר לתקן את זה עוד רבע שעה",
    });
    const page = await signedInPage(avi.email, { lang: locale });
    await page.goto(`${server.baseUrl}/requests/${id}`);
    await waitForHydration(page);
    const item = page.locator(`#comment-${commentId}`);
    const text = (await item.textContent()) ?? "";
    expect(text).not.toContain("NaN");
    expect(
      [15, 14]
        .map((m) => translateCount(locale, "comments.editableFor", m))
        .some((s) => text.includes(s)),
    ).toBe(true);

    // With a minute and a bit left the page says two minutes, then one, without a reload.
    await leaveEditTime(commentId, 61_500);
    await page.reload();
    await waitForHydration(page);
    expect(await item.textContent()).toContain(translateCount(locale, "comments.editableFor", 2));
    await expect
      .poll(() => item.textContent(), { timeout: 8_000 })
      .toContain(translateCount(locale, "comments.editableFor", 1));
  });

  it("says how long is left without JavaScript too (English)", async () => {
    const locale = "en";
    const id = await propose(bea, { title: `Countdown ${latinToken()} without scripts` });
    await addComment({ requestId: id, actor: avi.actor, orgId: avi.orgId, bodyMd: "Typo here" });
    const page = await signedInPage(avi.email, { lang: locale, js: false });
    await page.goto(`${server.baseUrl}/requests/${id}`);
    const text = (await commentItems(page).first().textContent()) ?? "";
    expect(text).not.toContain("NaN");
    expect(text).toMatch(/Editable for 1[45] more minutes/);
  });
});

describe("staff comment kinds", () => {
  it("offers one of public, official answer and internal note, starts afresh after posting, and counts what each viewer sees (Hebrew, JavaScript on)", async () => {
    const locale = "he";
    const id = await propose(avi, { title: `תשובה ${latinToken()} רשמית` });
    await addComment({ requestId: id, actor: bea.actor, orgId: bea.orgId, bodyMd: "גם לנו" });
    const page = await signedInPage(STAFF_EMAIL, { lang: locale }, DEMO_PASSWORD);
    await page.goto(`${server.baseUrl}/requests/${id}`);
    await waitForHydration(page);

    const kinds = page.locator('#comments form input[name="kind"]');
    expect(await kinds.count()).toBe(3);
    expect(
      await kinds.evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).type)),
    ).toEqual(["radio", "radio", "radio"]);
    const checkedKind = () =>
      page
        .locator('#comments form input[name="kind"]:checked')
        .evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value));
    expect(await checkedKind()).toEqual(["public"]);
    // Choosing a second kind unchooses the first: never both.
    await page.getByLabel(translate(locale, "comments.official"), { exact: true }).check();
    await page.getByLabel(translate(locale, "comments.internal"), { exact: true }).check();
    expect(await checkedKind()).toEqual(["internal"]);

    // An official answer: posted with its badge only, and the form is empty and public again.
    await page.getByLabel(translate(locale, "comments.official"), { exact: true }).check();
    await page.locator("#comment-body").fill("אנחנו בודקים את זה");
    await page.getByRole("button", { name: translate(locale, "comments.submit") }).click();
    const answer = commentItems(page).filter({ hasText: "אנחנו בודקים את זה" });
    await answer.waitFor();
    await expect.poll(() => answer.textContent()).toContain(translate(locale, "comments.official"));
    await expect
      .poll(() => answer.textContent())
      .not.toContain(translate(locale, "comments.internal"));
    await expect.poll(() => page.locator("#comment-body").inputValue()).toBe("");
    await expect.poll(() => checkedKind()).toEqual(["public"]);

    // An internal note: staff are shown it and the count includes it.
    await page.getByLabel(translate(locale, "comments.internal"), { exact: true }).check();
    await page.locator("#comment-body").fill("לקוח גדול, לבדוק את החוזה");
    await page.getByRole("button", { name: translate(locale, "comments.submit") }).click();
    const note = commentItems(page).filter({ hasText: "לקוח גדול" });
    await note.waitFor();
    await expect
      .poll(() => note.textContent())
      .not.toContain(translate(locale, "comments.official"));
    await expect.poll(() => checkedKind()).toEqual(["public"]);
    await expect.poll(() => commentItems(page).count()).toBe(3);
    await expect.poll(() => shownCommentCount(page)).toBe(3);

    // A customer is shown the two public comments, and told there are two.
    const customer = await signedInPage(bea.email, { lang: locale });
    await customer.goto(`${server.baseUrl}/requests/${id}`);
    await waitForHydration(customer);
    expect(await commentItems(customer).count()).toBe(2);
    expect(await shownCommentCount(customer)).toBe(2);
    expect(await customer.locator('#comments input[name="kind"]').count()).toBe(0);
  });

  it("gives a fresh form after posting without JavaScript (English)", async () => {
    const locale = "en";
    const id = await propose(avi, { title: `Internal ${latinToken()} notes without scripts` });
    const page = await signedInPage(STAFF_EMAIL, { lang: locale, js: false }, DEMO_PASSWORD);
    await page.goto(`${server.baseUrl}/requests/${id}`);
    await page.getByLabel(translate(locale, "comments.internal"), { exact: true }).check();
    await page.locator("#comment-body").fill("Check their contract first");
    await andWaitForLoad(page, () =>
      page.getByRole("button", { name: translate(locale, "comments.submit") }).click(),
    );
    const note = commentItems(page).filter({ hasText: "Check their contract first" });
    await expect.poll(() => note.textContent()).toContain(translate(locale, "comments.internal"));
    await expect.poll(() => page.locator("#comment-body").inputValue()).toBe("");
    await expect
      .poll(() => page.locator('#comments input[name="kind"]:checked').getAttribute("value"))
      .toBe("public");
    expect(await shownCommentCount(page)).toBe(1);
  });
});

describe("mixed Hebrew and English in the status history", () => {
  it("isolates the name and the date, and mirrors the chevron in Hebrew only", async () => {
    const id = await propose(avi, { title: `היסטוריה ${latinToken()} דו-כיוונית` });
    const at = new Date(Date.UTC(2026, 9, 2, 9, 0)).toISOString();
    await getDb()
      .insertInto("status_events")
      .values({
        request_id: id,
        actor_id: avi.actor.id,
        from_status: "open",
        to_status: "planned",
        note: "Planned for the next release",
        created_at: at,
      })
      .execute();

    for (const locale of ["he", "en"] as const) {
      const context = await newContext(browser, { lang: locale });
      contexts.push(context);
      const page = await context.newPage();
      await page.goto(`${server.baseUrl}/requests/${id}`);
      const change = page
        .locator('section[aria-labelledby="timeline-heading"] li')
        .filter({ hasText: "Planned for the next release" });
      const isolated = await change.locator("bdi").allTextContents();
      expect(isolated).toContain(avi.name);
      expect(isolated).toContain(formatDate(locale, at));
      // In Hebrew the name sits right of the date, as the sentence reads ("Avi Ben-David · 2 באוק׳ 2026").
      const name = await change.locator("bdi", { hasText: avi.name }).boundingBox();
      const date = await change.locator("bdi", { hasText: formatDate(locale, at) }).boundingBox();
      if (locale === "he") expect(name!.x).toBeGreaterThan(date!.x);
      else expect(name!.x).toBeLessThan(date!.x);

      const chevron = change.locator("svg");
      const scale = await chevron.evaluate((svg) => getComputedStyle(svg).scale);
      expect(scale.startsWith("-1")).toBe(locale === "he");
      // The note, English in a Hebrew page, starts at its own edge.
      expect(await change.locator('p[dir="auto"]').getAttribute("class")).toContain("text-start");
    }
  });
});
