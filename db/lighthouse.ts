// `npm run bench:lighthouse` (`tsx db/lighthouse.ts`): Lighthouse's phone profile on the pages a
// visitor meets first, kept in docs/benchmarks.md beside the HTTP benchmark.
//
// 1. serves the production build that is already there (it builds nothing: `npm run build`
//    first) on a fresh database with the demo data, exactly as the browser tests do
//    (tests/support/server.ts);
// 2. starts Chromium (CHROME_PATH, /usr/bin/chromium unless set) headless with remote debugging;
// 3. runs Lighthouse's default configuration (a phone: emulated Moto G Power screen, simulated
//    slow 4G and a 4× slower CPU) on the board, a request page, sign-in, the roadmap and the
//    announcements, signed out, in Hebrew, several times each, and takes the median of every
//    figure;
// 4. prints the table and writes it to docs/benchmarks.md between the lighthouse markers (text
//    outside them is kept); the full reports go to data/lighthouse/.
//
// Exits non-zero on a real failure only (no build, the server or Chromium failing, a page that
// does not load), not on a missed target; a run whose trace Lighthouse could not record (it
// happens on a busy machine) is taken again.
//
// Lighthouse is found through LIGHTHOUSE_MODULE (a path to its core/index.js) when set, else as
// the `lighthouse` package. Options: --runs=3 (per page), --only=<keys> (board, request, signin,
// roadmap, announcements: a partial run does not write the doc), --no-doc.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import Database from "better-sqlite3";
import { startServer, type TestServer } from "../tests/support/server";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const DOC_FILE = path.join(ROOT, "docs/benchmarks.md");
const REPORT_DIR = path.join(ROOT, "data/lighthouse");
const CHROME_PATH = process.env.CHROME_PATH || "/usr/bin/chromium";
const CHROME_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];
const EXPECTED_VERSION = "12.8.2";
const TARGETS = { performance: 95, cls: 0.05 };

const args = process.argv.slice(2);
const option = (name: string) =>
  args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const RUNS = Number(option("runs") ?? 3);
const ONLY = option("only")?.split(",");
const WRITE_DOC = !args.includes("--no-doc") && !ONLY;
if (!(Number.isInteger(RUNS) && RUNS >= 1 && RUNS <= 9)) throw new Error("--runs must be 1–9");

const started = performance.now();
function log(message: string) {
  const s = ((performance.now() - started) / 1000).toFixed(1).padStart(6);
  console.log(`[${s} s] ${message}`);
}

class LighthouseFailure extends Error {}

// ---------------------------------------------------------------------------------------------
// Lighthouse, typed by the little of it used here (its own types come with the package).

type Lhr = {
  lighthouseVersion: string;
  runtimeError?: { code: string; message: string };
  runWarnings: string[];
  categories: Record<Category, { score: number | null }>;
  audits: Record<string, { numericValue?: number }>;
};
type RunLighthouse = (
  url: string,
  flags: Record<string, unknown>,
) => Promise<{ lhr: Lhr; report: string | string[] } | undefined>;

