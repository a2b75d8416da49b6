// Moves a board from a SQLite file into an empty PostgreSQL database (`npm run db:copy`): every
// table of the schema, ids kept, in one transaction that checks what it wrote before it commits,
// then the PostgreSQL search index built from the copied requests.
import fs from "node:fs";
import Sqlite from "better-sqlite3";
import { sql, type Kysely, type Transaction } from "kysely";
import type { Database } from "~/db.server";
import {
  countIndexedRequests,
  reindexStaleSearch,
  SEARCH_INDEX_VERSION_KEY,
} from "~/models/search.server";
import { describeDatabaseUrl, engineFromUrl, openDatabase } from "./engine.js";
import { listMigrationNames, migrateDatabaseFile } from "./migrator.js";
import { databaseFileFromUrl } from "./sqlite.js";

/** A copy that was not started: bad arguments (`usage`), or a source or target it must not touch. */
export class CopyRefused extends Error {
  constructor(
    message: string,
    readonly usage = false,
  ) {
    super(message);
  }
}

/** The copy was written but did not check out, so it was rolled back. */
export class CopyMismatch extends Error {
  constructor(readonly report: CopyReport) {
    super("The copy does not match its source; nothing was written to the target.");
  }
}

export type TableCount = { table: string; source: number; target: number };
/** A stored counter, and the rows (their keys) whose value differs from what their rows count. */
export type CounterCheck = { counter: string; target: string[]; source: string[] };
export type CopyReport = {
  target: string;
  tables: TableCount[];
  rows: number;
  counters: CounterCheck[];
  /** Requests in the rebuilt search index (null until it is built, after the commit). */
  indexed: number | null;
};

type Column = { name: string; pk: number };
type SourceTable = {
  name: string;
  columns: string[];
  /** Ordering by it makes the copy deterministic; for WITHOUT ROWID tables it is all there is. */
  key: string[];
  parents: string[];
  /** Columns referring to the table itself (requests.merged_into_id): set once all rows exist. */
  selfReferences: string[];
};

/** At most this many rows per INSERT, and never past PostgreSQL's 65,535 parameters. */
const BATCH_ROWS = 1_000;
const MAX_PARAMETERS = 65_535;
/** How many offending keys a failed counter check names. */
const SHOWN_KEYS = 5;

/**
 * Tables the copy leaves out: SQLite's own, the migrator's (the target keeps its own history),
 * SQLite's FTS5 index with its shadow tables (PostgreSQL's index is rebuilt instead), and the
 * content version's stripes, which the target's migration wrote and its triggers raise as the
 * copy writes.
 */
function isCopied(name: string): boolean {
  return !/^(sqlite_|kysely_migration|requests_fts($|_)|content_versions$)/.test(name);
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * Every denormalized counter, as portable SQL selecting the keys of the rows whose stored value
 * differs from a count of the rows it stands for; the rules are the models' (votes.server.ts
 * recountRequestCounters, memberships.server.ts, quotes.server.ts acceptQuote).
 */
const COUNTER_CHECKS: { counter: string; query: string }[] = [
  {
    counter: "requests.vote_count",
    query: `select id as k from requests r where vote_count <> (select count(*) from votes v where v.request_id = r.id)`,
  },
  {
    counter: "requests.org_count",
    query: `select id as k from requests r where org_count <> (select count(*) from request_org_votes o where o.request_id = r.id)`,
  },
  {
    counter: "requests.comment_count",
    query: `select id as k from requests r where comment_count <> (select count(*) from comments c where c.request_id = r.id and c.is_internal = 0 and c.deleted_at is null)`,
  },
  {
    counter: "requests.follower_count",
    query: `select id as k from requests r where follower_count <> (select count(*) from follows f where f.request_id = r.id)`,
  },
  {
    counter: "requests.recent_vote_count",
    query: `select id as k from requests r where recent_vote_count <> coalesce((select sum(d.votes) from request_vote_days d where d.request_id = r.id), 0)`,
  },
  {
    counter: "request_org_votes.votes",
    query: `select request_id || '/' || org_id as k from request_org_votes o where votes <> (select count(*) from votes v where v.request_id = o.request_id and v.org_id = o.org_id)`,
  },
  {
    counter: "organizations.member_count",
    query: `select id as k from organizations o where member_count <> (select count(*) from memberships m where m.org_id = o.id)`,
  },
  {
    counter: "quotes.pledged_minor",
    query: `select id as k from quotes q where pledged_minor <> coalesce((select sum(s.share_minor) from sponsorships s where s.quote_id = q.id), 0)`,
  },
];

