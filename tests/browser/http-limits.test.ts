// What the server refuses before any route runs, against the real app/server.js: bodies over
// the limit (declared or streamed), bodies that are not forms, methods other than GET, HEAD and
// POST, and posts from other origins; each refusal a localized page, never a 500.
import http from "node:http";
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { en } from "~/i18n/en";
import { he } from "~/i18n/he";
import { langCookie } from "~/i18n/locale.server";
import {
  closeServerDatabase,
  startServer,
  useServerDatabase,
  type TestServer,
} from "../support/server";
import { makeCustomer, proposeRequest, TEST_PASSWORD, type Customer } from "../support/factories";

const PARTNER = "https://partner.test";
const LIMIT = 1024 * 1024;

let server: TestServer;
let customer: Customer;
let requestId: number;
let cookie: string;

beforeAll(async () => {
  server = await startServer({
    seed: true,
    env: { TRUSTED_ORIGINS: `${PARTNER}, https://other.test` },
  });
  useServerDatabase(server);
  customer = await makeCustomer({ name: "Tamar Levi", orgName: "Limits Ltd" });
  requestId = (
    await proposeRequest(customer, {
      category: "general",
      title: "Export the board as a spreadsheet",
    })
  ).id;
  cookie = await signIn(customer.email);
});

afterAll(async () => {
  await closeServerDatabase();
  await server?.stop();
});

type Answer = { status: number; headers: http.IncomingHttpHeaders; text: string };

/** One request through node:http, which (unlike fetch) sends any method and any Host header. */
function send(
  path: string,
  {
    method = "POST",
    headers = {},
    body,
  }: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    // Node's client sends a DELETE body without a length unless told.
    const length = body === undefined ? {} : { "Content-Length": String(Buffer.byteLength(body)) };
    const options = { method, headers: { ...length, ...headers } };
    const request = http.request(`${server.baseUrl}${path}`, options, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (text += chunk));
      response.on("end", () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, text }),
      );
    });
    request.on("error", reject);
    request.end(body);
  });
}

const FORM = { "Content-Type": "application/x-www-form-urlencoded" };

function form(fields: Record<string, string>, headers: Record<string, string> = {}) {
  return { headers: { ...FORM, ...headers }, body: new URLSearchParams(fields).toString() };
}

async function signIn(email: string): Promise<string> {
  const answer = await send("/signin", form({ email, password: TEST_PASSWORD }));
  expect(answer.status, answer.text.slice(0, 200)).toBe(302);
  const session = (answer.headers["set-cookie"] ?? []).find((c) => c.startsWith("__session="));
  expect(session).toBeDefined();
  return session!.split(";")[0];
}

async function voteCount(): Promise<number> {
  const row = await getDb()
    .selectFrom("requests")
    .select("vote_count")
    .where("id", "=", requestId)
    .executeTakeFirstOrThrow();
  return row.vote_count;
}

function decode(html: string) {
  return html
    .replace(/<[^>]+>/g, "")
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&");
}

/** Asserts a whole, localized page: lang and dir, and the catalog's title as <title> and <h1>. */
function expectPage(answer: Answer, locale: "he" | "en", title: keyof typeof he) {
  const catalog = locale === "he" ? he : en;
  expect(answer.headers["content-type"]).toMatch(/^text\/html/);
  expect(answer.text).toMatch(/^<!DOCTYPE html>/i);
  expect(answer.text).toContain(`<html lang="${locale}" dir="${locale === "he" ? "rtl" : "ltr"}"`);
  expect(decode(/<title>(.*?)<\/title>/.exec(answer.text)?.[1] ?? "")).toBe(
    `${catalog[title]} · Broadly`,
  );
  expect(decode(/<h1[^>]*>(.*?)<\/h1>/.exec(answer.text)?.[1] ?? "")).toBe(catalog[title]);
  expect(answer.text).toContain('href="/"');
}

/**
 * Sends `total` bytes of a form in 64 kB chunks (Transfer-Encoding: chunked, no length), or
 * only declares `declaredLength` and sends a first chunk; resolves with the answer and how
 * much had been sent when it arrived, whether or not the server then closes the connection.
 */