async function loadLighthouse(): Promise<RunLighthouse> {
  const override = process.env.LIGHTHOUSE_MODULE;
  const specifier = override ? pathToFileURL(path.resolve(override)).href : "lighthouse";
  try {
    const module = (await import(specifier)) as { default: RunLighthouse };
    return module.default;
  } catch (error) {
    throw new LighthouseFailure(
      `cannot load Lighthouse from ${override ?? "the lighthouse package"} (install lighthouse@${EXPECTED_VERSION}, ` +
        `or set LIGHTHOUSE_MODULE to its core/index.js): ${error instanceof Error ? error.message : error}`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Chromium and the server, stopped however we leave.

let chrome: ChildProcess | undefined;
let server: TestServer | undefined;

async function stopAll() {
  if (chrome && chrome.exitCode === null && chrome.signalCode === null) {
    const exited = new Promise((resolve) => chrome!.once("exit", resolve));
    chrome.kill("SIGTERM");
    setTimeout(() => chrome?.kill("SIGKILL"), 3000).unref();
    await exited;
  }
  if (server) {
    await server.stop();
    fs.rmSync(server.dir, { recursive: true, force: true });
    server = undefined;
  }
}
process.on("exit", () => chrome?.kill("SIGKILL"));
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    console.error(`\nlighthouse: ${signal}, stopping the server and Chromium`);
    void stopAll().finally(() => process.exit(130));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Starts Chromium with remote debugging; answers its port and its version ("HeadlessChrome/…"). */
async function startChrome(profileDir: string): Promise<{ port: number; version: string }> {
  const port = await freePort();
  let output = "";
  chrome = spawn(
    CHROME_PATH,
    [...CHROME_FLAGS, `--remote-debugging-port=${port}`, `--user-data-dir=${profileDir}`],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  chrome.stderr?.on("data", (d) => (output = (output + d).slice(-4000)));
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (chrome.exitCode !== null || chrome.signalCode !== null)
      throw new LighthouseFailure(`${CHROME_PATH} exited while starting:\n${output}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/json/version`);
      if (response.ok)
        return { port, version: ((await response.json()) as { Browser: string }).Browser };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new LighthouseFailure(`${CHROME_PATH} did not open its debugging port:\n${output}`);
}

// ---------------------------------------------------------------------------------------------
// Pages and measurements

type Category = "performance" | "accessibility" | "best-practices" | "seo";
const CATEGORIES: Category[] = ["performance", "accessibility", "best-practices", "seo"];

type Page = { key: string; title: string; path: string };

/** The open request with the longest discussion: the request page at its heaviest. */
function requestPath(databaseFile: string): string {
  const db = new Database(databaseFile, { readonly: true });
  try {
    const row = db
      .prepare(
        "select id from requests where status = 'open' order by comment_count desc, vote_count desc, id limit 1",
      )
      .get() as { id: number } | undefined;
    if (!row) throw new LighthouseFailure("the demo data has no open request");
    return `/requests/${row.id}`;
  } finally {
    db.close();
  }
}

function pages(databaseFile: string): Page[] {
  const request = requestPath(databaseFile);
  return [
    { key: "board", title: "board `/`", path: "/" },
    { key: "request", title: `request page \`${request}\``, path: request },
    { key: "signin", title: "sign-in `/signin`", path: "/signin" },
    { key: "roadmap", title: "roadmap `/roadmap`", path: "/roadmap" },
    { key: "announcements", title: "announcements `/announcements`", path: "/announcements" },
  ];
}

type Run = Record<Category, number> & { lcp: number; cls: number; tbt: number };
type Result = { page: Page; runs: Run[]; median: Run; warnings: string[] };

function figuresOf(lhr: Lhr): Run {
  const score = (category: Category) => Math.round((lhr.categories[category].score ?? 0) * 100);
  const audit = (id: string) => lhr.audits[id]?.numericValue ?? NaN;
  return {
    performance: score("performance"),
    accessibility: score("accessibility"),
    "best-practices": score("best-practices"),
    seo: score("seo"),
    lcp: audit("largest-contentful-paint"),
    cls: audit("cumulative-layout-shift"),
    tbt: audit("total-blocking-time"),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function medianRun(runs: Run[]): Run {
  const keys = Object.keys(runs[0]) as (keyof Run)[];
  return Object.fromEntries(keys.map((key) => [key, median(runs.map((r) => r[key]))])) as Run;
}

let lighthouseVersion = "";

async function measure(
  lighthouse: RunLighthouse,
  port: number,
  baseUrl: string,
  page: Page,
): Promise<Result> {
  const runs: Run[] = [];
  const warnings = new Set<string>();
  for (let n = 1, attempt = 1; n <= RUNS; attempt++) {
    const result = await lighthouse(`${baseUrl}${page.path}`, {
      port,
      output: "json",
      logLevel: "error",
      onlyCategories: CATEGORIES,
      // Hebrew is the board's first language: measure the pages most visitors get.
      extraHeaders: { "Accept-Language": "he-IL,he;q=0.9" },
    });
    if (!result) throw new LighthouseFailure(`${page.title}: Lighthouse returned nothing`);
    const { lhr, report } = result;
    if (lhr.runtimeError) {
      const problem = `${page.title}: ${lhr.runtimeError.code}: ${lhr.runtimeError.message}`;
      // A page that did not load is a failure. Trace-recording errors (NO_NAVSTART, NO_FCP, …)
      // happen now and then on a busy machine: that run is taken again, a few times at most.
      if (/DOCUMENT_REQUEST|PAGE_HUNG|INSECURE/.test(lhr.runtimeError.code) || attempt >= RUNS + 3)
        throw new LighthouseFailure(problem);
      log(`${problem}; running it again`);
      continue;
    }
    lighthouseVersion = lhr.lighthouseVersion;
    for (const warning of lhr.runWarnings) warnings.add(warning);
    fs.writeFileSync(path.join(REPORT_DIR, `${page.key}-${n}.json`), String(report));
    const figures = figuresOf(lhr);
    runs.push(figures);
    log(
      `${page.title} run ${n}/${RUNS}: performance ${figures.performance}, ` +
        `LCP ${seconds(figures.lcp)}, CLS ${figures.cls.toFixed(3)}, TBT ${milliseconds(figures.tbt)}`,
    );
    n++;
  }
  return { page, runs, median: medianRun(runs), warnings: [...warnings] };
}

// ---------------------------------------------------------------------------------------------
// The table and the doc

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const milliseconds = (ms: number) => `${Math.round(ms)} ms`;

function missesOf(results: Result[]): string[] {
  const misses: string[] = [];
  for (const { page, median: m, runs } of results) {
    if (m.performance < TARGETS.performance)
      misses.push(`${page.title}: performance ${m.performance} against ≥ ${TARGETS.performance}`);
    // A shift in one run of three is a real shift that timing hides in the others: say so.
    const shifted = runs.filter((run) => !(run.cls < TARGETS.cls));
    if (!(m.cls < TARGETS.cls))
      misses.push(`${page.title}: layout shift ${m.cls.toFixed(3)} against < ${TARGETS.cls}`);
    else if (shifted.length)
      misses.push(
        `${page.title}: layout shift up to ${Math.max(...shifted.map((r) => r.cls)).toFixed(3)} ` +
          `in ${shifted.length} of ${runs.length} runs (the median passes)`,
      );
  }
  return misses;
}

function table(results: Result[]): string {
  const header = [
    "page",
    "performance",
    "accessibility",
    "best practices",
    "SEO",
    "LCP",
    "CLS",
    "TBT",
  ];
  const rows = results.map(({ page, median: m }) => [
    page.title,
    String(m.performance),
    String(m.accessibility),
    String(m["best-practices"]),
    String(m.seo),
    seconds(m.lcp),
    m.cls.toFixed(3),
    milliseconds(m.tbt),
  ]);
  return [
    `| ${header.join(" | ")} |`,
    `| --- | ${header
      .slice(1)
      .map(() => "---:")
      .join(" | ")} |`,
    ...rows.map((row) => `| ${row.join(" | ")} |`),
  ].join("\n");
}

function runsTable(results: Result[]): string {
  return [
    "| page | run | performance | LCP | CLS | TBT |",
    "| --- | ---: | ---: | ---: | ---: | ---: |",
    ...results.flatMap(({ page, runs }) =>
      runs.map(
        (run, i) =>
          `| ${page.title} | ${i + 1} | ${run.performance} | ${seconds(run.lcp)} | ${run.cls.toFixed(3)} | ${milliseconds(run.tbt)} |`,
      ),
    ),
  ].join("\n");
}

const BEGIN =
  "<!-- lighthouse:begin (written by `npm run bench:lighthouse`; edit outside these markers) -->";
const END = "<!-- lighthouse:end -->";

async function writeDoc(results: Result[], loadAverage: number, browser: string) {
  const cpus = os.cpus();
  const misses = missesOf(results);
  const warnings = [...new Set(results.flatMap((r) => r.warnings))];
  const generated = [
    BEGIN,
    "",
    `Measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC with Lighthouse ` +
      `${lighthouseVersion} (phone profile) and ${browser}, on ` +
      `${cpus[0]?.model.trim() ?? "an unknown CPU"}, ${cpus.length} cores; Node ${process.version}. ` +
      `Load average when the measurements began: ${loadAverage.toFixed(2)}` +
      (loadAverage > cpus.length
        ? ": the machine was busy, so performance is understated and TBT overstated."
        : "."),
    "",
    `Each figure is the median of ${RUNS} runs (each figure on its own). Signed out, in Hebrew, ` +
      "against the production build on the demo data. LCP: largest contentful paint; CLS: " +
      "cumulative layout shift; TBT: total blocking time (all three as Lighthouse simulates them " +
      "for the phone).",
    "",
    table(results),
    "",
    misses.length
      ? `Targets missed (performance ≥ ${TARGETS.performance} and layout shift < ${TARGETS.cls} on every page):\n\n${misses.map((m) => `- ${m}`).join("\n")}`
      : `Every page meets the targets (performance ≥ ${TARGETS.performance}, layout shift < ${TARGETS.cls}).`,
    "",
    ...(warnings.length
      ? [`Lighthouse warned:\n\n${warnings.map((w) => `- ${w}`).join("\n")}`, ""]
      : []),
    "<details><summary>Every run</summary>",
    "",
    runsTable(results),
    "",
    "</details>",
    "",
    END,
  ].join("\n");

  let doc = fs.readFileSync(DOC_FILE, "utf8");
  const from = doc.indexOf(BEGIN);
  const to = doc.indexOf(END);
  if (from >= 0 && to > from) doc = doc.slice(0, from) + generated + doc.slice(to + END.length);
  else doc = `${doc.trimEnd()}\n\n## Lighthouse (phone)\n\n${generated}\n`;
  try {
    // The repository checks formatting (`npm run format:check`): write what Prettier would.
    const prettier = await import("prettier");
    const options = await prettier.resolveConfig(DOC_FILE);
    doc = await prettier.format(doc, { ...options, filepath: DOC_FILE });
  } catch (error) {
    log(`could not format ${path.relative(ROOT, DOC_FILE)} with Prettier: ${String(error)}`);
  }
  fs.writeFileSync(DOC_FILE, doc);
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const lighthouse = await loadLighthouse();
  const loadAverage = os.loadavg()[0];
  log("starting the production build on a fresh database with the demo data");
  server = await startServer({ seed: true });
  log(`server: ${server.baseUrl}`);
  const { port, version: browser } = await startChrome(path.join(server.dir, "chrome-profile"));
  log(`Chromium: ${CHROME_PATH} (${browser}), debugging port ${port}`);
  fs.mkdirSync(REPORT_DIR, { recursive: true });

  const results: Result[] = [];
  for (const page of pages(server.databaseFile)) {
    if (ONLY && !ONLY.includes(page.key)) continue;
    results.push(await measure(lighthouse, port, server.baseUrl, page));
  }
  await stopAll();

  if (lighthouseVersion !== EXPECTED_VERSION)
    log(`note: Lighthouse ${lighthouseVersion}, not ${EXPECTED_VERSION} as in the docs`);
  console.log(`\n${table(results)}\n`);
  for (const miss of missesOf(results)) console.log(`target missed: ${miss}`);
  if (WRITE_DOC) {
    await writeDoc(results, loadAverage, browser);
    log(
      `wrote ${path.relative(ROOT, DOC_FILE)}; full reports in ${path.relative(ROOT, REPORT_DIR)}`,
    );
  } else log("partial run: docs/benchmarks.md left as it was");
}

main()
  .then(() => process.exit(0))
  .catch(async (error: unknown) => {
    console.error(
      `lighthouse: FAILED: ${error instanceof LighthouseFailure ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    await stopAll();
    process.exit(1);
  });
