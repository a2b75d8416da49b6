// `npm run bench` (`tsx db/bench.ts`): the HTTP benchmark of design.md's performance targets.
//
// 1. builds the app (`npm run build`) and makes the bench data set (db/bench-data.ts) in
//    data/bench/bench.sqlite, unless that file was made by the current generator for the current
//    migrations (`--fresh` makes it again);
// 2. for PostgreSQL (`--engine=postgres` or `both`), copies that file into a fresh database
//    `broadly_bench` with copyBoard (db/copy-board.ts: same rows, same ids), then ANALYZE, so
//    both engines are measured on the same data set; on the server BENCH_POSTGRES_URL names (its
//    maintenance database, e.g. postgres://user@host:5432/postgres), otherwise on a throwaway
//    cluster of this machine's PostgreSQL (tests/support/postgres.js: fsync off, as for tests).
//    The copy is made afresh every run, before anything writes to the file, and timed;
// 3. for each engine under test, SQLite first: starts the production server on a free
//    127.0.0.1 port with DATABASE_URL naming that engine's database (a child process, stopped at
//    the end, on failure and on Ctrl-C), and signs a few bench users in over HTTP;
// 4. loads each scenario with autocannon: a short warm-up, then a load run (10 connections) for
//    throughput and latency under load, then a run over one connection, whose latency is the
//    server's time for one request plus the loopback hop; the latency targets are judged on it.
//    Every response's latency is recorded, so p95 is exact. Votes also run with 50 connections,
//    and then again (10 and 50 connections) against the server started with WEB_CONCURRENCY=2;
//    afterwards every vote counter touched is checked against the vote rows, and every
//    acknowledged vote against the database under test;
// 5. measures the JavaScript the board page loads (gzip, as served);
// 6. runs the model calls (no HTTP) in a child process whose DATABASE_URL names the engine under
//    test (the app's modules read it once);
// 7. prints the tables and writes them to docs/benchmarks.md (between the generated-section
//    markers; text outside them is kept): one table per engine, and with `--engine=both` a table
//    of both engines side by side before them.
//
// Exits non-zero on a real failure only (build, data, copy, server start, a scenario answering
// non-2xx or failing, an inexact counter), not on a missed target.
//
// Options: --engine=sqlite (the default), postgres or both; --fresh (regenerate the data),
// --scale=0.05 (a smaller data set, in its own file), --duration=8 (seconds of each load run),
// --only=<keys> (floor (the not-found page: the framework's floor, which every other scenario's
// "× floor" divides by), healthz, board, board-signed-in, board-status, board-category, board-search, request,
// request-staff, staff-queue, similar, vote, vote-50, vote-wc2, vote-50-wc2 (the two with
// WEB_CONCURRENCY=2), js, and the model calls triage-queue, merge, pledge (concurrent pledges,
// zero over-funding), announce, which need no server), --no-doc, --with-limit[=<run.sh>] (first
// runs ../shared/tools/limit-bench/run.sh, the plain node:http + better-sqlite3 server over the
// same shape of data, and reports each page's and the votes' req/s as a share of its). Any full run at scale 1 writes
// the doc, whichever engines it measured; a partial run, or one at another scale, does not. If
// something else stops the server (this machine is shared), it is started again and the
// interrupted scenario repeated, up to 3 times.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";
import autocannon from "autocannon";
import Database from "better-sqlite3";
import { sql, type Kysely } from "kysely";
import {
  adminQuery,
  createDatabase,
  databaseUrl,
  findPostgresBinaries,
  startThrowawayCluster,
} from "../tests/support/postgres.js";
import { engineFromUrl, openDatabase, type Engine } from "./engine.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const option = (name: string) =>
  args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const FRESH = args.includes("--fresh");
const SCALE = Number(option("scale") ?? 1);
const LOAD_SECONDS = Number(option("duration") ?? 8);
const WARMUP_SECONDS = 1;
const SINGLE_SECONDS = 4;
const ONLY = option("only")?.split(",");
const ENGINE_OPTION = option("engine") ?? "sqlite";
if (!["sqlite", "postgres", "both"].includes(ENGINE_OPTION))
  throw new Error("--engine must be sqlite, postgres or both");
const ENGINES: Engine[] =
  ENGINE_OPTION === "both" ? ["sqlite", "postgres"] : [ENGINE_OPTION as Engine];
/** Set in the child process that runs the model calls: the file its outcomes go to. */
const MODEL_CHILD_OUT = option("model-child");
const WRITE_DOC = !args.includes("--no-doc") && !ONLY && SCALE === 1;
/** `--with-limit[=<run.sh>]`: also run the physical-limit bench (../shared/tools/limit-bench). */
const LIMIT_SCRIPT = args.includes("--with-limit")
  ? path.resolve(ROOT, "../shared/tools/limit-bench/run.sh")
  : option("with-limit") && path.resolve(option("with-limit")!);
if (!(SCALE > 0 && SCALE <= 1)) throw new Error("--scale must be in (0, 1]");
if (!(LOAD_SECONDS >= 1 && LOAD_SECONDS <= 30)) throw new Error("--duration must be 1–30 s");

const DATA_FILE = path.join(
  ROOT,
  "data/bench",
  SCALE === 1 ? "bench.sqlite" : `bench-${String(SCALE).replace(".", "_")}.sqlite`,
);
const STAMP_FILE = `${DATA_FILE}.stamp.json`;
const SERVER_LOG = path.join(ROOT, "data/bench/server.log");
const DOC_FILE = path.join(ROOT, "docs/benchmarks.md");
const BENCH_PASSWORD = "bench-pass-1234";
const SIGNED_IN_USERS = 8;
/** Each engine's measurements (after the data set and its copy are ready) must finish within this. */
const RUN_LIMIT_MS = 6 * 60_000;
const ENGINE_LABEL: Record<Engine, string> = { sqlite: "SQLite", postgres: "PostgreSQL" };
const BENCH_DATABASE = "broadly_bench";

/** An engine under test: where its copy of the data set is, and what the report says of it. */
type EngineUnderTest = {
  engine: Engine;
  url: string;
  /** The server and its settings, for the report. */
  description: string;
  /** Processes whose CPU time is the database's (PostgreSQL's postmaster; none for SQLite). */
  databasePid?: number;
};

const started = performance.now();
function log(message: string) {
  const s = ((performance.now() - started) / 1000).toFixed(1).padStart(6);
  console.log(`[${s} s] ${message}`);
}

class BenchFailure extends Error {}

/** An error's message with its cause (fetch hides the socket error there). */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
  return `${error.message}${cause}`;
}

// ---------------------------------------------------------------------------------------------
// Child processes: every one is stopped on the way out, however we leave.

const children = new Set<ChildProcess>();
/** Set when the server exits before the bench stops it. */
let serverExit: string | undefined;
/** ...and whether it was stopped from outside (a clean exit on SIGTERM/SIGINT, or a signal). */
let serverStoppedFromOutside = false;
let stopping = false;
function track(child: ChildProcess) {
  children.add(child);
  child.on("exit", () => children.delete(child));
  return child;
}
async function stopChild(child: ChildProcess, graceMs = 4000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}
async function stopAll() {
  stopping = true;
  await Promise.all([...children].map((c) => stopChild(c)));
}
/** Stops the throwaway PostgreSQL cluster, when the bench started one. */
let stopCluster: (() => void) | undefined;
process.on("exit", () => {
  for (const child of children) child.kill("SIGKILL");
  stopCluster?.();
});
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    console.error(`\nbench: ${signal}, stopping the server`);
    void stopAll().finally(() => process.exit(130));
  });
}

/** Runs a command to its end with a time limit; resolves with its output, rejects on failure. */
function run(
  command: string,
  argv: string[],
  timeoutMs: number,
  env: Record<string, string> = {},
  /** Also pass the output on as it comes (a child whose progress lines are worth seeing). */
  echo = false,
) {
  return new Promise<string>((resolve, reject) => {
    const child = track(
      spawn(command, argv, {
        cwd: ROOT,
        env: { ...process.env, ...env },
        stdio: ["ignore", "pipe", "pipe"],
      }),
    );
    let output = "";
    child.stdout?.on("data", (d) => {
      output += d;
      if (echo) process.stdout.write(d);
    });
    child.stderr?.on("data", (d) => {
      output += d;
      if (echo) process.stderr.write(d);
    });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new BenchFailure(`${command} ${argv.join(" ")} took over ${timeoutMs / 1000} s`));
    }, timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(output);
      else
        reject(
          new BenchFailure(
            `${command} ${argv.join(" ")} failed (${signal ?? `exit ${code}`}):\n${output.slice(-4000)}`,
          ),
        );
    });
  });
}

// ---------------------------------------------------------------------------------------------
// 1. Build and data

async function build() {
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  try {
    await run(npm, ["run", "build"], 180_000);
  } catch (error) {
    // esbuild 0.17 inside @remix-run/dev occasionally dies on its own (stack notes): once more.
    if (!String(error).includes("goroutines are asleep")) throw error;
    log("the build crashed inside esbuild; building again");
    await run(npm, ["run", "build"], 180_000);
  }
}

function migrationFiles(): string[] {
  return fs
    .readdirSync(path.join(ROOT, "db/migrations"))
    .filter((f) => /\.(js|mjs|ts)$/.test(f) && !f.endsWith(".d.ts"))
    .map((f) => f.replace(/\.(js|mjs|ts)$/, ""))
    .sort();
}

function generatorHash(): string {
  return crypto
    .createHash("sha256")
    .update(fs.readFileSync(path.join(ROOT, "db/bench-data.ts")))
    .digest("hex");
}

/** Why the data file must be made again, or null when it is current. */
function staleReason(): string | null {
  if (!fs.existsSync(DATA_FILE)) return "no data file yet";
  if (!fs.existsSync(STAMP_FILE)) return "the data file has no stamp";
  const stamp = JSON.parse(fs.readFileSync(STAMP_FILE, "utf8")) as {
    migrations?: string[];
    generator?: string;
  };
  const current = migrationFiles();
  if (JSON.stringify(stamp.migrations) !== JSON.stringify(current)) return "the migrations changed";
  if (stamp.generator !== generatorHash()) return "db/bench-data.ts changed";
  const db = new Database(DATA_FILE, { readonly: true, fileMustExist: true });
  try {
    const applied = (
      db.prepare("select name from kysely_migration order by name").all() as { name: string }[]
    ).map((r) => r.name);
    if (JSON.stringify(applied) !== JSON.stringify(current))
      return "the file's applied migrations differ";
  } catch {
    return "the file has no migration table";
  } finally {
    db.close();
  }
  return null;
}

async function ensureData() {
  const reason = FRESH ? "--fresh" : staleReason();
  if (!reason) {
    log(`bench data: ${path.relative(ROOT, DATA_FILE)} is current`);
    return;
  }
  log(`bench data: generating ${path.relative(ROOT, DATA_FILE)} (${reason}), ~20 s`);
  fs.mkdirSync(path.dirname(DATA_FILE), { recursive: true });
  fs.rmSync(STAMP_FILE, { force: true });
  const tsx = path.join(ROOT, "node_modules/.bin/tsx");
  const output = await run(
    tsx,
    ["db/bench-data.ts", DATA_FILE, `--scale=${SCALE}`],
    Math.max(60_000, 300_000 * SCALE),
  );
  const summary = output.trim().split("\n").at(-1) ?? "";
  log(`bench data: ${summary}`);
  fs.writeFileSync(
    STAMP_FILE,
    JSON.stringify({ migrations: migrationFiles(), generator: generatorHash(), scale: SCALE }),
  );
}

// ---------------------------------------------------------------------------------------------
// 1b. PostgreSQL: the same data set, copied

/** Reads the file (and its WAL) through once, for the page cache; returns its MiB. */
function warmFile(file: string): string {
  const buffer = Buffer.alloc(4 * 2 ** 20);
  let bytes = 0;
  for (const name of [file, `${file}-wal`]) {
    if (!fs.existsSync(name)) continue;
    const fd = fs.openSync(name, "r");
    try {
      for (let n; (n = fs.readSync(fd, buffer, 0, buffer.length, null)) > 0;) bytes += n;
    } finally {
      fs.closeSync(fd);
    }
  }
  return (bytes / 2 ** 20).toFixed(0);
}

/**
 * Microseconds some task has waited on the disk since boot (Linux pressure stall information),
 * or null where the kernel does not say: a run on a disk that stalls is not comparable.
 */
function diskStallMicros(): number | null {
  try {
    const some = fs.readFileSync("/proc/pressure/io", "utf8").match(/^some .*total=(\d+)/m);
    return some ? Number(some[1]) : null;
  } catch {
    return null;
  }
}

/**
 * A fresh database `broadly_bench` holding a copy of the bench file (ids kept, counters checked
 * by copyBoard), analyzed. Made before anything writes to the file, so both engines start from
 * the same rows.
 */
