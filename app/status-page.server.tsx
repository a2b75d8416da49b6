// The page app/server.js answers with when it refuses a request before any route runs (sent
// from another site, a method or body type we don't take, a body too large to read), in the
// visitor's language like every other page. No database: the cookie and browser decide.
import { registerServerCatalogs } from "~/i18n/catalogs.server";
import { renderToStaticMarkup } from "react-dom/server";
import {
  StatusMessage,
  statusMessageKeys,
  type StatusMessageKeys,
} from "~/components/StatusMessage";
import { buttonClass } from "~/components/Button";
import { localeFromHeaders } from "~/i18n/locale.server";
import { directionOf, translator } from "~/i18n/messages";
import { links } from "~/root";

registerServerCatalogs();

export type RefusalStatus = 403 | 405 | 413 | 415;

export async function renderStatusPage(status: RefusalStatus, headers: Headers): Promise<string> {
  const locale = await localeFromHeaders(headers);
  const t = translator(locale);
  // server.js refuses with 403 for one reason only, unlike a route's "your account may not".
  const messages: StatusMessageKeys =
    status === 403
      ? { title: "error.crossSite.title", body: "error.crossSite.body" }
      : statusMessageKeys(status);
  const page = (
    <html lang={locale} dir={directionOf(locale)}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${t(messages.title)} · ${t("app.name")}`}</title>
        {/* The root route's stylesheets and icon, so the page looks like the rest of the app. */}
        {links().map((link) =>
          "rel" in link ? (
            <link key={link.href} rel={link.rel} href={link.href} type={link.type} />
          ) : null,
        )}
      </head>
      <body className="flex min-h-screen flex-col font-sans">
        <header className="border-b border-stone-200 bg-white">
          <div className="mx-auto max-w-6xl px-4 py-3">
            <a
              href="/"
              className="inline-flex items-center gap-2 text-lg font-bold text-stone-900"
              aria-label={t("nav.home")}
            >
              <img src="/favicon.svg" alt="" width="28" height="28" />
              <span>{t("app.name")}</span>
            </a>
          </div>
        </header>
        <main id="main" className="mx-auto w-full max-w-6xl flex-1 px-4 py-8">
          <StatusMessage t={t} status={status} messages={messages}>
            <a href="/" className={buttonClass("primary", "mt-8")}>
              {t("error.backHome")}
            </a>
          </StatusMessage>
        </main>
      </body>
    </html>
  );
  return `<!DOCTYPE html>${renderToStaticMarkup(page)}`;
}
