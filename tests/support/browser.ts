// Debian's Chromium through playwright-core, an axe-core check for the pages tests visit, and
// the error watch on every page the suite opens (asserted after each test by browser-setup.ts).
import AxeBuilder from "@axe-core/playwright";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { waitForMailLink, type TestServer } from "./server";
import { TEST_PASSWORD } from "./factories";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Chromium with every context it creates watched for errors (see expectNoPageErrors). */
export async function launchBrowser(): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
  // browser.newPage() goes through newContext() too, so no test can open an unwatched page.
  const open = browser.newContext.bind(browser);
  browser.newContext = async (options) => watchContext(await open(options));
  return browser;
}

export function newContext(
  browser: Browser,
  {
    lang = "he",
    javaScriptEnabled = true,
    phone = false,
  }: { lang?: "he" | "en"; javaScriptEnabled?: boolean; phone?: boolean } = {},
): Promise<BrowserContext> {
  return browser.newContext({
    javaScriptEnabled,
    locale: lang === "he" ? "he-IL" : "en-US",
    extraHTTPHeaders: { "Accept-Language": lang === "he" ? "he-IL,he;q=0.9" : "en-US,en;q=0.9" },
    viewport: phone ? { width: 390, height: 844 } : { width: 1280, height: 800 },
  });
}

/** Fails with the rule ids and targets when axe finds WCAG 2.2 AA violations. Needs JavaScript on. */
export async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"])
    .analyze();
  const problems = results.violations.map(
    (v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
  );
  if (problems.length)
    throw new Error(`axe found violations on ${page.url()}:\n${problems.join("\n")}`);
}

// The error watch. Every page of every context the suite creates records its console errors,
// uncaught exceptions (React's hydration errors 418/423/425 arrive as these) and 5xx answers.
// After each test, expectNoPageErrors() fails it on anything recorded that the test did not
// allow by name with allowPageErrors().

type Allowance = { message: string | RegExp; reason: string };
type PageRecord = { problems: string[]; listeners: string[][] };

const records = new Map<Page, PageRecord>();
const allowances = new WeakMap<Page | BrowserContext, Allowance[]>();

function watchContext(context: BrowserContext): BrowserContext {
  context.on("page", (page) => watchPage(page));
  return context;
}

