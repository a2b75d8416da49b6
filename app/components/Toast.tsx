// The one-time confirmation that follows an action, shown with or without JavaScript.
import { useEffect, useState } from "react";
import { isMessageKey, type MessageParams } from "~/i18n/messages";
import { useT } from "~/i18n/useT";

export type ToastData = { key: string; params?: MessageParams; tone?: "success" | "error" } | null;

export function Toast({ toast }: { toast: ToastData }) {
  const t = useT();
  const [visible, setVisible] = useState(true);
  useEffect(() => setVisible(true), [toast]);
  if (!toast || !visible || !isMessageKey(toast.key)) return null;
  const isError = toast.tone === "error";
  return (
    <div className="mx-auto mt-4 max-w-6xl px-4">
      <div
        role={isError ? "alert" : "status"}
        className={`flex items-start justify-between gap-3 rounded-xl border px-4 py-3 text-sm ${
          isError
            ? "border-red-200 bg-red-50 text-red-900"
            : "border-emerald-200 bg-emerald-50 text-emerald-900"
        }`}
      >
        <p className="flex items-center gap-2">
          <span aria-hidden="true">{isError ? "!" : "✓"}</span>
          {t(toast.key, toast.params)}
        </p>
        <button
          type="button"
          onClick={() => setVisible(false)}
          className="rounded px-1 hover:bg-black/5"
          aria-label={t("toast.dismiss")}
        >
          ×
        </button>
      </div>
    </div>
  );
}
