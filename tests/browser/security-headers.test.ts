// What every response promises about itself: a strict CSP with a per-response script nonce,
// no framing, no sniffing, a careful referrer, a session cookie scripts can't read.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  allowPageErrors,
  launchBrowser,
  newContext,
  signInThroughForm,
  watchForErrors,
} from "../support/browser";
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

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(";")
      .map((part) => part.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...values]) => [name.toLowerCase(), values]),
  );
}

function scriptSources(csp: string): string[] {
  const all = directives(csp);
  return all.get("script-src") ?? all.get("default-src") ?? [];
}

describe("security headers", () => {
  it("sends a strict Content-Security-Policy with a fresh script nonce that every script carries", async () => {
    const first = await fetch(`${server.baseUrl}/signin`);
    const csp = first.headers.get("content-security-policy") ?? "";
    expect(csp).not.toBe("");
    const scripts = scriptSources(csp);
    const nonce = scripts.find((source) => /^'nonce-[A-Za-z0-9+/=]{16,}'$/.test(source));
    expect(nonce, `script-src has a nonce: ${scripts.join(" ")}`).toBeDefined();
    expect(scripts).not.toContain("'unsafe-inline'");
    expect(scripts).not.toContain("'unsafe-eval'");
    expect(scripts).not.toContain("*");
    const all = directives(csp);
    expect(all.get("object-src")).toEqual(["'none'"]);
    expect(all.get("frame-ancestors")).toEqual(["'none'"]);
    expect(all.get("base-uri")).toEqual(["'self'"]);
    expect(all.get("form-action")).toEqual(["'self'"]);

    // Every <script> in the page carries this response's nonce.
    const html = await first.text();
    const value = nonce!.slice("'nonce-".length, -1);
    const tags = html.match(/<script\b[^>]*>/g) ?? [];
    expect(tags.length).toBeGreaterThan(0);
    for (const tag of tags) expect(tag, tag).toContain(`nonce="${value}"`);

    // A new response, a new nonce.
    const second = await fetch(`${server.baseUrl}/signin`);
    const again = scriptSources(second.headers.get("content-security-policy") ?? "").find((s) =>
      s.startsWith("'nonce-"),
    );
    expect(again).toBeDefined();
    expect(again).not.toBe(nonce);
  });

  it("forbids framing and sniffing and limits the referrer, on pages, errors and files alike", async () => {
    for (const path of ["/", "/signin", "/no-such-page", "/favicon.svg", "/healthz"]) {
      const response = await fetch(`${server.baseUrl}${path}`);
      expect(response.headers.get("x-frame-options"), path).toBe("DENY");
      expect(response.headers.get("x-content-type-options"), path).toBe("nosniff");
      expect(response.headers.get("referrer-policy"), path).toMatch(
        /^(no-referrer|same-origin|strict-origin|strict-origin-when-cross-origin)$/,
      );
      expect(response.headers.get("content-security-policy"), path).toContain(
        "frame-ancestors 'none'",
      );
      expect(response.headers.get("x-powered-by"), path).toBeNull();
    }
    // The refusal of a cross-site POST carries them too.
    const refused = await fetch(`${server.baseUrl}/signin`, {
      method: "POST",
      headers: { Origin: "http://evil.example" },
    });
    expect(refused.status).toBe(403);
    expect(refused.headers.get("x-frame-options")).toBe("DENY");
  });

  it('answers /healthz with {"ok":true}', async () => {
    const response = await fetch(`${server.baseUrl}/healthz`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/json");
    expect(await response.json()).toEqual({ ok: true });
  });

  it("keeps the session in an HttpOnly, SameSite=Lax cookie that page scripts cannot read", async () => {
    const context = await newContext(browser, { lang: "he" });
    const page = await context.newPage();
    const setCookies: string[] = [];
    page.on("response", async (response) => {
      if (response.request().method() === "POST") {
        const header = await response.headerValue("set-cookie");
        if (header) setCookies.push(...header.split("\n"));
      }
    });
    await signInThroughForm(page, server.baseUrl, "dana@acme.test", DEMO_PASSWORD);

    const session = (await context.cookies()).find((c) => c.name === "__session");
    expect(session).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/" });
    expect(session!.expires).toBeGreaterThan(Date.now() / 1000);
    const raw = setCookies.find((c) => c.startsWith("__session="));
    expect(raw).toBeDefined();
    expect(raw).toMatch(/;\s*HttpOnly/i);
    expect(raw).toMatch(/;\s*SameSite=Lax/i);
    expect(await page.evaluate(() => document.cookie)).not.toContain("__session");
    await context.close();
  });

  it("makes the browser refuse an injected inline script, and report it as a console error", async () => {
    const context = await newContext(browser, { lang: "en" });
    const page = await context.newPage();
    const errors = watchForErrors(page);
    allowPageErrors(
      page,
      /Content Security Policy/,
      "the test injects an inline script on purpose",
    );
    await page.goto(`${server.baseUrl}/signin`);
    await page
      .evaluate(() => {
        const script = document.createElement("script");
        script.textContent = "document.documentElement.dataset.injected = 'yes'";
        document.body.append(script);
      })
      .catch(() => undefined);
    await page.waitForTimeout(200);
    expect(await page.getAttribute("html", "data-injected")).toBeNull();
    expect(errors.join("\n")).toContain("Content Security Policy");
    await context.close();
  });

  it("renders its pages with no console errors, CSP violations or requests to other hosts", async () => {
    const context = await newContext(browser, { lang: "he" });
    const page = await context.newPage();
    const errors = watchForErrors(page);
    const foreign: string[] = [];
    page.on("request", (request) => {
      if (!request.url().startsWith(server.baseUrl) && !request.url().startsWith("data:"))
        foreign.push(request.url());
    });
    const visit = async (path: string) => {
      const response = await page.goto(`${server.baseUrl}${path}`);
      expect(response?.status(), path).toBe(200);
      await page.waitForLoadState("networkidle");
    };

    for (const path of ["/", "/signin", "/signup", "/roadmap", "/announcements"]) await visit(path);
    await signInThroughForm(page, server.baseUrl, "dana@acme.test", DEMO_PASSWORD);
    for (const path of ["/", "/account", "/orgs/acme", "/orgs/new"]) await visit(path);
    // Client-side navigation too: the account menu's links.
    await page.locator("header details > summary").click();
    await page.locator('header a[href="/account"]').click();
    await page.waitForURL((url) => url.pathname === "/account");
    await page.waitForLoadState("networkidle");

    expect(errors).toEqual([]);
    expect(foreign).toEqual([]);
    await context.close();
  });
});
