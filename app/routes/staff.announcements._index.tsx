// Staff's announcements: drafts, scheduled and published, the most recently changed first, a
// keyset page at a time; each opens its form. The changelog readers see is /announcements.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireStaffOr404 } from "~/auth/staff-actions.server";
import { AnnouncementStateBadge, EditedMark } from "~/components/AnnouncementStateBadge";
import { buttonClass } from "~/components/Button";
import { pageTitle } from "~/components/PageTitle";
import { formatDateTime, formatRelative } from "~/i18n/format";
import { useRichT } from "~/i18n/rich";
import { useLocale, useNow, useT } from "~/i18n/useT";
import { listAnnouncementsForStaff } from "~/models/announcements.server";
import { AnnouncementListQuerySchema } from "~/schemas.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "staffAnnouncements.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireStaffOr404(request);
  const query = AnnouncementListQuerySchema.parse(
    Object.fromEntries(new URL(request.url).searchParams),
  );
  const page = await listAnnouncementsForStaff({ actor: user.actor, cursor: query.cursor });
  return { ...page, isFirstPage: !query.cursor };
}

export default function StaffAnnouncements() {
  const t = useT();
  const rt = useRichT();
  const locale = useLocale();
  const now = useNow();
  const { items, nextCursor, isFirstPage } = useLoaderData<typeof loader>();
  const time = (iso: string) => (
    <time dateTime={iso} title={formatDateTime(locale, iso)}>
      {formatDateTime(locale, iso)}
    </time>
  );

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h1 className="text-2xl font-bold sm:text-3xl">{t("staffAnnouncements.title")}</h1>
          <p className="mt-1 max-w-prose text-stone-700">{t("staffAnnouncements.lead")}</p>
        </div>
        <Link to="/staff/announcements/new" className={buttonClass("primary")}>
          {t("staffAnnouncements.new")}
        </Link>
      </div>

      {items.length === 0 ? (
        <div
          className="space-y-2 rounded-2xl border border-dashed border-stone-300 bg-white p-6 text-stone-700"
          data-testid="announcements-empty"
        >
          <p className="font-medium text-stone-900">
            {t(isFirstPage ? "staffAnnouncements.empty" : "staffAnnouncements.empty.page")}
          </p>
          {isFirstPage ? <p>{t("staffAnnouncements.empty.hint")}</p> : null}
        </div>
      ) : (
        <ul
          className="divide-y divide-stone-100 rounded-2xl border border-stone-200 bg-white shadow-sm"
          data-testid="staff-announcements"
        >
          {items.map((item) => (
            <li key={item.id} className="flex flex-wrap items-start gap-x-4 gap-y-1 p-4">
              <div className="min-w-0 flex-1 space-y-1">
                <p className="flex flex-wrap items-center gap-2">
                  <AnnouncementStateBadge state={item.state} />
                  {item.editedAt ? <EditedMark /> : null}
                  <Link
                    to={`/staff/announcements/${item.id}`}
                    className="font-semibold text-stone-900 underline-offset-2 hover:underline"
                    dir="auto"
                  >
                    {item.titleHe}
                  </Link>
                </p>
                {item.titleEn ? (
                  <p className="text-sm text-stone-600" lang="en" dir="ltr">
                    {item.titleEn}
                  </p>
                ) : (
                  <p className="text-sm text-stone-600">{t("staffAnnouncements.list.noEnglish")}</p>
                )}
              </div>
              <div className="space-y-1 text-sm text-stone-700 sm:text-end">
                <p>{rt.count("staffAnnouncements.list.requests", item.requestCount)}</p>
                <p>
                  {item.state === "published"
                    ? rt("staffAnnouncements.list.published", { time: time(item.publishedAt!) })
                    : item.state === "scheduled"
                      ? rt("staffAnnouncements.list.scheduled", { time: time(item.publishedAt!) })
                      : rt("staffAnnouncements.list.updated", {
                          time: (
                            <time
                              dateTime={item.updatedAt}
                              title={formatDateTime(locale, item.updatedAt)}
                            >
                              {formatRelative(locale, item.updatedAt, now)}
                            </time>
                          ),
                        })}
                </p>
              </div>
            </li>
          ))}
        </ul>
      )}

      <nav aria-label={t("staffAnnouncements.paging")} className="flex flex-wrap gap-4 text-sm">
        {!isFirstPage ? (
          <Link to="/staff/announcements" className="font-medium text-accent-700 underline">
            {t("staffAnnouncements.newest")}
          </Link>
        ) : null}
        {nextCursor ? (
          <Link
            to={`/staff/announcements?cursor=${encodeURIComponent(nextCursor)}`}
            className="font-medium text-accent-700 underline"
          >
            {t("staffAnnouncements.more")}
          </Link>
        ) : null}
      </nav>
    </div>
  );
}
