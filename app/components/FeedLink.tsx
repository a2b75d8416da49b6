// The visible link to the changelog's Atom feed, in the reader's language (the document's
// <link rel="alternate"> in app/root.tsx is what feed readers discover). The address comes from
// the root's data: importing app/changelog-url.ts here too would make it a script of its own
// that every page loads (a module shared by the root and some routes is split out).
import { useRouteLoaderData } from "@remix-run/react";
import { useT } from "~/i18n/useT";

export function FeedLink() {
  const t = useT();
  const href = useRouteLoaderData<{ feedHref?: string }>("root")?.feedHref;
  if (!href) return null;
  return (
    // A plain <a>: the feed is a file for a feed reader, not a page of the app.
    <a
      href={href}
      type="application/atom+xml"
      className="inline-flex items-center gap-1 text-sm font-medium text-accent-700 underline"
    >
      <svg aria-hidden="true" viewBox="0 0 20 20" className="h-4 w-4 fill-current">
        <path d="M4 15a1.5 1.5 0 1 0 3 0 1.5 1.5 0 0 0-3 0Zm0-5.5v2a4.5 4.5 0 0 1 4.5 4.5h2A6.5 6.5 0 0 0 4 9.5Zm0-4v2a8.5 8.5 0 0 1 8.5 8.5h2A10.5 10.5 0 0 0 4 5.5Z" />
      </svg>
      {t("changelog.feedLink")}
    </a>
  );
}
