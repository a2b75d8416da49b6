// Requests and voting in the browser: proposing (and the similar-request panel), voting with and
// without JavaScript, comments, a visitor sent to sign in and brought back, Markdown that stays
// inert, and axe on the pages involved, in Hebrew and English, on a desktop and a phone.
// Search, filters, sorting and "load more" on the board are in requests-board.test.ts.
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { translate, translateCount, type Locale } from "~/i18n/messages";
import {
  allowPageErrors,
  andWaitForLoad,
  collectAccessibilityProblems,
  launchBrowser,
  mainSubmit,
  newContext,
  signInThroughForm,
  signUpThroughForm,
  statusLogged,
  waitForHydration,
  watchForErrors,
} from "../support/browser";
import {
  hebrewToken,
  latinToken,
  makeCustomer,
  proposeRequest,
  TEST_PASSWORD,
  uniqueEmail,
  type Customer,
} from "../support/factories";
import {
  closeServerDatabase,
  startServer,
  useServerDatabase,
  type TestServer,
} from "../support/server";

const DEMO_PASSWORD = "demo-pass-1234";
/** What Chromium logs for a fetch answered 400, e.g. a form refused with errors (by design). */
const FAILED_WITH_400 =
  "console: Failed to load resource: the server responded with a status of 400 (Bad Request)";

let server: TestServer;
let browser: Browser;
/** Two customers of two organizations of their own, made through the models. */
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

type Options = { lang?: Locale; js?: boolean; phone?: boolean };

async function openPage({ lang = "he", js = true, phone = false }: Options = {}): Promise<Page> {
  const context = await newContext(browser, { lang, javaScriptEnabled: js, phone });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  return page;
}

async function signedInPage(email: string, options: Options = {}, password = TEST_PASSWORD) {
  const page = await openPage(options);
  await signInThroughForm(page, server.baseUrl, email, password);
  return page;
}

function pathOf(page: Page) {
  const url = new URL(page.url());
  return url.pathname + url.search;
}

/** The vote button of one request (on the board, the request page or the similar panel). */
function voteButton(scope: Page | Locator, requestId: number) {
  return scope.locator(`form[action="/requests/${requestId}/vote"] button[type=submit]`);
}

async function voteState(button: Locator) {
  return {
    pressed: await button.getAttribute("aria-pressed", { timeout: 1_000 }),
    count: (await button.locator("span").first().textContent({ timeout: 1_000 }))?.trim(),
  };
}

async function expectVoteState(button: Locator, pressed: boolean, count: number, timeout = 5_000) {
  await expect
    .poll(() => voteState(button), { timeout })
    .toEqual({ pressed: String(pressed), count: String(count) });
}

/** With JavaScript, the vote form carries via=fetch once hydrated: clicks then go through the fetcher. */
async function waitForVoteForms(page: Page) {
  await page
    .locator('form[action$="/vote"] input[name="via"]')
    .first()
    .waitFor({ state: "attached" });
}

/** The vote action's address; a fetcher posts to it with Remix's `.data` suffix. */
function isVotePath(pathname: string, requestId?: number) {
  const match = /^\/requests\/(\d+)\/vote(\.data)?$/.exec(pathname);
  return Boolean(match && (requestId === undefined || Number(match[1]) === requestId));
}

function isVotePost(response: { request(): { method(): string }; url(): string }) {
  return response.request().method() === "POST" && isVotePath(new URL(response.url()).pathname);
}

/** The row of a request on the board. */
function boardRow(page: Page, requestId: number) {
  return page.locator("main ul > li", { has: page.locator(`a[href="/requests/${requestId}"]`) });
}

function toast(page: Page) {
  return page.getByRole("status");
}

/** The demand box of the request page. */
function demand(page: Page, locale: Locale) {
  return page.getByRole("complementary", { name: translate(locale, "request.demand") });
}

function commentItems(page: Page) {
  return page.locator('#comments li[id^="comment-"]');
}

