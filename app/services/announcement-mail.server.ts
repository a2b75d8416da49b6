// An announcement's e-mails: its followers (of the requests it covers, who want status updates)
// and everyone who opted in to product news, one row per user. A million recipients must be
// neither one transaction nor one array in memory, so the worker enqueues them a range of user
// ids at a time, each range one INSERT … SELECT in one short transaction, and keeps its place in
// announcements.mail_cursor: a crash or a restart resumes after the last committed range, and a
// range is never enqueued twice. The rows hold only the announcement's id; its text is read
// when each message is sent (prepareAnnouncement), so a correction reaches those not yet mailed.
import { sql, type Kysely } from "kysely";
import { getDb, now, type Database } from "~/db.server";
import { renderMarkdown } from "~/markdown.server";
import { announcementText, loadAnnouncement } from "~/models/announcements.server";
import type { AnnouncementEmail, AnnouncementRef } from "./emails.server";
import { nudgeOutbox } from "./outbox.server";

/**
 * Enqueues up to `maxRanges` ranges of `rangeSize` user ids, across the announcements whose
 * time has come (oldest first); returns how many rows it wrote. Safe with several workers: each
 * range's transaction re-reads the cursor under SQLite's write lock (immediate transactions).
 */
export async function fanOutAnnouncements({
  rangeSize = 5000,
  maxRanges = 4,
}: { rangeSize?: number; maxRanges?: number } = {}): Promise<{ enqueued: number }> {
  const db = getDb();
  let ranges = 0;
  let enqueued = 0;
  while (ranges < maxRanges) {
    const pending = await db
      .selectFrom("announcements")
      .select("id")
      .where("published_at", "is not", null)
      .where("published_at", "<=", now())
      .where("mailed_at", "is", null)
      .orderBy("published_at")
      .limit(1)
      .executeTakeFirst();
    if (!pending) break;
    while (ranges < maxRanges) {
      ranges++;
      const step = await enqueueRange(db, pending.id, rangeSize);
      enqueued += step.enqueued;
      if (step.done) break;
    }
  }
  if (enqueued > 0) nudgeOutbox();
  return { enqueued };
}

/** One range of users for one announcement, and the cursor moved past it, in one transaction. */
async function enqueueRange(
  db: Kysely<Database>,
  announcementId: number,
  rangeSize: number,
): Promise<{ enqueued: number; done: boolean }> {
  return db.transaction().execute(async (trx) => {
    const announcement = await trx
      .selectFrom("announcements")
      .select(["mail_cursor", "mailed_at"])
      .where("id", "=", announcementId)
      .executeTakeFirst();
    if (!announcement || announcement.mailed_at !== null) return { enqueued: 0, done: true };
    const from = announcement.mail_cursor;
    const to = from + rangeSize;
    const timestamp = now();
    const payload = (reason: AnnouncementRef["reason"]) =>
      JSON.stringify({
        template: "announcement",
        announcementId,
        reason,
      } satisfies AnnouncementRef);
    // A follower who wants status updates hears of it as a follower (topic "status"); anyone
    // else in the range who wants product news, as news. One statement does both.
    const follower = sql<boolean>`(users.notify_status = 1 and exists (
      select 1 from follows
      join announcement_requests on announcement_requests.request_id = follows.request_id
      where announcement_requests.announcement_id = ${announcementId}
        and follows.user_id = users.id))`;
    const result = await trx
      .insertInto("outbox")
      .columns([
        "kind",
        "recipient",
        "payload_json",
        "next_attempt_at",
        "created_at",
        "user_id",
        "topic",
      ])
      .expression(
        trx
          .selectFrom("users")
          .select([
            sql<string>`'email'`.as("kind"),
            "users.email",
            sql<string>`case when ${follower} then ${payload("follower")} else ${payload("news")} end`.as(
              "payload_json",
            ),
            sql<string>`${timestamp}`.as("next_attempt_at"),
            sql<string>`${timestamp}`.as("created_at"),
            "users.id",
            sql<string>`case when ${follower} then 'status' else 'news' end`.as("topic"),
          ])
          .where("users.id", ">", from)
          .where("users.id", "<=", to)
          .where((eb) => eb.or([eb("users.notify_news", "=", 1), follower])),
      )
      .executeTakeFirst();
    const last = await trx
      .selectFrom("users")
      .select((eb) => eb.fn.max("id").as("maxId"))
      .executeTakeFirst();
    const done = to >= Number(last?.maxId ?? 0);
    await trx
      .updateTable("announcements")
      .set({ mail_cursor: to, mailed_at: done ? timestamp : null })
      .where("id", "=", announcementId)
      .execute();
    return { enqueued: Number(result.numInsertedOrUpdatedRows ?? 0), done };
  });
}

/**
 * The announcement as its recipient reads it now, in their language: called by the worker just
 * before sending (the fan-out's rows hold only its id).
 */
export async function prepareAnnouncement(
  db: Kysely<Database>,
  ref: AnnouncementRef,
  userId: number,
): Promise<AnnouncementEmail> {
  const user = await db
    .selectFrom("users")
    .select("locale")
    .where("id", "=", userId)
    .executeTakeFirst();
  const view = await loadAnnouncement(db, ref.announcementId);
  if (!view) throw new Error(`announcement ${ref.announcementId} is gone`);
  const locale = user?.locale ?? "he";
  const text = announcementText(view, locale);
  return {
    template: "announcement",
    locale,
    reason: ref.reason,
    title: text.title,
    bodyHtml: renderMarkdown(text.bodyMd),
    bodyText: text.bodyMd,
    fallback: text.fallback,
    url: `/announcements/${view.id}`,
    requests: view.requests.map((r) => ({
      title: r.title,
      url: `/requests/${r.id}`,
      sponsors: r.sponsors,
    })),
  };
}