async function preparePostgres(): Promise<EngineUnderTest> {
  let serverUrl = process.env.BENCH_POSTGRES_URL;
  if (!serverUrl) {
    const bin = findPostgresBinaries();
    if (!bin)
      throw new BenchFailure(
        "no PostgreSQL binaries under /usr/lib/postgresql; set BENCH_POSTGRES_URL to a server's maintenance database",
      );
    // Memory as a PostgreSQL server is given it in production (a quarter of the machine's, here
    // at most 4 GiB), not the 128 MB default, which holds an eighth of the bench data.
    const sharedMiB = Math.min(4096, Math.floor(os.totalmem() / 4 / 2 ** 20));
    const cluster = await startThrowawayCluster(bin, [`shared_buffers=${sharedMiB}MB`]);
    stopCluster = cluster.stop;
    serverUrl = cluster.socketUrl;
    log(`PostgreSQL: started a throwaway cluster at ${serverUrl}`);
  }
  const url = await createDatabase(serverUrl, BENCH_DATABASE);
  log(`PostgreSQL: copying ${path.relative(ROOT, DATA_FILE)} into ${BENCH_DATABASE}`);
  const t = performance.now();
  // Imported here: copy-board loads the app's search module, which the parent otherwise never needs.
  const { copyBoard } = await import("./copy-board");
  const report = await copyBoard({ from: DATA_FILE, to: url });
  const copied = (performance.now() - t) / 1000;
  // The copy (which ends with VACUUM ANALYZE) leaves a gigabyte of dirty pages: written out
  // now, so that no scenario's measurement pays for the copy's writes.
  const a = performance.now();
  await adminQuery(url, "checkpoint");
  execFileSync("sync");
  // Read into shared buffers what fits: the SQLite file is in the page cache after its reads,
  // and either engine's first minutes after a start are not what the bench measures.
  let warmed = "not prewarmed (pg_prewarm unavailable)";
  try {
    await adminQuery(url, "create extension if not exists pg_prewarm");
    const { rows } = await adminQuery(
      url,
      `select coalesce(sum(pg_prewarm(c.oid)), 0) as blocks from pg_class c
       join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public' and c.relkind in ('r', 'i')`,
    );
    warmed = `${Number(rows[0].blocks).toLocaleString("en")} blocks prewarmed`;
  } catch (error) {
    log(`PostgreSQL: ${warmed}: ${describe(error)}`);
  }
  log(
    `PostgreSQL: copied ${report.rows.toLocaleString("en")} rows in ${copied.toFixed(1)} s ` +
      `(${report.indexed ?? 0} requests indexed for search, vacuumed and analyzed); ` +
      `checkpoint, sync and ${warmed} in ${((performance.now() - a) / 1000).toFixed(1)} s`,
  );
  const setting = async (name: string) =>
    String((await adminQuery(url, `show ${name}`)).rows[0][name]);
  const version = (await setting("server_version")).split(" ")[0];
  const sizeMiB =
    Number((await adminQuery(url, `select pg_database_size(current_database()) as n`)).rows[0].n) /
    1024 /
    1024;
  // The postmaster's process id, to count the database's CPU time (a server on this machine only).
  let databasePid: number | undefined;
  try {
    const dir = await setting("data_directory");
    databasePid = Number(fs.readFileSync(path.join(dir, "postmaster.pid"), "utf8").split("\n")[0]);
  } catch {
    log("PostgreSQL: its server process is not on this machine; its CPU time is not counted");
  }
  const settings = await Promise.all(
    ["shared_buffers", "fsync", "synchronous_commit"].map(async (n) => `${n} ${await setting(n)}`),
  );
  return {
    engine: "postgres",
    url,
    description:
      `PostgreSQL ${version} (${process.env.BENCH_POSTGRES_URL ? "BENCH_POSTGRES_URL" : "a throwaway cluster on this machine"}; ` +
      `${settings.join(", ")}), database ${sizeMiB.toFixed(0)} MiB, copied from the SQLite file in ${copied.toFixed(0)} s`,
    databasePid,
  };
}

// ---------------------------------------------------------------------------------------------
// What the bench needs to know about the data

type Facts = {
  requests: number;
  votes: number;
  users: number;
  organizations: number;
  comments: number;
  fileMiB: number;
  sqliteVersion: string;
  /** Request ids anyone may see and vote on (not merged, public). */
  ids: Int32Array;
  /** The most voted-on of them. */
  popularIds: number[];
  categorySlugs: string[];
  benchUsers: { id: number; email: string }[];
  /** The request with the most votes, and a staff member to open it as (the demand view). */
  mostVotedId: number;
  staffUser: { id: number; email: string } | undefined;
};

function readFacts(): Facts {
  const db = new Database(DATA_FILE, { fileMustExist: true });
  try {
    db.pragma("busy_timeout = 5000");
    // Sign-in is rate limited per address (50 per 15 minutes) and every bench run signs in from
    // 127.0.0.1: forget earlier runs' attempts in this file, which is the bench's own.
    try {
      db.prepare("delete from rate_limits where key like 'signin:%'").run();
    } catch (error) {
      log(
        `could not clear the sign-in rate limits (${describe(error)}); signing in may be refused`,
      );
    }
    const count = (table: string) =>
      (db.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
    const columns = (db.pragma("table_info(requests)") as { name: string }[]).map((c) => c.name);
    const visible =
      "status <> 'merged'" + (columns.includes("visibility") ? " and visibility = 'public'" : "");
    const ids = Int32Array.from(
      (
        db.prepare(`select id from requests where ${visible} order by id`).raw().all() as [number][]
      ).map((r) => r[0]),
    );
    const popularIds = (
      db
        .prepare(`select id from requests where ${visible} order by org_count desc limit 100`)
        .raw()
        .all() as [number][]
    ).map((r) => r[0]);
    const categorySlugs = (
      db.prepare("select slug from categories order by position").raw().all() as [string][]
    ).map((r) => r[0]);
    const benchUsers = db
      .prepare(
        `select u.id, u.email from users u
         where u.is_staff = 0 and u.email like 'user%@bench.test'
           and exists (select 1 from memberships m where m.user_id = u.id)
         order by u.id limit ?`,
      )
      .all(SIGNED_IN_USERS) as { id: number; email: string }[];
    const mostVoted = db
      .prepare(`select id from requests where ${visible} order by vote_count desc limit 1`)
      .get() as { id: number } | undefined;
    const staffUser = db
      .prepare(
        "select id, email from users where is_staff = 1 and email like 'staff%@bench.test' order by id limit 1",
      )
      .get() as { id: number; email: string } | undefined;
    return {
      requests: count("requests"),
      votes: count("votes"),
      users: count("users"),
      organizations: count("organizations"),
      comments: count("comments"),
      fileMiB: fs.statSync(DATA_FILE).size / 1024 / 1024,
      sqliteVersion: (db.prepare("select sqlite_version() as v").get() as { v: string }).v,
      ids,
      popularIds,
      categorySlugs,
      benchUsers,
      mostVotedId: mostVoted?.id ?? ids[0],
      staffUser,
    };
  } finally {
    db.close();
  }
}

// ---------------------------------------------------------------------------------------------
// 2. The server

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** One secret for the whole run, so session cookies outlive a restart of the server. */
const SESSION_SECRET = crypto.randomBytes(24).toString("hex");
let serverStarts = 0;

/** Servers the bench stopped itself: their exit is no news. */
const retired = new WeakSet<ChildProcess>();
async function retireServer(child: ChildProcess) {
  retired.add(child);
  // Longer than app/cluster.js gives its workers to finish (5 s): a primary killed first would
  // leave them running.
  await stopChild(child, 8000);
}

/** The server against the engine under test; `workers` above 1 is WEB_CONCURRENCY (app/cluster.js). */
async function startServer(
  target: EngineUnderTest,
  workers = 1,
): Promise<{ base: string; child: ChildProcess }> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  fs.mkdirSync(path.dirname(SERVER_LOG), { recursive: true });
  const logStream = fs.createWriteStream(SERVER_LOG, { flags: serverStarts++ ? "a" : "w" });
  serverExit = undefined;
  const child = track(
    spawn(process.execPath, ["app/server.js"], {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: target.url,
        WEB_CONCURRENCY: String(workers),
        PORT: String(port),
        HOST: "127.0.0.1",
        NODE_ENV: "production",
        SESSION_SECRET,
        BASE_URL: base,
        OUTBOX_WORKER: "off",
      },
      stdio: ["ignore", "pipe", "pipe"],
    }),
  );
  let tail = "";
  const keep = (d: Buffer) => {
    logStream.write(d);
    tail = (tail + d.toString()).slice(-4000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  child.on("exit", (code, signal) => {
    logStream.end();
    if (stopping || retired.has(child)) return;
    serverExit = `the server exited unexpectedly (${signal ?? `exit code ${code}`}):\n${tail}`;
    serverStoppedFromOutside = code === 0 || signal !== null;
  });

  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new BenchFailure(`the server exited while starting:\n${tail}`);
    try {
      const res = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return { base, child };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new BenchFailure(`the server did not answer /healthz within 60 s:\n${tail}`);
}

// ---------------------------------------------------------------------------------------------
// 3. Sessions

function sessionCookie(res: Response): string | null {
  for (const header of res.headers.getSetCookie()) {
    const pair = header.split(";")[0];
    if (pair.startsWith("__session=")) return pair;
  }
  return null;
}

async function signIn(base: string, email: string): Promise<string> {
  try {
    return await signInOnce(base, email).catch((error: unknown) => {
      // A server that is up but slow (a stalled disk) gets a second try before the run fails.
      if (error instanceof Error && error.name === "TimeoutError" && !serverExit) {
        log(`signing in ${email} timed out; trying again`);
        return signInOnce(base, email);
      }
      throw error;
    });
  } catch (error) {
    if (error instanceof BenchFailure) throw error;
    // A refused connection is most likely the server gone: let its exit (and output) be known.
    await new Promise((r) => setTimeout(r, 500));
    throw new BenchFailure(
      `signing in ${email} failed: ${describe(error)}${serverExit ? `; ${serverExit}` : ""}`,
    );
  }
}

async function signInOnce(base: string, email: string): Promise<string> {
  const res = await fetch(`${base}/signin`, {
    method: "POST",
    body: new URLSearchParams({ email, password: BENCH_PASSWORD, redirectTo: "/" }),
    redirect: "manual",
    signal: AbortSignal.timeout(15_000),
  });
  const cookie = sessionCookie(res);
  if (res.status !== 302 || !cookie)
    throw new BenchFailure(`signing in ${email} answered ${res.status} without a session cookie`);
  // The first page shows (and clears) the "signed in" flash message: use the cookie after it,
  // so that the measured requests don't each carry a flash.
  const page = await fetch(`${base}/`, {
    headers: { cookie },
    signal: AbortSignal.timeout(15_000),
  });
  await page.arrayBuffer();
  return sessionCookie(page) ?? cookie;
}

// ---------------------------------------------------------------------------------------------
// 4. Scenarios

type Target =
  | { kind: "p95"; ms: number; label: string }
  | { kind: "rps"; min: number; label: string }
  | { kind: "gzip"; maxBytes: number; label: string };

type Outgoing = { path: string; headers?: Record<string, string>; body?: string; tag?: unknown };

type Scenario = {
  key: string;
  title: string;
  what: string;
  method: "GET" | "POST";
  connections: number;
  /** The server's WEB_CONCURRENCY (1 when unset). */
  workers?: number;
  /** Also measure over a single connection (the latency the targets are judged on). */
  single: boolean;
  target?: Target;
  next(): Outgoing;
  /** The status every answer must have (any 2xx when unset). */
  status?: number;
  /** false: the response counts as an error (a 2xx with the wrong content). */
  check?(status: number, body: string, tag: unknown): boolean;
  /** After a run: requests sent but never answered. */
  settle?(): void;
};

type Phase = {
  connections: number;
  seconds: number;
  responses: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
  mismatches: number;
  statuses: Record<string, number>;
  sample?: string;
  /** The server process's CPU time per response, ms (null where /proc is missing). */
  serverCpuMs: number | null;
  /** Share of the machine's CPU time used by processes other than the server and the bench. */
  otherCpu: number | null;
};

type Outcome = {
  scenario: Scenario;
  load?: Phase;
  single?: Phase;
  failure?: string;
  verdict?: { pass: boolean; value: number; text: string };
};

const rand = (n: number) => Math.floor(Math.random() * n);
const pick = <T>(list: readonly T[]): T => list[rand(list.length)];

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

// CPU time from /proc (Linux; null elsewhere), in milliseconds. USER_HZ is 100 on Linux. A
// process's own time plus its live descendants': with WEB_CONCURRENCY the server's work is done
// by the workers it forks, and PostgreSQL's by a backend per connection under the postmaster.
const TICK_MS = 10;
function processCpuMs(pid: number | undefined): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    let total = (Number(fields[11]) + Number(fields[12])) * TICK_MS;
    for (const task of fs.readdirSync(`/proc/${pid}/task`)) {
      let children: string[] = [];
      try {
        children = fs.readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").split(" ");
      } catch {
        // the thread ended meanwhile
      }
      for (const child of children.filter(Boolean)) total += processCpuMs(Number(child)) ?? 0;
    }
    return total;
  } catch {
    return null;
  }
}
/** The CPU time of the server and, for PostgreSQL, of the database server. */
function serverCpuMs(): number | null {
  const app = processCpuMs(serverPid);
  if (app === null) return null;
  return app + (databasePid !== undefined ? (processCpuMs(databasePid) ?? 0) : 0);
}
function machineCpuMs(): { busy: number; total: number } | null {
  try {
    const line = fs.readFileSync("/proc/stat", "utf8").split("\n")[0];
    const [user, nice, system, idle, iowait, irq, softirq, steal] = line
      .split(/\s+/)
      .slice(1, 9)
      .map(Number);
    const busy = user + nice + system + irq + softirq + (steal || 0);
    return { busy: busy * TICK_MS, total: (busy + idle + iowait) * TICK_MS };
  } catch {
    return null;
  }
}
let serverPid: number | undefined;
let databasePid: number | undefined;

