// The board in the browser: search as you type (Hebrew prefixes), the plain search form, the
// empty state, a filter, the sort tabs and "load more", with and without JavaScript.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { translate, translateCount, type Locale } from "~/i18n/messages";
import { toggleVote } from "~/models/votes.server";
import {
  andWaitForLoad,
  collectAccessibilityProblems,
  launchBrowser,
  newContext,
  signInThroughForm,
  waitForHydration,
  watchForErrors,
} from "../support/browser";
import {
  hebrewToken,
  latinToken,
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

let server: TestServer;
let browser: Browser;
let avi: Customer;

/** A Hebrew request found by the first three letters of a made-up word in its title. */
const hebrewWord = hebrewToken();
let hebrewId: number;
/** Two requests sharing a word: an older one with two votes (accounting), a newer one with one (mobile). */
const shared = latinToken();
let olderId: number;
let newerId: number;
/** A request merged into another one, found by a word only the merged one has. */
const mergedWord = latinToken("zx");
let mergedTargetId: number;
let mergedId: number;
/** More requests than a page holds (25), sharing another word. */
const many = latinToken("zm");
const MANY = 31;
let manyIds: number[];

beforeAll(async () => {
  server = await startServer({ seed: true });
  useServerDatabase(server);
  avi = await makeCustomer({ name: "Avi Board", orgName: "Avi Board Works" });
  const bea = await makeCustomer({ name: "Bea Board", orgName: "Bea Board Systems" });
  ({ id: hebrewId } = await proposeRequest(avi, {
    title: `דוח ${hebrewWord} חודשי למנהלים`,
    category: "accounting",
  }));
  ({ id: olderId } = await proposeRequest(avi, {
    title: `Ledger ${shared} export`,
    category: "accounting",
  }));
  ({ id: newerId } = await proposeRequest(avi, {
    title: `Receipt ${shared} scanner`,
    category: "mobile",
  }));
  await toggleVote({ requestId: olderId, actor: bea.actor, orgId: bea.orgId });
  mergedTargetId = (
    await proposeRequest(avi, { category: "general", title: "Bulk edit for every contact at once" })
  ).id;
  mergedId = (
    await proposeRequest(avi, {
      category: "general",
      title: `Edit many ${mergedWord} contacts together`,
    })
  ).id;
  await getDb()
    .updateTable("requests")
    .set({ status: "merged", merged_into_id: mergedTargetId })
    .where("id", "=", mergedId)
    .execute();
  manyIds = [];
  for (let n = 1; n <= MANY; n++) {
    manyIds.push(
      (
        await proposeRequest(avi, {
          category: "general",
          title: `Paged ${many} request number ${n}`,
        })
      ).id,
    );
  }
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

async function openPage({
  lang = "he",
  js = true,
  phone = false,
}: { lang?: Locale; js?: boolean; phone?: boolean } = {}): Promise<Page> {
  const context = await newContext(browser, { lang, javaScriptEnabled: js, phone });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  return page;
}

/** The ids of the requests listed on the board, in order. */
async function listedIds(page: Page): Promise<number[]> {
  const hrefs = await page
    .locator("main ul > li h2 a[href^='/requests/']")
    .evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""));
  return hrefs.map((href) => Number(href.split("/").pop()));
}

function searchParams(page: Page) {
  return new URL(page.url()).searchParams;
}

function loadMore(page: Page, locale: Locale) {
  return page.getByRole("link", { name: translate(locale, "board.loadMore") });
}

describe("the board", () => {
  it("filters as a Hebrew prefix is typed, without reloading the page (JavaScript on)", async () => {
    const locale = "he";
    const page = await openPage({ lang: locale });
    const errors = watchForErrors(page);
    await page.goto(`${server.baseUrl}/`);
    await waitForHydration(page);
    const before = await listedIds(page);
    expect(before.length).toBeGreaterThan(1);
    // A mark on this document: it survives only if the page is not reloaded.
    await page.evaluate(() => ((window as { __samePage?: boolean }).__samePage = true));

    const prefix = [...hebrewWord].slice(0, 3).join("");
    await page.locator("#board-q").pressSequentially(prefix, { delay: 40 });
    await expect.poll(() => listedIds(page)).toEqual([hebrewId]);
    expect(searchParams(page).get("q")).toBe(prefix);
    await expect.poll(() => page.locator("#board-q").inputValue()).toBe(prefix);
    await expect
      .poll(() => page.locator("main").textContent())
      .toContain(translateCount(locale, "board.results", 1, { q: prefix }));
    await expect
      .poll(() => page.evaluate(() => (window as { __samePage?: boolean }).__samePage))
      .toBe(true);

    // The results page (and its search form) passes axe.
    const problems: string[] = [];
    await collectAccessibilityProblems(page, problems);
    expect(problems).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("searches through the plain form, shows the empty state with a link to propose it, and filters and sorts (no JavaScript, English)", async () => {
    const locale = "en";
    const page = await openPage({ lang: locale, js: false });
    await page.goto(`${server.baseUrl}/`);

    await page.locator("#board-q").fill(shared);
    await andWaitForLoad(page, () =>
      page.getByRole("button", { name: translate(locale, "board.search.submit") }).click(),
    );
    expect(searchParams(page).get("q")).toBe(shared);
    // Best match first by default; both match as well.
    expect((await listedIds(page)).sort()).toEqual([olderId, newerId].sort());
    await expect
      .poll(() => page.locator("main").textContent())
      .toContain(translateCount(locale, "board.results", 2, { q: shared }));

    // A category filter (the Apply button shows only without JavaScript).
    await page.locator("#board-category").selectOption("mobile");
    await andWaitForLoad(page, () =>
      page.getByRole("button", { name: translate(locale, "board.filter.apply") }).click(),
    );
    expect(searchParams(page).get("category")).toBe("mobile");
    expect(searchParams(page).get("q")).toBe(shared);
    await expect.poll(() => listedIds(page)).toEqual([newerId]);
    await andWaitForLoad(page, () =>
      page.getByRole("link", { name: translate(locale, "board.filter.clear") }).click(),
    );
    expect(searchParams(page).get("category")).toBeNull();

    // The sort tabs are links that keep the search and mark the current one.
    await page.goto(`${server.baseUrl}/?q=${shared}`);
    const tabs = page.getByRole("navigation", { name: translate(locale, "board.sort.label") });
    await andWaitForLoad(page, () =>
      tabs.getByRole("link", { name: translate(locale, "board.sort.newest") }).click(),
    );
    expect(searchParams(page).get("sort")).toBe("newest");
    expect(searchParams(page).get("q")).toBe(shared);
    expect(
      await tabs
        .getByRole("link", { name: translate(locale, "board.sort.newest") })
        .getAttribute("aria-current"),
    ).toBe("page");
    await expect.poll(() => listedIds(page)).toEqual([newerId, olderId]);
    await andWaitForLoad(page, () =>
      tabs.getByRole("link", { name: translate(locale, "board.sort.votes") }).click(),
    );
    expect(searchParams(page).get("sort")).toBe("votes");
    await expect.poll(() => listedIds(page)).toEqual([olderId, newerId]);

    // Nothing found: the empty state offers to propose exactly that.
    const nothing = `${shared}xyz`;
    await page.locator("#board-q").fill(nothing);
    await andWaitForLoad(page, () =>
      page.getByRole("button", { name: translate(locale, "board.search.submit") }).click(),
    );
    expect(searchParams(page).get("q")).toBe(nothing);
    await expect.poll(() => listedIds(page)).toEqual([]);
    await expect
      .poll(() => page.getByRole("heading", { level: 2 }).first().textContent())
      .toBe(translate(locale, "board.empty.title"));
    const proposeIt = page.getByRole("link", {
      name: translate(locale, "board.empty.propose", { q: nothing }),
    });
    const href = new URL((await proposeIt.getAttribute("href"))!, server.baseUrl);
    expect(href.pathname).toBe("/requests/new");
    expect(href.searchParams.get("title")).toBe(nothing);
  });

  it("filters by status at once with JavaScript, changing the URL (Hebrew)", async () => {
    const locale = "he";
    const page = await openPage({ lang: locale });
    const errors = watchForErrors(page);
    await page.goto(`${server.baseUrl}/?q=${shared}&sort=orgs`);
    await waitForHydration(page);
    expect(await listedIds(page)).toEqual([olderId, newerId]);

    await page.locator("#board-status").selectOption("open");
    await expect.poll(() => searchParams(page).get("status")).toBe("open");
    expect(searchParams(page).get("q")).toBe(shared);
    expect(await listedIds(page)).toEqual([olderId, newerId]);

    await page.locator("#board-status").selectOption("planned");
    await expect.poll(() => searchParams(page).get("status")).toBe("planned");
    await expect.poll(() => listedIds(page)).toEqual([]);
    await expect
      .poll(() => page.locator("main").textContent())
      .toContain(translate(locale, "board.empty.title"));
    expect(errors).toEqual([]);
  });

  it("appends the next page in place with JavaScript, the address unchanged (Hebrew, phone)", async () => {
    const locale = "he";
    const page = await openPage({ lang: locale, phone: true });
    const errors = watchForErrors(page);
    await page.goto(`${server.baseUrl}/?q=${many}`);
    await waitForHydration(page);
    const first = await listedIds(page);
    expect(first).toHaveLength(25);

    await loadMore(page, locale).click();
    await expect.poll(() => listedIds(page).then((ids) => ids.length)).not.toBe(25);
    expect(errors).toEqual([]);
    await expect.poll(() => listedIds(page)).toHaveLength(MANY);
    const all = await listedIds(page);
    expect(all.slice(0, 25)).toEqual(first);
    expect(new Set(all).size).toBe(MANY);
    expect([...all].sort((a, b) => a - b)).toEqual([...manyIds].sort((a, b) => a - b));
    expect(new URL(page.url()).search).toBe(`?q=${many}`);
    // No more pages.
    expect(await loadMore(page, locale).count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it("opens the next page at ?cursor= without JavaScript, with no duplicates (English)", async () => {
    const locale = "en";
    const page = await openPage({ lang: locale, js: false });
    await page.goto(`${server.baseUrl}/?q=${many}`);
    const first = await listedIds(page);
    expect(first).toHaveLength(25);

    await andWaitForLoad(page, () => loadMore(page, locale).click());
    expect(searchParams(page).get("cursor")).toBeTruthy();
    expect(searchParams(page).get("q")).toBe(many);
    const second = await listedIds(page);
    expect(second).toHaveLength(MANY - 25);
    expect(second.filter((id) => first.includes(id))).toEqual([]);
    expect([...first, ...second].sort((a, b) => a - b)).toEqual([...manyIds].sort((a, b) => a - b));
    await expect.poll(() => loadMore(page, locale).count()).toBe(0);
  });
});

describe("the board on a phone (390×844)", () => {
  /** Whether the first request row is on the first screen, without scrolling. */
  async function firstRowInView(page: Page) {
    const box = await page.locator("main ul > li").first().boundingBox();
    return box !== null && box.y >= 0 && box.y + Math.min(box.height, 120) <= 844;
  }

  it("shows the first request without scrolling, to a visitor and to a signed-in user", async () => {
    for (const locale of ["he", "en"] as const) {
      const page = await openPage({ lang: locale, phone: true });
      const errors = watchForErrors(page);
      await page.goto(`${server.baseUrl}/`);
      expect(await firstRowInView(page), `visitor, ${locale}`).toBe(true);
      // The steps fold into one line for visitors on a phone.
      expect(await page.locator("main details summary").textContent()).toBe(
        translate(locale, "board.howItWorks"),
      );

      await signInThroughForm(page, server.baseUrl, avi.email, TEST_PASSWORD, "/");
      await page.goto(`${server.baseUrl}/`);
      expect(await firstRowInView(page), `signed in, ${locale}`).toBe(true);
      expect(await page.locator("main ol").count()).toBe(0);
      expect(errors).toEqual([]);
    }
  });

  it("reaches every sort from a select, with the search kept", async () => {
    const locale = "en";
    const page = await openPage({ lang: locale, phone: true });
    const errors = watchForErrors(page);
    await page.goto(`${server.baseUrl}/?q=${shared}`);
    await waitForHydration(page);
    // The tabs would not fit: they give way to a select that lists every sort.
    expect(
      await page
        .getByRole("navigation", { name: translate(locale, "board.sort.label") })
        .isVisible(),
    ).toBe(false);
    const select = page.locator("#board-sort");
    expect(await page.locator("label[for=board-sort]").textContent()).toBe(
      translate(locale, "board.sort.label"),
    );
    expect(await select.isVisible()).toBe(true);
    const options = await select.locator("option").allTextContents();
    expect(options).toEqual(
      (["relevance", "orgs", "votes", "trending", "newest"] as const).map((s) =>
        translate(locale, `board.sort.${s}`),
      ),
    );
    for (const sort of ["newest", "trending", "votes", "orgs"]) {
      // On the screen, not cut off at its edge.
      await expect
        .poll(async () => {
          const box = await select.boundingBox();
          return box !== null && box.x >= 0 && box.x + box.width <= 390;
        })
        .toBe(true);
      await select.selectOption(sort);
      await expect.poll(() => searchParams(page).get("sort")).toBe(sort);
      expect(searchParams(page).get("q")).toBe(shared);
    }
    await select.selectOption("");
    await expect.poll(() => searchParams(page).get("sort")).toBe("");
    expect(errors).toEqual([]);
  });

  it("leads from a merged request to the one it was merged into, with a note, in search and at its old address", async () => {
    for (const js of [true, false]) {
      const locale = "he";
      const page = await openPage({ lang: locale, js, phone: true });
      await page.goto(`${server.baseUrl}/?q=${mergedWord}`);
      expect(await listedIds(page)).toEqual([mergedTargetId]);
      expect(await page.locator("main ul > li").first().textContent()).toContain(`#${mergedId}`);

      await page.goto(`${server.baseUrl}/requests/${mergedId}`);
      expect(new URL(page.url()).pathname).toBe(`/requests/${mergedTargetId}`);
      const note = page.getByRole("status").filter({ hasText: `#${mergedId}` });
      expect(await note.textContent()).toBe(
        translate(locale, "request.mergedNotice", {
          id: `#${mergedId}`,
          title: `Edit many ${mergedWord} contacts together`,
        }),
      );
    }
  });
});
