// One announcement, for staff: its state, and its form (a draft's or a scheduled one's text and
// covered requests, or a published one's correction). The form's action is shared with the new
// announcement's page (./form.server.ts).
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireStaffOr404 } from "~/auth/staff-actions.server";
import { pageTitle } from "~/components/PageTitle";
import { useT } from "~/i18n/useT";
import { getAnnouncementForStaff, israelWallTime } from "~/models/announcements.server";
import { ActionRefused } from "~/models/errors";
import { requireIdParam } from "~/schemas.server";
import { AnnouncementForm } from "./AnnouncementForm";
import { announcementFormAction, loadPicker, valuesOfAnnouncement } from "./form.server";
import { StateSummary } from "./StateSummary";

export const meta: MetaFunction = ({ matches }) =>
  pageTitle(matches, "staffAnnouncements.edit.title");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = requireIdParam(params.id);
  const user = await requireStaffOr404(request);
  let view;
  try {
    view = await getAnnouncementForStaff({ actor: user.actor, id });
  } catch (error) {
    if (error instanceof ActionRefused) throw new Response("Not found", { status: 404 });
    throw error;
  }
  const values = {
    ...valuesOfAnnouncement(view),
    // A scheduled one's time as the input shows it: Israel's wall clock.
    publishAt: view.state === "scheduled" ? israelWallTime(view.publishedAt!) : "",
  };
  return {
    announcement: {
      id: view.id,
      state: view.state,
      publishedAt: view.publishedAt,
      editedAt: view.editedAt,
    },
    values,
    picker: await loadPicker(user.actor, values),
    minPublishAt: israelWallTime(new Date().toISOString()),
  };
}

export function action({ request, params }: ActionFunctionArgs) {
  return announcementFormAction(request, requireIdParam(params.id));
}

export default function EditAnnouncement() {
  const t = useT();
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { announcement } = page;
  return (
    <div className="mx-auto max-w-4xl space-y-5">
      <div className="space-y-1">
        <Link to="/staff/announcements" className="text-sm font-medium text-stone-700 underline">
          {t("staffAnnouncements.back")}
        </Link>
        <h1 className="text-2xl font-bold sm:text-3xl">
          {t(
            announcement.state === "published"
              ? "staffAnnouncements.edit.correctTitle"
              : "staffAnnouncements.edit.title",
          )}
        </h1>
      </div>
      <StateSummary
        state={announcement.state}
        publishedAt={announcement.publishedAt}
        editedAt={announcement.editedAt}
      />
      <AnnouncementForm
        // A new state (published, unscheduled) is a new form: its buttons and values change.
        key={`${announcement.state}-${announcement.publishedAt}`}
        state={announcement.state}
        values={result?.values ?? page.values}
        errors={result?.errors ?? {}}
        picker={result?.picker ?? page.picker}
        preview={result?.preview}
        minPublishAt={page.minPublishAt}
      />
    </div>
  );
}
