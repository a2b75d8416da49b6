// @ts-check
// The one place that knows which database engine DATABASE_URL names, and how to open it:
// a file path or `file:` URL is SQLite (better-sqlite3, WAL), `postgres://` or `postgresql://`
// is PostgreSQL (node-postgres with a pool). Everything else asks for a Kysely instance and
// writes portable queries; the few engine-specific parts (search, the unary plus, the
// migrations' DDL helpers) ask `engineOf`.
import { CompiledQuery, Kysely, PostgresAdapter, PostgresDialect, SqliteDialect } from "kysely";
import crypto from "node:crypto";
import pg from "pg";
import { databaseFileFromUrl, openSqlite, withStatementCache } from "./sqlite.js";

/** @typedef {"sqlite" | "postgres"} Engine */

/** @param {string | undefined} url @returns {Engine} */
export function engineFromUrl(url) {
  return url && /^postgres(ql)?:\/\//i.test(url.trim()) ? "postgres" : "sqlite";
}

/** @param {Kysely<any>} db @returns {Engine} */
export function engineOf(db) {
  return db.getExecutor().adapter instanceof PostgresAdapter ? "postgres" : "sqlite";
}

/** What a log line may show of DATABASE_URL: the file, or the server and database without a password. */
export function describeDatabaseUrl(/** @type {string | undefined} */ url) {
  if (engineFromUrl(url) === "sqlite") return databaseFileFromUrl(url);
  const parsed = new URL(/** @type {string} */ (url));
  parsed.password = parsed.password ? "***" : "";
  return parsed.toString();
}

// node-postgres returns int8 (what count() and sum() of integers give, and the money columns)
// and numeric (sum() of int8) as strings, since they may exceed 2^53. Every such value here is
// a count or an amount in agorot, far below that, so they come back as numbers, as on SQLite.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value));

/**
 * SQLite transactions that take the write lock when they begin. A deferred transaction (SQLite's
 * default) that reads and then writes fails at once with SQLITE_BUSY, busy timeout or not, when
 * another process (the worker, a CLI, a second app process) committed in between; an immediate
 * one waits its turn instead. Nearly every transaction here is a read-then-write.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  createDriver() {
    const driver = super.createDriver();
    driver.beginTransaction = async (connection) => {
      await connection.executeQuery(CompiledQuery.raw("begin immediate"));
    };
    return driver;
  }
}

/** How many statements one PostgreSQL connection keeps prepared (see PreparingClient). */
export const PREPARED_STATEMENTS_PER_CONNECTION = 500;

/**
 * Whether PostgreSQL refused a prepared statement because a migration changed the columns it
 * returns since it was prepared (a rolling deploy: another release migrated while this one
 * serves). Prepared afresh, the statement runs.
 * @param {unknown} error
 */
export function isStaleStatement(error) {
  const { code, message } = /** @type {{ code?: unknown, message?: unknown }} */ (error ?? {});
  return code === "0A000" && /cached plan must not change result type/.test(String(message));
}

/**
 * Whether a statement's best plan can depend on its parameters' values: one that sorts, limits
 * or groups. Ten votes or 5,000 match one request: for a few, reading them all and sorting is
 * best; for many, walking an index in order and stopping at the limit. A plan made for any
 * parameters (a generic plan) chose the first for everyone and sorted all of a popular
 * request's 672 staff-recorded votes to show eleven (10 ms instead of 0.5). A statement that
 * finds rows by key and writes them has one good plan whatever the values.
 * @param {string} text
 */
export function plansPerParameters(text) {
  return PLAN_DEPENDS_ON_VALUES.test(text);
}
const PLAN_DEPENDS_ON_VALUES = /\b(?:order\s+by|limit|group\s+by)\b/i;

/**
 * node-postgres sends a query without a name as an unnamed statement, which PostgreSQL parses
 * and plans again on every execution, for its parameters' values. A query sent with a name is
 * parsed once per connection, and after a few executions PostgreSQL keeps one plan for it
 * (plan_cache_mode auto) when that plan costs no more: planning is half of what PostgreSQL
 * spends on a vote's statements. So the statements whose plans can depend on the values
 * (plansPerParameters) go unnamed, and the rest named. The name is a hash of the SQL text, so
 * every Kysely query of one shape shares it. Each connection keeps at most
 * PREPARED_STATEMENTS_PER_CONNECTION of them; texts beyond that (rare shapes, such as a long
 * `in (…)` list) go unnamed too. This is the app's counterpart of SQLite's statement cache,
 * and like it only the app's instance asks for it (not migrations or scripts).
 *
 * After a migration changed a prepared statement's result, the connection prepares every
 * statement afresh (a new generation of names). The query that met the change runs again at
 * once outside a transaction; inside one the transaction has failed, and `inTransaction`
 * (app/db.server.ts) runs it again.
 */
