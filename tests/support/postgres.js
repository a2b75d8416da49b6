// @ts-check
// PostgreSQL for the tests: a throwaway cluster (initdb into a temporary folder, started on
// 127.0.0.1 with a random port, as an unprivileged user when run as root) and one database per
// test file, made from a migrated template so a file's setup costs a copy, not 14 migrations.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";

export const TEMPLATE_DATABASE = "broadly_test_template";
const TEST_DATABASE_PREFIX = "broadly_test_";

/** The folder of Debian's PostgreSQL binaries (the newest installed), or null. */
export function findPostgresBinaries() {
  const root = "/usr/lib/postgresql";
  const versions = fs.existsSync(root)
    ? fs
        .readdirSync(root)
        .filter((v) => fs.existsSync(path.join(root, v, "bin", "initdb")))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  return versions.length ? path.join(root, versions[0], "bin") : null;
}

/** A free TCP port on 127.0.0.1, chosen by the kernel. */
async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = /** @type {net.AddressInfo} */ (server.address());
      server.close(() => resolve(address.port));
    });
  });
}

/**
 * Starts a cluster of its own; `stop()` stops it and deletes its folder. PostgreSQL refuses to
 * run as root, so as root the cluster belongs to the `postgres` user Debian's package creates.
 * @param {string} bin
 * @param {string[]} [settings] more server settings, as `name=value` (the bench's memory)
 * @returns {Promise<{ url: string, socketUrl: string, stop: () => void }>}
 */
export async function startThrowawayCluster(bin, settings = []) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "broadly-pg-"));
  const data = path.join(dir, "data");
  const asRoot = process.getuid?.() === 0;
  const run = (/** @type {string} */ program, /** @type {string[]} */ args) => {
    const [command, argv] = asRoot
      ? ["runuser", ["-u", "postgres", "--", path.join(bin, program), ...args]]
      : [path.join(bin, program), args];
    execFileSync(command, argv, { stdio: ["ignore", "ignore", "inherit"], cwd: dir });
  };
  if (asRoot) execFileSync("chown", ["postgres", dir]);
  run("initdb", [
    "-D",
    data,
    "-U",
    "broadly",
    "--auth=trust",
    "--encoding=UTF8",
    "--locale=C.UTF-8",
  ]);
  const port = await freePort();
  // Durability is not what a throwaway cluster is for: fsync off makes each file's database
  // copy and every commit cheap. Enough connections for the parallel test files' pools.
  run("pg_ctl", [
    "-D",
    data,
    "-l",
    path.join(dir, "server.log"),
    "-w",
    "-o",
    [
      `-k ${dir} -p ${port} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300`,
      ...settings.map((setting) => `-c ${setting}`),
    ].join(" "),
    "start",
  ]);
  return {
    url: `postgres://broadly@127.0.0.1:${port}/postgres`,
    // The same server through its socket, which is cheaper than TCP for each statement's round
    // trip: how an app on the database's own machine connects (the bench's servers).
    socketUrl: `postgres://broadly@${encodeURIComponent(dir)}:${port}/postgres`,
    stop() {
      spawnSync(asRoot ? "runuser" : path.join(bin, "pg_ctl"), [
        ...(asRoot ? ["-u", "postgres", "--", path.join(bin, "pg_ctl")] : []),
        "-D",
        data,
        "-m",
        "immediate",
        "-w",
        "stop",
      ]);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The URL of another database on the same server. */
export function databaseUrl(/** @type {string} */ serverUrl, /** @type {string} */ name) {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Runs one statement on the server's maintenance connection. */
export async function adminQuery(/** @type {string} */ serverUrl, /** @type {string} */ text) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

/** A new empty database (byte-order collation, as SQLite compares text), dropped first if left over. */
export async function createDatabase(/** @type {string} */ serverUrl, /** @type {string} */ name) {
  await adminQuery(serverUrl, `drop database if exists "${name}" with (force)`);
  await adminQuery(
    serverUrl,
    `create database "${name}" template template0 encoding 'UTF8' lc_collate 'C' lc_ctype 'C.UTF-8'`,
  );
  return databaseUrl(serverUrl, name);
}

/** A test file's own database, a copy of the migrated template. */
export async function createTestDatabase(/** @type {string} */ serverUrl) {
  const name = `${TEST_DATABASE_PREFIX}${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  await adminQuery(serverUrl, `create database "${name}" template "${TEMPLATE_DATABASE}"`);
  return databaseUrl(serverUrl, name);
}

/** Drops every database the tests made on the server (for a server that outlives the run). */
export async function dropTestDatabases(/** @type {string} */ serverUrl) {
  const { rows } = await adminQuery(
    serverUrl,
    `select datname from pg_database where datname like '${TEST_DATABASE_PREFIX}%'`,
  );
  for (const { datname } of rows)
    await adminQuery(serverUrl, `drop database if exists "${datname}" with (force)`);
}
