// The public changelog: published announcements newest first, a page at a time by keyset
// (?after=<published_at>~<id>), filtered by the category of the requests they cover. Opening
// its first page marks every announcement so far as seen for a signed-in user (the header's
// badge).
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { CategoryFilter } from "~/components/CategoryFilter";
import { AnnouncementEntry } from "~/components/AnnouncementEntry";
import { buttonClass } from "~/components/Button";
import { FeedLink } from "~/components/FeedLink";
import { pageTitle } from "~/components/PageTitle";
import { getSessionUser } from "~/auth/session.server";
import { resolveLocale } from "~/i18n/locale.server";
import { useT } from "~/i18n/useT";
import { listCategories } from "~/models/categories.server";
import {
  changelogEntry,
  encodeCursor,
  listChangelog,
  openChangelog,
  parseCursor,
} from "~/models/changelog.server";
import { ChangelogQuerySchema } from "~/schemas.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "changelog.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const query = ChangelogQuerySchema.parse(Object.fromEntries(url.searchParams));
  const user = await getSessionUser(request);
  const locale = await resolveLocale(request, user?.locale);
  const categories = await listCategories();
  const category = categories.find((c) => c.slug === query.category) ?? null;
  const after = parseCursor(query.after);
  const [page] = await Promise.all([
    listChangelog({ categoryId: category?.id ?? null, after }),
    // The root loader shows no badge on this page; this makes it so for the next one too.
    openChangelog(request, user),
  ]);
  return {
    entries: page.entries.map((view) => changelogEntry(view, locale)),
    next: page.next ? encodeCursor(page.next) : null,
    isFirstPage: after === null,
    categories,
    category: category?.slug ?? "",
  };
}

function pageHref(params: Record<string, string>) {
  const search = new URLSearchParams(Object.entries(params).filter(([, value]) => value !== ""));
  return search.size > 0 ? `/announcements?${search}` : "/announcements";
}

export default function Changelog() {
  const t = useT();
  const { entries, next, isFirstPage, categories, category } = useLoaderData<typeof loader>();
  const empty = category
    ? "changelog.emptyCategory"
    : isFirstPage
      ? "changelog.empty"
      : "changelog.emptyLater";

  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <div className="space-y-1">
        <h1 className="text-2xl font-bold sm:text-3xl">{t("changelog.title")}</h1>
        <p className="text-stone-700">{t("changelog.lead")}</p>
        <FeedLink />
      </div>

      <CategoryFilter
        action="/announcements"
        id="changelog-category"
        label="changelog.filter.label"
        category={category}
        categories={categories}
      />

      {entries.length === 0 ? (
        <p className="rounded-2xl border border-dashed border-stone-300 bg-white p-8 text-center text-stone-700">
          {t(empty)}
        </p>
      ) : (
        <ol className="space-y-4">
          {entries.map((entry) => (
            <li key={entry.id}>
              <AnnouncementEntry entry={entry} headingLevel="h2" />
            </li>
          ))}
        </ol>
      )}

      {next || !isFirstPage ? (
        <nav aria-label={t("changelog.pages")} className="flex flex-wrap gap-3">
          {!isFirstPage ? (
            <Link to={pageHref({ category })} className={buttonClass("secondary")}>
              {t("changelog.latest")}
            </Link>
          ) : null}
          {next ? (
            <Link
              to={pageHref({ category, after: next })}
              className={buttonClass("secondary")}
              rel="next"
            >
              {t("changelog.older")}
            </Link>
          ) : null}
        </nav>
      ) : null}
    </div>
  );
}
