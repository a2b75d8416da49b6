// A new announcement. Opened from a shipped request's "Write its announcement"
// (?requests=<id>[,<id>…]), it starts with those requests covered and the first one's title.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireStaffOr404 } from "~/auth/staff-actions.server";
import { pageTitle } from "~/components/PageTitle";
import { useT } from "~/i18n/useT";
import { israelWallTime } from "~/models/announcements.server";
import { AnnouncementForm } from "./staff.announcements.$id/AnnouncementForm";
import { announcementFormAction, loadPicker } from "./staff.announcements.$id/form.server";

export const meta: MetaFunction = ({ matches }) =>
  pageTitle(matches, "staffAnnouncements.new.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireStaffOr404(request);
  const asked = new URL(request.url).searchParams.get("requests") ?? "";
  const picker = await loadPicker(user.actor, { requestIds: asked.slice(0, 400) });
  // Only what can be announced is pre-filled: a request id that is not shipped and public is
  // left out (the picker shows the ones that are).
  const chosen = picker.chosen.filter((r) => r.status === "shipped");
  const values = {
    titleHe: chosen[0]?.title ?? "",
    bodyHe: "",
    titleEn: "",
    bodyEn: "",
    requestIds: chosen.map((r) => r.id).join(","),
    publishAt: "",
  };
  return {
    values,
    picker: { ...picker, chosen },
    minPublishAt: israelWallTime(new Date().toISOString()),
  };
}

export function action({ request }: ActionFunctionArgs) {
  return announcementFormAction(request, null);
}

export default function NewAnnouncement() {
  const t = useT();
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="mx-auto max-w-4xl space-y-5">
      <div className="space-y-1">
        <Link to="/staff/announcements" className="text-sm font-medium text-stone-700 underline">
          {t("staffAnnouncements.back")}
        </Link>
        <h1 className="text-2xl font-bold sm:text-3xl">{t("staffAnnouncements.new.title")}</h1>
        <p className="max-w-prose text-stone-700">{t("staffAnnouncements.new.lead")}</p>
      </div>
      <AnnouncementForm
        state={null}
        values={result?.values ?? page.values}
        errors={result?.errors ?? {}}
        picker={result?.picker ?? page.picker}
        preview={result?.preview}
        minPublishAt={page.minPublishAt}
      />
    </div>
  );
}
