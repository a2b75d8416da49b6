// Where the announcement stands, above its form: a draft (and deleting it), scheduled for a
// time (and unscheduling it), or published (when, and the "edited" mark of a correction).
// Unschedule and delete are forms of their own; deleting asks again first: a <details> that
// opens on the confirming button, so it works without JavaScript too.
import { Form, useNavigation } from "@remix-run/react";
import { AnnouncementStateBadge, EditedMark } from "~/components/AnnouncementStateBadge";
import { Button } from "~/components/Button";
import { formatDateTime } from "~/i18n/format";
import { useRichT } from "~/i18n/rich";
import { useLocale, useT } from "~/i18n/useT";
import type { AnnouncementState } from "~/models/announcements.server";

export function StateSummary({
  state,
  publishedAt,
  editedAt,
}: {
  state: AnnouncementState;
  publishedAt: string | null;
  editedAt: string | null;
}) {
  const t = useT();
  const rt = useRichT();
  const locale = useLocale();
  const busy = useNavigation().state !== "idle";
  const time = (iso: string) => <time dateTime={iso}>{formatDateTime(locale, iso)}</time>;
  return (
    <div
      className="flex flex-wrap items-center gap-3 rounded-xl border border-stone-200 bg-white px-4 py-3"
      data-testid="announcement-state"
    >
      <AnnouncementStateBadge state={state} />
      {editedAt ? <EditedMark /> : null}
      <p className="text-sm text-stone-700">
        {state === "draft"
          ? t("staffAnnouncements.summary.draft")
          : state === "scheduled"
            ? rt("staffAnnouncements.summary.scheduled", { time: time(publishedAt!) })
            : rt("staffAnnouncements.summary.published", { time: time(publishedAt!) })}
        {editedAt ? (
          <> {rt("staffAnnouncements.summary.edited", { time: time(editedAt) })}</>
        ) : null}
      </p>
      {state === "scheduled" ? (
        <Form method="post" className="ms-auto">
          <Button
            type="submit"
            name="intent"
            value="unschedule"
            variant="secondary"
            disabled={busy}
          >
            {t("staffAnnouncements.submit.unschedule")}
          </Button>
        </Form>
      ) : null}
      {state !== "published" ? (
        <details className={state === "scheduled" ? "" : "ms-auto"}>
          <summary className="cursor-pointer rounded-lg px-2 py-1 text-sm font-medium text-red-800 hover:bg-red-50">
            {t("staffAnnouncements.delete.open")}
          </summary>
          <Form method="post" className="mt-2 space-y-2">
            <p className="text-sm text-stone-700">{t("staffAnnouncements.delete.confirm")}</p>
            <Button type="submit" name="intent" value="delete" variant="danger" disabled={busy}>
              {t("staffAnnouncements.delete.submit")}
            </Button>
          </Form>
        </details>
      ) : null}
    </div>
  );
}
