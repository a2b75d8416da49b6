// @ts-check
// The HTTP server: migrates the database, then serves the Remix build behind security headers
// and a cross-site request check, and runs the outbox worker in this process.
// `node app/server.js` serves the production build; `--demo` also creates a session secret
// under data/ when none is configured.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import { broadcastDevReady } from "@remix-run/node";
import compression from "compression";
import express from "express";
import { migrateDatabaseFile } from "../db/migrator.js";
import { databaseFileFromUrl } from "../db/sqlite.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
process.env.NODE_ENV ??= "production";
const isDev = process.env.NODE_ENV === "development";

if (process.argv.includes("--demo") && !process.env.SESSION_SECRET) {
  const dataDir = path.dirname(path.resolve(databaseFileFromUrl(process.env.DATABASE_URL)));
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

const applied = await migrateDatabaseFile(process.env.DATABASE_URL);
if (applied.length) console.log(`Applied migrations: ${applied.join(", ")}`);

/** @type {import("@remix-run/node").ServerBuild} */
const build = await import(pathToFileURL(path.join(root, "build/index.js")).href);

// Data this build reads differently from the last one (the search index) is rebuilt first.
const { prepareData } = /** @type {{ prepareData?: () => Promise<void> }} */ (build.entry.module);
await prepareData?.();

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? "0.0.0.0";
const baseUrl = process.env.BASE_URL ?? `http://localhost:${port}`;

const app = express();
app.disable("x-powered-by");
if (process.env.TRUST_PROXY) app.set("trust proxy", process.env.TRUST_PROXY);
app.use(compression());

app.use((req, res, next) => {
  const nonce = crypto.randomBytes(16).toString("base64");
  res.locals.cspNonce = nonce;
  const connect = isDev ? "'self' ws://localhost:* ws://127.0.0.1:*" : "'self'";
  res.set({
    "Content-Security-Policy": [
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
    ].join("; "),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "Cross-Origin-Opener-Policy": "same-origin",
  });
  if (req.secure) res.set("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  next();
});

// Cross-site request forgery: browsers send Sec-Fetch-Site and Origin with every POST, so a
// mutation that says it comes from another site is refused before any action runs.
const trustedOrigins = new Set([new URL(baseUrl).origin]);
app.use((req, res, next) => {
  if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return next();
  const site = req.get("Sec-Fetch-Site");
  const origin = req.get("Origin");
  const ownOrigin = `${req.protocol}://${req.get("host")}`;
  const crossSite =
    (site && site !== "same-origin" && site !== "none") ||
    (origin !== undefined && origin !== ownOrigin && !trustedOrigins.has(origin));
  if (!crossSite) return next();
  res
    .status(403)
    .type("html")
    .send(
      '<!doctype html><html lang="he" dir="rtl"><meta charset="utf-8"><title>403</title>' +
        "<p>הבקשה נחסמה: היא נשלחה מאתר אחר.</p>" +
        '<p lang="en" dir="ltr">Request refused: it was sent from another site.</p></html>',
    );
});

app.use(
  "/build",
  express.static(path.join(root, "public/build"), { immutable: true, maxAge: "1y" }),
);
app.use(express.static(path.join(root, "public"), { maxAge: "1h" }));

app.all(
  "*",
  createRequestHandler({
    build,
    mode: build.mode,
    getLoadContext: (req, res) => ({ ip: req.ip ?? "", cspNonce: String(res.locals.cspNonce) }),
  }),
);

const server = app.listen(port, host, () => {
  console.log(`Broadly is listening on http://${host === "0.0.0.0" ? "localhost" : host}:${port}`);
  if (isDev) broadcastDevReady(build);
});

// The outbox worker lives in the app bundle (it renders localized e-mails); entry.server
// exports its starter so this process can run it.
/** @type {(() => void) | undefined} */
let stopWorker;
const entry = /** @type {{ startBackgroundWork?: () => () => void }} */ (build.entry.module);
if (process.env.OUTBOX_WORKER !== "off" && entry.startBackgroundWork)
  stopWorker = entry.startBackgroundWork();

function shutDown() {
  stopWorker?.();
  server.close(() => process.exit(0));
  // Keep-alive connections can hold close() open; don't wait for them for long.
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on("SIGTERM", shutDown);
process.on("SIGINT", shutDown);