describe("proposing a request", () => {
  it("proposes with Markdown (Hebrew, JavaScript on), then offers it as similar to the next proposal, where a vote counts", async () => {
    const locale = "he";
    const token = hebrewToken();
    const firstTitle = `ייצוא ${token} לאקסל של כל החשבוניות`;

    // A new user signs up and creates an organization, all through the site.
    const page = await openPage({ lang: locale });
    const errors = watchForErrors(page);
    await signUpThroughForm(page, server, {
      name: "Yael Proposer",
      email: uniqueEmail("yael"),
    });
    expect(new URL(page.url()).pathname).toBe("/orgs/new");
    await page.locator("#field-name").fill(`Yael Labs ${token}`);
    await Promise.all([page.waitForURL(/\/orgs\/(?!new)[^/]+$/), mainSubmit(page).click()]);

    // She proposes a request with a Markdown description.
    await page.goto(`${server.baseUrl}/requests/new`);
    await waitForHydration(page);
    await page.locator("#field-title").fill(firstTitle);
    await page
      .locator("#field-bodyMd")
      .fill("צריך **ייצוא מלא** של החשבוניות.\n\n- לפי חודש\n- לפי לקוח");
    await page.locator("#field-categoryId").selectOption({ index: 1 });
    await Promise.all([
      page.waitForURL(/\/requests\/\d+$/),
      page.getByRole("button", { name: translate(locale, "propose.submit") }).click(),
    ]);
    const firstId = Number(new URL(page.url()).pathname.split("/").pop());
    await expect
      .poll(() => toast(page).textContent())
      .toContain(translate(locale, "toast.requestCreated"));

    // The page renders the Markdown; the author has voted for it and follows it.
    expect((await page.getByRole("heading", { level: 1 }).textContent())?.trim()).toBe(firstTitle);
    const body = page.locator("main .prose-content").first();
    expect(await body.locator("strong").textContent()).toBe("ייצוא מלא");
    expect(await body.locator("li").allTextContents()).toEqual(["לפי חודש", "לפי לקוח"]);
    await expectVoteState(voteButton(page, firstId), true, 1);
    expect(await demand(page, locale).textContent()).toContain(
      translateCount(locale, "count.orgs", 1),
    );
    await expect
      .poll(() =>
        demand(page, locale)
          .getByRole("button", { name: translate(locale, "request.unfollow") })
          .count(),
      )
      .toBe(1);
    expect(await demand(page, locale).textContent()).toContain(
      translate(locale, "request.followingNote"),
    );

    // Dana (another organization) starts proposing much the same thing: the panel offers it.
    const dana = await signedInPage("dana@acme.test", { lang: locale }, DEMO_PASSWORD);
    const danaErrors = watchForErrors(dana);
    await dana.goto(`${server.baseUrl}/requests/new`);
    await waitForHydration(dana);
    await dana.locator("#field-title").pressSequentially(`${token} ייצוא לאקסל`, { delay: 20 });
    const panel = dana.locator('section[aria-labelledby="similar-heading"]');
    await panel.waitFor();
    expect((await panel.getByRole("heading").textContent())?.trim()).toBe(
      translate(locale, "propose.similar.title"),
    );
    const offered = panel.locator("li", { has: dana.locator(`a[href="/requests/${firstId}"]`) });
    await offered.waitFor();
    expect((await offered.getByRole("link").textContent())?.trim()).toBe(firstTitle);
    expect(await offered.textContent()).toContain(translate(locale, "propose.similar.voteInstead"));
    const offeredVote = voteButton(offered, firstId);
    await expectVoteState(offeredVote, false, 1);
    // axe on the propose page with the panel open (Hebrew, desktop).
    const problems: string[] = [];
    await collectAccessibilityProblems(dana, problems);

    // "Vote for this instead": the vote counts at once, and the panel says so.
    await waitForVoteForms(dana);
    await Promise.all([dana.waitForResponse(isVotePost), offeredVote.click()]);
    const votedInPlace = await expectVoteState(offeredVote, true, 2).then(
      () => true,
      () => false,
    );
    // (Soft, so the rest of the journey is still checked: when the vote has left the page, the
    // proposal is started again, and the vote the server recorded shows in the panel.)
    expect
      .soft(
        { votedInPlace, path: new URL(dana.url()).pathname },
        "voting from the similar panel stays on the propose page",
      )
      .toEqual({ votedInPlace: true, path: "/requests/new" });
    if (!votedInPlace) {
      await dana.goto(`${server.baseUrl}/requests/new`);
      await waitForHydration(dana);
      await dana.locator("#field-title").pressSequentially(`${token} ייצוא לאקסל`, { delay: 20 });
      await expectVoteState(offeredVote, true, 2);
    }
    await expect
      .poll(() => offered.textContent())
      .toContain(translate(locale, "propose.similar.voted"));

    // Her own request can still be sent.
    const secondTitle = `${token} ייצוא לאקסל עם סינון לפי תאריכים`;
    await dana.locator("#field-title").fill(secondTitle);
    await dana.locator("#field-bodyMd").fill("גם _סינון_ לפי טווח תאריכים.");
    await dana.locator("#field-categoryId").selectOption({ index: 1 });
    await Promise.all([
      dana.waitForURL(
        (url) => /^\/requests\/\d+$/.test(url.pathname) && url.pathname !== `/requests/${firstId}`,
      ),
      dana.getByRole("button", { name: translate(locale, "propose.submit") }).click(),
    ]);
    // The address changes a moment before the new page has rendered.
    await expect
      .poll(async () => (await dana.getByRole("heading", { level: 1 }).textContent())?.trim())
      .toBe(secondTitle);
    await expect
      .poll(() => dana.locator("main .prose-content em").first().textContent())
      .toBe("סינון");

    // The first request now has two votes from two organizations.
    await page.reload();
    await expectVoteState(voteButton(page, firstId), true, 2);
    expect(await demand(page, locale).textContent()).toContain(
      translateCount(locale, "count.orgs", 2),
    );
    expect(await demand(page, locale).textContent()).toContain(
      translateCount(locale, "count.votes", 2),
    );
    expect(problems).toEqual([]);
    expect(errors).toEqual([]);
    expect(danaErrors).toEqual([]);
  });

  it("asks to confirm without JavaScript, showing the similar requests, and keeps what was typed (English, phone)", async () => {
    const locale = "en";
    const token = latinToken();
    const { id: existingId } = await proposeRequest(bea, {
      category: "general",
      title: `Recurring ${token} invoices every month`,
    });

    const page = await signedInPage(avi.email, { lang: locale, js: false, phone: true });
    allowPageErrors(page, statusLogged(400), "the empty title is answered 400, as tested");
    await page.goto(`${server.baseUrl}/requests/new`);

    // An empty title is refused next to the field.
    await andWaitForLoad(page, () =>
      page.getByRole("button", { name: translate(locale, "propose.submit") }).click(),
    );
    await expect.poll(() => page.locator("#field-title").getAttribute("aria-invalid")).toBe("true");
    await expect
      .poll(() => page.locator("#field-title-error").textContent())
      .toContain(translate(locale, "error.required"));

    // A title like an existing request: the first submit shows them and asks to confirm.
    const title = `Recurring ${token} invoices for retainers`;
    await page.locator("#field-title").fill(title);
    await page.locator("#field-bodyMd").fill("Like **subscriptions**.");
    await page.locator("#field-categoryId").selectOption({ index: 1 });
    const category = await page.locator("#field-categoryId").inputValue();
    await andWaitForLoad(page, () =>
      page.getByRole("button", { name: translate(locale, "propose.submit") }).click(),
    );
    expect(new URL(page.url()).pathname).toBe("/requests/new");
    const confirm = page.locator('section[aria-labelledby="confirm-heading"]');
    expect((await confirm.getByRole("heading").textContent())?.trim()).toBe(
      translate(locale, "propose.confirm.title"),
    );
    const offered = confirm.locator("li", {
      has: page.locator(`a[href="/requests/${existingId}"]`),
    });
    expect(await offered.count()).toBe(1);
    expect(await voteState(voteButton(offered, existingId))).toEqual({
      pressed: "false",
      count: "1",
    });
    // Nothing typed is lost, and the button says what it does now.
    expect(await page.locator("#field-title").inputValue()).toBe(title);
    expect(await page.locator("#field-bodyMd").inputValue()).toBe("Like **subscriptions**.");
    expect(await page.locator("#field-categoryId").inputValue()).toBe(category);
    const confirmButton = page.getByRole("button", {
      name: translate(locale, "propose.confirm.submit"),
    });
    expect(await confirmButton.count()).toBe(1);

    await andWaitForLoad(page, () => confirmButton.click());
    expect(new URL(page.url()).pathname).toMatch(/^\/requests\/\d+$/);
    expect((await page.getByRole("heading", { level: 1 }).textContent())?.trim()).toBe(title);
    expect(await toast(page).textContent()).toContain(translate(locale, "toast.requestCreated"));
    expect(await page.locator("main .prose-content strong").textContent()).toBe("subscriptions");
    const newId = Number(new URL(page.url()).pathname.split("/").pop());
    expect(await voteState(voteButton(page, newId))).toEqual({ pressed: "true", count: "1" });
  });
});

