// A request's status as a coloured pill whose text says the status (never colour alone).
import type { RequestStatus } from "~/db.server";
import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/useT";

export const statusLabel: Record<RequestStatus, MessageKey> = {
  open: "status.open",
  planned: "status.planned",
  in_progress: "status.in_progress",
  shipped: "status.shipped",
  declined: "status.declined",
  already_exists: "status.already_exists",
  merged: "status.merged",
  quoted: "status.quoted",
  funded: "status.funded",
};

const statusColour: Record<RequestStatus, string> = {
  open: "bg-stone-100 text-stone-800 ring-stone-300",
  planned: "bg-blue-50 text-blue-800 ring-blue-200",
  in_progress: "bg-amber-50 text-amber-900 ring-amber-300",
  shipped: "bg-emerald-50 text-emerald-800 ring-emerald-200",
  declined: "bg-red-50 text-red-800 ring-red-200",
  already_exists: "bg-teal-50 text-teal-800 ring-teal-200",
  merged: "bg-stone-100 text-stone-700 ring-stone-300",
  quoted: "bg-violet-50 text-violet-800 ring-violet-200",
  funded: "bg-violet-100 text-violet-900 ring-violet-300",
};

export function StatusBadge({ status }: { status: RequestStatus }) {
  const t = useT();
  return (
    <span
      className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${statusColour[status]}`}
    >
      {t(statusLabel[status])}
    </span>
  );
}
