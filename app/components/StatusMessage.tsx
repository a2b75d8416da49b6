// The body of an error page: the status, what happened and the way home. The root error boundary
// and the pages server.js answers with before the app runs (status-page.server.tsx) share it.
import type { ReactNode } from "react";
import type { MessageKey, Translate } from "~/i18n/messages";

export type StatusMessageKeys = { title: MessageKey; body: MessageKey };

const MESSAGES: Partial<Record<number, StatusMessageKeys>> = {
  400: { title: "error.400.title", body: "error.400.body" },
  403: { title: "error.403.title", body: "error.403.body" },
  404: { title: "error.404.title", body: "error.404.body" },
  405: { title: "error.405.title", body: "error.405.body" },
  413: { title: "error.413.title", body: "error.413.body" },
  415: { title: "error.415.title", body: "error.415.body" },
};

/** The title and explanation for an HTTP status; any status without its own reads as ours to fix. */
export function statusMessageKeys(status: number): StatusMessageKeys {
  return MESSAGES[status] ?? { title: "error.500.title", body: "error.500.body" };
}

export function StatusMessage({
  t,
  status,
  messages,
  children,
}: {
  t: Translate;
  status: number;
  messages: StatusMessageKeys;
  /** The link home, as a router link or a plain one. */
  children: ReactNode;
}) {
  return (
    <section className="mx-auto max-w-xl py-12 text-center">
      <p className="text-sm font-semibold text-accent-700">
        {t("error.status", { status: String(status) })}
      </p>
      <h1 className="mt-2 text-3xl font-bold">{t(messages.title)}</h1>
      <p className="mt-4 text-stone-700">{t(messages.body)}</p>
      {children}
    </section>
  );
}
