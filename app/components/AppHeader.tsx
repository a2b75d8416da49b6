// The site header: product name, main navigation, language switch and the account menu.
import { Form, Link, NavLink, useLocation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { formatNumber, type Locale } from "~/i18n/messages";
import { useT } from "~/i18n/useT";
import { buttonClass } from "./Button";

export type HeaderUser = {
  name: string;
  email: string;
  isStaff: boolean;
  /** For staff: how many requests wait for a decision (the triage queue). */
  staffWaiting?: { count: number; more: boolean } | null;
  /** A staff admin: the menu offers the audit log and staff settings. */
  isStaffAdmin: boolean;
  currentOrg: { orgId: number; slug: string; name: string; role: string } | null;
  memberships: { orgId: number; slug: string; name: string; role: string }[];
};

function currentPath(location: { pathname: string; search: string }) {
  return location.pathname + location.search;
}

export function LanguageSwitch({ locale }: { locale: Locale }) {
  const t = useT();
  const location = useLocation();
  const other: Locale = locale === "he" ? "en" : "he";
  return (
    <Form method="post" action="/language" className="contents">
      <input type="hidden" name="locale" value={other} />
      <input type="hidden" name="redirectTo" value={currentPath(location)} />
      <button type="submit" className={buttonClass("ghost", "px-2")}>
        <svg
          aria-hidden="true"
          viewBox="0 0 20 20"
          className="hidden h-4 w-4 fill-current sm:block"
        >
          <path d="M10 2a8 8 0 1 0 0 16 8 8 0 0 0 0-16Zm5.9 7h-2.4a12.6 12.6 0 0 0-1-4.6A6 6 0 0 1 15.9 9ZM10 4.1c.6.8 1.3 2.5 1.5 4.9h-3c.2-2.4.9-4.1 1.5-4.9ZM7.5 4.4a12.6 12.6 0 0 0-1 4.6H4.1a6 6 0 0 1 3.4-4.6ZM4.1 11h2.4c.1 1.7.5 3.3 1 4.6A6 6 0 0 1 4.1 11Zm5.9 4.9c-.6-.8-1.3-2.5-1.5-4.9h3c-.2 2.4-.9 4.1-1.5 4.9Zm2.5-.3c.5-1.3.9-2.9 1-4.6h2.4a6 6 0 0 1-3.4 4.6Z" />
        </svg>
        <span className="sr-only">{t("lang.switch")}: </span>
        <span lang={other}>{t(other === "he" ? "lang.he" : "lang.en")}</span>
      </button>
    </Form>
  );
}

function AccountMenu({ user }: { user: HeaderUser }) {
  const t = useT();
  const location = useLocation();
  const menu = useRef<HTMLDetailsElement>(null);
  // The menu is a <details> so it works without JavaScript; with it, it closes on navigation.
  useEffect(() => {
    if (menu.current) menu.current.open = false;
  }, [location.key]);
  const others = user.memberships.filter((m) => m.orgId !== user.currentOrg?.orgId);
  return (
    <details ref={menu} className="group relative">
      <summary
        className={buttonClass(
          "secondary",
          "cursor-pointer list-none px-3 [&::-webkit-details-marker]:hidden",
        )}
      >
        <span className="sr-only">{t("account.menu")}: </span>
        <span
          aria-hidden="true"
          className="flex h-7 w-7 items-center justify-center rounded-full bg-accent-100 text-sm font-semibold text-accent-800"
        >
          {user.name.trim().charAt(0).toUpperCase()}
        </span>
        <span className="max-w-40 truncate max-sm:sr-only">
          {user.currentOrg?.name ?? user.name}
        </span>
        <svg
          aria-hidden="true"
          viewBox="0 0 20 20"
          className="h-4 w-4 fill-current transition-transform group-open:rotate-180"
        >
          <path d="M5.3 7.3a1 1 0 0 1 1.4 0L10 10.6l3.3-3.3a1 1 0 1 1 1.4 1.4l-4 4a1 1 0 0 1-1.4 0l-4-4a1 1 0 0 1 0-1.4Z" />
        </svg>
      </summary>
      <div className="absolute end-0 z-20 mt-2 w-72 rounded-xl border border-stone-200 bg-white p-2 shadow-lg">
        <div className="border-b border-stone-100 px-3 pb-3 pt-2">
          <p className="text-xs text-stone-600">{t("account.signedInAs")}</p>
          <p className="truncate text-start font-medium">
            <bdi>{user.name}</bdi>
          </p>
          <p className="truncate text-start text-sm text-stone-600">
            <bdi dir="ltr">{user.email}</bdi>
          </p>
          {user.isStaff ? (
            <p className="mt-1 inline-block rounded bg-violet-100 px-2 py-0.5 text-xs font-medium text-violet-800">
              {t("account.staff")}
            </p>
          ) : (
            <p className="mt-2 text-sm">
              <span className="text-stone-600">{t("account.currentOrg")}: </span>
              <bdi className="font-medium">{user.currentOrg?.name ?? t("account.noOrg")}</bdi>
            </p>
          )}
        </div>
        {others.length > 0 ? (
          <div className="border-b border-stone-100 py-2">
            <p className="px-3 pb-1 text-xs text-stone-600">{t("account.switchHeading")}</p>
            {others.map((m) => (
              <Form key={m.orgId} method="post" action="/orgs/switch">
                <input type="hidden" name="orgId" value={m.orgId} />
                <input type="hidden" name="redirectTo" value={currentPath(location)} />
                <button
                  type="submit"
                  className="w-full rounded-lg px-3 py-2 text-start text-sm hover:bg-stone-100"
                  aria-label={t("account.switchTo", { org: m.name })}
                >
                  <bdi>{m.name}</bdi>
                </button>
              </Form>
            ))}
          </div>
        ) : null}
        <nav className="flex flex-col py-2 text-sm" aria-label={t("account.menu")}>
          {user.currentOrg ? (
            <Link
              className="rounded-lg px-3 py-2 hover:bg-stone-100"
              to={`/orgs/${user.currentOrg.slug}`}
            >
              {t(user.currentOrg.role === "admin" ? "account.orgSettings" : "account.orgMembers")}
            </Link>
          ) : null}
          {user.isStaff ? (
            <Link className="rounded-lg px-3 py-2 hover:bg-stone-100" to="/orgs">
              {t("account.allOrgs")}
            </Link>
          ) : (
            <Link className="rounded-lg px-3 py-2 hover:bg-stone-100" to="/orgs/new">
              {t("account.newOrg")}
            </Link>
          )}
          {user.isStaff ? (
            <Link className="rounded-lg px-3 py-2 hover:bg-stone-100" to="/staff/sponsorships">
              {t("sponsorships.menu")}
            </Link>
          ) : null}
          {user.isStaff ? (
            <Link className="rounded-lg px-3 py-2 hover:bg-stone-100" to="/staff/announcements">
              {t("staffAnnouncements.menu")}
            </Link>
          ) : null}
          {user.isStaffAdmin ? (
            <>
              <Link className="rounded-lg px-3 py-2 hover:bg-stone-100" to="/staff/audit">
                {t("audit.title")}
              </Link>
              <Link className="rounded-lg px-3 py-2 hover:bg-stone-100" to="/staff/settings">
                {t("staffSettings.title")}
              </Link>
            </>
          ) : null}
          <Link className="rounded-lg px-3 py-2 hover:bg-stone-100" to="/account">
            {t("account.settings")}
          </Link>
        </nav>
        <Form method="post" action="/signout" className="border-t border-stone-100 pt-2">
          <button
            type="submit"
            className="w-full rounded-lg px-3 py-2 text-start text-sm text-red-800 hover:bg-red-50"
          >
            {t("account.signOut")}
          </button>
        </Form>
      </div>
    </details>
  );
}

export function AppHeader({ user, locale }: { user: HeaderUser | null; locale: Locale }) {
  const t = useT();
  const location = useLocation();
  const navClass = ({ isActive }: { isActive: boolean }) =>
    `rounded-lg px-3 py-1.5 text-sm font-medium sm:py-2 ${isActive ? "bg-accent-50 text-accent-800" : "text-stone-700 hover:bg-stone-100"}`;
  const back = encodeURIComponent(currentPath(location));
  return (
    <header className="border-b border-stone-200 bg-white">
      {/* On a phone: one row for the name and the account, one for the navigation. */}
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-2 gap-y-1 px-4 py-2 sm:gap-x-4 sm:gap-y-2 sm:py-3">
        <Link
          to="/"
          className="flex items-center gap-2 text-lg font-bold text-stone-900"
          aria-label={t("nav.home")}
        >
          <img src="/favicon.svg" alt="" width="28" height="28" />
          <span>{t("app.name")}</span>
        </Link>
        <nav
          aria-label={t("nav.main")}
          className="order-last -mx-1 flex w-full gap-1 overflow-x-auto md:order-none md:w-auto"
        >
          <NavLink to="/" end className={navClass}>
            {t("nav.board")}
          </NavLink>
          <NavLink to="/roadmap" className={navClass}>
            {t("nav.roadmap")}
          </NavLink>
          <NavLink to="/announcements" className={navClass}>
            {t("nav.announcements")}
          </NavLink>
          {user?.isStaff ? (
            <NavLink to="/staff" end className={navClass}>
              {t("staffTriage.nav")}
              {user.staffWaiting?.count ? (
                <span className="ms-1.5 rounded-full bg-violet-100 px-1.5 py-0.5 text-xs font-semibold text-violet-900">
                  <span className="sr-only">{t("staffTriage.nav.waiting")}: </span>
                  <bdi>
                    {formatNumber(locale, user.staffWaiting.count)}
                    {user.staffWaiting.more ? "+" : ""}
                  </bdi>
                </span>
              ) : null}
            </NavLink>
          ) : null}
        </nav>
        <div className="ms-auto flex items-center gap-1 sm:gap-2">
          <LanguageSwitch locale={locale} />
          {user ? (
            <AccountMenu user={user} />
          ) : (
            <>
              <Link
                to={`/signin?redirectTo=${back}`}
                className={buttonClass("ghost", "max-sm:px-2.5")}
              >
                {t("account.signIn")}
              </Link>
              <Link
                to={`/signup?redirectTo=${back}`}
                className={buttonClass("primary", "max-sm:px-3")}
              >
                {t("account.signUp")}
              </Link>
            </>
          )}
        </div>
      </div>
    </header>
  );
}
