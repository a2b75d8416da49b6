// The HTML shell: <html lang dir> from the resolved locale, header, footer, error pages.
import {
  data,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import type { ShouldRevalidateFunction } from "@remix-run/react";
import {
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import type { ReactNode } from "react";
import hebrewFont from "@fontsource-variable/rubik/files/rubik-hebrew-wght-normal.woff2";
import latinFont from "@fontsource-variable/rubik/files/rubik-latin-wght-normal.woff2";
import { isStaff, isStaffAdmin } from "~/auth/permissions.server";
import { feedPath, isChangelogFirstPage } from "~/changelog-url";
import { getSessionUser, takeToast } from "~/auth/session.server";
import { AppHeader, type HeaderUser } from "~/components/AppHeader";
import { buttonClass } from "~/components/Button";
import { useNonce } from "~/components/Nonce";
import { MergedNotice, mergedNoticeParams } from "~/components/MergedNotice";
import { StatusMessage, statusMessageKeys } from "~/components/StatusMessage";
import { Toast } from "~/components/Toast";
import { VerifyEmailBanner } from "~/components/VerifyEmailBanner";
import { resolveLocale } from "~/i18n/locale.server";
import { getMergedRequest } from "~/models/requests.server";
import { countAwaitingDecision } from "~/models/staff-nav.server";
import { countUnread } from "~/models/changelog.server";
import { CatalogScript } from "~/i18n/catalog-script";
import { loadCatalog } from "~/i18n/load-catalog";
import { directionOf, hasCatalog, isLocale, translate, type Locale } from "~/i18n/messages";
import { useLocale, useT } from "~/i18n/useT";
import stylesheet from "~/tailwind.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const sessionUser = await getSessionUser(request);
  const locale = await resolveLocale(request, sessionUser?.locale);
  const { toast, setCookie } = await takeToast(request);
  const merged = mergedNoticeParams(new URL(request.url));
  const mergedNotice = merged
    ? await getMergedRequest({ ...merged, viewer: sessionUser?.actor ?? null })
    : null;
  const [staffWaiting, unreadAnnouncements] = sessionUser
    ? await Promise.all([
        countAwaitingDecision(sessionUser.actor),
        // One indexed range read of at most 10 entries; none on the changelog's first page,
        // whose own loader marks everything seen (so the badge is gone on that very page).
        isChangelogFirstPage(new URL(request.url)) ? null : countUnread(sessionUser),
      ])
    : [null, null];
  const user: HeaderUser | null = sessionUser
    ? {
        name: sessionUser.name,
        email: sessionUser.email,
        isStaff: isStaff(sessionUser.actor),
        isStaffAdmin: isStaffAdmin(sessionUser.actor),
        staffWaiting,
        unreadAnnouncements,
        currentOrg: sessionUser.currentOrg,
        memberships: sessionUser.memberships,
      }
    : null;
  return data(
    // The server's clock, so relative times ("3 days ago") render the same when hydrating.
    {
      locale,
      user,
      toast,
      mergedNotice,
      // The changelog's pages link it too; from here, so that they share no module with the root.
      feedHref: feedPath(locale),
      now: Date.now(),
      unverifiedEmail: sessionUser && !sessionUser.email_verified_at ? sessionUser.email : null,
    },
    setCookie ? { headers: { "Set-Cookie": setCookie } } : undefined,
  );
}

/**
 * The root's data (the header) is otherwise read again only after an action: going to the
 * changelog's first page reads it again so that the unread badge clears there, with JavaScript
 * as without.
 */
export const shouldRevalidate: ShouldRevalidateFunction = ({ nextUrl, defaultShouldRevalidate }) =>
  defaultShouldRevalidate || isChangelogFirstPage(nextUrl);

function errorStatus(error: unknown) {
  return isRouteErrorResponse(error) ? error.status : 500;
}

/** Pages set their own titles; an error page gets one from its status. */
export const meta: MetaFunction<typeof loader> = ({ data: rootData, error }) => {
  if (!error) return [];
  const locale = isLocale(rootData?.locale) ? rootData.locale : "he";
  return [{ title: `${translate(locale, statusMessageKeys(errorStatus(error)).title)} · Broadly` }];
};

export type RootData = Awaited<ReturnType<typeof loader>>["data"];

function Document({
  locale,
  staff,
  children,
}: {
  locale: Locale;
  /** A staff member's page: it loads the staff pages' messages too. */
  staff: boolean;
  children: ReactNode;
}) {
  const nonce = useNonce();
  const t = useT();
  return (
    <html lang={locale} dir={directionOf(locale)}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="description" content={t("meta.description")} />
        <Meta />
        <Links />
        {/* Feed readers find the changelog's feed, in the page's language, from any page. */}
        <link
          rel="alternate"
          type="application/atom+xml"
          href={feedPath(locale)}
          title={t("feed.title")}
        />
        {/* The font files the first paint needs, fetched with the stylesheet rather than after
            it, so text does not change font (and shift) once it has been drawn. */}
        {(locale === "he" ? [hebrewFont, latinFont] : [latinFont]).map((href) => (
          <link
            key={href}
            rel="preload"
            href={href}
            as="font"
            type="font/woff2"
            crossOrigin="anonymous"
          />
        ))}
      </head>
      <body className="flex min-h-screen flex-col font-sans">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:start-2 focus:top-2 focus:z-50 focus:rounded-lg focus:bg-white focus:px-4 focus:py-2 focus:shadow"
        >
          {t("nav.skipToContent")}
        </a>
        {children}
        <ScrollRestoration nonce={nonce} />
        {/* Before Remix's scripts, which it must run before; after the content, so that the
            stylesheet and fonts of the first paint are not fetched behind it. */}
        <CatalogScript locale={locale} staff={staff} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

function AppFooter() {
  const t = useT();
  return (
    <footer className="mt-16 border-t border-stone-200 bg-white">
      <div className="mx-auto max-w-6xl space-y-1 px-4 py-6 text-sm text-stone-600">
        <p>{t("footer.about")}</p>
        <p>{t("footer.policy")}</p>
      </div>
    </footer>
  );
}

/**
 * The browser has only the first page's catalog. When the language changes without a new
 * document (switching it from the header, saving it in the account, signing in to an account
 * saved in the other one), rendering waits for the other catalog: the navigation is a React
 * transition, so the page as it was stays on screen until the new one can be drawn, in its own
 * language, with no moment of the wrong one. (The server has both, and a page hydrates with its
 * own already there: this never waits on either.)
 */
function useCatalog(locale: Locale, staff: boolean) {
  if (!hasCatalog(locale, { staff })) throw loadCatalog(locale, { staff });
}

export function Layout({ children }: { children: ReactNode }) {
  const rootData = useRouteLoaderData<typeof loader>("root");
  const locale = useLocale();
  const staff = rootData?.user?.isStaff === true;
  // Signing in as staff without a new document brings the staff pages' messages the same way.
  useCatalog(locale, staff);
  return (
    <Document locale={locale} staff={staff}>
      <AppHeader user={rootData?.user ?? null} locale={locale} />
      {rootData?.unverifiedEmail ? <VerifyEmailBanner email={rootData.unverifiedEmail} /> : null}
      {rootData?.toast ? <Toast toast={rootData.toast} /> : null}
      {rootData?.mergedNotice ? <MergedNotice request={rootData.mergedNotice} /> : null}
      <main id="main" className="mx-auto w-full max-w-6xl flex-1 px-4 py-4 sm:py-8">
        {children}
      </main>
      <AppFooter />
    </Document>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  const t = useT();
  const status = errorStatus(error);
  if (status >= 500) console.error(error);
  return (
    <StatusMessage t={t} status={status} messages={statusMessageKeys(status)}>
      <Link to="/" className={buttonClass("primary", "mt-8")}>
        {t("error.backHome")}
      </Link>
    </StatusMessage>
  );
}
