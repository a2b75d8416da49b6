// One announcement as the changelog and its permalink page show it: title, date, the "edited"
// mark, the body, and the requests it covers with their demand and sponsors' credits.
import { Link } from "@remix-run/react";
import { formatDate, formatDateTime } from "~/i18n/format";
import { useLocale, useT } from "~/i18n/useT";
import type { ChangelogEntry } from "~/models/changelog.server";
import { SponsorCredit } from "./SponsorCredit";

export function AnnouncementEntry({
  entry,
  headingLevel,
}: {
  entry: ChangelogEntry;
  /** h2 in the list (linked to its permalink), h1 on its own page. */
  headingLevel: "h1" | "h2";
}) {
  const t = useT();
  const locale = useLocale();
  const Heading = headingLevel;
  // The covered requests' heading is one level below the entry's.
  const SubHeading = headingLevel === "h1" ? "h2" : "h3";
  // Hebrew text shown to an English reader keeps its own language and direction, so screen
  // readers pronounce it as Hebrew and it reads right to left inside the English page.
  const textLang = entry.fallback ? { lang: entry.lang, dir: "rtl" as const } : {};
  const headingId = `announcement-${entry.id}-title`;
  return (
    <article
      aria-labelledby={headingId}
      className="rounded-2xl border border-stone-200 bg-white p-5 shadow-sm"
      data-testid="announcement"
    >
      <header className="space-y-1">
        <p className="flex flex-wrap items-center gap-x-2 gap-y-1 text-sm text-stone-600">
          <time dateTime={entry.publishedAt} title={formatDateTime(locale, entry.publishedAt)}>
            {formatDate(locale, entry.publishedAt)}
          </time>
          {entry.editedAt ? (
            <>
              <span aria-hidden="true">·</span>
              <span data-testid="edited">
                {t("changelog.editedAt", { date: formatDate(locale, entry.editedAt) })}
              </span>
            </>
          ) : null}
          {entry.fallback ? (
            <span className="rounded-full bg-amber-50 px-2 py-0.5 text-xs font-medium text-amber-900 ring-1 ring-inset ring-amber-300">
              {t("changelog.hebrewOnly")}
            </span>
          ) : null}
        </p>
        <Heading
          id={headingId}
          className={`text-start font-bold leading-snug ${headingLevel === "h1" ? "text-2xl sm:text-3xl" : "text-xl"}`}
          {...textLang}
        >
          {headingLevel === "h2" ? (
            <Link
              to={`/announcements/${entry.id}`}
              className="hover:text-accent-700 hover:underline"
            >
              {entry.title}
            </Link>
          ) : (
            entry.title
          )}
        </Heading>
      </header>
      <div
        className="prose-content mt-3 text-start"
        dir={entry.fallback ? "rtl" : "auto"}
        lang={entry.fallback ? entry.lang : undefined}
        dangerouslySetInnerHTML={{ __html: entry.bodyHtml }}
      />
      {entry.requests.length > 0 ? (
        <section className="mt-4 border-t border-stone-100 pt-3">
          <SubHeading className="text-sm font-semibold text-stone-700">
            {t("changelog.covers")}
          </SubHeading>
          <ul className="mt-2 space-y-2">
            {entry.requests.map((r) => (
              <CoveredRequestItem key={r.id} request={r} />
            ))}
          </ul>
        </section>
      ) : null}
    </article>
  );
}

/** A covered request: its link, how many organizations asked for it, and who sponsored it. */
export function CoveredRequestItem({
  request,
}: {
  request: { id: number; title: string; orgCount: number; sponsors: readonly string[] };
}) {
  const t = useT();
  return (
    <li className="text-sm">
      <Link
        to={`/requests/${request.id}`}
        className="font-medium text-accent-700 underline"
        dir="auto"
      >
        {request.title}
      </Link>
      <span className="text-stone-600">
        {" · "}
        {t.count("changelog.requestedBy", request.orgCount)}
      </span>
      <SponsorCredit sponsors={request.sponsors} className="mt-0.5 text-violet-900" />
    </li>
  );
}
