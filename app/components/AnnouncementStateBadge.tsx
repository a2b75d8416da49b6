// An announcement's state for staff as a pill whose text says it (never colour alone): a draft
// (gray), scheduled (amber), published (green), and the "edited" mark of a corrected one.
import type { AnnouncementState } from "~/models/announcements.server";
import { useT } from "~/i18n/useT";

const label = {
  draft: "staffAnnouncements.state.draft",
  scheduled: "staffAnnouncements.state.scheduled",
  published: "staffAnnouncements.state.published",
} as const;

const colour: Record<AnnouncementState, string> = {
  draft: "bg-stone-100 text-stone-800 ring-stone-300",
  scheduled: "bg-amber-50 text-amber-900 ring-amber-300",
  published: "bg-emerald-50 text-emerald-800 ring-emerald-200",
};

export function AnnouncementStateBadge({ state }: { state: AnnouncementState }) {
  const t = useT();
  return (
    <span
      className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${colour[state]}`}
      data-state={state}
    >
      {t(label[state])}
    </span>
  );
}

export function EditedMark() {
  const t = useT();
  return (
    <span className="inline-flex items-center rounded-full bg-white px-2 py-0.5 text-xs font-medium text-stone-700 ring-1 ring-inset ring-stone-300">
      {t("staffAnnouncements.edited")}
    </span>
  );
}
