// Debian's Chromium through playwright-core, and an axe-core check for the pages tests visit.
import AxeBuilder from "@axe-core/playwright";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

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
  { lang = "he", javaScriptEnabled = true, phone = false }: { lang?: "he" | "en"; javaScriptEnabled?: boolean; phone?: boolean } = {},
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
  const problems = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  if (problems.length) throw new Error(`axe found violations on ${page.url()}:\n${problems.join("\n")}`);
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
