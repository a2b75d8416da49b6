// The one Kysely instance of the app, and the Database type every query is checked against.
import {
  createQueryId,
  Kysely,
  sql,
  type Compilable,
  type CompiledQuery,
  type SqlBool,
  type Transaction,
  type Generated,
  type RawBuilder,
  type Selectable,
  type SelectQueryBuilder,
} from "kysely";
import {
  createDialect,
  engineFromUrl,
  engineOf,
  isStaleStatement,
  type Engine,
} from "../db/engine.js";
import { getEnv } from "~/env.server";
import type { RequestDecision, RequestStatus } from "~/models/request-status";

export type Role = "member" | "admin";
export type Locale = "he" | "en";

export interface UsersTable {
  id: Generated<number>;
  email: string;
  name: string;
  password_hash: string;
  locale: Locale | null;
  is_staff: Generated<number>;
  staff_role: "admin" | "member" | null;
  session_version: Generated<number>;
  announcements_seen_at: string | null;
  /** Null until the user opens the link e-mailed at sign-up (or joins through an invitation). */
  email_verified_at: string | null;
  /** E-mail preferences (1 on, 0 off): followed requests' updates, product news, weekly digest. */
  notify_status: Generated<number>;
  notify_news: Generated<number>;
  notify_digest: Generated<number>;
  digest_sent_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface OrganizationsTable {
  id: Generated<number>;
  slug: string;
  name: string;
  created_by: number | null;
  created_at: string;
  /** Kept exact by every membership write (app/models/orgs.server.ts, account deletion). */
  member_count: Generated<number>;
}

export interface MembershipsTable {
  org_id: number;
  user_id: number;
  role: Role;
  created_at: string;
}

export interface InvitationsTable {
  id: Generated<number>;
  org_id: number;
  email: string;
  role: Role;
  token_hash: string;
  invited_by: number | null;
  created_at: string;
  expires_at: string;
  accepted_at: string | null;
  accepted_by: number | null;
  revoked_at: string | null;
  /** Set when a newer invitation went to the same address; this link then says so. */
  superseded_at: string | null;
}

export interface CategoriesTable {
  id: Generated<number>;
  slug: string;
  name_he: string;
  name_en: string;
  position: Generated<number>;
  archived_at: string | null;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface AuditLogTable {
  id: Generated<number>;
  actor_id: number | null;
  action: string;
  subject_type: string;
  subject_id: number | null;
  data_json: Generated<string>;
  created_at: string;
}

export interface OutboxTable {
  id: Generated<number>;
  kind: string;
  recipient: string;
  payload_json: string;
  attempts: Generated<number>;
  next_attempt_at: string;
  locked_until: string | null;
  sent_at: string | null;
  failed_at: string | null;
  last_error: string | null;
  created_at: string;
  /** Whom it is for, when a user: their preference for `topic` is checked at send time. */
  user_id: number | null;
  topic: NotificationTopic | null;
  /** Messages with one group key leave as one e-mail (a user's burst of status updates). */
  group_key: string | null;
  /** The worker holding the lease (claims of a whole group read their rows back by it). */
  lease_id: string | null;
  /** Settled unsent (with failed_at): the recipient opted out or is gone; last_error says why. */
  cancelled_at: string | null;
}

/** The e-mail preferences a message may fall under (users.notify_<topic>). */
export type NotificationTopic = "status" | "news" | "digest";

export interface AnnouncementsTable {
  id: Generated<number>;
  title_he: string;
  body_he_md: string;
  title_en: string | null;
  body_en_md: string | null;
  /** Null: a draft. In the future: scheduled. Visible to everyone once it has passed. */
  published_at: string | null;
  /** Set when a published announcement is corrected (the audit log keeps the edit). */
  edited_at: string | null;
  created_by: number | null;
  created_at: string;
  updated_at: string;
  /** The e-mail fan-out's progress: users up to this id have their message enqueued. */
  mail_cursor: Generated<number>;
  mailed_at: string | null;
}

export interface AnnouncementRequestsTable {
  announcement_id: number;
  request_id: number;
}

/** A job that one process runs at a time (migration 0015, app/services/worker-lease.server.ts). */
export interface LeasesTable {
  name: string;
  holder: string;
  expires_at: string;
}

export interface RateLimitsTable {
  key: string;
  count: number;
  reset_at: string;
}

export type { RequestDecision, RequestStatus } from "~/models/request-status";
export type RequestVisibility = "public" | "organization";
/** Where a request or a recorded vote came from: the board itself, or what staff heard. */
export type DemandSource = "email" | "whatsapp" | "call" | "meeting";
export type RequestSource = "board" | DemandSource;

export interface RequestsTable {
  id: Generated<number>;
  title: string;
  body_md: Generated<string>;
  category_id: number | null;
  author_id: number | null;
  org_id: number | null;
  status: Generated<RequestStatus>;
  decision: RequestDecision | null;
  merged_into_id: number | null;
  vote_count: Generated<number>;
  org_count: Generated<number>;
  comment_count: Generated<number>;
  follower_count: Generated<number>;
  /** Votes inside the trending window: the sum of the request's request_vote_days rows. */
  recent_vote_count: Generated<number>;
  created_at: string;
  updated_at: string;
  shipped_at: string | null;
  edited_at: string | null;
  visibility: Generated<RequestVisibility>;
  source: Generated<RequestSource>;
  /** The staff member who proposed it on a customer's behalf. */
  recorded_by: number | null;
  /** The staff member who owns it. */
  owner_id: number | null;
  /** "2027-Q1". */
  target_quarter: string | null;
  /** The help article an "already possible" answer points to. */
  help_url: string | null;
}

export interface VotesTable {
  request_id: number;
  user_id: number;
  org_id: number | null;
  created_at: string;
  /** The staff member who recorded it for the voter, from what the customer said. */
  recorded_by: number | null;
  source: DemandSource | null;
  customer_quote: string | null;
}

export interface RequestOrgVotesTable {
  request_id: number;
  org_id: number;
  votes: number;
}

export interface RequestVoteDaysTable {
  request_id: number;
  /** UTC day, YYYY-MM-DD. */
  day: string;
  votes: number;
}

export interface CommentsTable {
  id: Generated<number>;
  request_id: number;
  author_id: number | null;
  org_id: number | null;
  body_md: string;
  is_internal: Generated<number>;
  is_official: Generated<number>;
  created_at: string;
  edited_at: string | null;
  deleted_at: string | null;
}

export interface FollowsTable {
  request_id: number;
  user_id: number;
  created_at: string;
}

export interface StatusEventsTable {
  id: Generated<number>;
  request_id: number;
  actor_id: number | null;
  from_status: RequestStatus | null;
  to_status: RequestStatus;
  note: string | null;
  created_at: string;
}

export interface SessionsTable {
  id: string;
  user_id: number;
  data_json: Generated<string>;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  ip: string | null;
  user_agent: string | null;
}

export type UserTokenPurpose = "password_reset" | "email_verification";

export interface UserTokensTable {
  id: Generated<number>;
  user_id: number;
  purpose: UserTokenPurpose;
  token_hash: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

/** A single-use link that withdraws a vote staff recorded for a customer (migration 0007). */
export interface VoteWithdrawalTokensTable {
  id: Generated<number>;
  request_id: number;
  user_id: number;
  recorded_by: number | null;
  token_hash: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface QuotesTable {
  id: Generated<number>;
  request_id: number;
  version: number;
  status: "open" | "funded" | "superseded" | "withdrawn" | "expired";
  pricing: "hourly" | "fixed";
  quarter_hours: number | null;
  rate_minor: number | null;
  net_minor: number;
  vat_bps: number;
  vat_minor: number;
  gross_minor: number;
  currency: string;
  valid_until: string;
  expires_at: string;
  delivery_weeks: number;
  terms_md: string;
  terms_sha256: string;
  audience: "org" | "open";
  offered_org_id: number | null;
  min_share_minor: number | null;
  pledged_minor: Generated<number>;
  created_by: number | null;
  created_at: string;
  closed_at: string | null;
}

/** A signed acceptance or pledge: written once, never updated or deleted. */
export interface SponsorshipsTable {
  id: Generated<number>;
  quote_id: number;
  quote_version: number;
  request_id: number;
  org_id: number;
  share_minor: number;
  signer_id: number | null;
  signer_name: string;
  signer_email: string;
  signer_ip: string | null;
  terms_sha256: string;
  credit_by_name: Generated<number>;
  accepted_at: string;
}

export interface QuoteDeclinesTable {
  id: Generated<number>;
  quote_id: number;
  org_id: number;
  user_id: number | null;
  reason: string | null;
  created_at: string;
}

/** Raised by triggers on every write to public content (migration 0016); one row per stripe. */
export interface ContentVersionsTable {
  stripe: number;
  version: number;
}

export interface Database {
  content_versions: ContentVersionsTable;
  announcements: AnnouncementsTable;
  announcement_requests: AnnouncementRequestsTable;
  quotes: QuotesTable;
  sponsorships: SponsorshipsTable;
  quote_declines: QuoteDeclinesTable;
  sessions: SessionsTable;
  user_tokens: UserTokensTable;
  users: UsersTable;
  organizations: OrganizationsTable;
  memberships: MembershipsTable;
  invitations: InvitationsTable;
  categories: CategoriesTable;
  settings: SettingsTable;
  audit_log: AuditLogTable;
  outbox: OutboxTable;
  rate_limits: RateLimitsTable;
  leases: LeasesTable;
  requests: RequestsTable;
  votes: VotesTable;
  request_org_votes: RequestOrgVotesTable;
  request_vote_days: RequestVoteDaysTable;
  comments: CommentsTable;
  follows: FollowsTable;
  status_events: StatusEventsTable;
  vote_withdrawal_tokens: VoteWithdrawalTokensTable;
}

export type User = Selectable<UsersTable>;
export type Organization = Selectable<OrganizationsTable>;

let instance: Kysely<Database> | undefined;

/**
 * The shared Kysely instance, opened on first use on DATABASE_URL: a SQLite file, or a
 * PostgreSQL server through a pool of DATABASE_POOL_SIZE connections (db/engine.js).
 */
export function getDb(): Kysely<Database> {
  const env = getEnv();
  instance ??= new Kysely<Database>({
    dialect: createDialect(env.DATABASE_URL, {
      poolSize: env.DATABASE_POOL_SIZE,
      statementCache: true,
    }),
  });
  return instance;
}

/** Which engine DATABASE_URL names; only the search module and the helpers here ask. */
export function getEngine(): Engine {
  return engineFromUrl(getEnv().DATABASE_URL);
}

/** Closes the pool (PostgreSQL) or the file (SQLite), for a process that is about to exit. */
export async function closeDb(): Promise<void> {
  const closing = instance;
  instance = undefined;
  await closing?.destroy();
}

/** How many times a transaction PostgreSQL gave up on (a deadlock, a serialization failure) runs. */
const TRANSACTION_ATTEMPTS = 4;
/** SQLSTATEs that mean "run it again": serialization_failure, deadlock_detected. */
const RETRYABLE = new Set(["40001", "40P01"]);

/**
 * Thrown inside a transaction that met a row its reads did not see: on PostgreSQL a statement
 * that waited for a row lock still reads from the snapshot taken before it waited, so what it
 * found (no vote yet) may be out of date once it holds the lock. inTransaction runs the work
 * again from the start, which reads afresh.
 */
export class StaleRead extends Error {
  constructor(what: string) {
    super(`read out of date: ${what}`);
    this.name = "StaleRead";
  }
}

/**
 * Runs `work` in one transaction, the unit of every user action. On PostgreSQL two
 * transactions that lock the same rows in opposite orders deadlock, and the server aborts one
 * of them: that one runs again from the start, a few times, after a short random wait, so the
 * user sees their action done rather than an error. `work` must therefore only touch the
 * database (which every model function here does; e-mail goes through the outbox). SQLite's
 * write transactions run one at a time and never need it. A transaction that met a statement
 * prepared before a migration changed its result runs again too (see db/engine.js), and so does
 * one that read something out of date (StaleRead).
 */
export async function inTransaction<T>(
  work: (trx: Transaction<Database>) => Promise<T>,
  db: Kysely<Database> = getDb(),
): Promise<T> {
  return withRetries(() => db.transaction().execute(work));
}

/**
 * Runs `action` (a transaction, or one statement, which is a transaction of its own) again
 * when it failed in a way that another run fixes: see inTransaction.
 */
export async function withRetries<T>(action: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await action();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      const retryable =
        (typeof code === "string" && RETRYABLE.has(code)) ||
        isStaleStatement(error) ||
        error instanceof StaleRead;
      if (attempt >= TRANSACTION_ATTEMPTS || !retryable) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
    }
  }
}

/**
 * `query` locking the rows it reads until the transaction ends (FOR UPDATE), on PostgreSQL:
 * a read that decides a write (is there a vote to withdraw? is this quote still open?) then
 * sees no concurrent change. SQLite needs no row locks: its write transaction is exclusive.
 */
export function lockingRows<Q extends SelectQueryBuilder<any, any, any>>(
  db: Kysely<Database>,
  query: Q,
): Q {
  return engineOf(db) === "postgres" ? (query.forUpdate() as Q) : query;
}

/**
 * Whether several writes can go to the database as one statement (PostgreSQL's data-modifying
 * WITH). Each statement to PostgreSQL is a round trip to another process, which costs both ends
 * more than the write itself; SQLite runs in the app's process and has no such statement.
 */
export function writesInOneStatement(db: Kysely<Database>): boolean {
  return engineOf(db) === "postgres";
}

/**
 * Which version of a requests row a statement reads, for one statement that writes
 * (writesInOneStatement, PostgreSQL only): the transaction that wrote that version (`xmin`).
 * `rowVersion` is of the row the statement reads itself, which after a wait for its lock (FOR
 * UPDATE) is the newest; `snapshotRowVersion` is of the row with id `id` in the statement's
 * snapshot, taken before any wait. They differ when another transaction changed the row
 * meanwhile.
 */
export function rowVersion(): RawBuilder<string> {
  return sql<string>`cast(${sql.ref("requests.xmin")} as text)`;
}

export function snapshotRowVersion(id: number): RawBuilder<string> {
  return sql<string>`(select cast(r.xmin as text) from requests r where r.id = ${id})`;
}

/**
 * A query built and compiled once, then run with each call's values: for a statement whose
 * building costs more than running it (a vote's one statement on PostgreSQL has a dozen parts,
 * and Kysely's builders took a sixth of the vote's time). `build` receives stand-ins for the
 * values and may use each only as a value, which becomes a parameter of the statement: never
 * look at one, or branch on it.
 */
export function builtOnce<V extends Record<string, unknown>, R>(
  build: (db: Kysely<Database>, values: V) => Compilable<R>,
): (db: Kysely<Database>, values: V) => Promise<R[]> {
  // Per engine: each compiles to its own SQL (a process may hold both, copying a board).
  const byEngine = new Map<Engine, CompiledQuery<R>>();
  return async (db, values) => {
    const engine = engineOf(db);
    let compiled = byEngine.get(engine);
    if (!compiled) {
      const standIns = Object.fromEntries(
        Object.keys(values).map((key) => [key, new StandIn(key)]),
      );
      compiled = build(db, standIns as V).compile();
      const used = new Set(compiled.parameters.map((p) => p instanceof StandIn && p.key));
      const unused = Object.keys(values).filter((key) => !used.has(key));
      if (unused.length) throw new Error(`builtOnce: not a parameter: ${unused.join(", ")}`);
      byEngine.set(engine, compiled);
    }
    const parameters = compiled.parameters.map((p) => (p instanceof StandIn ? values[p.key] : p));
    const result = await db.executeQuery<R>({ ...compiled, parameters, queryId: createQueryId() });
    return result.rows;
  };
}

/** What builtOnce's `build` gets in place of a value: the name of the value it stands for. */
class StandIn {
  constructor(readonly key: string) {}
}

/**
 * Makes the transactions that pass the same key run this part one at a time, until they end
 * (a transaction-scoped advisory lock on PostgreSQL): for a check that no row exists yet, which
 * no row lock can guard, such as "no open request has this title". SQLite's write transaction
 * is exclusive already.
 */
export async function serializeOn(db: Kysely<Database>, key: string): Promise<void> {
  if (engineOf(db) === "postgres")
    await sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(db);
}

/** Current time as the ISO-8601 string stored in every timestamp column. */
export function now(): string {
  return new Date().toISOString();
}

/**
 * A column reference the query planner may not use an index for (SQLite's unary plus), for a
 * query that should walk the index of its ORDER BY and filter on the way rather than look rows
 * up by this column and sort them. PostgreSQL's planner chooses by its statistics and has no
 * such hint (a unary plus on text is an error there): the plain column.
 */
export function notIndexed<T>(column: string): RawBuilder<T> {
  return getEngine() === "postgres" ? sql<T>`${sql.ref(column)}` : sql<T>`+${sql.ref(column)}`;
}

/**
 * The rows `query` selects, locked for this transaction, leaving out the rows other
 * transactions hold (PostgreSQL's FOR UPDATE SKIP LOCKED), so concurrent workers each take
 * different ones. SQLite has no row locks and needs none: its write transaction is exclusive.
 */
export function skipLockedRows<Q extends SelectQueryBuilder<any, any, any>>(
  db: Kysely<Database>,
  query: Q,
): Q {
  return engineOf(db) === "postgres" ? (query.forUpdate().skipLocked() as Q) : query;
}

/**
 * `column` contains `text`, ignoring letter case, on both engines (LIKE ignores case in SQLite
 * but not in PostgreSQL, so both sides are lowered); `%`, `_` and `\` in the text are literal.
 */
export function containsText(column: string, text: string): RawBuilder<SqlBool> {
  const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql<SqlBool>`lower(${sql.ref(column)}) like lower(${pattern}) escape '\\'`;
}

/** How many rows something counted: exact, or at least `count` when `more`. */
export type ResultCount = { count: number; more: boolean };

/**
 * The number of rows `query` selects, counting no further than `cap`: reading past a cap costs
 * nothing however many rows there are (an exact COUNT over 70,000 waiting requests is a few
 * milliseconds on every staff page). Portable SQL: a LIMIT in a derived table.
 */
export async function countUpTo(
  query: SelectQueryBuilder<Database, any, object>,
  cap: number,
): Promise<ResultCount> {
  const row = await getDb()
    .selectFrom(
      query
        .select(sql<number>`1`.as("one"))
        .limit(cap + 1)
        .as("capped"),
    )
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  const n = Number(row.n);
  return n > cap ? { count: cap, more: true } : { count: n, more: false };
}