describe("voting", () => {
  it("toggles a vote on the board with JavaScript, at once, and it persists; another organization's vote counts on the request page (English)", async () => {
    const locale = "en";
    const token = latinToken();
    const { id } = await proposeRequest(avi, {
      category: "general",
      title: `Bulk ${token} price updates`,
    });

    const page = await signedInPage(bea.email, { lang: locale });
    const errors = watchForErrors(page);
    await page.goto(`${server.baseUrl}/?q=${token}`);
    await waitForVoteForms(page);
    const button = voteButton(boardRow(page, id), id);
    await expectVoteState(button, false, 1);

    // The vote shows while the server is still answering (the answer is held back here).
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route(
      (url) => isVotePath(url.pathname, id),
      async (route) => {
        await held;
        await route.continue();
      },
    );
    const answered = page.waitForResponse(isVotePost);
    await button.click();
    await expectVoteState(button, true, 2, 2_000);
    release();
    await answered;
    await page.unrouteAll();
    await expectVoteState(button, true, 2);
    expect(pathOf(page)).toBe(`/?q=${token}`);

    await page.reload();
    await waitForVoteForms(page);
    await expectVoteState(button, true, 2);

    // Again: the vote is withdrawn, and that persists too.
    await Promise.all([page.waitForResponse(isVotePost), button.click()]);
    await expectVoteState(button, false, 1);
    await page.reload();
    await waitForVoteForms(page);
    await expectVoteState(button, false, 1);

    // On the request page, Bea's vote makes it two organizations.
    await page.goto(`${server.baseUrl}/requests/${id}`);
    await waitForVoteForms(page);
    expect(await demand(page, locale).textContent()).toContain(
      translateCount(locale, "count.orgs", 1),
    );
    await Promise.all([page.waitForResponse(isVotePost), voteButton(page, id).click()]);
    await expectVoteState(voteButton(page, id), true, 2);
    await expect
      .poll(() => demand(page, locale).textContent())
      .toContain(translateCount(locale, "count.orgs", 2));
    await page.reload();
    await expect
      .poll(() => demand(page, locale).textContent())
      .toContain(translateCount(locale, "count.orgs", 2));
    expect(await demand(page, locale).textContent()).toContain(
      translateCount(locale, "count.votes", 2),
    );
    expect(errors).toEqual([]);
  });

  it("toggles a vote through the plain form without JavaScript, on the board and the request page (Hebrew, phone)", async () => {
    const locale = "he";
    const token = latinToken();
    const { id } = await proposeRequest(avi, {
      category: "general",
      title: `תזכורת ${token} ללקוחות שלא שילמו`,
    });

    const page = await signedInPage(bea.email, { lang: locale, js: false, phone: true });
    const boardPath = `/?q=${token}&sort=votes`;
    await page.goto(`${server.baseUrl}${boardPath}`);
    const button = voteButton(boardRow(page, id), id);
    expect(await voteState(button)).toEqual({ pressed: "false", count: "1" });

    await andWaitForLoad(page, () => button.click());
    expect(pathOf(page)).toBe(boardPath);
    expect(await toast(page).textContent()).toContain(translate(locale, "toast.voted"));
    expect(await voteState(button)).toEqual({ pressed: "true", count: "2" });

    await andWaitForLoad(page, () => button.click());
    expect(pathOf(page)).toBe(boardPath);
    expect(await toast(page).textContent()).toContain(translate(locale, "toast.unvoted"));
    expect(await voteState(button)).toEqual({ pressed: "false", count: "1" });

    // The request page: the same form, back to the same page, with the organizations counted.
    await page.goto(`${server.baseUrl}/requests/${id}`);
    await andWaitForLoad(page, () => voteButton(page, id).click());
    expect(pathOf(page)).toBe(`/requests/${id}`);
    expect(await toast(page).textContent()).toContain(translate(locale, "toast.voted"));
    expect(await voteState(voteButton(page, id))).toEqual({ pressed: "true", count: "2" });
    expect(await demand(page, locale).textContent()).toContain(
      translateCount(locale, "count.orgs", 2),
    );

    await andWaitForLoad(page, () => voteButton(page, id).click());
    expect(pathOf(page)).toBe(`/requests/${id}`);
    expect(await toast(page).textContent()).toContain(translate(locale, "toast.unvoted"));
    expect(await voteState(voteButton(page, id))).toEqual({ pressed: "false", count: "1" });
    expect(await demand(page, locale).textContent()).toContain(
      translateCount(locale, "count.orgs", 1),
    );
  });
});