/** The source file, refused unless it is an existing SQLite database at the latest migration. */
async function openSource(from: string): Promise<Sqlite.Database> {
  if (engineFromUrl(from) !== "sqlite")
    throw new CopyRefused(`--from must be a SQLite file, not ${describeDatabaseUrl(from)}.`, true);
  const file = databaseFileFromUrl(from);
  if (!fs.existsSync(file) || !fs.statSync(file).isFile())
    throw new CopyRefused(`--from: there is no file ${file}.`, true);
  let source: Sqlite.Database;
  let applied: Set<string>;
  try {
    // Read-only: the copy never changes its source, not even to migrate it.
    source = new Sqlite(file, { readonly: true, fileMustExist: true });
    const history = source
      .prepare("select name from sqlite_master where type = 'table' and name = 'kysely_migration'")
      .get();
    applied = new Set(
      history
        ? source
            .prepare("select name from kysely_migration")
            .pluck()
            .all()
            .map((name) => String(name))
        : [],
    );
  } catch (error) {
    throw new CopyRefused(`--from: ${file} is not a SQLite database (${String(error)}).`, true);
  }
  const known = await listMigrationNames();
  const pending = known.filter((name) => !applied.has(name));
  const unknown = [...applied].filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    source.close();
    throw new CopyRefused(
      `${file} was migrated by a newer Broadly (${unknown.join(", ")}): copy it with that release.`,
    );
  }
  if (pending.length > 0) {
    source.close();
    throw new CopyRefused(
      `${file} is not at the latest migration (missing ${pending.join(", ")}). ` +
        `Bring it up to date first: DATABASE_URL=${file} npm run db:migrate`,
    );
  }
  return source;
}

/** The source's tables, parents before children (by their foreign keys). */
function readTables(source: Sqlite.Database): SourceTable[] {
  const names = source
    .prepare("select name from sqlite_master where type = 'table' order by name")
    .pluck()
    .all()
    .map(String)
    .filter(isCopied);
  const tables = new Map<string, SourceTable>();
  for (const name of names) {
    const columns = source.prepare(`pragma table_info(${quote(name)})`).all() as Column[];
    const foreignKeys = source.prepare(`pragma foreign_key_list(${quote(name)})`).all() as {
      table: string;
      from: string;
    }[];
    const key = columns
      .filter((c) => c.pk > 0)
      .sort((a, b) => a.pk - b.pk)
      .map((c) => c.name);
    tables.set(name, {
      name,
      columns: columns.map((c) => c.name),
      key: key.length > 0 ? key : ["rowid"],
      parents: [
        ...new Set(foreignKeys.map((f) => f.table).filter((t) => t !== name && names.includes(t))),
      ],
      selfReferences: foreignKeys.filter((f) => f.table === name).map((f) => f.from),
    });
  }
  const ordered: SourceTable[] = [];
  const placed = new Set<string>();
  while (ordered.length < tables.size) {
    const ready = [...tables.values()].filter(
      (t) => !placed.has(t.name) && t.parents.every((p) => placed.has(p)),
    );
    if (ready.length === 0) {
      const left = [...tables.keys()].filter((t) => !placed.has(t));
      throw new Error(`The foreign keys of ${left.join(", ")} form a cycle: no order to copy in.`);
    }
    for (const table of ready) {
      ordered.push(table);
      placed.add(table.name);
    }
  }
  return ordered;
}

function countSource(source: Sqlite.Database, table: string): number {
  return Number(
    source
      .prepare(`select count(*) from ${quote(table)}`)
      .pluck()
      .get(),
  );
}

async function countTarget(trx: Transaction<any>, table: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(
    trx,
  );
  return Number(rows[0].n);
}