async function measure(
  base: string,
  scenario: Scenario,
  connections: number,
  seconds: number,
): Promise<Phase> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let mismatches = 0;
  let sample: string | undefined;
  let firstAt = 0;
  let lastAt = 0;
  const cpuBefore = serverCpuMs();
  const machineBefore = machineCpuMs();
  const benchBefore = process.cpuUsage();
  const request: autocannon.Request = {
    method: scenario.method,
    setupRequest: (req, context) => {
      const out = scenario.next();
      (context as { tag?: unknown }).tag = out.tag;
      return {
        ...req,
        path: out.path,
        headers: { ...req.headers, ...out.headers },
        ...(out.body !== undefined ? { body: out.body } : {}),
      };
    },
    onResponse: (status, body, context) => {
      statuses[status] = (statuses[status] ?? 0) + 1;
      const ok = answeredAsExpected(scenario, status);
      if (ok && scenario.check && !scenario.check(status, body, (context as { tag?: unknown }).tag))
        mismatches++;
      else if (!ok && sample === undefined) sample = `${status}: ${body.slice(0, 200)}`;
    },
  };
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: base,
        connections,
        duration: seconds,
        timeout: 10,
        requests: [request],
      },
      (error, res) => (error ? reject(error) : resolve(res)),
    );
    instance.on("response", (_client, _status, _bytes, ms) => {
      const t = performance.now();
      if (!firstAt) firstAt = t - ms;
      lastAt = t;
      latencies.push(ms);
    });
    // autocannon stops itself at `duration`; this only guards against it hanging.
    const guard = setTimeout(() => instance.stop(), (seconds + 20) * 1000);
    instance.on("done", () => clearTimeout(guard));
  });
  const cpuAfter = serverCpuMs();
  const machineAfter = machineCpuMs();
  const benchCpu = process.cpuUsage(benchBefore);
  const serverCpu = cpuBefore !== null && cpuAfter !== null ? cpuAfter - cpuBefore : null;
  let otherCpu: number | null = null;
  if (serverCpu !== null && machineBefore && machineAfter) {
    const total = machineAfter.total - machineBefore.total;
    const busy = machineAfter.busy - machineBefore.busy;
    const other = busy - serverCpu - (benchCpu.user + benchCpu.system) / 1000;
    otherCpu = total > 0 ? Math.max(0, other / total) : null;
  }
  scenario.settle?.();
  const sorted = Float64Array.from(latencies).sort();
  const elapsed = Math.max(1e-3, (lastAt - firstAt) / 1000);
  const non2xx = Object.entries(statuses)
    .filter(([s]) => !answeredAsExpected(scenario, Number(s)))
    .reduce((n, [, c]) => n + c, 0);
  return {
    connections,
    seconds: elapsed,
    responses: latencies.length,
    rps: latencies.length / elapsed,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1] : NaN,
    non2xx,
    errors: result.errors,
    mismatches,
    statuses,
    sample,
    serverCpuMs: serverCpu !== null && latencies.length ? serverCpu / latencies.length : null,
    otherCpu,
  };
}

function answeredAsExpected(scenario: Scenario, status: number): boolean {
  return scenario.status !== undefined ? status === scenario.status : status >= 200 && status < 300;
}

/** One request the way autocannon would send it, to fail fast with a clear line. */
async function probe(base: string, scenario: Scenario): Promise<string | null> {
  const out = scenario.next();
  try {
    const res = await fetch(base + out.path, {
      method: scenario.method,
      headers: out.headers,
      body: out.body,
      redirect: "manual",
      signal: AbortSignal.timeout(15_000),
    });
    const body = await res.text();
    if (!answeredAsExpected(scenario, res.status))
      return `${scenario.method} ${decodeURI(out.path)} answered ${res.status}${res.status === 404 ? " (route missing or not built yet?)" : ""}`;
    if (scenario.check && !scenario.check(res.status, body, out.tag))
      return `${scenario.method} ${decodeURI(out.path)} answered ${res.status} with unexpected content: ${body.slice(0, 160)}`;
    return null;
  } catch (error) {
    return `${scenario.method} ${decodeURI(out.path)} failed: ${describe(error)}`;
  } finally {
    scenario.settle?.();
  }
}

const HTML_HEADERS = {
  accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
  "accept-encoding": "gzip, deflate, br",
  "accept-language": "he-IL,he;q=0.9,en;q=0.8",
  "user-agent": "broadly-bench",
};
const JSON_HEADERS = {
  accept: "application/json",
  "accept-language": "he-IL,he;q=0.9,en;q=0.8",
  "user-agent": "broadly-bench",
};

const SEARCH_PREFIX = "חשב";
/** What someone types as a new request's title, a few letters in. */
const TYPED_TITLES = [
  "חשב",
  "חשבו",
  "חשבונית מ",
  "ייצו",
  "ייצוא לק",
  "הפק",
  "סנכרון",
  "קבלו",
  "לקוחות",
  "תזכו",
  "מלא",
  "דוח מע",
  "הוספת חשבוני",
  "תשלומ",
  "exp",
  "expo",
  "export inv",
  "invoi",
  "sync",
  "rec",
  "receipts by",
  "pay",
  "bank tr",
  "quotes",
  "ship",
  "VAT rep",
];

/** Votes: which (user, request) pairs are in flight and what the last answer said of each. */
class VoteBook {
  inFlight = new Set<string>();
  acknowledged = new Map<string, boolean>();
  uncertain = new Set<string>();
  touched = new Set<number>();
  settle() {
    for (const key of this.inFlight) {
      this.uncertain.add(key);
      this.acknowledged.delete(key);
    }
    this.inFlight.clear();
  }
}

function scenarios(
  facts: Facts,
  cookies: string[],
  votes: VoteBook,
  staffCookie: string | null,
): Scenario[] {
  const slug = facts.categorySlugs.includes("invoices") ? "invoices" : facts.categorySlugs[0];
  const boardTarget: Target = { kind: "p95", ms: 20, label: "p95 < 20 ms" };
  const board = (key: string, title: string, what: string, search: string, signedIn = false) =>
    ({
      key,
      title,
      what,
      method: "GET",
      connections: 10,
      single: true,
      target: boardTarget,
      next: () => ({
        path: `/${search}`,
        headers: signedIn ? { ...HTML_HEADERS, cookie: pick(cookies) } : HTML_HEADERS,
      }),
    }) satisfies Scenario;
  const voteScenario = (connections: number, workers = 1): Scenario => ({
    key: `vote${connections === 10 ? "" : `-${connections}`}${workers > 1 ? `-wc${workers}` : ""}`,
    title: `vote toggle, ${connections} connections${workers > 1 ? `, WEB_CONCURRENCY=${workers}` : ""}`,
    what:
      "POST /requests/<random id>/vote (via=fetch) as one of the signed-in users: one write transaction " +
      "(the vote row, per-organization and per-day counters, follow, request counters) answered with JSON counts. " +
      "No two requests for the same user and request are ever in flight at once, so the last answer for each pair " +
      "must match the database afterwards." +
      (workers > 1
        ? ` The server runs ${workers} worker processes (WEB_CONCURRENCY=${workers}, app/cluster.js) sharing the port.`
        : ""),
    method: "POST",
    connections,
    workers,
    single: connections === 10 && workers === 1,
    target: { kind: "rps", min: 2000, label: "> 2,000/s" },
    next() {
      let user = 0;
      let id = 0;
      let key = "";
      do {
        user = rand(facts.benchUsers.length);
        id = facts.ids[rand(facts.ids.length)];
        key = `${user}:${id}`;
      } while (votes.inFlight.has(key));
      votes.inFlight.add(key);
      votes.touched.add(id);
      return {
        path: `/requests/${id}/vote`,
        headers: {
          ...JSON_HEADERS,
          "content-type": "application/x-www-form-urlencoded",
          cookie: cookies[user],
        },
        body: "via=fetch",
        tag: key,
      };
    },
    check(_status, body, tag) {
      const key = tag as string;
      votes.inFlight.delete(key);
      try {
        const json = JSON.parse(body) as { voted?: unknown; voteCount?: unknown };
        if (typeof json.voted !== "boolean" || typeof json.voteCount !== "number")
          throw new Error("no counts");
        votes.acknowledged.set(key, json.voted);
        votes.uncertain.delete(key);
        return true;
      } catch {
        votes.uncertain.add(key);
        votes.acknowledged.delete(key);
        return false;
      }
    },
    settle: () => votes.settle(),
  });
  return [
    // The floor of this run: what the framework and the server cost with next to no page.
    {
      key: "floor",
      title: "floor: the smallest page (a 404)",
      what:
        "GET of an address no route serves, anonymous: the app's not-found page, the shell around a heading and " +
        "a link, through the same middleware, root loader and React render as every page (never cached: a 404). " +
        "The other scenarios' \"× floor\" is their req/s over this one's, in the same run.",
      method: "GET",
      connections: 10,
      single: true,
      status: 404,
      // Its body comes gzipped, as every page's: the status is the check.
      next: () => ({ path: `/bench-floor-${rand(1_000_000)}`, headers: HTML_HEADERS }),
    },
    {
      key: "healthz",
      title: "`/healthz`",
      what: "The liveness check (a resource route, no page: one `select 1`), the floor of a database answer.",
      method: "GET",
      connections: 10,
      single: true,
      next: () => ({ path: "/healthz", headers: JSON_HEADERS }),
      check: (_status, body) => body.includes('"ok":true'),
    },
    board(
      "board",
      "board `/`",
      "The board's first page, default sort (breadth of demand: organizations), anonymous: after the first " +
        "request, answered from the visitors' cache (one read of the content version each time).",
      "",
    ),
    board(
      "board-signed-in",
      "board `/`, signed in",
      "The same page for a signed-in user: the session, their organizations and which of the 25 they voted on.",
      "",
      true,
    ),
    board(
      "board-status",
      "board `/?status=planned`",
      "The board filtered by status (7% of the requests), anonymous (from the visitors' cache).",
      "?status=planned",
    ),
    board(
      "board-category",
      `board \`/?category=${slug}&sort=votes\``,
      "The board filtered by category (the largest, ~24% of the requests), sorted by votes, anonymous " +
        "(from the visitors' cache).",
      `?category=${encodeURIComponent(slug)}&sort=votes`,
    ),
    board(
      "board-search",
      `board \`/?q=${SEARCH_PREFIX}\``,
      `The board searched with a three-letter Hebrew prefix that matches ~18% of the requests, anonymous ` +
        `(from the visitors' cache).`,
      `?q=${encodeURIComponent(SEARCH_PREFIX)}`,
    ),
    {
      key: "request",
      title: "request page `/requests/<id>`, signed in",
      what:
        "A request's page for a signed-in user: one in five from the 100 most-supported requests (long comment " +
        "threads, thousands of voters), the rest uniformly random among all visible requests.",
      method: "GET",
      connections: 10,
      single: true,
      target: boardTarget,
      next: () => ({
        path: `/requests/${
          Math.random() < 0.2 ? pick(facts.popularIds) : facts.ids[rand(facts.ids.length)]
        }`,
        headers: { ...HTML_HEADERS, cookie: pick(cookies) },
      }),
    },
    {
      key: "request-staff",
      title: "request page `/requests/<most voted>`, staff",
      what:
        "The most-voted request's page (5,000 voting organizations) for a staff member: the same page plus the " +
        "demand view (the top 10 organizations by keyset, their first and last votes and staff-recorded votes, " +
        "votes per week over 12 weeks).",
      method: "GET",
      connections: 10,
      single: true,
      target: boardTarget,
      next: () => ({
        path: `/requests/${facts.mostVotedId}`,
        headers: { ...HTML_HEADERS, ...(staffCookie ? { cookie: staffCookie } : {}) },
      }),
    },
    {
      key: "staff-queue",
      title: "triage queue `/staff`, staff",
      what:
        'The staff triage queue: the count of requests waiting for a decision (up to 999, then "more than 999") ' +
        "and the 20 that waited longest (of the data's ~72,000 open requests), each with its votes, organizations, " +
        "votes in the last 30 days, its three biggest voting organizations, and the buttons that open its decisions.",
      method: "GET",
      connections: 10,
      single: true,
      target: boardTarget,
      next: () => ({
        path: "/staff",
        headers: { ...HTML_HEADERS, ...(staffCookie ? { cookie: staffCookie } : {}) },
      }),
    },
    {
      key: "similar",
      title: "search as you type `/requests/similar`",
      what:
        "GET /requests/similar?title=<what was typed so far> (JSON, up to 5 similar requests), with " +
        `${TYPED_TITLES.length} Hebrew and English prefixes such as "${TYPED_TITLES[0]}", "ייצוא לק", "export inv".`,
      method: "GET",
      connections: 10,
      single: true,
      target: { kind: "p95", ms: 15, label: "p95 < 15 ms" },
      next: () => ({
        path: `/requests/similar?title=${encodeURIComponent(pick(TYPED_TITLES))}`,
        headers: JSON_HEADERS,
      }),
      check: (_status, body) => body.startsWith("{"),
    },
    voteScenario(10),
    voteScenario(50),
    voteScenario(10, 2),
    voteScenario(50, 2),
  ];
}

// ---------------------------------------------------------------------------------------------
// 4b. Model calls: staff triage, merge, pledges, announcements, timed in a child process whose
// DATABASE_URL names the engine under test (`--model-child`; the app's modules read it once)

/** Measured by calling the model in the bench process (no HTTP: its page is not built yet). */
type ModelScenario = {
  key: string;
  title: string;
  what: string;
  target: Target & { kind: "p95" | "rps" };
  /**
   * The duration of each call and the CPU time spent in it, ms; what it did; for a throughput
   * target, the calls a second and how many ran at once.
   */
  run(): Promise<{
    times: number[];
    cpu: number[];
    note: string;
    rate?: { perSecond: number; concurrency: number };
  }>;
};