describe("comments", () => {
  it("adds, edits within the window and deletes a comment with JavaScript, with errors next to the field (Hebrew)", async () => {
    const locale = "he";
    const token = latinToken();
    const { id } = await proposeRequest(avi, {
      category: "general",
      title: `יומן ${token} שינויים לכל מסמך`,
    });

    const page = await signedInPage(avi.email, { lang: locale });
    const errors = watchForErrors(page);
    allowPageErrors(page, FAILED_WITH_400, "the two refused comments are answered 400, as tested");
    await page.goto(`${server.baseUrl}/requests/${id}`);
    await waitForHydration(page);
    const field = page.locator("#comment-body");
    const submit = page.getByRole("button", { name: translate(locale, "comments.submit") });

    // An empty comment: the localized error next to the field.
    await field.fill("   ");
    await submit.click();
    await page.locator("#comment-body-error").waitFor();
    await expect
      .poll(() => page.locator("#comment-body-error").textContent())
      .toContain(translate(locale, "request.error.commentEmpty"));
    await expect.poll(() => field.getAttribute("aria-invalid")).toBe("true");
    await expect.poll(() => field.getAttribute("aria-describedby")).toContain("comment-body-error");
    expect(await commentItems(page).count()).toBe(0);

    // A comment too long is refused with what was typed kept.
    const tooLong = `${"ארוך ".repeat(2_000)}סוף`;
    await field.fill(tooLong);
    await submit.click();
    await expect
      .poll(() => page.locator("#comment-body-error").textContent())
      .toContain(translate(locale, "request.error.commentTooLong"));
    await expect.poll(() => field.inputValue()).toBe(tooLong);

    // The two refusals are 400 answers, which Chromium logs; nothing else was.
    expect(errors).toEqual(Array(2).fill(FAILED_WITH_400));
    errors.length = 0;

    // A real comment appears with the author's name; the field is emptied.
    await field.fill(`זה **חשוב** לנו ${token}`);
    await submit.click();
    const added = commentItems(page).filter({ hasText: token });
    await added.waitFor();
    const commentId = Number((await added.getAttribute("id"))!.replace("comment-", ""));
    const item = page.locator(`#comment-${commentId}`);
    await expect.poll(() => item.textContent()).toContain(avi.name);
    await expect.poll(() => item.locator("strong").textContent()).toBe("חשוב");
    await expect
      .poll(() => toast(page).textContent())
      .toContain(translate(locale, "toast.commentAdded"));
    await expect.poll(() => field.inputValue()).toBe("");
    expect(await page.locator("#comment-body-error").count()).toBe(0);

    // Edit within the window: the button opens an inline editor with the text.
    await item
      .getByRole("button", { name: translate(locale, "comments.edit"), exact: true })
      .click();
    const editor = page.locator(`#edit-${commentId}`);
    await editor.waitFor();
    await expect.poll(() => editor.inputValue()).toBe(`זה **חשוב** לנו ${token}`);
    await editor.fill(`זה _דחוף_ לנו ${token}`);
    await item.getByRole("button", { name: translate(locale, "comments.save") }).click();
    await expect
      .poll(() => toast(page).textContent())
      .toContain(translate(locale, "toast.commentEdited"));
    // The saved text replaces the editor, marked as edited. (Soft, so that the checks after it
    // still run: if the editor stays open, it is closed with its Cancel button.)
    const editorClosed = await editor
      .waitFor({ state: "detached", timeout: 3_000 })
      .then(() => true)
      .catch(() => false);
    expect.soft(editorClosed, "the inline editor closes once the edit is saved").toBe(true);
    if (!editorClosed)
      await item.getByRole("button", { name: translate(locale, "comments.cancel") }).click();
    await expect.poll(() => item.locator("em").textContent()).toBe("דחוף");
    await expect
      .poll(() => item.textContent())
      .toContain(`(${translate(locale, "comments.edited")})`);

    // Delete asks first: dismissing keeps it, accepting deletes it.
    const deleteButton = item.getByRole("button", { name: translate(locale, "comments.delete") });
    const asked: string[] = [];
    page.once("dialog", (dialog) => {
      asked.push(dialog.message());
      void dialog.dismiss();
    });
    await deleteButton.click();
    expect(asked).toEqual([translate(locale, "comments.deleteConfirm")]);
    await expect.poll(() => commentItems(page).count()).toBe(1);
    page.once("dialog", (dialog) => void dialog.accept());
    await deleteButton.click();
    await expect.poll(() => commentItems(page).count()).toBe(0);
    await expect
      .poll(() => toast(page).textContent())
      .toContain(translate(locale, "toast.commentDeleted"));
    await expect
      .poll(() => page.locator("#comments").textContent())
      .toContain(translate(locale, "comments.empty"));
    expect(errors).toEqual([]);
  });

  it("adds, edits through ?edit and deletes a comment without JavaScript; others get no controls on it (English, phone)", async () => {
    const locale = "en";
    const token = latinToken();
    const { id } = await proposeRequest(bea, {
      category: "general",
      title: `Audit ${token} trail for every document`,
    });
    const options = { lang: locale, js: false, phone: true } as const;

    const page = await signedInPage(avi.email, options);
    allowPageErrors(page, statusLogged(400), "the empty comment and edit are answered 400");
    await page.goto(`${server.baseUrl}/requests/${id}`);
    const submit = page.getByRole("button", { name: translate(locale, "comments.submit") });

    // Empty: refused next to the field.
    await andWaitForLoad(page, () => submit.click());
    expect(await page.locator("#comment-body-error").textContent()).toContain(
      translate(locale, "request.error.commentEmpty"),
    );
    expect(await page.locator("#comment-body").getAttribute("aria-invalid")).toBe("true");

    await page.locator("#comment-body").fill(`We need this for *audits* ${token}`);
    await andWaitForLoad(page, () => submit.click());
    expect(await toast(page).textContent()).toContain(translate(locale, "toast.commentAdded"));
    const added = commentItems(page).filter({ hasText: token });
    expect(await added.count()).toBe(1);
    const commentId = Number((await added.getAttribute("id"))!.replace("comment-", ""));
    const item = page.locator(`#comment-${commentId}`);
    expect(await item.textContent()).toContain(avi.name);
    expect(await item.textContent()).toContain(avi.orgName);
    expect(await item.locator("em").textContent()).toBe("audits");

    // Without JavaScript, "Edit" is a link to ?edit=<id>.
    const editLink = item.getByRole("link", {
      name: translate(locale, "comments.edit"),
      exact: true,
    });
    await andWaitForLoad(page, () => editLink.click());
    expect(new URL(page.url()).searchParams.get("edit")).toBe(String(commentId));
    const editor = page.locator(`#edit-${commentId}`);
    expect(await editor.inputValue()).toBe(`We need this for *audits* ${token}`);

    // An empty edit is refused next to the editor, which stays open.
    await editor.fill(" ");
    await andWaitForLoad(page, () =>
      item.getByRole("button", { name: translate(locale, "comments.save") }).click(),
    );
    await expect
      .poll(() => page.locator(`#edit-${commentId}`).getAttribute("aria-invalid"))
      .toBe("true");
    await expect
      .poll(() => page.locator(`#edit-${commentId}-error`).textContent())
      .toContain(translate(locale, "request.error.commentEmpty"));

    await page.locator(`#edit-${commentId}`).fill(`We need this for **compliance** ${token}`);
    await andWaitForLoad(page, () =>
      item.getByRole("button", { name: translate(locale, "comments.save") }).click(),
    );
    await expect
      .poll(() => toast(page).textContent())
      .toContain(translate(locale, "toast.commentEdited"));
    await expect.poll(() => page.locator(`#edit-${commentId}`).count()).toBe(0);
    await expect.poll(() => item.locator("strong").textContent()).toBe("compliance");
    await expect
      .poll(() => item.textContent())
      .toContain(`(${translate(locale, "comments.edited")})`);

    // Another customer sees the comment, without edit or delete controls.
    const other = await signedInPage(bea.email, options);
    await other.goto(`${server.baseUrl}/requests/${id}`);
    const seen = commentItems(other).filter({ hasText: token });
    expect(await seen.textContent()).toContain(avi.name);
    expect(await seen.locator("a, button").count()).toBe(0);
    // Nor does ?edit open an editor for them.
    await other.goto(`${server.baseUrl}/requests/${id}?edit=${commentId}`);
    expect(await other.locator(`#edit-${commentId}`).count()).toBe(0);

    // Staff may delete it (not edit it).
    const staff = await signedInPage("staff@broadly.test", options, DEMO_PASSWORD);
    await staff.goto(`${server.baseUrl}/requests/${id}`);
    const asStaff = commentItems(staff).filter({ hasText: token });
    expect(
      await asStaff.getByRole("button", { name: translate(locale, "comments.delete") }).count(),
    ).toBe(1);
    expect(
      await asStaff
        .getByRole("link", { name: translate(locale, "comments.edit"), exact: true })
        .count(),
    ).toBe(0);

    // The author deletes it: a plain form, no confirmation without JavaScript.
    await andWaitForLoad(page, () =>
      item.getByRole("button", { name: translate(locale, "comments.delete") }).click(),
    );
    await expect
      .poll(() => toast(page).textContent())
      .toContain(translate(locale, "toast.commentDeleted"));
    await expect.poll(() => commentItems(page).filter({ hasText: token }).count()).toBe(0);
  });
});

