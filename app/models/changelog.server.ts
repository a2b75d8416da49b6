// The reading side of announcements: the public changelog (newest first, by keyset), the Atom
// feed's latest entries, and each signed-in user's unread count in the header.
//
// The unread count is one watermark per user (users.announcements_seen_at), never a row per user
// per announcement: "published after my watermark" is a range on announcements_published, so
// publishing to a million users is the one UPDATE that sets published_at, and the header reads
// at most UNREAD_CAP + 1 index entries on every page a signed-in user opens.
import { sql } from "kysely";
import { isChangelogFirstPage } from "~/changelog-url";
import { countUpTo, getDb, now, type ResultCount } from "~/db.server";
import type { Locale } from "~/i18n/messages";
import { renderMarkdown } from "~/markdown.server";
import {
  announcementText,
  loadAnnouncements,
  type AnnouncementView,
  type CoveredRequest,
} from "./announcements.server";

/** A page of the changelog: enough to scroll through, few enough to render fast. */
export const CHANGELOG_PAGE_SIZE = 15;
/** The feed carries the latest ones; readers keep what they have already fetched. */
export const FEED_ENTRIES = 50;
/** Past this the badge says "9+": a nudge, not a tally, and a count that stays cheap. */
export const UNREAD_CAP = 9;

/** Where a page of the changelog continues: the last entry's (published_at, id). */
export type ChangelogCursor = { publishedAt: string; id: number };

const CURSOR = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,3})?Z)~(\d{1,15})$/;

export function encodeCursor(cursor: ChangelogCursor): string {
  return `${cursor.publishedAt}~${cursor.id}`;
}

/** The cursor in `?after=`, or null for the first page (a malformed one is the first page too). */
export function parseCursor(value: string | null | undefined): ChangelogCursor | null {
  const match = value ? CURSOR.exec(value) : null;
  if (!match) return null;
  const id = Number(match[2]);
  return Number.isSafeInteger(id) && id > 0 ? { publishedAt: match[1], id } : null;
}

/** The published ones only: the partial index announcements_published holds exactly these. */
function published(at: string) {
  return getDb()
    .selectFrom("announcements")
    .where("published_at", "is not", null)
    .where("published_at", "<=", at);
}

/**
 * A page of the changelog, newest first: published announcements only (a scheduled one appears
 * when its time comes), optionally those covering a request in `categoryId`. Keyset paging on
 * (published_at, id), so a page costs the same however deep it is and an announcement published
 * meanwhile neither repeats nor hides an entry on the next page.
 */
export async function listChangelog({
  categoryId = null,
  after = null,
  limit = CHANGELOG_PAGE_SIZE,
}: {
  categoryId?: number | null;
  after?: ChangelogCursor | null;
  limit?: number;
} = {}): Promise<{ entries: AnnouncementView[]; next: ChangelogCursor | null }> {
  const db = getDb();
  let query = published(now()).select(["id", "published_at"]);
  if (after) {
    query = query.where((eb) =>
      eb.or([
        eb("published_at", "<", after.publishedAt),
        eb.and([eb("published_at", "=", after.publishedAt), eb("id", "<", after.id)]),
      ]),
    );
  }
  if (categoryId !== null) {
    // Announcements covering a public request of the category (a request made private since is
    // no longer shown with its announcement, so it does not place it in a category either).
    // Checked per announcement while walking announcements_published newest first: there are
    // far fewer announcements than requests in a category, and the walk stops at a page.
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom("announcement_requests as ar")
          .innerJoin("requests as r", "r.id", "ar.request_id")
          .select(sql<number>`1`.as("one"))
          .whereRef("ar.announcement_id", "=", "announcements.id")
          .where("r.category_id", "=", categoryId)
          .where("r.visibility", "=", "public"),
      ),
    );
  }
  const rows = await query
    .orderBy("published_at", "desc")
    .orderBy("id", "desc")
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    entries: await loadAnnouncements(
      db,
      page.map((r) => r.id),
    ),
    next: rows.length > limit && last ? { publishedAt: last.published_at!, id: last.id } : null,
  };
}