export class PreparingClient extends pg.Client {
  /** @type {Set<string>} */
  #prepared = new Set();
  #generation = 0;
  #inTransaction = false;

  /** @param {any} config @param {any} [values] @param {any} [callback] @returns {any} */
  query(config, values, callback) {
    // Kysely's queries: a text, its parameters, a promise. Anything else is node-postgres's own.
    if (typeof config !== "string" || !Array.isArray(values) || callback !== undefined) {
      return super.query(config, values, callback);
    }
    const control = TRANSACTION_CONTROL.exec(config);
    if (control) {
      if (control[1]) this.#inTransaction = true;
      else if (control[2]) this.#inTransaction = false;
      return super.query(config, values);
    }
    const name = this.#nameOf(config);
    if (!name) return super.query(config, values);
    return super.query({ name, text: config, values }).catch((/** @type {unknown} */ error) => {
      if (!isStaleStatement(error)) throw error;
      this.#generation++;
      this.#prepared.clear();
      if (this.#inTransaction) throw error;
      return super.query({ name: this.#nameOf(config) ?? undefined, text: config, values });
    });
  }

  /**
   * The statement's name on this connection, or null for one planned per execution or past
   * the cap. @param {string} text
   */
  #nameOf(text) {
    if (plansPerParameters(text)) return null;
    const name = `${hashOfText(text)}.${this.#generation}`;
    if (this.#prepared.has(name)) return name;
    if (this.#prepared.size >= PREPARED_STATEMENTS_PER_CONNECTION) return null;
    this.#prepared.add(name);
    return name;
  }
}

/** @type {Map<string, string>} */
const hashes = new Map();
/**
 * The SHA-1 of a statement's text, remembered: the app has a few hundred shapes, and each
 * execution would otherwise hash its text again. @param {string} text
 */
function hashOfText(text) {
  let hash = hashes.get(text);
  if (hash === undefined) {
    // Bounded like the connections' statements: rare shapes past it are hashed each time.
    if (hashes.size >= PREPARED_STATEMENTS_PER_CONNECTION * 4) hashes.clear();
    hash = crypto.createHash("sha1").update(text).digest("base64url");
    hashes.set(text, hash);
  }
  return hash;
}

// Kysely's transaction statements, sent unnamed: begin (or start transaction …) opens one,
// commit or rollback ends it; savepoints (rollback to …) leave it open.
const TRANSACTION_CONTROL =
  /^\s*(?:(begin|start\s+transaction)|(commit|end|rollback(?!\s+to\b)|abort)|savepoint|release|rollback\s+to)\b/i;

/**
 * @param {string | undefined} url
 * @param {{ poolSize?: number, statementCache?: boolean }} [options]
 */
export function createDialect(url, options = {}) {
  if (engineFromUrl(url) === "postgres") {
    return new PostgresDialect({
      pool: new pg.Pool({
        connectionString: url,
        max: options.poolSize ?? 10,
        // The pool's types want a Client constructed without arguments; pg passes its options.
        ...(options.statementCache
          ? {
              Client: /** @type {new () => pg.Client} */ (/** @type {unknown} */ (PreparingClient)),
            }
          : {}),
        // The app's timestamps are ISO strings in text columns, as on SQLite; the session's
        // zone only matters to now() in hand-written SQL, which the app does not use.
        options: "-c TimeZone=UTC",
      }),
    });
  }
  const sqlite = openSqlite(databaseFileFromUrl(url));
  return new ImmediateSqliteDialect({
    database: options.statementCache ? withStatementCache(sqlite) : sqlite,
  });
}

/**
 * A Kysely instance on DATABASE_URL's engine, for scripts and the migrator (the app keeps one
 * in app/db.server.ts).
 * @template T
 * @param {string | undefined} url
 * @param {{ poolSize?: number, statementCache?: boolean }} [options]
 * @returns {Kysely<T>}
 */
export function openDatabase(url, options) {
  return new Kysely({ dialect: createDialect(url, options) });
}