describe("a signed-out visitor", () => {
  it("is sent to sign in by the vote link and brought back to the request, where the vote then works (Hebrew, JavaScript on)", async () => {
    const locale = "he";
    const token = latinToken();
    const { id } = await proposeRequest(bea, {
      category: "general",
      title: `ייבוא ${token} אנשי קשר מקובץ`,
    });

    const page = await openPage({ lang: locale, phone: true });
    const errors = watchForErrors(page);
    // On the board, the vote link remembers the page with its query.
    await page.goto(`${server.baseUrl}/?q=${token}`);
    const boardLink = boardRow(page, id).locator('a[href^="/signin?"]');
    expect(
      new URL((await boardLink.getAttribute("href"))!, server.baseUrl).searchParams.get(
        "redirectTo",
      ),
    ).toBe(`/?q=${token}`);

    await page.goto(`${server.baseUrl}/requests/${id}`);
    await waitForHydration(page);
    const voteLink = demand(page, locale).locator('a[href^="/signin?"]').first();
    expect(await voteLink.textContent()).toContain(translate(locale, "request.signInToVote"));
    await Promise.all([page.waitForURL((url) => url.pathname === "/signin"), voteLink.click()]);
    expect(new URL(page.url()).searchParams.get("redirectTo")).toBe(`/requests/${id}`);

    await page.locator("#field-email").fill("omer@acme.test");
    await page.locator("#field-password").fill(DEMO_PASSWORD);
    await Promise.all([
      page.waitForURL((url) => url.pathname === `/requests/${id}`),
      mainSubmit(page).click(),
    ]);
    await waitForVoteForms(page);
    await expectVoteState(voteButton(page, id), false, 1);
    await Promise.all([page.waitForResponse(isVotePost), voteButton(page, id).click()]);
    await expectVoteState(voteButton(page, id), true, 2);
    await expect
      .poll(() => demand(page, locale).textContent())
      .toContain(translateCount(locale, "count.orgs", 2));
    expect(errors).toEqual([]);
  });

  it("is sent to sign in by 'sign in to comment' and brought back to the comments (English, no JavaScript)", async () => {
    const locale = "en";
    const token = latinToken();
    const { id } = await proposeRequest(bea, {
      category: "general",
      title: `Export ${token} contacts to CSV`,
    });

    const page = await openPage({ lang: locale, js: false });
    await page.goto(`${server.baseUrl}/requests/${id}`);
    expect(await page.locator("#comment-body").count()).toBe(0);
    const link = page.locator("#comments").getByRole("link", {
      name: translate(locale, "comments.signIn"),
    });
    await andWaitForLoad(page, () => link.click());
    expect(new URL(page.url()).pathname).toBe("/signin");
    expect(new URL(page.url()).searchParams.get("redirectTo")).toBe(`/requests/${id}#comments`);

    await page.locator("#field-email").fill(avi.email);
    await page.locator("#field-password").fill(TEST_PASSWORD);
    await andWaitForLoad(page, () => mainSubmit(page).click());
    expect(new URL(page.url()).pathname).toBe(`/requests/${id}`);
    expect(new URL(page.url()).hash).toBe("#comments");
    await page.locator("#comment-body").fill(`Came back to say ${token}`);
    await andWaitForLoad(page, () =>
      page.getByRole("button", { name: translate(locale, "comments.submit") }).click(),
    );
    await expect
      .poll(() => commentItems(page).filter({ hasText: token }).textContent())
      .toContain(avi.name);
  });
});

