// One announcement's permanent address: what the feed, the e-mails and request pages link to.
// A draft or a scheduled one is not found, exactly like an id that never existed.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { AnnouncementEntry } from "~/components/AnnouncementEntry";
import { FeedLink } from "~/components/FeedLink";
import { pageTitle } from "~/components/PageTitle";
import { getSessionUser } from "~/auth/session.server";
import { resolveLocale } from "~/i18n/locale.server";
import { useT } from "~/i18n/useT";
import { getPublishedAnnouncement } from "~/models/announcements.server";
import { changelogEntry } from "~/models/changelog.server";
import { requireIdParam } from "~/schemas.server";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  data ? [{ title: `${data.entry.title} · Broadly` }] : pageTitle(matches, "error.404.title");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = requireIdParam(params.id);
  const view = await getPublishedAnnouncement(id);
  if (!view) throw new Response("Not found", { status: 404 });
  const user = await getSessionUser(request);
  return { entry: changelogEntry(view, await resolveLocale(request, user?.locale)) };
}

export default function AnnouncementPage() {
  const t = useT();
  const { entry } = useLoaderData<typeof loader>();
  return (
    <div className="mx-auto max-w-3xl space-y-4">
      <p className="flex flex-wrap items-center justify-between gap-3">
        <Link
          to="/announcements"
          className="inline-flex items-center gap-1 text-sm font-medium text-stone-700 hover:text-accent-700"
        >
          <svg
            aria-hidden="true"
            viewBox="0 0 20 20"
            className="h-4 w-4 fill-current rtl:-scale-x-100"
          >
            <path d="M12.7 5.3a1 1 0 0 1 0 1.4L9.4 10l3.3 3.3a1 1 0 0 1-1.4 1.4l-4-4a1 1 0 0 1 0-1.4l4-4a1 1 0 0 1 1.4 0Z" />
          </svg>
          {t("changelog.back")}
        </Link>
        <FeedLink />
      </p>
      <AnnouncementEntry entry={entry} headingLevel="h1" />
    </div>
  );
}
