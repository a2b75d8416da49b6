// The append-only audit log: who did what to which subject, with before/after data.
import type { Kysely, Transaction } from "kysely";
import { requireStaff } from "~/auth/permissions.server";
import { now, type Database, inTransaction } from "~/db.server";
import type { Actor } from "~/models/errors";

export type AuditEntry = {
  actorId: number | null;
  action: string;
  subjectType: string;
  subjectId: number | null;
  data?: Record<string, unknown>;
};

export async function recordAudit(
  trx: Kysely<Database> | Transaction<Database>,
  entry: AuditEntry,
) {
  await trx
    .insertInto("audit_log")
    .values({
      actor_id: entry.actorId,
      action: entry.action,
      subject_type: entry.subjectType,
      subject_id: entry.subjectId,
      data_json: JSON.stringify(entry.data ?? {}),
      created_at: now(),
    })
    .execute();
}

/**
 * Every action name the app writes, in the order the audit page's filter offers them. A row
 * with a name not listed here (an older or newer one) is still listed, under its own name.
 */
export const AUDIT_ACTIONS = [
  // Triage and staff work on requests.
  "request.decide",
  "request.status",
  "request.merge",
  "request.reopen",
  "request.edit",
  "request.assign",
  "request.quarter",
  "request.visibility",
  "request.propose_on_behalf",
  "vote.record",
  "vote.withdraw_recorded",
  "comment.added",
  "comment.edited",
  "comment.deleted",
  // Customers' own requests.
  "request.created",
  "request.edited",
  "request.withdrawn",
  "request.voted",
  "request.vote_withdrawn",
  // Sponsored development.
  "quote.create",
  "quote.revise",
  "quote.withdraw",
  "quote.expire",
  "quote.accept",
  "quote.decline",
  // Announcements.
  "announcement.create",
  "announcement.edit",
  "announcement.publish",
  "announcement.schedule",
  "announcement.unschedule",
  "announcement.correct",
  "announcement.delete",
  // Staff settings.
  "category.create",
  "category.rename",
  "category.reorder",
  "category.archive",
  "category.unarchive",
  "staff.grant",
  "staff.role",
  "staff.revoke",
  "settings.update",
  // Organizations.
  "org.create",
  "org.invite",
  "org.invite_accept",
  "org.invite_revoke",
  "org.role",
  "org.remove",
  "org.leave",
  "org.contact_add",
  // Accounts.
  "user.signed_up",
  "user.email_verified",
  "user.password_changed",
  "user.password_reset_requested",
  "user.password_reset",
  "account.delete",
  // E-mail preferences (the account page, an unsubscribe link).
  "user.unsubscribed",
  "user.preferences",
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export function isKnownAuditAction(action: string): action is AuditAction {
  return (AUDIT_ACTIONS as readonly string[]).includes(action);
}

export const AUDIT_PAGE_SIZE = 50;

export type AuditRow = {
  id: number;
  action: string;
  actorId: number | null;
  actorName: string | null;
  subjectType: string;
  subjectId: number | null;
  /** What data_json held: `{ before, after, … }` by convention; `{}` when it does not parse. */
  data: Record<string, unknown>;
  createdAt: string;
};

export type AuditFilters = {
  actorId?: number | null;
  action?: string | null;
  /** Rows about this request (subject_type "request"). */
  requestId?: number | null;
};

export type AuditPage = {
  items: AuditRow[];
  /** The id to continue below, or null on the last page. */
  nextCursor: number | null;
  /** Staff members, for the actor filter. */
  staff: { id: number; name: string }[];
};

function parseData(json: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(json);
    return value && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

/**
 * The audit log for a staff admin, newest first, `limit` rows below the `cursor` id. Each filter
 * has its index (audit_by_actor, audit_by_action, audit_by_subject, all ending in id), so a page
 * is a range read whatever the log's size. Read only: nothing in the app changes a logged row.
 */
export async function listAuditLog({
  actor,
  filters = {},
  cursor = null,
  limit = AUDIT_PAGE_SIZE,
}: {
  actor: Actor;
  filters?: AuditFilters;
  cursor?: number | null;
  limit?: number;
}): Promise<AuditPage> {
  return inTransaction(async (trx) => {
    await requireStaff(trx, actor, { admin: true });
    let query = trx
      .selectFrom("audit_log")
      .leftJoin("users", "users.id", "audit_log.actor_id")
      .select([
        "audit_log.id as id",
        "audit_log.action as action",
        "audit_log.actor_id as actorId",
        "users.name as actorName",
        "audit_log.subject_type as subjectType",
        "audit_log.subject_id as subjectId",
        "audit_log.data_json as dataJson",
        "audit_log.created_at as createdAt",
      ]);
    if (filters.actorId != null) query = query.where("audit_log.actor_id", "=", filters.actorId);
    if (filters.action) query = query.where("audit_log.action", "=", filters.action);
    if (filters.requestId != null) {
      query = query
        .where("audit_log.subject_type", "=", "request")
        .where("audit_log.subject_id", "=", filters.requestId);
    }
    if (cursor != null) query = query.where("audit_log.id", "<", cursor);
    const size = Math.min(Math.max(Math.trunc(limit) || 1, 1), 200);
    const rows = await query
      .orderBy("audit_log.id", "desc")
      .limit(size + 1)
      .execute();
    const page = rows.slice(0, size);
    const staff = await trx
      .selectFrom("users")
      .select(["id", "name"])
      .where("is_staff", "=", 1)
      .orderBy("name")
      .orderBy("id")
      .execute();
    return {
      items: page.map(({ dataJson, ...row }) => ({ ...row, data: parseData(dataJson) })),
      nextCursor: rows.length > size ? page[page.length - 1].id : null,
      staff,
    };
  });
}
