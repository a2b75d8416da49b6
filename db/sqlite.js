// @ts-check
// Opens the SQLite file with the pragmas every connection of Broadly needs.
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";

export const DEFAULT_DATABASE_FILE = "./data/broadly.sqlite";

/** @param {string | undefined} url */
export function databaseFileFromUrl(url) {
  const value = url && url.trim() !== "" ? url : DEFAULT_DATABASE_FILE;
  return value.startsWith("file:") ? value.slice("file:".length) : value;
}

/**
 * Kysely prepares every statement it runs; the app runs the same few hundred SQL texts over
 * and over, so prepared statements are kept and reused (Kysely runs one query at a time on the
 * connection, so a statement is never in use twice at once).
 * @param {import("better-sqlite3").Database} sqlite
 * @param {number} max
 */
export function withStatementCache(sqlite, max = 500) {
  /** @type {Map<string, import("better-sqlite3").Statement>} */
  const cache = new Map();
  const prepare = sqlite.prepare.bind(sqlite);
  return new Proxy(sqlite, {
    get(target, property) {
      if (property !== "prepare") {
        // Native methods need the real database as `this`.
        const value = Reflect.get(target, property, target);
        return typeof value === "function" ? value.bind(target) : value;
      }
      return (/** @type {string} */ source) => {
        let statement = cache.get(source);
        if (statement) {
          cache.delete(source);
        } else {
          statement = prepare(source);
          if (cache.size >= max) cache.delete(/** @type {string} */ (cache.keys().next().value));
        }
        cache.set(source, statement);
        return statement;
      };
    },
  });
}

/**
 * @param {string} file
 * @returns {import("better-sqlite3").Database}
 */
export function openSqlite(file) {
  if (file !== ":memory:") fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new Database(file);
  // WAL lets readers and the single writer work at the same time; NORMAL is durable in WAL mode
  // across application crashes, and the busy timeout queues writers instead of failing them.
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  // A 64 MiB page cache, and the WAL folded back into the database every ~40 MiB rather than
  // every 4 MiB: checkpoints run inside some commit, so fewer of them keep votes fast.
  sqlite.pragma("cache_size = -65536");
  // Reads go through the operating system's page cache instead of being copied into SQLite's.
  sqlite.pragma("mmap_size = 536870912");
  sqlite.pragma("wal_autocheckpoint = 10000");
  return sqlite;
}
