// One announcement's permanent address: what the feed, the e-mails and request pages link to.
// A draft or a scheduled one is not found, exactly like an id that never existed.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { AnnouncementEntry } from "~/components/AnnouncementEntry";
import { FeedLink } from "~/components/FeedLink";
import { pageTitle } from "~/components/PageTitle";
import { getSessionUser } from "~/auth/session.server";
import { resolveLocale } from "~/i18n/locale.server";
import { useT } from "~/i18n/useT";
import { getPublishedAnnouncement } from "~/models/announcements.server";
import { changelogEntry } from "~/models/changelog.server";
import { requireIdParam } from "~/schemas.server";
import { BackLink } from "~/components/BackLink";

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
        <BackLink to="/announcements">{t("changelog.back")}</BackLink>
        <FeedLink />
      </p>
      <AnnouncementEntry entry={entry} headingLevel="h1" />
    </div>
  );
}
