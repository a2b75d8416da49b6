// The one Kysely instance of the app, and the Database type every query is checked against.
import { Kysely, SqliteDialect, type Generated, type Selectable } from "kysely";
import { databaseFileFromUrl, openSqlite } from "../db/sqlite.js";
import { getEnv } from "~/env.server";

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
  created_at: string;
  updated_at: string;
}

export interface OrganizationsTable {
  id: Generated<number>;
  slug: string;
  name: string;
  created_by: number | null;
  created_at: string;
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
}

export interface RateLimitsTable {
  key: string;
  count: number;
  reset_at: string;
}

export interface Database {
  users: UsersTable;
  organizations: OrganizationsTable;
  memberships: MembershipsTable;
  invitations: InvitationsTable;
  categories: CategoriesTable;
  settings: SettingsTable;
  audit_log: AuditLogTable;
  outbox: OutboxTable;
  rate_limits: RateLimitsTable;
}

export type User = Selectable<UsersTable>;
export type Organization = Selectable<OrganizationsTable>;

let instance: Kysely<Database> | undefined;

/** The shared Kysely instance, opened on first use with the file named by DATABASE_URL. */
export function getDb(): Kysely<Database> {
  instance ??= new Kysely<Database>({
    dialect: new SqliteDialect({ database: openSqlite(databaseFileFromUrl(getEnv().DATABASE_URL)) }),
  });
  return instance;
}

/** Current time as the ISO-8601 string stored in every timestamp column. */
export function now(): string {
  return new Date().toISOString();
}