const MODEL_KEYS = ["triage-queue", "merge", "pledge", "announce"];
// 5,000 voters each on the full data set; a smaller set (--scale) has fewer users to draw from.
const MERGE_VOTERS = Math.round(5_000 * Math.min(1, SCALE * 4));
const MERGE_SHARED_VOTERS = MERGE_VOTERS / 5;
const MERGE_RUNS = 5;
const QUEUE_CALLS = 300;
/** Rows per INSERT when the bench writes its own setup rows (4 values each, well under either engine's limit). */
const SETUP_BATCH = 500;

/** The bench's own setup and checks: untyped, since they write rows the models never write alone. */
async function benchDb(): Promise<Kysely<any>> {
  const { getDb } = await import("~/db.server");
  return getDb() as Kysely<any>;
}

async function modelScenarios(): Promise<ModelScenario[]> {
  const { getDb } = await import("~/db.server");
  const { actorOf } = await import("~/models/errors");
  const { listTriageQueue, mergeRequest } = await import("~/models/triage.server");
  const db = getDb();
  const staffRow = await db
    .selectFrom("users")
    .select(["id", "email", "name", "is_staff", "staff_role"])
    .where("is_staff", "=", 1)
    .orderBy("id")
    .executeTakeFirst();
  if (!staffRow) throw new BenchFailure("the data set has no staff user");
  const staff = actorOf(staffRow);
  const categoryIds = (await db.selectFrom("categories").select("id").execute()).map((c) => c.id);

  const queue: ModelScenario = {
    key: "triage-queue",
    title: "triage queue `listTriageQueue` (model call)",
    what:
      "The triage queue's model call for a staff member: the count of requests waiting for a decision, a page of " +
      "25 of them oldest first with each one's votes, organizations, votes in the last 30 days and its 3 biggest " +
      "voting organizations. Half first pages (with and without a category filter), half a later page (keyset cursor).",
    target: { kind: "p95", ms: 20, label: "p95 < 20 ms" },
    async run() {
      const cursors: string[] = [];
      let page = await listTriageQueue({ actor: staff });
      for (let i = 0; i < 20 && page.nextCursor; i++) {
        cursors.push(page.nextCursor);
        page = await listTriageQueue({ actor: staff, cursor: page.nextCursor });
      }
      const call = (i: number) =>
        i % 2 === 0
          ? listTriageQueue({ actor: staff, categoryId: i % 4 === 0 ? pick(categoryIds) : null })
          : listTriageQueue({ actor: staff, cursor: pick(cursors) });
      for (let i = 0; i < 20; i++) await call(i);
      const times: number[] = [];
      const cpu: number[] = [];
      let total = 0;
      let more = false;
      for (let i = 0; i < QUEUE_CALLS; i++) {
        const result = await timed(times, cpu, () => call(i));
        total = Math.max(total, result.total.count);
        more ||= result.total.more;
      }
      return {
        times,
        cpu,
        note: `${QUEUE_CALLS} calls; ${total.toLocaleString("en")}${more ? "+" : ""} requests waiting`,
      };
    },
  };

  const merge: ModelScenario = {
    key: "merge",
    title: `merge of two requests with ${MERGE_VOTERS.toLocaleString("en")} voters each (model call)`,
    what:
      `mergeRequest on two requests made for the run, ${MERGE_VOTERS.toLocaleString("en")} voters each ` +
      `(${MERGE_SHARED_VOTERS.toLocaleString("en")} of them on both), each voter following: votes, follows and ` +
      "comments move, shared voters keep their earlier vote, every counter of both is recomputed, and the " +
      "source's voters get an e-mail each (outbox rows). Afterwards the counters are checked against the rows and " +
      `the two requests removed again. ${MERGE_RUNS} merges; the target is judged on the slowest.`,
    target: { kind: "p95", ms: 200, label: "< 200 ms" },
    async run() {
      const bench = await benchDb();
      const customers = (
        await sql<{ user_id: number; org_id: number }>`
          select m.user_id, min(m.org_id) as org_id from memberships m
          join users u on u.id = m.user_id where u.is_staff = 0
          group by m.user_id order by m.user_id limit ${MERGE_VOTERS * 2}`.execute(bench)
      ).rows.map((r) => ({ userId: r.user_id, orgId: r.org_id }));
      if (customers.length < MERGE_VOTERS * 2 - MERGE_SHARED_VOTERS)
        throw new BenchFailure("the data set has too few customers for the merge bench");
      const times: number[] = [];
      const cpu: number[] = [];
      let moved = "";
      for (let run = 0; run < MERGE_RUNS; run++) {
        const offset = (run * 997) % customers.length;
        const rotated = [...customers.slice(offset), ...customers.slice(0, offset)];
        const [source, target] = await makeMergePair(bench, rotated);
        const marks = await highWaterMarks(bench, ["outbox", "audit_log"]);
        try {
          const result = await timed(times, cpu, () =>
            mergeRequest({ actor: staff, sourceId: source, targetId: target }),
          );
          moved =
            `${result.votesMoved} votes, ${result.followsMoved} follows and ${result.commentsMoved} comments ` +
            "moved a merge";
          const wrong = await inexactCounters(bench, [source, target]);
          if (wrong) throw new BenchFailure(`counters wrong after the merge: ${wrong}`);
        } finally {
          await removeMergePair(bench, [source, target], marks);
        }
      }
      return { times, cpu, note: moved };
    },
  };
  return [queue, merge, pledgeScenario(), announceScenario()];
}

/** The highest id of each table (0 when empty): what the bench wrote after it is removed again. */
async function highWaterMarks(db: Kysely<any>, tables: string[]): Promise<Record<string, number>> {
  const marks: Record<string, number> = {};
  for (const table of tables) {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.coalesce(eb.fn.max("id"), sql<number>`0`).as("n"))
      .executeTakeFirstOrThrow();
    marks[table] = Number(row.n);
  }
  return marks;
}

async function countOf(db: Kysely<any>, query: ReturnType<typeof sql>): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*) as n from (${query}) counted`.execute(
    db,
  );
  return Number(rows[0].n);
}

// Publishing an announcement to every user of the bench data: one UPDATE, then each user's
// header count shows it, because that count is "published after my watermark" and nobody has a
// row per announcement. Timed from the publish call until a sample of users' counts all show
// it; a query over every user then checks none would miss it. The e-mails to the news
// subscribers and followers leave through the worker's fan-out, timed too (each id range is one
// short transaction). Everything written is removed afterwards.
const ANNOUNCE_RUNS = 5;
const ANNOUNCE_SAMPLE = 500;

function announceScenario(): ModelScenario {
  return {
    key: "announce",
    title: "publishing an announcement to every user (model call)",
    what:
      `publishAnnouncement on a draft made for the run, then countUnread (the header's query) for ` +
      `${ANNOUNCE_SAMPLE} users drawn at random until every one of them shows it; the time is from the publish ` +
      "call to the last count showing it. A query over every user then checks that none has a watermark past it. " +
      `${ANNOUNCE_RUNS} announcements; then the worker's fan-out enqueues their e-mails (users who opted in to ` +
      "product news, a fifth of them) a range of 5,000 user ids per transaction, timed. Everything written is " +
      "removed afterwards.",
    target: { kind: "p95", ms: 1000, label: "< 1 s until every user sees it" },
    async run() {
      const { getDb } = await import("~/db.server");
      const { actorOf } = await import("~/models/errors");
      const { createAnnouncement, publishAnnouncement } =
        await import("~/models/announcements.server");
      const { countUnread } = await import("~/models/changelog.server");
      const { fanOutAnnouncements } = await import("~/services/announcement-mail.server");
      const db = getDb();
      const bench = await benchDb();
      const staffRow = await db
        .selectFrom("users")
        .select(["id", "email", "name", "is_staff", "staff_role"])
        .where("is_staff", "=", 1)
        .orderBy("id")
        .executeTakeFirstOrThrow();
      const staff = actorOf(staffRow);
      const marks = await highWaterMarks(bench, ["outbox", "audit_log", "announcements"]);
      const userCount = await countOf(bench, sql`select id from users`);
      const readers = (
        await sql<{
          id: number;
          announcements_seen_at: string | null;
          created_at: string;
        }>`select id, announcements_seen_at, created_at from users order by random() limit ${ANNOUNCE_SAMPLE}`.execute(
          bench,
        )
      ).rows;
      const times: number[] = [];
      const cpu: number[] = [];
      const countTimes: number[] = [];
      let fanOut = "";
      try {
        for (let run = 0; run < ANNOUNCE_RUNS; run++) {
          const before = await Promise.all(readers.map((r) => countUnread(r)));
          const { id } = await createAnnouncement({
            actor: staff,
            input: {
              titleHe: `עדכון לבדיקת ביצועים ${run + 1}`,
              bodyHe: "מה שעלה השבוע, לכל הארגונים.",
              titleEn: `Benchmark announcement ${run + 1}`,
              bodyEn: "What shipped this week, for every organization.",
              requestIds: [],
            },
          });
          await timed(times, cpu, async () => {
            await publishAnnouncement({ actor: staff, id });
            let waiting = readers.map((r, i) => ({ r, i }));
            while (waiting.length > 0) {
              const still: typeof waiting = [];
              for (const entry of waiting) {
                const t = performance.now();
                const count = await countUnread(entry.r);
                countTimes.push(performance.now() - t);
                const had = before[entry.i]!;
                if (!(count.count > had.count || count.more)) still.push(entry);
              }
              waiting = still;
            }
          });
          const published = await bench
            .selectFrom("announcements")
            .select("published_at")
            .where("id", "=", id)
            .executeTakeFirstOrThrow();
          const missing = await countOf(
            bench,
            sql`select id from users where coalesce(announcements_seen_at, created_at) >= ${published.published_at}`,
          );
          if (missing > 0)
            throw new BenchFailure(`${missing} users' watermarks are past the new announcement`);
        }
        // The e-mails: the worker's fan-out, a range at a time, until all five are enqueued.
        const started = performance.now();
        let enqueued = 0;
        let ranges = 0;
        let slowest = 0;
        for (;;) {
          const t = performance.now();
          const step = await fanOutAnnouncements({ maxRanges: 1 });
          const pending = await countOf(
            bench,
            sql`select id from announcements where id > ${marks.announcements} and mailed_at is null`,
          );
          slowest = Math.max(slowest, performance.now() - t);
          enqueued += step.enqueued;
          ranges++;
          if (pending === 0) break;
          if (ranges > 10_000) throw new BenchFailure("the fan-out does not finish");
        }
        const seconds = (performance.now() - started) / 1000;
        const subscribers = await countOf(bench, sql`select id from users where notify_news = 1`);
        if (enqueued !== subscribers * ANNOUNCE_RUNS)
          throw new BenchFailure(
            `the fan-out enqueued ${enqueued} e-mails, not ${subscribers * ANNOUNCE_RUNS}`,
          );
        fanOut =
          `then ${enqueued.toLocaleString("en")} e-mails enqueued in ${seconds.toFixed(1)} s ` +
          `(${Math.round(enqueued / seconds).toLocaleString("en")}/s, ${ranges} ranges, the slowest ` +
          `${slowest.toFixed(0)} ms)`;
      } finally {
        for (const table of ["outbox", "audit_log", "announcements"])
          await bench.deleteFrom(table).where("id", ">", marks[table]).execute();
      }
      const sortedCounts = Float64Array.from(countTimes).sort();
      return {
        times,
        cpu,
        note:
          `${userCount.toLocaleString("en")} users; the header's count p95 ` +
          `${percentile(sortedCounts, 95).toFixed(2)} ms over ${countTimes.length} calls; ${fanOut}`,
      };
    },
  };
}

// Concurrent pledges: PLEDGE_QUOTES open quotes made for the run, on each of which the admins of
// PLEDGE_SIGNERS organizations pledge at once, from PLEDGE_PROCESSES processes (SQLite's write
// lock is taken across processes, as by the app's processes; in one process the transactions
// would only queue). On a copy of the data (a copy of the SQLite file, or a PostgreSQL database
// made from the bench database as a template): the sponsorships written are never deleted, the
// copy is.
const PLEDGE_QUOTES = 40;
const PLEDGE_SIGNERS = 50;
const PLEDGE_PROCESSES = 2;
const PLEDGE_GROSS = 1_180_000;

/** A scratch copy of the data under test for the pledges, and how to remove it. */
async function pledgeScratch(): Promise<{ url: string; remove(): Promise<void> }> {
  const url = process.env.DATABASE_URL!;
  if (engineFromUrl(url) === "postgres") {
    const { closeDb } = await import("~/db.server");
    // CREATE DATABASE … TEMPLATE needs the template to have no other session: this process's pool
    // goes (the app reopens it on its next use); the server has stopped.
    await closeDb();
    const name = `${new URL(url).pathname.slice(1)}_pledge`;
    const serverUrl = databaseUrl(url, "postgres");
    await adminQuery(serverUrl, `drop database if exists "${name}" with (force)`);
    await adminQuery(
      serverUrl,
      `create database "${name}" template "${new URL(url).pathname.slice(1)}"`,
    );
    return {
      url: databaseUrl(url, name),
      remove: async () => {
        await adminQuery(serverUrl, `drop database if exists "${name}" with (force)`);
      },
    };
  }
  const scratch = `${DATA_FILE}.pledge.sqlite`;
  const remove = async () => {
    for (const file of [scratch, `${scratch}-wal`, `${scratch}-shm`])
      fs.rmSync(file, { force: true });
  };
  await remove();
  // SQLite's online backup: a consistent copy, whatever the WAL holds.
  const source = new Database(DATA_FILE, { fileMustExist: true, readonly: true });
  try {
    await source.backup(scratch);
  } finally {
    source.close();
  }
  return { url: scratch, remove };
}

