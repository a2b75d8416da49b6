// The changelog as an Atom feed (RFC 4287), one per language. Ids are tag: URIs (RFC 4151) made
// of the site's host and the announcement's id, so an entry keeps its id however often it is
// corrected (a reader shows the correction in place rather than as a new entry), and links are
// absolute from BASE_URL, since a feed is read away from the site.
import { createHash } from "node:crypto";
import { getEnv } from "~/env.server";
import { translate, translateCount, type Locale } from "~/i18n/messages";
import { listFeedEntries, changelogEntry, entryUpdated } from "~/models/changelog.server";
import { feedPath } from "~/changelog-url";

/** The year in the tag: URIs: when this site began minting them; it never changes. */
const TAG_YEAR = 2026;

// Characters XML 1.0 does not allow at all (cleanMarkdown keeps them out of stored text; this
// keeps one that slipped through from making the whole feed unreadable).
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export function escapeXml(text: string): string {
  return text
    .replace(NOT_XML, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

function htmlEscape(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

/** tag:<host>,2026:<specific>: stable whatever port or scheme the site is served on. */
function tagUri(host: string, specific: string): string {
  return `tag:${host},${TAG_YEAR}:${specific}`;
}

export type AtomFeed = { xml: string; etag: string; lastModified: string | null };

/** The feed document of a language, with validators for conditional requests. */
export async function buildAtomFeed(locale: Locale): Promise<AtomFeed> {
  const base = getEnv().BASE_URL;
  const host = new URL(base).hostname;
  const { entries, updated } = await listFeedEntries();
  const t = (key: Parameters<typeof translate>[1]) => escapeXml(translate(locale, key));
  const changelogUrl = `${base}/announcements`;
  // The English feed's ids differ from the Hebrew one's: each language is a feed of its own, and
  // an aggregator reading both should not take one language's entry for an update of the other's.
  const suffix = locale === "he" ? "" : `:${locale}`;
  const lines = [
    `<?xml version="1.0" encoding="utf-8"?>`,
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${locale}">`,
    `  <id>${tagUri(host, `announcements${suffix}`)}</id>`,
    `  <title>${t("feed.title")}</title>`,
    `  <subtitle>${t("feed.subtitle")}</subtitle>`,
    // An empty feed still needs an `updated`: the epoch says "nothing yet" without inventing one.
    `  <updated>${updated ?? new Date(0).toISOString()}</updated>`,
    `  <link rel="self" type="application/atom+xml" href="${escapeXml(base + feedPath(locale))}"/>`,
    `  <link rel="alternate" type="text/html" href="${escapeXml(changelogUrl)}"/>`,
    `  <author><name>${t("feed.author")}</name></author>`,
  ];
  for (const view of entries) {
    const entry = changelogEntry(view, locale);
    const link = `${base}/announcements/${entry.id}`;
    // The covered requests after the body, linked absolutely (the page's links are relative).
    const covered = entry.requests.length
      ? `<h3>${htmlEscape(translate(locale, "changelog.covers"))}</h3><ul>` +
        entry.requests
          .map(
            (r) =>
              `<li><a href="${htmlEscape(`${base}/requests/${r.id}`)}">${htmlEscape(r.title)}</a>` +
              ` (${htmlEscape(translateCount(locale, "changelog.requestedBy", r.orgCount))})</li>`,
          )
          .join("") +
        "</ul>"
      : "";
    // A Hebrew entry in the English feed says so (xml:lang, and the direction of its HTML); the
    // feed's own words around it stay marked as the feed's language.
    const fallback = entry.lang !== locale;
    const lang = fallback ? ` xml:lang="${entry.lang}"` : "";
    const html = fallback
      ? `<div lang="${entry.lang}" dir="rtl">${entry.bodyHtml}</div>` +
        (covered ? `<div lang="${locale}" dir="ltr">${covered}</div>` : "")
      : entry.bodyHtml + covered;
    lines.push(
      `  <entry${lang}>`,
      `    <id>${tagUri(host, `announcement-${entry.id}${suffix}`)}</id>`,
      `    <title type="text">${escapeXml(entry.title)}</title>`,
      `    <link rel="alternate" type="text/html" href="${escapeXml(link)}"/>`,
      `    <published>${entry.publishedAt}</published>`,
      `    <updated>${entryUpdated(entry)}</updated>`,
      `    <author><name>${t("feed.author")}</name></author>`,
      // type="html": the HTML as escaped text, so the feed stays well-formed whatever it holds.
      `    <content type="html">${escapeXml(html)}</content>`,
      `  </entry>`,
    );
  }
  lines.push(`</feed>`, "");
  const xml = lines.join("\n");
  return {
    xml,
    // Of the document itself: a covered request renamed changes the feed without an `updated`.
    etag: `"${createHash("sha256").update(xml).digest("base64url").slice(0, 27)}"`,
    lastModified: updated ? new Date(updated).toUTCString() : null,
  };
}
