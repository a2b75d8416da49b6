// Server-side sessions: one row per signed-in browser, so signing out, a password change or an
// admin's removal ends a session at once in every app process.
import { hashToken, newSecretToken } from "./secret-tokens.server";
import type { Kysely, Transaction } from "kysely";
import { builtOnce, getDb, now, type Database } from "~/db.server";
import { ActionRefused, type Actor } from "./errors";
import { describeUserAgent, type Device } from "./user-agent";
import type { MembershipSummary } from "./orgs.server";
import type { PublicUser } from "./users.server";

export const SESSION_TTL_MS = 30 * 24 * 60 * 60_000;
// last_seen_at only needs to say "active a few minutes ago": refreshing it at most this often
// keeps a page view from being a database write.
export const SESSION_TOUCH_INTERVAL_MS = 5 * 60_000;

type Db = Kysely<Database> | Transaction<Database>;

/** What a session remembers besides its user: the organization they act for. */
export type SessionData = { orgId?: number };

export type ActiveSession = { id: string; userId: number; data: SessionData };

/**
 * The row is keyed by the SHA-256 of the token the cookie carries, so a copy of the database
 * holds no usable cookie, and the account page can name a session without showing its token.
 */
const idOfToken = hashToken;

/** Starts a session for the user and returns the token for their cookie (32 random bytes). */
export async function createSession({
  userId,
  ip,
  userAgent,
  data = {},
}: {
  userId: number;
  ip: string | null;
  userAgent: string | null;
  data?: SessionData;
}): Promise<{ token: string; id: string }> {
  const token = newSecretToken();
  const id = idOfToken(token);
  const timestamp = now();
  await getDb()
    .insertInto("sessions")
    .values({
      id,
      user_id: userId,
      data_json: JSON.stringify(data),
      created_at: timestamp,
      last_seen_at: timestamp,
      expires_at: new Date(Date.now() + SESSION_TTL_MS).toISOString(),
      ip: ip || null,
      user_agent: userAgent?.slice(0, 500) || null,
    })
    .execute();
  return { token, id };
}

/**
 * findActiveSession's statement, built once (see builtOnce: every signed-in request runs it). A
 * row per membership (or one with none): a user belongs to a few organizations at most.
 */
const activeSessionRows = builtOnce((db, v: { id: string; timestamp: string }) =>
  db
    .selectFrom("sessions")
    .innerJoin("users", "users.id", "sessions.user_id")
    .leftJoin("memberships", "memberships.user_id", "sessions.user_id")
    .leftJoin("organizations", "organizations.id", "memberships.org_id")
    .selectAll("users")
    .select([
      "sessions.id as session_id",
      "sessions.data_json as session_data_json",
      "sessions.last_seen_at as session_last_seen_at",
      "organizations.id as org_id",
      "organizations.slug as org_slug",
      "organizations.name as org_name",
      "memberships.role as org_role",
    ])
    .where("sessions.id", "=", v.id)
    .where("sessions.expires_at", ">", v.timestamp),
);

/**
 * The unexpired session the token belongs to, with its user and the user's organizations (one
 * statement: every signed-in page and action asks, and on PostgreSQL a statement is a round
 * trip), or null; notes the activity now and then.
 */
export async function findActiveSession(
  token: string,
): Promise<(ActiveSession & { user: PublicUser; memberships: MembershipSummary[] }) | null> {
  const id = idOfToken(token);
  const timestamp = now();
  const rows = await activeSessionRows(getDb(), { id, timestamp });
  if (rows.length === 0) return null;
  const {
    session_id: sessionId,
    session_data_json: dataJson,
    session_last_seen_at: lastSeenAt,
    password_hash: _hash,
    org_id: _orgId,
    org_slug: _orgSlug,
    org_name: _orgName,
    org_role: _orgRole,
    ...user
  } = rows[0];
  const memberships: MembershipSummary[] = [];
  for (const row of rows) {
    if (row.org_id === null || row.org_slug === null || row.org_name === null || !row.org_role)
      continue;
    memberships.push({
      orgId: row.org_id,
      slug: row.org_slug,
      name: row.org_name,
      role: row.org_role,
    });
  }
  // By name, as the organization switcher lists them (sorted here: an ORDER BY would have
  // PostgreSQL plan this statement afresh each time, see db/engine.js).
  memberships.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.orgId - b.orgId));
  if (Date.now() - new Date(lastSeenAt).getTime() >= SESSION_TOUCH_INTERVAL_MS) {
    await getDb()
      .updateTable("sessions")
      .set({ last_seen_at: timestamp })
      .where("id", "=", id)
      .execute();
  }
  return {
    id: sessionId,
    userId: user.id,
    data: parseData(dataJson),
    user,
    memberships,
  };
}

function parseData(json: string): SessionData {
  try {
    const value = JSON.parse(json) as unknown;
    return value && typeof value === "object" ? (value as SessionData) : {};
  } catch {
    return {};
  }
}

export async function updateSessionData(id: string, data: SessionData) {
  await getDb()
    .updateTable("sessions")
    .set({ data_json: JSON.stringify(data) })
    .where("id", "=", id)
    .execute();
}

/** Signing out: the row goes, so the cookie stops working everywhere. */
export async function deleteSessionByToken(token: string) {
  await getDb().deleteFrom("sessions").where("id", "=", idOfToken(token)).execute();
}

/** Ends every session of the user (but the one kept), inside the caller's transaction. */
export async function endSessionsOfUser(
  db: Db,
  userId: number,
  { except }: { except?: string } = {},
): Promise<number> {
  let query = db.deleteFrom("sessions").where("user_id", "=", userId);
  if (except) query = query.where("id", "!=", except);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}

export type SessionSummary = {
  id: string;
  device: Device;
  ip: string | null;
  createdAt: string;
  lastSeenAt: string;
  isCurrent: boolean;
};

/** The actor's own unexpired sessions, most recently active first. */
export async function listSessions({
  actor,
  currentSessionId,
}: {
  actor: Actor;
  currentSessionId: string;
}): Promise<SessionSummary[]> {
  const rows = await getDb()
    .selectFrom("sessions")
    .select(["id", "ip", "user_agent", "created_at", "last_seen_at"])
    .where("user_id", "=", actor.id)
    .where("expires_at", ">", now())
    .orderBy("last_seen_at", "desc")
    .orderBy("created_at", "desc")
    .execute();
  return rows.map((row) => ({
    id: row.id,
    device: describeUserAgent(row.user_agent),
    ip: row.ip,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    isCurrent: row.id === currentSessionId,
  }));
}

/** Signs out one of the actor's sessions; someone else's session id is simply not found. */
export async function endSession({ actor, sessionId }: { actor: Actor; sessionId: string }) {
  const ended = await getDb()
    .deleteFrom("sessions")
    .where("id", "=", sessionId)
    .where("user_id", "=", actor.id)
    .executeTakeFirst();
  if (Number(ended.numDeletedRows) === 0)
    throw new ActionRefused("account.sessions.error.notFound", 404);
}

/** "Sign out of all other sessions": every session of the actor but this one. */
export async function endOtherSessions({
  actor,
  currentSessionId,
}: {
  actor: Actor;
  currentSessionId: string;
}): Promise<number> {
  return endSessionsOfUser(getDb(), actor.id, { except: currentSessionId });
}

/** Housekeeping: expired sessions can never be used again. */
export async function pruneExpiredSessions(): Promise<number> {
  const result = await getDb()
    .deleteFrom("sessions")
    .where("expires_at", "<=", now())
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