function pledgeScenario(): ModelScenario {
  return {
    key: "pledge",
    title: `concurrent pledges, ${PLEDGE_SIGNERS} organizations at once on each quote (model call)`,
    what:
      `acceptQuote with capToRemaining off on ${PLEDGE_QUOTES} open quotes made for the run (₪11,800 gross each, on ` +
      `requests awaiting funding), each pledged by the admins of ${PLEDGE_SIGNERS} organizations at once from ` +
      `${PLEDGE_PROCESSES} processes: on half the quotes ${PLEDGE_SIGNERS} pledges of a 40th (the last 10 are refused, ` +
      "the quote is funded and its request moves to funded), on the other half pledges that do not divide the amount " +
      "(refused once what remains is smaller). Each pledge is the signed row, the conditional update of the pledged " +
      "total, the audit row and the staff's e-mails, in one transaction. Afterwards, for every quote: the pledges " +
      "add up to its pledged total, never above its gross amount, and it is funded exactly when they equal it. On a " +
      "copy of the data, removed afterwards. The rate counts pledges taken and refused alike.",
    target: { kind: "rps", min: 500, label: "> 500 pledges/s" },
    async run() {
      const planFile = `${DATA_FILE}.pledge-plan.json`;
      const scratch = await pledgeScratch();
      const db = openDatabase<any>(scratch.url, { poolSize: 1 });
      try {
        const { termsHash } = await import("~/models/quotes.server");
        const signers = (
          await sql<{ userId: number; orgId: number }>`
            select min(m.user_id) as "userId", m.org_id as "orgId" from memberships m
            join users u on u.id = m.user_id
            where m.role = 'admin' and u.is_staff = 0
            group by m.org_id order by m.org_id limit ${PLEDGE_SIGNERS}`.execute(db)
        ).rows;
        if (signers.length < PLEDGE_SIGNERS)
          throw new BenchFailure(
            "the data set has too few organizations with an admin for the pledge bench",
          );
        const terms = "Bench terms: delivered as described.";
        const sha = termsHash(terms);
        const at = new Date().toISOString();
        const expires = new Date(Date.now() + 30 * 86_400_000).toISOString();
        const quotes = await db.transaction().execute(async (trx) => {
          const made = [];
          for (let i = 0; i < PLEDGE_QUOTES; i++) {
            const requestId = await insertBenchRequest(trx, {
              title: `bench pledge ${i} ${at}`,
              author: signers[0],
              status: "quoted",
              at,
            });
            const { id } = await trx
              .insertInto("quotes")
              .values({
                request_id: requestId,
                version: 1,
                status: "open",
                pricing: "fixed",
                net_minor: 1_000_000,
                vat_bps: 1800,
                vat_minor: 180_000,
                gross_minor: PLEDGE_GROSS,
                currency: "ILS",
                valid_until: expires.slice(0, 10),
                expires_at: expires,
                delivery_weeks: 4,
                terms_md: terms,
                terms_sha256: sha,
                audience: "open",
                created_at: at,
              })
              .returning("id")
              .executeTakeFirstOrThrow();
            // Even quotes: a 40th each, so 40 of the 50 fund it exactly; odd: 3 of 100 each.
            const shareMinor =
              i % 2 === 0 ? PLEDGE_GROSS / 40 : Math.floor((PLEDGE_GROSS * 3) / 100) + 7;
            made.push({ id: Number(id), requestId, version: 1, termsSha256: sha, shareMinor });
          }
          return made;
        });

        // Each process signs for its own organizations, on the same quotes in the same order.
        const parts = Array.from({ length: PLEDGE_PROCESSES }, (_, p) =>
          signers.filter((_, i) => i % PLEDGE_PROCESSES === p),
        );
        const started = performance.now();
        const outputs = await Promise.all(
          parts.map((part, p) => {
            const file = `${planFile}.${p}`;
            fs.writeFileSync(file, JSON.stringify({ quotes, signers: part }));
            return run("npx", ["tsx", "db/bench-pledge.ts", file], 120_000, {
              DATABASE_URL: scratch.url,
            }).finally(() => fs.rmSync(file, { force: true }));
          }),
        );
        const results = outputs.map(
          (out) =>
            JSON.parse(out.trim().split("\n").at(-1)!) as {
              times: number[];
              taken: number;
              refusals: Record<string, number>;
              wallMs: number;
              cpuMs: number;
            },
        );
        const processWallMs = Math.max(...results.map((r) => r.wallMs));
        log(`pledge: ${((performance.now() - started) / 1000).toFixed(1)} s with process start-up`);
        const times = results.flatMap((r) => r.times);
        const pledges = times.length;
        const taken = results.reduce((n, r) => n + r.taken, 0);
        const refusals: Record<string, number> = {};
        for (const r of results)
          for (const [key, n] of Object.entries(r.refusals))
            refusals[key] = (refusals[key] ?? 0) + n;
        const cpuPerPledge = results.reduce((n, r) => n + r.cpuMs, 0) / pledges;

        const wrong = await overFunded(
          db,
          quotes.map((q) => q.id),
        );
        if (wrong) throw new BenchFailure(`pledges inexact: ${wrong}`);
        const funded = quotes.filter((_, i) => i % 2 === 0).length;
        return {
          times,
          cpu: times.map(() => cpuPerPledge),
          note:
            `${pledges} pledges in ${(processWallMs / 1000).toFixed(2)} s: ${taken} taken, refused ` +
            `${JSON.stringify(refusals)}; ${funded} quotes funded as expected, none over-funded`,
          rate: { perSecond: pledges / (processWallMs / 1000), concurrency: PLEDGE_SIGNERS },
        };
      } finally {
        await db.destroy();
        await scratch.remove();
      }
    },
  };
}

/**
 * The quotes whose pledges are inexact (null: none): the pledges' sum differs from the pledged
 * total, the total exceeds the gross amount, a quote is funded without being covered (or
 * covered and still open), or its request did not follow it to funded; and the even quotes,
 * made to be covered by 40 of the 50, must be funded.
 */
async function overFunded(db: Kysely<any>, quoteIds: number[]): Promise<string | null> {
  const wrong: string[] = [];
  for (const [i, id] of quoteIds.entries()) {
    const q = (
      await sql<{
        id: number;
        status: string;
        pledged_minor: number;
        gross_minor: number;
        request_status: string;
        pledges: number;
      }>`select q.id, q.status, q.pledged_minor, q.gross_minor, r.status as request_status,
           (select coalesce(sum(share_minor), 0) from sponsorships s where s.quote_id = q.id) as pledges
         from quotes q join requests r on r.id = q.request_id where q.id = ${id}`.execute(db)
    ).rows[0];
    const covered = Number(q.pledged_minor) === Number(q.gross_minor);
    if (
      Number(q.pledges) !== Number(q.pledged_minor) ||
      Number(q.pledged_minor) > Number(q.gross_minor) ||
      covered !== (q.status === "funded") ||
      (q.status === "funded") !== (q.request_status === "funded") ||
      (i % 2 === 0 && !covered)
    )
      wrong.push(
        `#${q.id} (${q.status}, pledges ${q.pledges}, pledged ${q.pledged_minor} of ${q.gross_minor}, request ${q.request_status})`,
      );
  }
  return wrong.length ? wrong.join(", ") : null;
}