function watchPage(page: Page): PageRecord {
  const existing = records.get(page);
  if (existing) return existing;
  const record: PageRecord = { problems: [], listeners: [] };
  records.set(page, record);
  const note = (problem: string) => {
    record.problems.push(problem);
    for (const list of record.listeners) list.push(problem);
  };
  page.on("console", (message) => {
    if (message.type() === "error") note(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => note(`page: ${error.message}`));
  page.on("response", (response) => {
    if (response.status() >= 500) note(`HTTP ${response.status()} ${response.url()}`);
  });
  return record;
}

/**
 * Lets a test that provokes an error on purpose (a form refused with 400, a 404 page) say so:
 * problems on `scope` (a page, or every page of a context) that equal or match `message` are
 * not failures. The reason is for the reader.
 */
export function allowPageErrors(
  scope: Page | BrowserContext,
  message: string | RegExp,
  reason: string,
) {
  allowances.set(scope, [...(allowances.get(scope) ?? []), { message, reason }]);
}

/** What Chromium logs when a page or fetch is answered with `status` (404, 400…). */
export function statusLogged(status: number): RegExp {
  return new RegExp(
    `^console: Failed to load resource: the server responded with a status of ${status}\\b`,
  );
}

function isAllowed(page: Page, problem: string): boolean {
  const rules = [...(allowances.get(page) ?? []), ...(allowances.get(page.context()) ?? [])];
  return rules.some(({ message }) =>
    typeof message === "string" ? problem === message : message.test(problem),
  );
}

/** Throws with every problem recorded since the last call that no allowance covers, then resets. */
export function expectNoPageErrors() {
  const unexpected: string[] = [];
  for (const [page, record] of records) {
    for (const problem of record.problems)
      if (!isAllowed(page, problem)) unexpected.push(`${problem}  (on ${page.url()})`);
    record.problems = [];
    if (page.isClosed()) records.delete(page);
  }
  if (unexpected.length)
    throw new Error(`errors in the browser during this test:\n${unexpected.join("\n")}`);
}

/**
 * The problems recorded on `page` from now on, for a test that asserts at a particular step.
 * The after-test check sees them whatever the test does with this list.
 */
export function watchForErrors(page: Page): string[] {
  const list: string[] = [];
  watchPage(page).listeners.push(list);
  return list;
}

/** The one submit button inside <main> (for pages with a single form). */
export function mainSubmit(page: Page) {
  return page.locator("main form button[type=submit]");
}

/**
 * Signs up through the form at /signup (or the sign-up page already open) and waits to leave it.
 * Then, unless `verify` is false, opens the verification link from the e-mail in a second tab
 * (as a user would from their mail), so the account can vote, propose and comment; the page
 * stays where sign-up led, with its message.
 */
export async function signUpThroughForm(
  page: Page,
  server: Pick<TestServer, "baseUrl" | "mailDir">,
  {
    name,
    email,
    password = TEST_PASSWORD,
    open = true,
    verify = true,
  }: { name: string; email?: string; password?: string; open?: boolean; verify?: boolean },
) {
  if (open) await page.goto(`${server.baseUrl}/signup`);
  await page.locator("#field-name").fill(name);
  if (email !== undefined) await page.locator("#field-email").fill(email);
  await page.locator("#field-password").fill(password);
  const address = await page.locator("#field-email").inputValue();
  await Promise.all([
    page.waitForURL((url) => url.pathname !== "/signup"),
    mainSubmit(page).click(),
  ]);
  if (!verify) return;
  const { url } = await waitForMailLink(server, address, "/verify-email/");
  const mailTab = await page.context().newPage();
  await mailTab.goto(url);
  await mailTab.close();
}

/** Signs in through the form at /signin and waits to leave it. */
export async function signInThroughForm(
  page: Page,
  baseUrl: string,
  email: string,
  password: string,
  redirectTo?: string,
) {
  const query = redirectTo ? `?${new URLSearchParams({ redirectTo })}` : "";
  await page.goto(`${baseUrl}/signin${query}`);
  await page.locator("#field-email").fill(email);
  await page.locator("#field-password").fill(password);
  await Promise.all([
    page.waitForURL((url) => url.pathname !== "/signin"),
    mainSubmit(page).click(),
  ]);
}

/** Opens the account menu (a <details>) and presses its sign-out button. */
export async function signOutThroughMenu(page: Page) {
  await page.locator("header details > summary").click();
  await page.locator('header form[action="/signout"] button[type=submit]').click();
  // Signed out once the header no longer has an account menu.
  await page.locator("header details").waitFor({ state: "detached" });
}

/**
 * Like expectAccessible, but records the violations in `problems` instead of throwing, so a
 * long journey still checks every later step; the test asserts `problems` is empty at its end.
 */
export async function collectAccessibilityProblems(page: Page, problems: string[]) {
  try {
    await expectAccessible(page);
  } catch (error) {
    problems.push(error instanceof Error ? error.message : String(error));
  }
}

/** The rows of the members list on /orgs/<slug> (a table or a list: both markups are accepted). */
export function orgMemberRows(page: Page) {
  return page.locator('section[aria-labelledby="members-heading"] :is(tbody tr, li)');
}

/**
 * Waits until React has hydrated the page: <main> carries React's fiber and the effects of the
 * first render have had a frame to run (useHydrated() is true). Needs JavaScript on.
 */
export async function waitForHydration(page: Page) {
  await page.waitForFunction(() => {
    const main = document.querySelector("main");
    return Boolean(main && Object.keys(main).some((key) => key.startsWith("__reactFiber$")));
  });
  await page.evaluate(
    () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 50))),
  );
}

/** Runs `action` (a click that submits a plain form) and waits for the next page's load event. */
export async function andWaitForLoad(page: Page, action: () => Promise<unknown>) {
  const loaded = page.waitForEvent("load");
  try {
    await action();
  } catch (error) {
    loaded.catch(() => undefined);
    throw error;
  }
  await loaded;
}