/** Refuses a target whose schema differs from the source's, or that already holds a board. */
async function checkTarget(trx: Transaction<any>, tables: SourceTable[]) {
  const { rows } = await sql<{ table_name: string; column_name: string }>`
    select table_name, column_name from information_schema.columns
    where table_schema = current_schema()
  `.execute(trx);
  for (const table of tables) {
    const target = rows.filter((r) => r.table_name === table.name).map((r) => r.column_name);
    const missing = table.columns.filter((c) => !target.includes(c));
    const extra = target.filter((c) => !table.columns.includes(c));
    if (missing.length > 0 || extra.length > 0)
      throw new CopyRefused(
        `The target's table ${table.name} differs from the source's ` +
          `(missing: ${missing.join(", ") || "none"}; extra: ${extra.join(", ") || "none"}).`,
      );
  }
  // The migrations write default settings, so only the settings table may hold rows; any other
  // row means a board lives there, and a copy never merges into one.
  for (const table of tables) {
    if (table.name === "settings") continue;
    const { rows: found } =
      await sql`select 1 as one from ${sql.table(table.name)} limit 1`.execute(trx);
    if (found.length > 0)
      throw new CopyRefused(
        `The target already holds data (table ${table.name} has rows): ` +
          "db:copy only writes into an empty database.",
      );
  }
}

async function copyTable(source: Sqlite.Database, trx: Transaction<any>, table: SourceTable) {
  const batchRows = Math.max(
    1,
    Math.min(BATCH_ROWS, Math.floor(MAX_PARAMETERS / table.columns.length)),
  );
  const selfReferences: Record<string, unknown>[] = [];
  let batch: Record<string, unknown>[] = [];
  const flush = async () => {
    if (batch.length > 0) await trx.insertInto(table.name).values(batch).execute();
    batch = [];
  };
  const rows = source
    .prepare(
      `select ${table.columns.map(quote).join(", ")} from ${quote(table.name)} order by ${table.key.map(quote).join(", ")}`,
    )
    .iterate() as IterableIterator<Record<string, unknown>>;
  for (const row of rows) {
    // A row may refer to one copied after it (a request merged into a newer one): such
    // references are written once every row of the table is there.
    if (table.selfReferences.some((c) => row[c] != null)) {
      selfReferences.push({ ...row });
      for (const c of table.selfReferences) row[c] = null;
    }
    batch.push(row);
    if (batch.length >= batchRows) await flush();
  }
  await flush();
  for (const row of selfReferences) {
    let update = trx
      .updateTable(table.name)
      .set(Object.fromEntries(table.selfReferences.map((c) => [c, row[c]])));
    for (const k of table.key) update = update.where(k, "=", row[k]);
    await update.execute();
  }
}

/**
 * Identity columns count on from past the copied ids, and past every id SQLite's AUTOINCREMENT
 * ever handed out (sqlite_sequence), so the id of a deleted row is not given out again.
 */
async function resetSequences(source: Sqlite.Database, trx: Transaction<any>, tables: string[]) {
  const hasSequences = source
    .prepare("select 1 from sqlite_master where type = 'table' and name = 'sqlite_sequence'")
    .get();
  const issued = new Map(
    hasSequences
      ? (
          source.prepare("select name, seq from sqlite_sequence").all() as {
            name: string;
            seq: number;
          }[]
        ).map((r) => [r.name, Number(r.seq)])
      : [],
  );
  const { rows } = await sql<{ table_name: string; column_name: string }>`
    select table_name, column_name from information_schema.columns
    where table_schema = current_schema() and is_identity = 'YES'
  `.execute(trx);
  for (const { table_name: table, column_name: column } of rows) {
    if (!tables.includes(table)) continue;
    await sql`
      select setval(pg_get_serial_sequence(${quote(table)}, ${column}),
        greatest(coalesce(max(${sql.ref(column)}), 0), ${issued.get(table) ?? 0}) + 1, false)
      from ${sql.table(table)}
    `.execute(trx);
  }
}