/** Runs `fn`, recording its wall time and this process's CPU time (ms). */
/** A request the model scenarios make for themselves (its id), by one of the bench's customers. */
async function insertBenchRequest(
  db: Kysely<any>,
  {
    title,
    author,
    status,
    at,
  }: { title: string; author: { userId: number; orgId: number }; status: string; at: string },
): Promise<number> {
  const { id } = await db
    .insertInto("requests")
    .values({
      title,
      body_md: "",
      author_id: author.userId,
      org_id: author.orgId,
      status,
      created_at: at,
      updated_at: at,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return id as number;
}

async function timed<T>(times: number[], cpu: number[], fn: () => Promise<T>): Promise<T> {
  const cpuBefore = process.cpuUsage();
  const t = performance.now();
  const result = await fn();
  times.push(performance.now() - t);
  const used = process.cpuUsage(cpuBefore);
  cpu.push((used.user + used.system) / 1000);
  return result;
}

/**
 * Two open requests with MERGE_VOTERS voters each, MERGE_SHARED_VOTERS of them the same
 * people, each vote with its follow and a few comments, and every counter as the app keeps them.
 */
async function makeMergePair(
  db: Kysely<any>,
  customers: { userId: number; orgId: number }[],
): Promise<[number, number]> {
  const now = Date.now();
  return db.transaction().execute(async (trx) => {
    const ids: number[] = [];
    const groups = [
      customers.slice(0, MERGE_VOTERS),
      customers.slice(MERGE_VOTERS - MERGE_SHARED_VOTERS, 2 * MERGE_VOTERS - MERGE_SHARED_VOTERS),
    ];
    for (const [g, voters] of groups.entries()) {
      const created = new Date(now - (60 - g * 10) * 86_400_000).toISOString();
      const id = await insertBenchRequest(trx, {
        title: `bench merge ${g === 0 ? "source" : "target"} ${now}`,
        author: voters[0],
        status: "open",
        at: created,
      });
      // Spread over 50 days: some inside the trending window.
      const rows = voters.map((v, i) => ({
        ...v,
        i,
        at: new Date(now - ((i * 7919) % (50 * 86_400)) * 1000).toISOString(),
      }));
      for (let from = 0; from < rows.length; from += SETUP_BATCH) {
        const batch = rows.slice(from, from + SETUP_BATCH);
        await trx
          .insertInto("votes")
          .values(
            batch.map((v) => ({
              request_id: id,
              user_id: v.userId,
              org_id: v.orgId,
              created_at: v.at,
            })),
          )
          .execute();
        await trx
          .insertInto("follows")
          .values(batch.map((v) => ({ request_id: id, user_id: v.userId, created_at: v.at })))
          .execute();
      }
      await trx
        .insertInto("comments")
        .values(
          rows
            .filter((v) => v.i % 250 === 0)
            .map((v) => ({
              request_id: id,
              author_id: v.userId,
              org_id: v.orgId,
              body_md: "Same here",
              created_at: v.at,
            })),
        )
        .execute();
      await recountForBench(trx, id);
      ids.push(id);
    }
    return ids as [number, number];
  });
}

/** Sets a request's counter rows and counters from its votes, follows and comments. */
async function recountForBench(db: Kysely<any>, id: number) {
  const windowStart = new Date(Date.now() - 13 * 86_400_000).toISOString().slice(0, 10);
  await db.deleteFrom("request_org_votes").where("request_id", "=", id).execute();
  await sql`insert into request_org_votes (request_id, org_id, votes)
    select request_id, org_id, count(*) from votes where request_id = ${id} and org_id is not null
    group by request_id, org_id`.execute(db);
  await db.deleteFrom("request_vote_days").where("request_id", "=", id).execute();
  await sql`insert into request_vote_days (request_id, day, votes)
    select request_id, substr(created_at, 1, 10), count(*) from votes
    where request_id = ${id} and substr(created_at, 1, 10) >= ${windowStart}
    group by request_id, substr(created_at, 1, 10)`.execute(db);
  await sql`update requests set
      vote_count = (select count(*) from votes where request_id = ${id}),
      org_count = (select count(*) from request_org_votes where request_id = ${id}),
      recent_vote_count = (select coalesce(sum(votes), 0) from request_vote_days where request_id = ${id}),
      follower_count = (select count(*) from follows where request_id = ${id}),
      comment_count = (select count(*) from comments where request_id = ${id} and is_internal = 0 and deleted_at is null)
    where id = ${id}`.execute(db);
}

/** Which of the requests' counters differ from COUNT(*) over their rows (null: all exact). */
async function inexactCounters(db: Kysely<any>, ids: number[]): Promise<string | null> {
  const wrong: number[] = [];
  for (const id of ids) {
    const { rows } = await sql<{ exact: boolean | number }>`select
        vote_count = (select count(*) from votes where request_id = r.id)
        and org_count = (select count(distinct org_id) from votes where request_id = r.id)
        and org_count = (select count(*) from request_org_votes where request_id = r.id)
        and recent_vote_count = (select coalesce(sum(votes), 0) from request_vote_days where request_id = r.id)
        and follower_count = (select count(*) from follows where request_id = r.id)
        and comment_count = (select count(*) from comments where request_id = r.id and is_internal = 0 and deleted_at is null)
        as exact
      from requests r where id = ${id}`.execute(db);
    if (!rows[0]?.exact) wrong.push(id);
  }
  return wrong.length ? wrong.map((id) => `#${id}`).join(", ") : null;
}

/** Deletes what the merge bench made: the two requests and every row of theirs, its e-mails. */
async function removeMergePair(db: Kysely<any>, ids: number[], marks: Record<string, number>) {
  await db.transaction().execute(async (trx) => {
    for (const table of [
      "votes",
      "follows",
      "comments",
      "request_org_votes",
      "request_vote_days",
      "status_events",
    ])
      await trx.deleteFrom(table).where("request_id", "in", ids).execute();
    await trx
      .updateTable("requests")
      .set({ merged_into_id: null })
      .where("id", "in", ids)
      .execute();
    await trx.deleteFrom("requests").where("id", "in", ids).execute();
    // The bench's own data: its e-mails and audit rows go too, so reruns leave it as it was.
    await trx.deleteFrom("outbox").where("id", ">", marks.outbox).execute();
    await trx.deleteFrom("audit_log").where("id", ">", marks.audit_log).execute();
  });
}

async function runModelScenario(scenario: ModelScenario): Promise<Outcome> {
  const adapted: Scenario = {
    key: scenario.key,
    title: scenario.title,
    what: scenario.what,
    method: "GET",
    connections: 1,
    single: true,
    target: scenario.target,
    next: () => {
      throw new Error("a model scenario sends no HTTP requests");
    },
  };
  const outcome: Outcome = { scenario: adapted };
  try {
    const started = performance.now();
    const { times, cpu, note, rate } = await scenario.run();
    const sorted = Float64Array.from(times).sort();
    const seconds = (performance.now() - started) / 1000;
    outcome.single = {
      connections: 1,
      seconds,
      responses: times.length,
      rps: times.length / seconds,
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
      max: sorted[sorted.length - 1],
      non2xx: 0,
      errors: 0,
      mismatches: 0,
      statuses: {},
      // In-process: the CPU this process spent per call, which waiting for the cores does not inflate.
      serverCpuMs: cpu.reduce((a, b) => a + b, 0) / cpu.length,
      otherCpu: null,
    };
    // A throughput target is judged on the calls a second at the concurrency they ran with.
    if (rate)
      outcome.load = { ...outcome.single, connections: rate.concurrency, rps: rate.perSecond };
    judge(outcome);
    log(
      `${scenario.title}: ${rate ? `${rate.perSecond.toFixed(0)}/s at ${rate.concurrency} at once; ` : ""}p50 ${ms(outcome.single.p50)} p95 ${ms(outcome.single.p95)} max ${ms(outcome.single.max)} ms; ` +
        `CPU ${ms(outcome.single.serverCpuMs ?? NaN)} ms a call; load average ${os.loadavg()[0].toFixed(2)}; ${note}` +
        (outcome.verdict ? `; ${outcome.verdict.pass ? "pass" : "MISS"}` : ""),
    );
  } catch (error) {
    outcome.failure = describe(error);
    log(`${scenario.title}: FAILED: ${outcome.failure}`);
  }
  return outcome;
}

/** What a model call's outcome is made of, as the child process hands it over. */
type ModelOutcome = Pick<Scenario, "key" | "title" | "what" | "target"> &
  Pick<Outcome, "load" | "single" | "failure" | "verdict">;

/** The child process (`--model-child=<file>`): the model calls on DATABASE_URL, outcomes to the file. */
async function runModelChild(file: string): Promise<number> {
  const results: ModelOutcome[] = [];
  for (const scenario of await modelScenarios()) {
    if (ONLY && !ONLY.includes(scenario.key)) continue;
    const { scenario: s, load, single, failure, verdict } = await runModelScenario(scenario);
    results.push({
      key: s.key,
      title: s.title,
      what: s.what,
      target: s.target,
      load,
      single,
      failure,
      verdict,
    });
  }
  const { closeDb } = await import("~/db.server");
  await closeDb();
  fs.writeFileSync(file, JSON.stringify(results));
  return 0;
}

/** The model calls against the engine under test, in a child process of their own. */
async function runModelScenarios(target: EngineUnderTest): Promise<Outcome[]> {
  const file = path.join(ROOT, "data/bench", `models-${target.engine}.json`);
  fs.rmSync(file, { force: true });
  const tsx = path.join(ROOT, "node_modules/.bin/tsx");
  await run(
    tsx,
    [
      "db/bench.ts",
      `--model-child=${file}`,
      `--scale=${SCALE}`,
      ...(ONLY ? [`--only=${ONLY.join(",")}`] : []),
    ],
    RUN_LIMIT_MS,
    { DATABASE_URL: target.url },
    true,
  );
  const results = JSON.parse(fs.readFileSync(file, "utf8")) as ModelOutcome[];
  fs.rmSync(file, { force: true });
  return results.map(({ load, single, failure, verdict, ...scenario }) => ({
    scenario: {
      ...scenario,
      method: "GET",
      connections: 1,
      single: true,
      next: () => {
        throw new Error("a model scenario sends no HTTP requests");
      },
    },
    load,
    single,
    failure,
    verdict,
  }));
}

// ---------------------------------------------------------------------------------------------
// 5. JavaScript on the board page

type JsReport = {
  files: { url: string; bytes: number; gzip: number }[];
  gzip: number;
  raw: number;
  /** The page's inline scripts (route manifest, router state, serialized loader data): part of
   * the HTML document, so reported beside the total rather than in it. */
  inline: { bytes: number; gzip: number };
};

async function measureJavaScript(base: string): Promise<JsReport> {
  const html = await (await fetch(`${base}/`, { signal: AbortSignal.timeout(15_000) })).text();
  const found = new Set<string>();
  const add = (ref: string, from: string) => {
    const url = new URL(ref.replace(/&amp;/g, "&"), from);
    if (url.origin === new URL(base).origin) found.add(url.pathname + url.search);
  };
  const attribute = (tag: string, name: string) =>
    new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, "i")
      .exec(tag)
      ?.slice(1)
      .find((v) => v !== undefined);
  for (const [tag] of html.matchAll(/<script\b[^>]*>/gi)) {
    const src = attribute(tag, "src");
    if (src) add(src, `${base}/`);
  }
  for (const [tag] of html.matchAll(/<link\b[^>]*>/gi)) {
    const rel = attribute(tag, "rel")?.toLowerCase().split(/\s+/) ?? [];
    const href = attribute(tag, "href");
    if (
      href &&
      (rel.includes("modulepreload") || (rel.includes("preload") && /\.m?js\b/.test(href)))
    )
      add(href, `${base}/`);
  }
  const inline = Buffer.from(
    [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/gi)].map((m) => m[1]).join("\n"),
  );
  // Inline module scripts import the manifest, the route modules and (dynamically) the entry.
  for (const [, body] of html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/gi))
    for (const m of body.matchAll(
      /\bimport\s*(?:\(\s*)?(?:[\w*{}\s,$]+\bfrom\s*)?["']([^"']+\.m?js)["']/g,
    ))
      add(m[1], `${base}/`);
  // And every module's static imports, transitively (dynamic imports load later, on demand).
  const files: JsReport["files"] = [];
  const seen = new Set<string>();
  while (seen.size < found.size) {
    for (const url of [...found]) {
      if (seen.has(url)) continue;
      seen.add(url);
      const res = await fetch(base + url, { signal: AbortSignal.timeout(15_000) });
      if (!res.ok) throw new BenchFailure(`GET ${url} (referenced by /) answered ${res.status}`);
      const body = Buffer.from(await res.arrayBuffer());
      files.push({ url, bytes: body.length, gzip: zlib.gzipSync(body).length });
      const text = body.toString("utf8");
      for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*)["']([^"']+\.m?js)["']/g))
        add(m[1], base + url);
    }
  }
  files.sort((a, b) => b.gzip - a.gzip);
  return {
    files,
    gzip: files.reduce((n, f) => n + f.gzip, 0),
    raw: files.reduce((n, f) => n + f.bytes, 0),
    inline: { bytes: inline.length, gzip: inline.length ? zlib.gzipSync(inline).length : 0 },
  };
}

// ---------------------------------------------------------------------------------------------
// The staff request page's size (the demand view used to list every voting organization)

type PageSize = { path: string; bytes: number; gzip: number; organizations: number };

