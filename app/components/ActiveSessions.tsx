// The account page's list of signed-in browsers, each with its own sign-out, as plain forms.
import { Form } from "@remix-run/react";
import { formatDateTime, formatRelative } from "~/i18n/format";
import type { Translate } from "~/i18n/messages";
import { useLocale, useNow, useT } from "~/i18n/useT";
import { Button } from "./Button";

export type SessionItem = {
  id: string;
  device: { browser: string | null; os: string | null };
  ip: string | null;
  createdAt: string;
  lastSeenAt: string;
  isCurrent: boolean;
};

function deviceLabel(t: Translate, device: SessionItem["device"]): string {
  const browser = device.browser ?? t("account.sessions.unknownBrowser");
  return device.os ? t("account.sessions.device", { browser, os: device.os }) : browser;
}

export function ActiveSessions({ sessions, busy }: { sessions: SessionItem[]; busy: boolean }) {
  const t = useT();
  const locale = useLocale();
  const now = useNow();
  const hasOthers = sessions.some((session) => !session.isCurrent);
  return (
    <section
      aria-labelledby="sessions-heading"
      className="rounded-2xl border border-stone-200 bg-white p-6 shadow-sm"
    >
      <h2 id="sessions-heading" className="text-xl font-semibold">
        {t("account.sessions.title")}
      </h2>
      <p className="mt-1 text-sm text-stone-600">{t("account.sessions.lead")}</p>
      <ul className="mt-4 divide-y divide-stone-100">
        {sessions.map((session) => {
          const device = deviceLabel(t, session.device);
          return (
            <li
              key={session.id}
              className="flex flex-wrap items-center justify-between gap-x-4 gap-y-2 py-3"
            >
              <div className="min-w-0 text-start">
                <p className="font-medium">
                  <bdi>{device}</bdi>
                  {session.isCurrent ? (
                    <span className="ms-2 rounded-full bg-accent-50 px-2 py-0.5 text-xs font-medium text-accent-800">
                      {t("account.sessions.thisDevice")}
                    </span>
                  ) : null}
                </p>
                <dl className="mt-1 flex flex-wrap gap-x-4 gap-y-1 text-sm text-stone-600">
                  {session.ip ? (
                    <div className="flex gap-1">
                      <dt>{t("account.sessions.address")}:</dt>
                      <dd dir="ltr">
                        <bdi>{session.ip}</bdi>
                      </dd>
                    </div>
                  ) : null}
                  <div className="flex gap-1">
                    <dt>{t("account.sessions.signedIn")}:</dt>
                    <dd>
                      <time dateTime={session.createdAt}>
                        <bdi>{formatDateTime(locale, session.createdAt)}</bdi>
                      </time>
                    </dd>
                  </div>
                  <div className="flex gap-1">
                    <dt>{t("account.sessions.lastActive")}:</dt>
                    <dd>
                      <time dateTime={session.lastSeenAt}>
                        <bdi>{formatRelative(locale, session.lastSeenAt, now)}</bdi>
                      </time>
                    </dd>
                  </div>
                </dl>
              </div>
              {session.isCurrent ? null : (
                <Form method="post">
                  <input type="hidden" name="intent" value="endSession" />
                  <input type="hidden" name="sessionId" value={session.id} />
                  <Button type="submit" variant="secondary" disabled={busy}>
                    {t("account.sessions.end")}
                    <span className="sr-only">
                      {" "}
                      <bdi>{device}</bdi>
                    </span>
                  </Button>
                </Form>
              )}
            </li>
          );
        })}
      </ul>
      {hasOthers ? (
        <Form method="post" className="mt-4">
          <input type="hidden" name="intent" value="endOtherSessions" />
          <Button type="submit" variant="secondary" disabled={busy}>
            {t("account.sessions.endOthers")}
          </Button>
        </Form>
      ) : (
        <p className="mt-2 text-sm text-stone-600">{t("account.sessions.onlyThis")}</p>
      )}
    </section>
  );
}
