// The weekly digest (opt-in, users.notify_digest): what changed on the requests a user follows
// since their last digest (status changes, official answers) and the announcements published
// meanwhile. The worker enqueues a batch of due users a tick, in one transaction; a user with
// nothing new gets no e-mail, only their digest_sent_at moved on, so they are due again in a week.
import { sql, type Transaction } from "kysely";
import { now, type Database, type RequestStatus, inTransaction } from "~/db.server";
import { announcementText } from "~/models/announcements.server";
import type { DigestEmail } from "./emails.server";
import { enqueueEmail, nudgeOutbox } from "./outbox.server";

export const DIGEST_INTERVAL_MS = 7 * 86_400_000;
/** The most changes one digest lists; the board has the rest. */
const DIGEST_MAX_CHANGES = 30;

export async function enqueueDigests({ limit = 100 }: { limit?: number } = {}): Promise<{
  users: number;
  enqueued: number;
}> {
  const result = await inTransaction(async (trx) => {
    const timestamp = now();
    const cutoff = new Date(Date.parse(timestamp) - DIGEST_INTERVAL_MS).toISOString();
    // users_digest_due: (digest_sent_at, id) where notify_digest = 1; never-sent ones first.
    const due = await trx
      .selectFrom("users")
      .select(["id", "email", "name", "locale", "digest_sent_at"])
      .where("notify_digest", "=", 1)
      .where((eb) => eb.or([eb("digest_sent_at", "is", null), eb("digest_sent_at", "<=", cutoff)]))
      .orderBy("digest_sent_at")
      .orderBy("id")
      .limit(limit)
      .execute();
    let enqueued = 0;
    for (const user of due) {
      // A first digest covers the week before it.
      const since = user.digest_sent_at ?? cutoff;
      const locale = user.locale ?? "he";
      const digest: DigestEmail = {
        template: "digest",
        locale,
        name: user.name,
        changes: await changesFor(trx, user.id, since, timestamp),
        announcements: (await announcementsBetween(trx, since, timestamp)).map((a) => ({
          title: announcementText(a, locale).title,
          url: `/announcements/${a.id}`,
        })),
      };
      if (digest.changes.length + digest.announcements.length > 0) {
        await enqueueEmail(trx, user.email, digest, { userId: user.id, topic: "digest" });
        enqueued++;
      }
    }
    if (due.length > 0) {
      await trx
        .updateTable("users")
        .set({ digest_sent_at: timestamp })
        .where(
          "id",
          "in",
          due.map((u) => u.id),
        )
        .execute();
    }
    return { users: due.length, enqueued };
  });
  if (result.enqueued > 0) nudgeOutbox();
  return result;
}

/** The condition "this user (users.id = userId) may see requests r" in raw SQL. */
const visibleTo = (userId: number) => sql<boolean>`(r.visibility = 'public'
  or exists (select 1 from users s where s.id = ${userId} and s.is_staff = 1)
  or exists (select 1 from memberships m where m.user_id = ${userId} and m.org_id = r.org_id))`;

async function changesFor(
  trx: Transaction<Database>,
  userId: number,
  since: string,
  until: string,
): Promise<DigestEmail["changes"]> {
  const statuses = await trx
    .selectFrom("status_events as e")
    .innerJoin("follows as f", (j) => j.onRef("f.request_id", "=", "e.request_id"))
    .innerJoin("requests as r", "r.id", "e.request_id")
    .select(["r.id", "r.title", "e.to_status", "e.note", "e.created_at"])
    .where("f.user_id", "=", userId)
    .where("e.created_at", ">", since)
    .where("e.created_at", "<=", until)
    .where(visibleTo(userId))
    .orderBy("e.created_at")
    .limit(DIGEST_MAX_CHANGES)
    .execute();
  const answers = await trx
    .selectFrom("comments as c")
    .innerJoin("follows as f", (j) => j.onRef("f.request_id", "=", "c.request_id"))
    .innerJoin("requests as r", "r.id", "c.request_id")
    .select(["r.id", "r.title", "c.body_md", "c.created_at"])
    .where("f.user_id", "=", userId)
    .where("c.is_official", "=", 1)
    .where("c.is_internal", "=", 0)
    .where("c.deleted_at", "is", null)
    .where("c.created_at", ">", since)
    .where("c.created_at", "<=", until)
    .where(visibleTo(userId))
    .orderBy("c.created_at")
    .limit(DIGEST_MAX_CHANGES)
    .execute();
  return [
    ...statuses.map((s) => ({
      requestTitle: s.title,
      requestUrl: `/requests/${s.id}`,
      kind: "status" as const,
      status: s.to_status as RequestStatus,
      note: s.note,
      at: s.created_at,
    })),
    ...answers.map((a) => ({
      requestTitle: a.title,
      requestUrl: `/requests/${a.id}`,
      kind: "answer" as const,
      status: null,
      note: a.body_md.length > 500 ? `${a.body_md.slice(0, 500).trimEnd()}…` : a.body_md,
      at: a.created_at,
    })),
  ]
    .sort((a, b) => a.at.localeCompare(b.at))
    .slice(0, DIGEST_MAX_CHANGES);
}

async function announcementsBetween(trx: Transaction<Database>, since: string, until: string) {
  return trx
    .selectFrom("announcements")
    .select([
      "id",
      "title_he as titleHe",
      "body_he_md as bodyHe",
      "title_en as titleEn",
      "body_en_md as bodyEn",
    ])
    .where("published_at", "is not", null)
    .where("published_at", ">", since)
    .where("published_at", "<=", until)
    .orderBy("published_at")
    .limit(10)
    .execute();
}
