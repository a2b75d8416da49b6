// /announcements.atom: the changelog's Atom feed, Hebrew by default, `?lang=en` in English
// (a feed reader sends no language cookie: the address says which one).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { buildAtomFeed } from "~/services/atom.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const locale = new URL(request.url).searchParams.get("lang") === "en" ? "en" : "he";
  const feed = await buildAtomFeed(locale);
  const headers = new Headers({
    "Content-Type": "application/atom+xml; charset=utf-8",
    ETag: feed.etag,
    // Readers poll; a few minutes late is fine for a changelog, and a scheduled announcement
    // appears within them.
    "Cache-Control": "public, max-age=300",
    Vary: "Accept-Encoding",
  });
  if (feed.lastModified) headers.set("Last-Modified", feed.lastModified);
  const ifNoneMatch = request.headers.get("If-None-Match");
  if (
    ifNoneMatch &&
    ifNoneMatch.split(",").some((tag) => tag.trim().replace(/^W\//, "") === feed.etag)
  )
    return new Response(null, { status: 304, headers });
  return new Response(feed.xml, { headers });
}
