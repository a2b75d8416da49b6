// Debian's Chromium through playwright-core, and an axe-core check for the pages tests visit.
import AxeBuilder from "@axe-core/playwright";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { waitForMailLink, type TestServer } from "./server";
import { TEST_PASSWORD } from "./factories";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
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

/** Collects console errors and failed requests so a test can assert there were none. */
export function watchForErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => errors.push(`page: ${error.message}`));
  page.on("response", (response) => {
    if (response.status() >= 500) errors.push(`HTTP ${response.status()} ${response.url()}`);
  });
  return errors;
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