/**
 * The feed's entries (the latest published ones) and the feed's `updated`: the newest moment
 * any of them was published or corrected (null when there are none yet).
 */
export async function listFeedEntries(
  limit = FEED_ENTRIES,
): Promise<{ entries: AnnouncementView[]; updated: string | null }> {
  const { entries } = await listChangelog({ limit });
  let updated: string | null = null;
  for (const entry of entries) {
    const at = entryUpdated(entry);
    if (updated === null || at > updated) updated = at;
  }
  return { entries, updated };
}

/** When an entry last changed for its readers: its correction, else its publication. */
export function entryUpdated(entry: Pick<AnnouncementView, "publishedAt" | "editedAt">): string {
  const published = entry.publishedAt!;
  return entry.editedAt && entry.editedAt > published ? entry.editedAt : published;
}

/** What the watermark needs of a user: the row the session already loaded. */
export type Reader = { id: number; announcements_seen_at: string | null; created_at: string };

/**
 * From when a user's announcements count as unread. A user who has never opened the changelog
 * counts from when they signed up: a new account is not greeted with every announcement ever
 * published as news.
 */
function watermarkOf(reader: Reader): string {
  return reader.announcements_seen_at ?? reader.created_at;
}

function unreadQuery(reader: Reader, at: string) {
  return published(at).where("published_at", ">", watermarkOf(reader));
}

/** The header's count: published announcements newer than the user's watermark, up to the cap. */
export async function countUnread(reader: Reader): Promise<ResultCount> {
  return countUpTo(unreadQuery(reader, now()), UNREAD_CAP);
}

/**
 * Opening the changelog marks everything published so far as seen: the watermark moves to now.
 * Only when something was unread, so a plain visit (the common case) reads one index entry at
 * most and writes nothing. Returns whether it wrote.
 */
export async function markAnnouncementsSeen(reader: Reader): Promise<boolean> {
  const at = now();
  const unread = await unreadQuery(reader, at).select("id").limit(1).executeTakeFirst();
  if (!unread) return false;
  await getDb()
    .updateTable("users")
    .set({ announcements_seen_at: at })
    .where("id", "=", reader.id)
    // Never backwards: another tab may have moved it meanwhile.
    .where((eb) =>
      eb.or([eb("announcements_seen_at", "is", null), eb("announcements_seen_at", "<", at)]),
    )
    .execute();
  return true;
}

/**
 * The changelog's loader: a signed-in reader opening its first page has seen everything so far.
 * (Here rather than in the route, whose browser bundle would otherwise import changelog-url.ts
 * alongside the root's and split it into a script of its own on every page.)
 */
export async function openChangelog(request: Request, reader: Reader | null): Promise<void> {
  if (reader && isChangelogFirstPage(new URL(request.url))) await markAnnouncementsSeen(reader);
}

/** An announcement as a page shows it: the reader's language only, the body already HTML. */
export type ChangelogEntry = {
  id: number;
  title: string;
  /** The language of title and body: Hebrew for an English reader when there is no English. */
  lang: Locale;
  fallback: boolean;
  bodyHtml: string;
  publishedAt: string;
  editedAt: string | null;
  requests: Pick<CoveredRequest, "id" | "title" | "orgCount" | "sponsors">[];
};

export function changelogEntry(view: AnnouncementView, locale: Locale): ChangelogEntry {
  const text = announcementText(view, locale);
  return {
    id: view.id,
    title: text.title,
    lang: text.lang,
    fallback: text.fallback,
    // Sanitized as every user's Markdown is (raw HTML escaped, only web and mail links live).
    bodyHtml: renderMarkdown(text.bodyMd),
    publishedAt: view.publishedAt!,
    editedAt: view.editedAt,
    requests: view.requests.map(({ id, title, orgCount, sponsors }) => ({
      id,
      title,
      orgCount,
      sponsors,
    })),
  };
}
