// The page of one staff field's form (owner, target quarter) when it is opened by address or
// refused without JavaScript: the request it is about, the form, and the way back.
import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/useT";

export function StaffFieldPage({
  title,
  request,
  children,
}: {
  title: MessageKey;
  request: { id: number; title: string };
  children: ReactNode;
}) {
  const t = useT();
  return (
    <div className="mx-auto max-w-xl space-y-4">
      <h1 className="text-3xl font-bold">{t(title)}</h1>
      <p className="text-stone-700" dir="auto">
        {request.title}
      </p>
      <div className="rounded-2xl border border-stone-200 bg-white p-6 shadow-sm">{children}</div>
      <Link to={`/requests/${request.id}`} className="text-sm font-medium text-stone-700 underline">
        {t("recordVote.back")}
      </Link>
    </div>
  );
}
