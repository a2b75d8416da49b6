// Starts the production build (app/server.js) on a free 127.0.0.1 port with its own database
// (in the PostgreSQL run of the integration tests, the test file's) and mail folder; it needs
// `npm run build` first (npm test does it).
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { getDb } from "~/db.server";
import { decodeMail, readMailbox } from "./mail";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export type TestServer = {
  baseUrl: string;
  /** The server process's id, e.g. to read its memory use from /proc. */
  pid: number;
  dir: string;
  /** The server's DATABASE_URL: a SQLite file of its own, or the test file's PostgreSQL database. */
  databaseFile: string;
  mailDir: string;
  /** What the server process (and, with WEB_CONCURRENCY, its workers) printed so far. */
  log: () => string;
  stop: () => Promise<void>;
  /** Waits for an .eml file whose raw text contains `needle` and returns that text (see mail.ts). */
  /** The first e-mail containing `needle`, or that `needle` accepts. */
  waitForMail: (needle: string | ((raw: string) => boolean), timeoutMs?: number) => Promise<string>;
};

async function freePort(): Promise<number> {
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

export async function startServer({
  seed = false,
  env: extraEnv = {},
}: {
  seed?: boolean;
  /** More configuration for the server, e.g. `{ TRUSTED_ORIGINS: "https://partner.test" }`. */
  env?: Record<string, string>;
} = {}): Promise<TestServer> {
  if (!fs.existsSync(path.join(root, "build/index.js"))) {
    throw new Error("No production build: run `npm run build` first (npm test does).");
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "broadly-e2e-"));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv & { DATABASE_URL: string; MAIL_DIR: string } = {
    ...process.env,
    NODE_ENV: "production",
    HOST: "127.0.0.1",
    PORT: String(port),
    BASE_URL: baseUrl,
    // In the PostgreSQL run (integration tests only) each test file's database is its own
    // (setup-db.ts), so the server uses it; elsewhere, a SQLite file in the server's folder.
    DATABASE_URL:
      process.env.TEST_ENGINE === "postgres"
        ? process.env.DATABASE_URL!
        : path.join(dir, "broadly.sqlite"),
    MAIL_DIR: path.join(dir, "mail"),
    SESSION_SECRET: "browser-test-secret-0123456789abcdef",
    OUTBOX_POLL_MS: "200",
    // A burst of status updates still groups, and tests waiting for one are not kept long.
    NOTIFY_GROUP_MS: "300",
    SMTP_URL: "",
    ...extraEnv,
  };
  if (seed) {
    await new Promise<void>((resolve, reject) => {
      const seeding = spawn(process.execPath, ["--import", "tsx", "db/seed.ts"], {
        cwd: root,
        env,
        stdio: "pipe",
      });
      let output = "";
      seeding.stdout?.on("data", (chunk) => (output += chunk));
      seeding.stderr?.on("data", (chunk) => (output += chunk));
      seeding.on("exit", (code) =>
        code === 0 ? resolve() : reject(new Error(`seed failed: ${output}`)),
      );
    });
  }
  const child: ChildProcess = spawn(process.execPath, ["app/server.js"], {
    cwd: root,
    env,
    stdio: "pipe",
  });
  let log = "";
  child.stdout?.on("data", (chunk) => (log += chunk));
  child.stderr?.on("data", (chunk) => (log += chunk));

  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${log}`);
    try {
      const response = await fetch(`${baseUrl}/healthz`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server did not start:\n${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    baseUrl,
    pid: child.pid!,
    dir,
    databaseFile: env.DATABASE_URL,
    mailDir: env.MAIL_DIR,
    log: () => log,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 3000).unref();
      }),
    waitForMail: async (needle, timeoutMs = 10_000) => {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const accepts = typeof needle === "string" ? (raw: string) => raw.includes(needle) : needle;
        const mail = readMailbox(env.MAIL_DIR).find(({ raw }) => accepts(raw));
        if (mail) return mail.raw;
        if (Date.now() > until)
          throw new Error(`no e-mail containing ${needle} within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
}

/**
 * Points the app's models in this process at the server's database file, so the factories in
 * factories.ts write straight into what the server reads (much faster than the forms, and not
 * subject to the per-user limits). Call it before the first query; closeServerDatabase() after.
 */
export function useServerDatabase(server: TestServer) {
  process.env.DATABASE_URL = server.databaseFile;
  process.env.MAIL_DIR = server.mailDir;
  // Vitest sets BASE_URL to Vite's base ("/"), which the app's configuration refuses.
  process.env.BASE_URL = server.baseUrl;
}

/**
 * Waits for an e-mail to `to` carrying an absolute `<path><token>` link (e.g. "/verify-email/")
 * and returns that link with the decoded e-mail.
 */
export async function waitForMailLink(
  server: Pick<TestServer, "mailDir">,
  to: string,
  linkPath: string,
  timeoutMs = 10_000,
): Promise<{ url: string; mail: ReturnType<typeof decodeMail> }> {
  const pattern = new RegExp(`https?://[^\\s"'<>]+${linkPath}[A-Za-z0-9_-]+`);
  const until = Date.now() + timeoutMs;
  for (;;) {
    const files = fs.existsSync(server.mailDir)
      ? fs.readdirSync(server.mailDir).filter((f) => f.endsWith(".eml"))
      : [];
    for (const file of files) {
      const raw = fs.readFileSync(path.join(server.mailDir, file), "utf8");
      if (!raw.toLowerCase().includes(to.toLowerCase())) continue;
      const mail = decodeMail(raw);
      const match = pattern.exec(mail.text);
      if (match) return { url: match[0], mail };
    }
    if (Date.now() > until)
      throw new Error(`no ${linkPath} link mailed to ${to} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function closeServerDatabase() {
  await getDb().destroy();
}