function upload(
  path: string,
  { total, declaredLength }: { total: number; declaredLength?: number },
): Promise<Answer & { sentBeforeAnswer: number }> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const headers: Record<string, string> = { ...FORM };
    if (declaredLength !== undefined) headers["Content-Length"] = String(declaredLength);
    const request = http.request(`${server.baseUrl}${path}`, { method: "POST", headers });
    request.on("response", (response) => {
      answered = true;
      const sentBeforeAnswer = sent;
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (text += chunk));
      response.on("end", () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          text,
          sentBeforeAnswer,
        }),
      );
    });
    // The server closes the connection on a refused upload: writing on is expected to fail.
    request.on("error", (error) => {
      if (!answered) reject(error);
    });
    const chunk = Buffer.alloc(64 * 1024, "a");
    request.write("title=");
    const pump = () => {
      while (!answered && !request.destroyed && sent < total) {
        sent += chunk.length;
        if (!request.write(chunk)) return void request.once("drain", pump);
      }
      if (!answered && declaredLength === undefined) request.end();
    };
    pump();
  });
}

function residentMemoryBytes(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

describe("request bodies", () => {
  it("refuses a declared body over 1 MiB at once, without waiting for it, in Hebrew by default", async () => {
    const started = Date.now();
    const answer = await upload("/signin", { total: 64 * 1024, declaredLength: 60_000_000 });
    expect(answer.status).toBe(413);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(answer.headers.connection).toBe("close");
    expectPage(answer, "he", "error.413.title");
  });

  it("answers in English to a browser that asks for it, or to the lang cookie", async () => {
    const big = { title: "x".repeat(LIMIT + 1) };
    const byHeader = await send("/signin", form(big, { "Accept-Language": "en-US,en;q=0.9" }));
    expect(byHeader.status).toBe(413);
    expectPage(byHeader, "en", "error.413.title");

    const lang = (await langCookie.serialize("en")).split(";")[0];
    const byCookie = await send("/signin", form(big, { "Accept-Language": "he-IL", Cookie: lang }));
    expect(byCookie.status).toBe(413);
    expectPage(byCookie, "en", "error.413.title");
  });

  it("stops reading a chunked body as soon as it passes the limit, and memory stays flat", async () => {
    const before = residentMemoryBytes(server.pid);
    const total = 20 * 1024 * 1024;
    const answer = await upload("/signin", { total });
    expect(answer.status).toBe(413);
    expectPage(answer, "he", "error.413.title");
    // Refused long before the 20 MB were sent (the rest of what was written sits in socket buffers).
    expect(answer.sentBeforeAnswer).toBeLessThan(total / 2);
    expect(residentMemoryBytes(server.pid) - before).toBeLessThan(10 * 1024 * 1024);

    // The server is fine afterwards.
    expect((await fetch(`${server.baseUrl}/healthz`)).status).toBe(200);
  });

  it("still takes a 900 kB form: a comment with a large extra field is posted", async () => {
    const body = new URLSearchParams({
      intent: "comment",
      bodyMd: "Posted with a very large form",
      padding: "p".repeat(900_000),
    }).toString();
    expect(body.length).toBeGreaterThan(900_000);
    expect(body.length).toBeLessThan(LIMIT);
    const answer = await send(`/requests/${requestId}`, {
      body,
      headers: { ...FORM, Cookie: cookie },
    });
    expect(answer.status).toBe(302);
    const comment = await getDb()
      .selectFrom("comments")
      .select("body_md")
      .where("request_id", "=", requestId)
      .executeTakeFirst();
    expect(comment?.body_md).toBe("Posted with a very large form");
  });
});

describe("bodies that are not forms", () => {
  const routes = () => ["/signin", "/requests/new", `/requests/${requestId}/vote`];

  it("answers 415 to text/plain and JSON posts, on every route, before the action runs", async () => {
    const countBefore = await voteCount();
    for (const path of routes()) {
      for (const [type, body] of [
        ["text/plain", "email=a@b.test"],
        ["application/json", '{"email":"a@b.test"}'],
      ]) {
        const answer = await send(path, {
          body,
          headers: { "Content-Type": type, Cookie: cookie },
        });
        expect(answer.status, `${type} to ${path}`).toBe(415);
        expectPage(answer, "he", "error.415.title");
      }
    }
    expect(await voteCount()).toBe(countBefore);
  });

  it("answers 400 to a broken multipart body, and never 500 to a post with no body", async () => {
    for (const path of routes()) {
      const broken = await send(path, {
        body: "--xyz\r\nthis is not a part\r\n",
        headers: { "Content-Type": "multipart/form-data; boundary=xyz", Cookie: cookie },
      });
      expect(broken.status, `broken multipart to ${path}`).toBe(400);
      // Pages show their error page; the vote route (a resource route) answers in a sentence.
      if (path.endsWith("/vote")) expect(broken.text).toBe(he["error.400.body"]);
      else expectPage(broken, "he", "error.400.title");

      const empty = await send(path, { headers: { Cookie: cookie } });
      expect(empty.status, `empty post to ${path}`).toBeGreaterThanOrEqual(300);
      expect(empty.status, `empty post to ${path}`).toBeLessThan(500);
    }
  });
});

describe("methods", () => {
  it("answers TRACE with 405 and the methods it allows", async () => {
    const answer = await send("/", { method: "TRACE" });
    expect(answer.status).toBe(405);
    expect(answer.headers.allow).toBe("GET, HEAD, POST");
    expectPage(answer, "he", "error.405.title");
  });

  it("refuses PUT, PATCH and DELETE with 405 instead of running the POST action", async () => {
    const countBefore = await voteCount();
    for (const method of ["PUT", "PATCH", "DELETE"]) {
      const answer = await send(`/requests/${requestId}/vote`, {
        method,
        ...form(
          { redirectTo: `/requests/${requestId}` },
          { Cookie: cookie, "Accept-Language": "en" },
        ),
      });
      expect(answer.status, method).toBe(405);
      expect(answer.headers.allow, method).toBe("GET, HEAD, POST");
      expectPage(answer, "en", "error.405.title");
    }
    expect(await voteCount()).toBe(countBefore);
    // The same vote as a POST does run.
    const posted = await send(
      `/requests/${requestId}/vote`,
      form({ redirectTo: `/requests/${requestId}` }, { Cookie: cookie }),
    );
    expect(posted.status).toBe(302);
    expect(await voteCount()).not.toBe(countBefore);
  });
});

describe("cross-site posts", () => {
  const signInWith = (headers: Record<string, string>) =>
    send("/signin", form({ email: customer.email, password: TEST_PASSWORD }, headers));

  it("refuses an Origin that matches the Host header it came with, when that is not ours", async () => {
    const answer = await signInWith({ Host: "evil.test", Origin: "http://evil.test" });
    expect(answer.status).toBe(403);
    expectPage(answer, "he", "error.crossSite.title");
    expect(answer.headers["set-cookie"]).toBeUndefined();
  });

  it("refuses Origin: null and a cross-site Sec-Fetch-Site, in the visitor's language", async () => {
    const nullOrigin = await signInWith({ Origin: "null", "Accept-Language": "en" });
    expect(nullOrigin.status).toBe(403);
    expectPage(nullOrigin, "en", "error.crossSite.title");
    const crossSite = await signInWith({ "Sec-Fetch-Site": "cross-site" });
    expect(crossSite.status).toBe(403);
  });

  it("takes BASE_URL's origin, even behind a proxy that rewrites the Host header", async () => {
    const direct = await signInWith({ Origin: server.baseUrl, "Sec-Fetch-Site": "same-origin" });
    expect(direct.status).toBe(302);
    const proxied = await signInWith({ Origin: server.baseUrl, Host: "app.internal:3000" });
    expect(proxied.status).toBe(302);
  });

  it("takes an origin listed in TRUSTED_ORIGINS", async () => {
    for (const origin of [PARTNER, "https://other.test"]) {
      const answer = await signInWith({ Origin: origin });
      expect(answer.status, origin).toBe(302);
    }
  });

  it("lets a client with neither Origin nor Sec-Fetch-Site through (curl, scripts)", async () => {
    const answer = await signInWith({});
    expect(answer.status).toBe(302);
  });
});
