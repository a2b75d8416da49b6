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
  return sqlite;
}