describe("Markdown written by users", () => {
  it("renders scripts, event handlers and javascript: links as inert text", async () => {
    const token = latinToken();
    const bodyMd = [
      `Hostile ${token}`,
      "",
      "<script>window.__pwned=1</script>",
      "",
      '<img src=x onerror="window.__pwned=2">',
      "",
      "[click](javascript:window.__pwned=3)",
      "",
      "[fine](https://example.com/docs)",
    ].join("\n");
    const { id } = await proposeRequest(avi, {
      category: "general",
      title: `Hostile ${token} Markdown body`,
      bodyMd,
    });

    for (const locale of ["he", "en"] as const) {
      const page = await signedInPage(bea.email, { lang: locale });
      const errors = watchForErrors(page);
      const dialogs: string[] = [];
      page.on("dialog", (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      await page.goto(`${server.baseUrl}/requests/${id}`);
      await waitForHydration(page);
      const body = page.locator("main .prose-content").first();
      await body.waitFor();
      // Shown as text…
      const text = await body.textContent();
      expect(text).toContain("<script>window.__pwned=1</script>");
      expect(text).toContain('<img src=x onerror="window.__pwned=2">');
      // … and not as markup.
      expect(await body.locator("script, img, iframe, [onerror], [onclick]").count()).toBe(0);
      const hrefs = await body
        .locator("a")
        .evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""));
      expect(hrefs.filter((href) => /^\s*javascript:/i.test(href))).toEqual([]);
      expect(hrefs).toContain("https://example.com/docs");
      expect(await page.locator('main a[href^="javascript:" i]').count()).toBe(0);
      // A click on the would-be link runs nothing either.
      const maybeLink = body.getByText("click", { exact: true });
      if ((await maybeLink.count()) > 0) await maybeLink.first().click();
      await expect
        .poll(() => page.evaluate(() => (window as { __pwned?: unknown }).__pwned))
        .toBeUndefined();
      // The board's one-line excerpt is plain text too.
      await page.goto(`${server.baseUrl}/?q=${token}`);
      expect(await boardRow(page, id).locator("script, img").count()).toBe(0);
      expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();
      expect(dialogs).toEqual([]);
      expect(errors).toEqual([]);
    }
  });
});

