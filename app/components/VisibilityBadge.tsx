// The "Organization only" mark of a private request, shown to those who may see it (its
// organization's members and staff): on board rows and on the request page. Text, not colour.
import { useT } from "~/i18n/useT";

export function VisibilityBadge() {
  const t = useT();
  return (
    <span className="inline-flex items-center gap-1 rounded-full bg-white px-2 py-0.5 text-xs font-medium text-stone-800 ring-1 ring-inset ring-stone-400">
      <svg aria-hidden="true" viewBox="0 0 20 20" className="h-3 w-3 fill-current">
        <path d="M10 2a4 4 0 0 0-4 4v2H5a1 1 0 0 0-1 1v8a1 1 0 0 0 1 1h10a1 1 0 0 0 1-1V9a1 1 0 0 0-1-1h-1V6a4 4 0 0 0-4-4Zm-2 6V6a2 2 0 1 1 4 0v2H8Z" />
      </svg>
      {t("visibility.badge")}
    </span>
  );
}
