// @ts-check
// The HTTP server: migrates the database, then serves the Remix build behind security headers
// and the checks every request passes before a route runs (method, cross-site origin, body type
// and size), and runs the outbox worker in this process (which works while it holds the lease).
// `node app/server.js` serves the production build; `--demo` also creates a session secret
// under data/ when none is configured. With WEB_CONCURRENCY=N above 1 this process is the
// cluster's primary: it migrates and prepares the data once, then forks N workers that run this
// same file to serve (app/cluster.js).
import cluster from "node:cluster";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
// The adapter's own helpers (its index exports only createRequestHandler, which streams `req`
// itself and so cannot be given a body read under a limit; see remixRequest below).
import { createRemixHeaders, sendRemixResponse } from "@remix-run/express/dist/server.js";
import { broadcastDevReady, createRequestHandler } from "@remix-run/node";
import compression from "compression";
import express from "express";
import { migrateDatabaseFile } from "../db/migrator.js";
import { engineFromUrl } from "../db/engine.js";
import { databaseFileFromUrl } from "../db/sqlite.js";
import { superviseWorkers } from "./cluster.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
process.env.NODE_ENV ??= "production";
const isDev = process.env.NODE_ENV === "development";

if (process.argv.includes("--demo") && !process.env.SESSION_SECRET) {
  // Beside the SQLite file; on PostgreSQL, in ./data.
  const dataDir =
    engineFromUrl(process.env.DATABASE_URL) === "sqlite"
      ? path.dirname(path.resolve(databaseFileFromUrl(process.env.DATABASE_URL)))
      : path.join(root, "data");
  const secretFile = path.join(dataDir, "session-secret");
  fs.mkdirSync(dataDir, { recursive: true });
  if (!fs.existsSync(secretFile)) {
    fs.writeFileSync(secretFile, crypto.randomBytes(32).toString("hex"), { mode: 0o600 });
  }
  process.env.SESSION_SECRET = fs.readFileSync(secretFile, "utf8").trim();
  console.log(`Demo: no SESSION_SECRET was set, so one was generated and kept in ${secretFile}.`);
}

if (process.env.NODE_ENV === "production" && (process.env.SESSION_SECRET ?? "").length < 16) {
  console.error(
    "SESSION_SECRET must be set (at least 16 characters) in production. Try `npm run demo` for a local demo.",
  );
  process.exit(1);
}

/** @type {import("@remix-run/node").ServerBuild} */
const build = await import(pathToFileURL(path.join(root, "build/index.js")).href);

// What server.js needs from the app bundle: its configuration, validated by app/env.server.ts
// (a bad value stops the start here), the data preparation, the localized refusal pages and
// the outbox worker.
const entry =
  /** @type {Pick<typeof import("./entry.server"), "answerFromPublicCache" | "httpSettings" | "lookUpPublicCache" | "prepareData" | "renderStatusPage" | "runInRequestScope" | "startBackgroundWork">} */ (
    /** @type {unknown} */ (build.entry.module)
  );
const { bodyLimitBytes, trustedOrigins, webConcurrency } = readSettings();

// Once, before anything serves: the cluster's workers find the database migrated and prepared.
if (cluster.isPrimary) {
  const applied = await migrateDatabaseFile(process.env.DATABASE_URL);
  if (applied.length) console.log(`Applied migrations: ${applied.join(", ")}`);
  // Data this build reads differently from the last one (the search index) is rebuilt first.
  await entry.prepareData();
}

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? "0.0.0.0";

const app = express();
app.disable("x-powered-by");
if (process.env.TRUST_PROXY) app.set("trust proxy", process.env.TRUST_PROXY);
app.use(compression());

/**
 * The Content-Security-Policy naming `nonce`, the one this response's inline scripts carry.
 * @param {string} nonce
 */