describe("accessibility and console", () => {
  it("passes axe without console errors on the board, request and propose pages, in both languages, on a desktop and a phone", async () => {
    const token = latinToken();
    const { id } = await proposeRequest(avi, {
      category: "general",
      title: `Accessible ${token} request page`,
      bodyMd: "Some **bold** text and a [link](https://example.com).",
    });
    const problems: string[] = [];
    const errorLists: string[][] = [];
    const check = async (page: Page) => {
      await waitForHydration(page);
      await collectAccessibilityProblems(page, problems);
    };

    // Signed out: the board (Hebrew, phone) and a request page (English, desktop).
    const visitorHe = await openPage({ lang: "he", phone: true });
    errorLists.push(watchForErrors(visitorHe));
    await visitorHe.goto(`${server.baseUrl}/`);
    await check(visitorHe);
    const visitorEn = await openPage({ lang: "en" });
    errorLists.push(watchForErrors(visitorEn));
    await visitorEn.goto(`${server.baseUrl}/requests/${id}`);
    await check(visitorEn);

    // Signed in (with a comment of one's own on the page): English desktop, Hebrew phone.
    const en = await signedInPage(bea.email, { lang: "en" });
    errorLists.push(watchForErrors(en));
    await en.goto(`${server.baseUrl}/`);
    await check(en);
    await en.goto(`${server.baseUrl}/?q=${token}`);
    await check(en);
    await en.goto(`${server.baseUrl}/requests/${id}`);
    await waitForHydration(en);
    await en.locator("#comment-body").fill(`A comment ${token}`);
    await en.getByRole("button", { name: translate("en", "comments.submit") }).click();
    await commentItems(en).filter({ hasText: token }).waitFor();
    await check(en);
    // The propose page with the similar panel open (English, desktop).
    await en.goto(`${server.baseUrl}/requests/new`);
    await waitForHydration(en);
    await en.locator("#field-title").fill(`Accessible ${token}`);
    await en.locator('section[aria-labelledby="similar-heading"]').waitFor();
    await check(en);

    const he = await signedInPage(avi.email, { lang: "he", phone: true });
    errorLists.push(watchForErrors(he));
    await he.goto(`${server.baseUrl}/`);
    await check(he);
    await he.goto(`${server.baseUrl}/requests/${id}`);
    await check(he);
    await he.goto(`${server.baseUrl}/requests/new`);
    await waitForHydration(he);
    await he.locator("#field-title").fill(`Accessible ${token}`);
    await he.locator('section[aria-labelledby="similar-heading"]').waitFor();
    await check(he);

    expect(problems).toEqual([]);
    expect(errorLists.flat()).toEqual([]);
  });
});
