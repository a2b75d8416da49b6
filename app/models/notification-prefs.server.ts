// A user's e-mail preferences: status updates of the requests they follow (on by default: the
// follow box promises them), product news and the weekly digest (both opt-in). The worker reads
// them again at send time (app/services/worker.server.ts), so a change stops mail already queued.
import { getDb, now, type NotificationTopic, inTransaction } from "~/db.server";
import { recordAudit } from "./audit.server";
import { ActionRefused, type Actor } from "./errors";

export type Preferences = Record<NotificationTopic, boolean>;

const COLUMN = {
  status: "notify_status",
  news: "notify_news",
  digest: "notify_digest",
} as const satisfies Record<NotificationTopic, string>;

export async function getPreferences({ actor }: { actor: Actor }): Promise<Preferences> {
  const row = await getDb()
    .selectFrom("users")
    .select(["notify_status", "notify_news", "notify_digest"])
    .where("id", "=", actor.id)
    .executeTakeFirst();
  if (!row) throw new ActionRefused("error.404.title", 404);
  return {
    status: row.notify_status === 1,
    news: row.notify_news === 1,
    digest: row.notify_digest === 1,
  };
}

/** The account page's form: all three at once, audited with what changed. */
export async function savePreferences({
  actor,
  prefs,
}: {
  actor: Actor;
  prefs: Preferences;
}): Promise<void> {
  await inTransaction(async (trx) => {
    const before = await trx
      .selectFrom("users")
      .select(["notify_status", "notify_news", "notify_digest"])
      .where("id", "=", actor.id)
      .executeTakeFirst();
    if (!before) throw new ActionRefused("error.404.title", 404);
    const after = {
      notify_status: prefs.status ? 1 : 0,
      notify_news: prefs.news ? 1 : 0,
      notify_digest: prefs.digest ? 1 : 0,
    };
    await trx
      .updateTable("users")
      .set({ ...after, updated_at: now() })
      .where("id", "=", actor.id)
      .execute();
    await recordAudit(trx, {
      actorId: actor.id,
      action: "user.preferences",
      subjectType: "user",
      subjectId: actor.id,
      data: { before, after },
    });
  });
}

/**
 * One preference switched through an unsubscribe link (no sign-in: the signed token names the
 * user, see unsubscribe.server.ts), or back on by its Undo button. False when the user is gone.
 */
export async function setPreferenceByLink({
  userId,
  topic,
  on,
  via,
}: {
  userId: number;
  topic: NotificationTopic;
  on: boolean;
  /** "one-click": a mail client's RFC 8058 POST; "page": the unsubscribe page's button. */
  via: "one-click" | "page";
}): Promise<boolean> {
  return inTransaction(async (trx) => {
    const user = await trx
      .selectFrom("users")
      .select(["id", COLUMN[topic]])
      .where("id", "=", userId)
      .executeTakeFirst();
    if (!user) return false;
    const value = on ? 1 : 0;
    await trx
      .updateTable("users")
      .set({ [COLUMN[topic]]: value, updated_at: now() })
      .where("id", "=", userId)
      .execute();
    await recordAudit(trx, {
      actorId: userId,
      action: on ? "user.preferences" : "user.unsubscribed",
      subjectType: "user",
      subjectId: userId,
      data: {
        topic,
        via,
        before: { [COLUMN[topic]]: (user as Record<string, number>)[COLUMN[topic]] },
        after: { [COLUMN[topic]]: value },
      },
    });
    return true;
  });
}

/** Whether the user still exists, and the one preference a link names (the page's text). */
export async function preferenceOf(
  userId: number,
  topic: NotificationTopic,
): Promise<boolean | undefined> {
  const row = await getDb()
    .selectFrom("users")
    .select(COLUMN[topic])
    .where("id", "=", userId)
    .executeTakeFirst();
  return row ? (row as Record<string, number>)[COLUMN[topic]] === 1 : undefined;
}