function contentSecurityPolicy(nonce) {
  const connect = isDev ? "'self' ws://localhost:* ws://127.0.0.1:*" : "'self'";
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${connect}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

app.use((req, res, next) => {
  const nonce = crypto.randomBytes(16).toString("base64");
  res.locals.cspNonce = nonce;
  res.set({
    "Content-Security-Policy": contentSecurityPolicy(nonce),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "Cross-Origin-Opener-Policy": "same-origin",
  });
  if (req.secure) res.set("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  next();
});

// Pages are read and forms posted; every route's mutation is its POST action. Without this,
// PUT, PATCH and DELETE would run that action, and TRACE would fail inside the adapter.
const ALLOWED_METHODS = ["GET", "HEAD", "POST"];
app.use((req, res, next) => {
  if (ALLOWED_METHODS.includes(req.method)) return next();
  return refuse(req, res, 405, { Allow: ALLOWED_METHODS.join(", ") }).catch(next);
});

// Cross-site request forgery. Browsers name the page a POST comes from in Origin (every current
// browser sends it) and say how that page relates to us in Sec-Fetch-Site. A POST is refused when
// its Origin is neither BASE_URL's nor one of TRUSTED_ORIGINS (never compared with the Host
// header, which the sender chooses; "null", sent from sandboxed frames and after cross-site
// redirects, is never trusted), or when Sec-Fetch-Site says another site sent it.
// A request with neither header is let through: it does not come from a browser (curl, scripts,
// monitoring), and a forgery needs a victim's browser, which always sends Origin on a POST. The
// SameSite=Lax session cookie is the second wall: browsers leave it off cross-site POSTs.
const trusted = new Set(trustedOrigins);
const ONE_CLICK_PATH = /^\/unsubscribe\/[^/]+$/;
const ONE_CLICK_BODY = "List-Unsubscribe=One-Click";
app.use((req, res, next) => {
  if (req.method !== "POST") return next();
  const site = req.get("Sec-Fetch-Site");
  const origin = req.get("Origin");
  const crossSite =
    (site !== undefined && site !== "same-origin" && site !== "none") ||
    (origin !== undefined && !trusted.has(origin));
  if (!crossSite) return next();
  // The one exception: a mail client's one-click unsubscribe (RFC 8058), which some webmail
  // sends from its own origin. Its authority is the signed token in the address, not a
  // session, so a forged one can do nothing the link's holder could not; and it is only the
  // exact one-click body, checked once the body is read (below): the page's own buttons still
  // come from our origin.
  if (ONE_CLICK_PATH.test(req.path)) {
    res.locals.oneClickOnly = true;
    return next();
  }
  return refuse(req, res, 403).catch(next);
});

// Forms are the only bodies the app takes (no uploads, no JSON API), so a POST body is read into
// memory here, up to BODY_LIMIT_BYTES (1 MiB by default), before any route runs: a declared
// Content-Length over the limit is refused without reading, and a chunked body as soon as it
// passes the limit. Routes then read it from memory as usual.
const FORM_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data"];
app.use((req, res, next) => {
  if (req.method !== "POST") return next();
  if (Number(req.get("Content-Length") ?? 0) > bodyLimitBytes)
    return refuse(req, res, 413).catch(next);
  // `false` is a body of another type; `null` is no body at all, which a form action may take.
  if (req.is(FORM_TYPES) === false) return refuse(req, res, 415).catch(next);
  // A client that waits for "100 Continue" before sending a body gets it only now, so a refused
  // one never sends its body at all.
  if (req.get("Expect")?.toLowerCase() === "100-continue") res.writeContinue();
  return readBody(req, bodyLimitBytes)
    .then((body) => {
      if (body === "too large") return refuse(req, res, 413);
      // The client hung up in the middle: nobody is left to answer.
      if (body === "gone") return;
      req.body = body;
      if (res.locals.oneClickOnly && String(body ?? "").trim() !== ONE_CLICK_BODY)
        return refuse(req, res, 403);
      next();
    })
    .catch(next);
});

app.use(
  "/build",
  express.static(path.join(root, "public/build"), { immutable: true, maxAge: "1y" }),
);
app.use(express.static(path.join(root, "public"), { maxAge: "1h" }));

const handleRequest = createRequestHandler(build, build.mode);
app.all("*", async (req, res, next) => {
  try {
    const request = remixRequest(req, res);
    // A visitor's page may be answered from the cache of rendered pages; its nonce is then the
    // one that page was rendered with (app/services/public-cache.server.ts).
    const lookup = await entry.lookUpPublicCache(request, build.assets.version);
    if (lookup) res.set("Content-Security-Policy", contentSecurityPolicy(lookup.nonce));
    /** @param {string} cspNonce */
    const render = (cspNonce) => handleRequest(request, { ip: req.ip ?? "", cspNonce });
    // In a scope of its own, so its loaders share what they all read (who is signed in).
    const response = await entry.runInRequestScope(() =>
      lookup
        ? entry.answerFromPublicCache(request, lookup, () => render(lookup.nonce))
        : render(String(res.locals.cspNonce)),
    );
    await sendRemixResponse(res, response);
  } catch (error) {
    next(error);
  }
});

if (cluster.isPrimary && webConcurrency > 1) superviseWorkers({ count: webConcurrency });
else serve();

/** Listens (in a cluster worker, on the port the primary shares) and runs the outbox worker. */
function serve() {
  const server = app.listen(port, host, () => {
    const url = `http://${host === "0.0.0.0" ? "localhost" : host}:${port}`;
    console.log(
      cluster.isWorker
        ? `Worker ${process.pid} is listening on ${url}`
        : `Broadly is listening on ${url}`,
    );
    if (isDev) broadcastDevReady(build);
  });
  // Without this listener Node answers "100 Continue" before any check has run (see the POST
  // body middleware).
  server.on("checkContinue", app);

  // The outbox worker lives in the app bundle (it renders localized e-mails); entry.server
  // exports its starter so this process can run it.
  /** @type {(() => Promise<void>) | undefined} */
  let stopWorker;
  if (process.env.OUTBOX_WORKER !== "off") stopWorker = entry.startBackgroundWork();

  let stopping = false;
  const shutDown = () => {
    if (stopping) return;
    stopping = true;
    // Keep-alive connections can hold close() open; don't wait for them for long.
    setTimeout(() => process.exit(0), 2000).unref();
    const closed = new Promise((resolve) => server.close(resolve));
    // The lease is released, so another process takes the outbox over at once.
    const released = Promise.resolve(stopWorker?.()).catch((error) =>
      console.error("outbox worker:", error),
    );
    void Promise.all([closed, released]).then(() => process.exit(0));
  };
  process.on("SIGTERM", shutDown);
  process.on("SIGINT", shutDown);
}

/** The bundle's validated settings; a bad value is said in a line, not a stack trace. */
function readSettings() {
  try {
    return entry.httpSettings();
  } catch (error) {
    const issues = /** @type {{ issues?: { path: PropertyKey[], message: string }[] }} */ (error)
      .issues;
    console.error(
      issues
        ? `Configuration: ${issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`
        : String(error instanceof Error ? error.message : error),
    );
    process.exit(1);
  }
}

/**
 * Answers with the localized page for a refused request.
 * @param {import("express").Request} req
 * @param {import("express").Response} res
 * @param {import("./status-page.server").RefusalStatus} status
 * @param {Record<string, string>} [headers]
 */
async function refuse(req, res, status, headers = {}) {
  const html = await entry.renderStatusPage(status, createRemixHeaders(req.headers));
  // A small body left unread is drained by Node, keeping the connection; a large or unbounded
  // one is not read at all.
  const smallBody = Number(req.get("Content-Length")) <= bodyLimitBytes;
  if (!req.complete && !smallBody) closeWithoutReading(req, res);
  res
    .status(status)
    .set({ "Cache-Control": "no-store", ...headers })
    .type("html")
    .send(html);
}

/**
 * Ends the connection of a request whose body will not be read, without reading it. Closing a
 * socket while the client's data is still arriving makes the kernel reset the connection, and a
 * client that is still sending may lose the answer to that reset. So the server stops reading,
 * half-closes once the answer is written, and drops the connection a second later.
 * @param {import("express").Request} req
 * @param {import("express").Response} res
 */
function closeWithoutReading(req, res) {
  res.set("Connection", "close");
  req.pause();
  // read(0) claims the body, so Node does not drain it after the answer, as it does by default.
  req.read(0);
  const socket = req.socket;
  // Node ends a "Connection: close" answer with destroySoon(), which destroys the socket as
  // soon as the answer is written: the reset described above. Only half-close there.
  socket.destroySoon = () => socket.end();
  res.once("finish", () => setTimeout(() => socket.destroy(), 1000).unref());
}

/**
 * The body of `req`, or "too large" as soon as it passes `limit` bytes (the rest is left unread
 * and the socket paused), or "gone" when the client disconnects first.
 * @param {import("express").Request} req
 * @param {number} limit
 * @returns {Promise<Buffer | "too large" | "gone">}
 */
function readBody(req, limit) {
  return new Promise((resolve, reject) => {
    /** @type {Buffer[]} */
    const chunks = [];
    let size = 0;
    /** @param {Buffer} chunk */
    const onData = (chunk) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      req.off("data", onData);
      req.pause();
      chunks.length = 0;
      resolve("too large");
    };
    req.on("data", onData);
    req.once("end", () => resolve(Buffer.concat(chunks)));
    req.once("close", () => resolve("gone"));
    req.once("error", (error) => (req.destroyed ? resolve("gone") : reject(error)));
  });
}

/**
 * The Fetch API request for Remix, as @remix-run/express's createRemixRequest builds it, except
 * that a POST's body is the one readBody() already holds: the adapter would stream `req` itself,
 * past any limit.
 * @param {import("express").Request} req
 * @param {import("express").Response} res
 */
function remixRequest(req, res) {
  // req.hostname honours "trust proxy" but drops the port; the adapter takes it from
  // X-Forwarded-Host, else Host.
  const port = [req.get("X-Forwarded-Host"), req.get("Host")]
    .map((value) => Number.parseInt(value?.split(":")[1] ?? "", 10))
    .find(Number.isSafeInteger);
  const url = new URL(
    `${req.protocol}://${req.hostname}${port ? `:${port}` : ""}${req.originalUrl}`,
  );
  // Loaders and actions are aborted when the client leaves before the response is written.
  const controller = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) controller.abort();
  });
  // Origin was checked above against BASE_URL and TRUSTED_ORIGINS. Remix repeats the check
  // against the Host header, and fails with a 500 when they differ, as they do for a trusted
  // origin or behind a proxy that rewrites Host; so the app does not see it.
  const headers = createRemixHeaders(req.headers);
  headers.delete("Origin");
  return new Request(url.href, {
    method: req.method,
    headers,
    signal: controller.signal,
    body: req.method === "POST" ? req.body : undefined,
  });
}