async function checkCounters(
  source: Sqlite.Database,
  trx: Transaction<any>,
): Promise<CounterCheck[]> {
  const checks: CounterCheck[] = [];
  for (const { counter, query } of COUNTER_CHECKS) {
    const { rows } = await sql.raw<{ k: unknown }>(query).execute(trx);
    checks.push({
      counter,
      target: rows.map((r) => String(r.k)),
      source: source.prepare(query).pluck().all().map(String),
    });
  }
  return checks;
}

/**
 * Copies the board in the SQLite file `from` into the PostgreSQL database `to`, migrated to the
 * latest first. Refuses (CopyRefused) a source behind the latest migration and a target that
 * holds data; throws CopyMismatch, having written nothing, when a table's row count or a
 * counter differs after copying. The source is read in one snapshot.
 */
export async function copyBoard({ from, to }: { from: string; to: string }): Promise<CopyReport> {
  if (engineFromUrl(to) !== "postgres")
    throw new CopyRefused(
      `--to must be a PostgreSQL URL (postgres://…), not ${describeDatabaseUrl(to)}.`,
      true,
    );
  const source = await openSource(from);
  const target = openDatabase<Database>(to, { poolSize: 1 });
  try {
    const tables = readTables(source);
    try {
      await migrateDatabaseFile(to);
    } catch (error) {
      throw new CopyRefused(
        `Could not migrate the target ${describeDatabaseUrl(to)}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    const report: CopyReport = {
      target: describeDatabaseUrl(to),
      tables: [],
      rows: 0,
      counters: [],
      indexed: null,
    };
    // One read transaction: every table is read from the same moment of the source.
    source.exec("begin");
    try {
      await target.transaction().execute(async (trx) => {
        const any = trx as Transaction<any>;
        await checkTarget(any, tables);
        // The migrations' default settings give way to the board's own.
        await any.deleteFrom("settings").execute();
        for (const table of tables) await copyTable(source, any, table);
        await resetSequences(
          source,
          any,
          tables.map((t) => t.name),
        );
        for (const table of tables) {
          report.tables.push({
            table: table.name,
            source: countSource(source, table.name),
            target: await countTarget(any, table.name),
          });
        }
        report.rows = report.tables.reduce((sum, t) => sum + t.target, 0);
        report.counters = await checkCounters(source, any);
        if (!isFaithful(report)) throw new CopyMismatch(report);
        // Unstamped, the index is rebuilt: below, or by the app at start-up should that fail.
        await any.deleteFrom("settings").where("key", "=", SEARCH_INDEX_VERSION_KEY).execute();
      });
    } finally {
      source.exec("commit");
    }
    await reindexStaleSearch(target as Kysely<Database>);
    report.indexed = await countIndexedRequests(target);
    // Statistics for the planner and a visibility map for index-only scans, now rather than
    // whenever autovacuum comes round: the board's first visitors get the plans of a settled
    // database. (VACUUM cannot run inside a transaction; this is the pool's one connection.)
    await sql`vacuum analyze`.execute(target);
    return report;
  } finally {
    source.close();
    await target.destroy();
  }
}

/** Whether every table has as many rows as its source and every counter adds up. */
function isFaithful(report: CopyReport): boolean {
  return (
    report.tables.every((t) => t.source === t.target) &&
    report.counters.every((c) => c.target.length === 0)
  );
}

/** The report as lines for a terminal: each table's rows, then any counter that is off. */
export function describeReport(report: CopyReport): string[] {
  const width = Math.max(...report.tables.map((t) => t.table.length));
  const lines = report.tables.map(
    (t) =>
      `  ${t.table.padEnd(width)}  ${String(t.source).padStart(7)} → ${String(t.target).padStart(7)}` +
      (t.source === t.target ? "" : "   DIFFERS"),
  );
  for (const check of report.counters.filter((c) => c.target.length > 0)) {
    const keys = check.target.slice(0, SHOWN_KEYS).join(", ");
    const more =
      check.target.length > SHOWN_KEYS ? ` and ${check.target.length - SHOWN_KEYS} more` : "";
    lines.push(
      `  ${check.counter} is off for ${check.target.length} row(s) (${keys}${more})` +
        (check.source.length > 0
          ? `; the source's is off for ${check.source.length} too`
          : "; the source's adds up"),
    );
  }
  return lines;
}
