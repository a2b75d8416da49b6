// Where the changelog's first page is, for the server (the root loader, which shows no unread
// count there: that page's loader marks everything seen) and the browser (the root revalidates
// on the way there, so the header's badge clears after a client navigation too).

/** The unfiltered first page of /announcements (a document request or its `.data` fetch). */
export function isChangelogFirstPage(url: URL): boolean {
  const path = url.pathname.replace(/\.data$/, "").replace(/\/+$/, "");
  return (
    path === "/announcements" && !url.searchParams.get("after") && !url.searchParams.get("category")
  );
}

/** The feed of a language: Hebrew by default, `?lang=en` for English. */
export function feedPath(locale: "he" | "en"): string {
  return locale === "en" ? "/announcements.atom?lang=en" : "/announcements.atom";
}