async function measureStaffPage(base: string, facts: Facts, cookie: string): Promise<PageSize> {
  const path = `/requests/${facts.mostVotedId}`;
  const res = await fetch(base + path, {
    headers: { ...HTML_HEADERS, cookie },
    signal: AbortSignal.timeout(15_000),
  });
  const body = Buffer.from(await res.arrayBuffer());
  const html = body.toString("utf8");
  if (!res.ok || !html.includes('id="demand"'))
    throw new BenchFailure(`GET ${path} as staff answered ${res.status} without the demand view`);
  return {
    path,
    bytes: body.length,
    gzip: zlib.gzipSync(body).length,
    organizations: (html.match(/href="\/orgs\//g) ?? []).length,
  };
}

// ---------------------------------------------------------------------------------------------
// Votes afterwards: counters exact, acknowledged votes present

/** At most this many ids in one IN list of the checks. */
const CHECK_BATCH = 500;

async function checkVotes(
  target: EngineUnderTest,
  facts: Facts,
  votes: VoteBook,
): Promise<{ ok: boolean; text: string }> {
  const db = openDatabase<any>(target.url, { poolSize: 1 });
  try {
    const touched = [...votes.touched];
    const wrong: string[] = [];
    /** "request:user" of every bench user's vote on a touched request. */
    const present = new Set<string>();
    const userIds = facts.benchUsers.map((u) => u.id);
    for (let from = 0; from < touched.length; from += CHECK_BATCH) {
      const ids = touched.slice(from, from + CHECK_BATCH);
      const { rows } = await sql<{
        id: number;
        vote_count: number;
        org_count: number;
        votes: number;
        orgs: number;
      }>`select r.id, r.vote_count, r.org_count,
           (select count(*) from votes v where v.request_id = r.id) as votes,
           (select count(distinct org_id) from votes v where v.request_id = r.id) as orgs
         from requests r where r.id in (${sql.join(ids)})`.execute(db);
      for (const c of rows)
        if (Number(c.vote_count) !== Number(c.votes) || Number(c.org_count) !== Number(c.orgs))
          wrong.push(
            `#${c.id}: counters ${c.vote_count}/${c.org_count}, rows ${c.votes}/${c.orgs}`,
          );
      const cast = await db
        .selectFrom("votes")
        .select(["request_id", "user_id"])
        .where("request_id", "in", ids)
        .where("user_id", "in", userIds)
        .execute();
      for (const v of cast) present.add(`${v.request_id}:${v.user_id}`);
    }
    let lost = 0;
    for (const [key, voted] of votes.acknowledged) {
      const [user, id] = key.split(":").map(Number);
      if (present.has(`${id}:${facts.benchUsers[user].id}`) !== voted) lost++;
    }
    const text =
      `${votes.touched.size} requests' vote and organization counters checked against their vote rows` +
      (wrong.length ? `: ${wrong.length} WRONG (${wrong.slice(0, 3).join("; ")})` : ": all exact") +
      `; ${votes.acknowledged.size} acknowledged final vote states checked` +
      (lost ? `: ${lost} NOT in the database` : ": all in the database") +
      (votes.uncertain.size
        ? ` (${votes.uncertain.size} unanswered at the end of a run skipped)`
        : "");
    return { ok: wrong.length === 0 && lost === 0, text };
  } finally {
    await db.destroy();
  }
}

// ---------------------------------------------------------------------------------------------
// 6. Report

const ms = (v: number | undefined) =>
  v === undefined || Number.isNaN(v) ? "–" : v < 10 ? v.toFixed(2) : v.toFixed(1);
const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;

function judge(outcome: Outcome) {
  const target = outcome.scenario.target;
  if (!target || outcome.failure) return;
  if (target.kind === "p95" && outcome.single) {
    const value = outcome.single.p95;
    outcome.verdict = {
      pass: value < target.ms,
      value,
      text: `p95 ${ms(value)} ms over one connection, target < ${target.ms} ms`,
    };
  } else if (target.kind === "rps" && outcome.load) {
    const value = outcome.load.rps;
    outcome.verdict = {
      pass: value > target.min,
      value,
      text: `${value.toFixed(0)}/s, target > ${target.min}/s`,
    };
  }
}

function missText(outcome: Outcome): string | null {
  const t = outcome.scenario.target;
  const v = outcome.verdict;
  if (!t || !v || v.pass) return null;
  if (t.kind === "p95")
    return `${outcome.scenario.title}: p95 ${ms(v.value)} ms over one connection against < ${t.ms} ms (${((v.value / t.ms - 1) * 100).toFixed(0)}% over)`;
  if (t.kind === "rps")
    return `${outcome.scenario.title}: ${v.value.toFixed(0)} ${outcome.scenario.key === "pledge" ? "pledges" : "votes"}/s against > ${t.min}/s (${((1 - v.value / t.min) * 100).toFixed(0)}% short)`;
  return null;
}

type Row = string[];
function rows(outcomes: Outcome[], js: JsReport | null, jsFailure: string | null): Row[] {
  const out: Row[] = [];
  const floor = outcomes.find((o) => o.scenario.key === "floor" && !o.failure)?.load?.rps;
  for (const o of outcomes) {
    const l = o.load;
    const s = o.single;
    const bad = l
      ? l.non2xx + l.errors + l.mismatches + (s ? s.non2xx + s.errors + s.mismatches : 0)
      : 0;
    out.push([
      o.scenario.title,
      l ? `${l.rps.toFixed(0)}` : "–",
      l && floor ? `${(l.rps / floor).toFixed(2)}×` : "–",
      ms(l?.p50),
      ms(l?.p95),
      ms(l?.p99),
      s ? `${ms(s.p50)} / ${ms(s.p95)} / ${ms(s.p99)}` : "–",
      l?.serverCpuMs != null
        ? ms(l.serverCpuMs)
        : s?.serverCpuMs != null
          ? ms(s.serverCpuMs) // a model call: this process's CPU per call
          : "–",
      [l, s]
        .filter((p): p is Phase => p !== undefined)
        .map((p) => (p.otherCpu !== null ? `${(p.otherCpu * 100).toFixed(0)}%` : "–"))
        .join(" / ") || "–",
      o.failure ? "FAILED" : String(bad),
      o.scenario.target?.label ?? "–",
      o.failure ? `FAILED: ${o.failure}` : o.verdict ? (o.verdict.pass ? "pass" : "MISS") : "–",
    ]);
  }
  if (!js && !jsFailure) return out;
  out.push([
    "JavaScript on the board page",
    "–",
    "–",
    "–",
    "–",
    "–",
    "–",
    "–",
    "–",
    jsFailure ? "FAILED" : "0",
    "< 120 kB gzipped",
    jsFailure
      ? `FAILED: ${jsFailure}`
      : js
        ? `${js.gzip < 120_000 ? "pass" : "MISS"}: ${kB(js.gzip)} gzipped (${js.files.length} files, ${kB(js.raw)} raw; ` +
          `inline scripts in the HTML ${kB(js.inline.gzip)} more)`
        : "–",
  ]);
  return out;
}

const HEADER: Row = [
  "scenario",
  "req/s",
  "× floor",
  "p50",
  "p95",
  "p99",
  "1 conn p50 / p95 / p99",
  "server CPU ms/req",
  "other CPU (load / 1 conn)",
  "errors",
  "target",
  "result",
];

function consoleTable(body: Row[], header: Row = HEADER): string {
  const all = [header, ...body];
  const widths = header.map((_, i) => Math.max(...all.map((r) => [...r[i]].length)));
  const line = (r: Row) =>
    r
      .map((c, i) =>
        i === 0 || i >= 10 || header !== HEADER ? c.padEnd(widths[i]) : c.padStart(widths[i]),
      )
      .join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(line)].join("\n");
}

function markdownTable(body: Row[]): string {
  return markdownRows(HEADER, body, (i) => i === 0 || i >= 10);
}

function machine(facts: Facts) {
  const cpus = os.cpus();
  const pkg = (name: string) =>
    (
      JSON.parse(
        fs.readFileSync(path.join(ROOT, "node_modules", name, "package.json"), "utf8"),
      ) as {
        version: string;
      }
    ).version;
  return [
    `${cpus[0]?.model.trim() ?? "unknown CPU"}, ${cpus.length} cores, ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB memory`,
    `${os.type()} ${os.release()} (${os.arch()}), Node ${process.version}, SQLite ${facts.sqliteVersion} (better-sqlite3 ${pkg("better-sqlite3")}), autocannon ${pkg("autocannon")}`,
  ];
}

const BEGIN = "<!-- bench:begin (written by `npm run bench`; edit outside these markers) -->";
const END = "<!-- bench:end -->";

/** Everything measured on one engine. */
type EngineResult = {
  target: EngineUnderTest;
  outcomes: Outcome[];
  js: JsReport | null;
  jsFailure: string | null;
  voteCheck: { ok: boolean; text: string } | null;
  restarts: number;
  staffPageSize: PageSize | null;
  /** The load average when this engine's measurements began. */
  startLoad: number;
  /** The share of its measurements' wall time that tasks waited on the disk (null: unknown). */
  diskStall: number | null;
};

type LimitReport = { results: { name: string; rps: number; errors: number }[] };

/**
 * Runs the physical-limit bench (its own server and data, in its own folder) and reads its
 * report; a failure of it is reported and the rest of the run goes on without ratios.
 */
async function runLimitBench(script: string): Promise<LimitReport | null> {
  const out = path.join(ROOT, "data/bench/limit.json");
  log(`limit: running ${script}`);
  try {
    await run("bash", [script], 15 * 60_000, { OUT: out, DURATION: String(LOAD_SECONDS) }, true);
    const report = JSON.parse(fs.readFileSync(out, "utf8")) as LimitReport;
    log("limit: " + report.results.map((r) => `${r.name} ${r.rps.toFixed(0)} req/s`).join(", "));
    return report;
  } catch (error) {
    log(`limit: FAILED, no ratios in this run: ${describe(error)}`);
    return null;
  }
}

/** Which limit scenario each of ours is compared with. */
const LIMIT_COUNTERPARTS: [key: string, limit: string][] = [
  ["floor", "board"],
  ["board", "board"],
  ["board-signed-in", "board"],
  ["board-status", "board_status"],
  ["request", "request_popular"],
  ["request-staff", "request_popular"],
  ["vote", "vote_toggle"],
  ["vote-wc2", "vote_toggle"],
];

function limitRows(results: EngineResult[], limit: LimitReport) {
  const header: Row = ["scenario", "limit's", "engine", "req/s", "limit req/s", "ratio"];
  const body: Row[] = [];
  for (const [key, name] of LIMIT_COUNTERPARTS) {
    const theirs = limit.results.find((r) => r.name === name);
    for (const r of results) {
      const ours = r.outcomes.find((o) => o.scenario.key === key && !o.failure)?.load;
      if (!ours || !theirs) continue;
      const title = r.outcomes.find((o) => o.scenario.key === key)!.scenario.title;
      body.push([
        title,
        name,
        ENGINE_LABEL[r.target.engine],
        ours.rps.toFixed(0),
        theirs.rps.toFixed(0),
        `${((ours.rps / theirs.rps) * 100).toFixed(1)}%`,
      ]);
    }
  }
  return { header, body };
}

/** One scenario's figure that its target is judged on, with the verdict, for the side-by-side table. */
function headline(o: Outcome | undefined): string {
  if (!o) return "–";
  if (o.failure) return "FAILED";
  const verdict = o.verdict ? ` (${o.verdict.pass ? "pass" : "MISS"})` : "";
  if (o.scenario.target?.kind === "rps" && o.load) return `${o.load.rps.toFixed(0)}/s${verdict}`;
  if (o.single) {
    const http = o.load && !MODEL_KEYS.includes(o.scenario.key);
    return `p95 ${ms(o.single.p95)} ms${verdict}${http ? `; ${o.load!.rps.toFixed(0)} req/s` : ""}`;
  }
  return o.load ? `${o.load.rps.toFixed(0)} req/s` : "–";
}

/** Every scenario measured, one column per engine (a missing one: "–"). */
function comparisonRows(results: EngineResult[]): { header: Row; body: Row[] } {
  const keys: string[] = [];
  const titles = new Map<string, Outcome>();
  for (const r of results)
    for (const o of r.outcomes)
      if (!titles.has(o.scenario.key)) {
        keys.push(o.scenario.key);
        titles.set(o.scenario.key, o);
      }
  const body = keys.map((key) => {
    const o = titles.get(key)!;
    return [
      o.scenario.title,
      o.scenario.target?.label ?? "–",
      ...results.map((r) => headline(r.outcomes.find((x) => x.scenario.key === key))),
    ];
  });
  if (results.some((r) => r.js || r.jsFailure))
    body.push([
      "JavaScript on the board page",
      "< 120 kB gzipped",
      ...results.map((r) =>
        r.jsFailure
          ? "FAILED"
          : r.js
            ? `${kB(r.js.gzip)}${r.js.gzip < 120_000 ? " (pass)" : " (MISS)"}`
            : "–",
      ),
    ]);
  return {
    header: ["scenario", "target", ...results.map((r) => ENGINE_LABEL[r.target.engine])],
    body,
  };
}

/**
 * Issue 14's bar for several processes: votes on PostgreSQL with WEB_CONCURRENCY=2 at least
 * SQLite's single process of the same run (10 connections each). Null unless both were measured.
 */
function concurrencyVerdict(results: EngineResult[]): string | null {
  const rate = (engine: Engine, key: string) => {
    const o = results
      .find((r) => r.target.engine === engine)
      ?.outcomes.find((x) => x.scenario.key === key);
    return o?.load && !o.failure ? o.load.rps : undefined;
  };
  const sqliteOne = rate("sqlite", "vote");
  const postgresTwo = rate("postgres", "vote-wc2");
  if (sqliteOne === undefined || postgresTwo === undefined) return null;
  const others = [
    ["SQLite with WEB_CONCURRENCY=2", rate("sqlite", "vote-wc2")],
    ["PostgreSQL in one process", rate("postgres", "vote")],
  ] as const;
  const extra = others
    .filter(([, v]) => v !== undefined)
    .map(([label, v]) => `${label}: ${v!.toFixed(0)}/s`);
  return (
    `Votes with several processes (10 connections): PostgreSQL with WEB_CONCURRENCY=2 ` +
    `${postgresTwo.toFixed(0)}/s against SQLite's single process ${sqliteOne.toFixed(0)}/s: ` +
    `${postgresTwo >= sqliteOne ? "at least as many (met)" : "fewer (NOT met)"}` +
    (extra.length ? ` (${extra.join("; ")})` : "") +
    "."
  );
}

function markdownRows(header: Row, body: Row[], leftColumns: (i: number) => boolean): string {
  const escape = (c: string) => c.replace(/\|/g, "\\|");
  return [
    `| ${header.join(" | ")} |`,
    `| ${header.map((_, i) => (leftColumns(i) ? "---" : "---:")).join(" | ")} |`,
    ...body.map((r) => `| ${r.map(escape).join(" | ")} |`),
  ].join("\n");
}

/** One engine's part of the page: its table, the vote check, the misses and the failures. */
function engineSection(result: EngineResult, headed: boolean): string[] {
  const { target, outcomes, js, jsFailure, voteCheck, restarts, staffPageSize } = result;
  const misses = outcomes.map(missText).filter((m): m is string => m !== null);
  if (js && js.gzip >= 120_000)
    misses.push(
      `JavaScript on the board page: ${kB(js.gzip)} gzipped against < 120 kB (${kB(js.gzip - 120_000)} over)`,
    );
  const failures = outcomes
    .filter((o) => o.failure)
    .map((o) => `${o.scenario.title}: ${o.failure}`);
  if (jsFailure) failures.push(`JavaScript on the board page: ${jsFailure}`);
  return [
    ...(headed ? [`### ${ENGINE_LABEL[target.engine]}`, ""] : []),
    `${target.description}. Load average when its measurements began: ${result.startLoad.toFixed(2)}` +
      (result.diskStall === null
        ? "."
        : `; some task waited on the disk ${(result.diskStall * 100).toFixed(0)}% of the time while they ran (/proc/pressure/io).`),
    "",
    markdownTable(rows(outcomes, js, jsFailure)),
    "",
    ...(voteCheck ? [`Votes afterwards: ${voteCheck.text}.`, ""] : []),
    ...(staffPageSize
      ? [
          `The staff request page \`${staffPageSize.path}\` (the most-voted request): ` +
            `${staffPageSize.bytes.toLocaleString("en")} bytes of HTML, ` +
            `${staffPageSize.gzip.toLocaleString("en")} gzipped, listing ${staffPageSize.organizations} organizations.`,
          "",
        ]
      : []),
    ...(restarts
      ? [
          `Something outside the bench stopped the server ${restarts} time(s) during this run; ` +
            "it was started again and the interrupted scenario repeated.",
          "",
        ]
      : []),
    misses.length
      ? `Targets missed:\n\n${misses.map((m) => `- ${m}`).join("\n")}`
      : "Every target was met.",
    "",
    ...(failures.length ? [`Failures:\n\n${failures.map((f) => `- ${f}`).join("\n")}`, ""] : []),
  ];
}

async function writeDoc(
  facts: Facts,
  results: EngineResult[],
  file = DOC_FILE,
  ratios: { header: Row; body: Row[] } | null = null,
) {
  const [hardware, software] = machine(facts);
  const both = results.length > 1;
  const js = results.find((r) => r.js)?.js ?? null;
  const comparison = both ? comparisonRows(results) : null;
  const verdict = concurrencyVerdict(results);
  const generated = [
    BEGIN,
    "",
    `Measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC on ${hardware}; ${software}.`,
    "",
    `Data set: ${facts.requests.toLocaleString("en")} requests, ${facts.votes.toLocaleString("en")} votes, ` +
      `${facts.users.toLocaleString("en")} users in ${facts.organizations.toLocaleString("en")} organizations, ` +
      `${facts.comments.toLocaleString("en")} comments (${facts.fileMiB.toFixed(0)} MiB of SQLite` +
      (results.some((r) => r.target.engine === "postgres")
        ? "; PostgreSQL gets a copy of the same file, ids kept, analyzed before the run"
        : "") +
      ").",
    "",
    `Each scenario: ${WARMUP_SECONDS} s warm-up, ${LOAD_SECONDS} s under load (10 connections; votes also 50, ` +
      `and both again against the server with WEB_CONCURRENCY=2), ` +
      `then ${SINGLE_SECONDS} s over one connection. req/s and p50/p95/p99 are of the load run; latencies are every ` +
      "response's, in milliseconds, exact percentiles; " +
      '"errors" counts non-2xx answers, connection errors and timeouts, and 2xx answers with the wrong content, in all runs. ' +
      '"server CPU ms/req" is the CPU time during the load run of the server process, its workers and (PostgreSQL) ' +
      "the database server's processes, divided by the responses: the work one request costs, whatever else ran. " +
      '"other CPU" is the share of the machine\'s CPU time that other processes ' +
      "used meanwhile (during the load run / the one-connection run): when it is high, " +
      "latencies and throughput are understated.",
    "",
    ...(comparison
      ? [
          "### Side by side",
          "",
          "The figure each target is judged on (latency: p95 over one connection, with the req/s under load; " +
            "throughput: under load), per engine; the tables below have the rest.",
          "",
          markdownRows(comparison.header, comparison.body, (i) => i < 2),
          "",
        ]
      : []),
    ...(verdict ? [verdict, ""] : []),
    ...(ratios
      ? [
          "### Ratios to the physical limit",
          "",
          "`../shared/tools/limit-bench/run.sh` (a plain `node:http` + better-sqlite3 server over the same shape " +
            "of data, no framework), run just before the engines: each scenario's req/s under load over the " +
            "limit's for the same kind of page.",
          "",
          markdownRows(ratios.header, ratios.body, (i) => i < 3),
          "",
        ]
      : []),
    ...results.flatMap((r) => engineSection(r, both)),
    ...(js
      ? [
          `<details><summary>JavaScript the board page loads (${js.files.length} files; ` +
            `inline scripts: ${js.inline.bytes} bytes, ${js.inline.gzip} gzipped)</summary>`,
          "",
          "| file | bytes | gzipped |",
          "| --- | ---: | ---: |",
          ...js.files.map((f) => `| \`${f.url}\` | ${f.bytes} | ${f.gzip} |`),
          "",
          "</details>",
          "",
        ]
      : []),
    END,
  ].join("\n");

  let doc = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
  const from = doc.indexOf(BEGIN);
  const to = doc.indexOf(END);
  if (from >= 0 && to > from) doc = doc.slice(0, from) + generated + doc.slice(to + END.length);
  else doc = `${defaultDoc(results[0].outcomes)}\n${generated}\n`;
  try {
    // The repository checks formatting (`npm run format:check`): write what Prettier would.
    const prettier = await import("prettier");
    const options = await prettier.resolveConfig(DOC_FILE);
    doc = await prettier.format(doc, { ...options, filepath: DOC_FILE });
  } catch (error) {
    log(`could not format ${path.relative(ROOT, file)} with Prettier: ${describe(error)}`);
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, doc);
}

function defaultDoc(outcomes: Outcome[]): string {
  return [
    "# Benchmarks",
    "",
    "`npm run bench` measures the performance targets of the design over HTTP against the production",
    "build and writes the section between the markers below. Run it on an otherwise idle machine.",
    "",
    "## Scenarios",
    "",
    ...outcomes.map((o) => `- **${o.scenario.title}**: ${o.scenario.what}`),
    "- **JavaScript on the board page**: every script the page references, gzipped.",
    "",
    "## Results",
    "",
  ].join("\n");
}

// ---------------------------------------------------------------------------------------------

async function runScenario(base: string, scenario: Scenario): Promise<Outcome> {
  const outcome: Outcome = { scenario };
  const failure = await probe(base, scenario);
  if (failure) {
    outcome.failure = failure;
    log(`${scenario.title}: FAILED: ${failure}`);
    return outcome;
  }
  try {
    await measure(base, scenario, scenario.connections, WARMUP_SECONDS);
    outcome.load = await measure(base, scenario, scenario.connections, LOAD_SECONDS);
    if (scenario.single) outcome.single = await measure(base, scenario, 1, SINGLE_SECONDS);
  } catch (error) {
    outcome.failure = `the load generator failed: ${describe(error)}`;
    log(`${scenario.title}: FAILED: ${outcome.failure}`);
    return outcome;
  }
  const phases = [outcome.load, outcome.single].filter((p): p is Phase => p !== undefined);
  const bad = phases.reduce((n, p) => n + p.non2xx + p.errors + p.mismatches, 0);
  if (bad) {
    const detail = phases
      .map(
        (p) =>
          `${p.connections} conn: statuses ${JSON.stringify(p.statuses)}, ${p.errors} connection errors, ` +
          `${p.mismatches} wrong bodies${p.sample ? `, e.g. ${p.sample.replace(/\s+/g, " ").slice(0, 120)}` : ""}`,
      )
      .join("; ");
    outcome.failure = `${bad} errors (${detail})`;
  }
  judge(outcome);
  const l = outcome.load;
  log(
    `${scenario.title}: ${l.rps.toFixed(0)} req/s, p50 ${ms(l.p50)} p95 ${ms(l.p95)} p99 ${ms(l.p99)} ms` +
      (outcome.single ? `; 1 conn p95 ${ms(outcome.single.p95)} ms` : "") +
      (l.serverCpuMs !== null ? `; server CPU ${ms(l.serverCpuMs)} ms/req` : "") +
      (l.otherCpu !== null
        ? `; other processes ${(l.otherCpu * 100).toFixed(0)}%` +
          (outcome.single?.otherCpu != null
            ? ` / ${(outcome.single.otherCpu * 100).toFixed(0)}%`
            : "") +
          " CPU"
        : "") +
      (outcome.failure ? `; FAILED: ${outcome.failure}` : "") +
      (outcome.verdict
        ? `; ${outcome.verdict.pass ? "pass" : "MISS"} (${outcome.verdict.text})`
        : ""),
  );
  return outcome;
}

async function main(): Promise<number> {
  if (MODEL_CHILD_OUT) return runModelChild(MODEL_CHILD_OUT);
  // A run of model scenarios only (`--only=triage-queue,merge`) needs no build and no server.
  const httpWanted = !ONLY || ONLY.some((key) => !MODEL_KEYS.includes(key));
  const modelsWanted = !ONLY || ONLY.some((key) => MODEL_KEYS.includes(key));
  if (httpWanted) {
    log("building (npm run build)");
    await build();
  }
  await ensureData();

  const facts = readFacts();
  if (facts.benchUsers.length === 0) throw new BenchFailure("the data set has no bench users");
  log(
    `data: ${facts.requests} requests, ${facts.votes} votes, ${facts.users} users, ` +
      `${facts.organizations} organizations, ${facts.comments} comments`,
  );
  // Every engine's copy is made before any run writes to the file.
  const targets: EngineUnderTest[] = [];
  for (const engine of ENGINES)
    targets.push(
      engine === "sqlite"
        ? {
            engine,
            url: DATA_FILE,
            description: `SQLite ${facts.sqliteVersion} (a file of ${facts.fileMiB.toFixed(0)} MiB, WAL, in the server process)`,
          }
        : await preparePostgres(),
    );

  // The yardstick first, on a quiet machine, as every engine is measured after it.
  const limit = LIMIT_SCRIPT ? await runLimitBench(LIMIT_SCRIPT) : null;

  const results: EngineResult[] = [];
  for (const target of targets) {
    log(`${ENGINE_LABEL[target.engine]}: ${target.description}`);
    // The other engine's copy and prewarm may have pushed the file out of the page cache: read
    // it through, as PostgreSQL's tables were, so both engines start measured from memory.
    if (target.engine === "sqlite")
      log(`SQLite: read ${warmFile(DATA_FILE)} MiB into the page cache`);
    databasePid = target.databasePid;
    const watchdog = setTimeout(() => {
      console.error(
        `bench: FAILED: ${ENGINE_LABEL[target.engine]} took over ${RUN_LIMIT_MS / 60_000} minutes; stopping`,
      );
      void stopAll().finally(() => process.exit(1));
    }, RUN_LIMIT_MS);
    const result: EngineResult = {
      target,
      outcomes: [],
      js: null,
      jsFailure: null,
      voteCheck: null,
      restarts: 0,
      staffPageSize: null,
      startLoad: os.loadavg()[0],
      diskStall: null,
    };
    const stallBefore = diskStallMicros();
    const startedAt = performance.now();
    if (httpWanted) Object.assign(result, await runHttpScenarios(target, facts, result.outcomes));
    // The model calls run after the server has stopped, so that nothing else uses the data.
    if (modelsWanted) result.outcomes.push(...(await runModelScenarios(target)));
    const stallAfter = diskStallMicros();
    if (stallBefore !== null && stallAfter !== null)
      result.diskStall = (stallAfter - stallBefore) / 1000 / (performance.now() - startedAt);
    clearTimeout(watchdog);
    results.push(result);
  }

  for (const r of results) {
    console.log(
      `\n${ENGINE_LABEL[r.target.engine]}\n\n${consoleTable(rows(r.outcomes, r.js, r.jsFailure))}`,
    );
    for (const miss of r.outcomes.map(missText).filter((m): m is string => m !== null))
      console.log(`target missed (${ENGINE_LABEL[r.target.engine]}): ${miss}`);
  }
  if (results.length > 1) {
    const { header, body } = comparisonRows(results);
    console.log(`\nSide by side\n\n${consoleTable(body, header)}`);
  }
  console.log(
    "\np50/p95/p99 under load are with 10 connections (votes: as named) from a load generator on the same cores;\n" +
      "the latency targets are judged on the one-connection p95 (server time plus the loopback hop);\n" +
      "model calls are timed in a child process, their figures in the one-connection column.",
  );
  const verdict = concurrencyVerdict(results);
  if (verdict) console.log(verdict);
  const ratios = limit ? limitRows(results, limit) : null;
  if (ratios)
    console.log(
      `\nRatios to the physical limit (${LIMIT_SCRIPT}, in this run)\n\n${consoleTable(ratios.body, ratios.header)}`,
    );
  if (WRITE_DOC) {
    await writeDoc(facts, results, DOC_FILE, ratios);
    log(`wrote ${path.relative(ROOT, DOC_FILE)}`);
  } else log("partial run: docs/benchmarks.md left as it was");

  let failed = 0;
  for (const r of results) {
    const label = ENGINE_LABEL[r.target.engine];
    const n = r.outcomes.filter((o) => o.failure).length + (r.jsFailure ? 1 : 0);
    if (r.voteCheck && !r.voteCheck.ok)
      console.error(`bench: FAILED (${label}): vote counters or votes are wrong`);
    if (n) console.error(`bench: FAILED (${label}): ${n} scenario(s) failed (see above)`);
    failed += n + (r.voteCheck && !r.voteCheck.ok ? 1 : 0);
  }
  return failed ? 1 : 0;
}

/** The HTTP part on one engine: the server, its scenarios, the JavaScript, the vote check; stops the server. */
async function runHttpScenarios(target: EngineUnderTest, facts: Facts, outcomes: Outcome[]) {
  let workers = 1;
  let server = await startServer(target, workers);
  serverPid = server.child.pid;
  log(`server: ${server.base} (log in ${path.relative(ROOT, SERVER_LOG)})`);
  const cookies: string[] = [];
  for (const user of facts.benchUsers) cookies.push(await signIn(server.base, user.email));
  log(`signed in ${cookies.length} bench users`);
  const staffCookie = facts.staffUser ? await signIn(server.base, facts.staffUser.email) : null;
  let staffPageSize: PageSize | null = null;
  if (staffCookie && (!ONLY || ONLY.includes("request-staff"))) {
    staffPageSize = await measureStaffPage(server.base, facts, staffCookie);
    log(
      `staff request page ${staffPageSize.path}: ${staffPageSize.bytes} bytes, ${staffPageSize.gzip} gzipped, ` +
        `${staffPageSize.organizations} organizations listed`,
    );
  }

  // This machine is shared: if something else stops the server (a clean exit on a signal), start
  // it again and repeat the scenario it was in, a few times at most. A crash is a failure.
  const MAX_RESTARTS = 3;
  let restarts = 0;
  async function ensureServer() {
    if (!serverExit) return;
    if (!serverStoppedFromOutside || restarts >= MAX_RESTARTS) throw new BenchFailure(serverExit);
    restarts++;
    log(
      `${serverExit.split("\n")[0].replace(/:$/, "")}; starting it again (${restarts} of ${MAX_RESTARTS})`,
    );
    server = await startServer(target, workers);
    serverPid = server.child.pid;
  }

  let js: JsReport | null = null;
  let jsFailure: string | null = null;
  if (!ONLY || ONLY.includes("js")) {
    try {
      js = await measureJavaScript(server.base);
      log(`JavaScript on /: ${kB(js.gzip)} gzipped in ${js.files.length} files`);
    } catch (error) {
      jsFailure = describe(error);
      log(`JavaScript on /: FAILED: ${jsFailure}`);
    }
  }

  const votes = new VoteBook();
  for (const scenario of scenarios(facts, cookies, votes, staffCookie)) {
    if (ONLY && !ONLY.includes(scenario.key)) continue;
    if ((scenario.workers ?? 1) !== workers) {
      // The session cookies outlive the restart: the secret is the run's.
      await ensureServer();
      await retireServer(server.child);
      workers = scenario.workers ?? 1;
      server = await startServer(target, workers);
      serverPid = server.child.pid;
      log(`server: ${server.base} with WEB_CONCURRENCY=${workers}`);
    }
    for (let attempt = 1; ; attempt++) {
      await ensureServer();
      const outcome = await runScenario(server.base, scenario);
      if (serverExit && serverStoppedFromOutside && attempt < 2) {
        log(`${scenario.title}: the server was stopped during the run; running it again`);
        continue;
      }
      outcomes.push(outcome);
      break;
    }
  }
  if (restarts) log(`the server was stopped from outside ${restarts} time(s) and started again`);

  let voteCheck: { ok: boolean; text: string } | null = null;
  if (votes.touched.size) {
    await new Promise((r) => setTimeout(r, 300)); // let the last unanswered writes land
    voteCheck = await checkVotes(target, facts, votes);
    log(`votes: ${voteCheck.text}`);
  }

  await retireServer(server.child);
  return { js, jsFailure, voteCheck, restarts, staffPageSize };
}

main()
  .then(async (code) => {
    await stopAll();
    process.exit(code);
  })
  .catch(async (error: unknown) => {
    console.error(
      `bench: FAILED: ${error instanceof BenchFailure ? error.message : error instanceof Error ? `${describe(error)}\n${error.stack ?? ""}` : String(error)}`,
    );
    if (serverExit && !(error instanceof Error && error.message === serverExit))
      console.error(`bench: ${serverExit}`);
    await stopAll();
    process.exit(1);
  });
