import type { MetaFunction } from "@remix-run/node";
import { Link, useRouteLoaderData } from "@remix-run/react";
import { buttonClass } from "~/components/Button";
import { pageTitle } from "~/components/PageTitle";
import { useT } from "~/i18n/useT";
import type { loader as rootLoader } from "~/root";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "app.tagline");

const steps = [
  { title: "home.step1.title", body: "home.step1.body", mark: "1" },
  { title: "home.step2.title", body: "home.step2.body", mark: "2" },
  { title: "home.step3.title", body: "home.step3.body", mark: "3" },
] as const;

export default function Home() {
  const t = useT();
  const user = useRouteLoaderData<typeof rootLoader>("root")?.user ?? null;
  return (
    <div className="space-y-12">
      <section className="rounded-3xl bg-gradient-to-br from-accent-700 to-violet-800 px-6 py-12 text-white shadow-sm sm:px-12">
        {user ? (
          <p className="text-sm font-medium text-indigo-100">
            {t("home.welcome", { name: user.name })}
          </p>
        ) : null}
        <h1 className="mt-2 max-w-2xl text-3xl font-bold sm:text-4xl">{t("home.title")}</h1>
        <p className="mt-4 max-w-2xl text-lg leading-relaxed text-indigo-50">{t("home.lead")}</p>
        <div className="mt-8 flex flex-wrap items-center gap-3">
          {!user ? (
            <>
              <Link
                to="/signup"
                className={buttonClass("secondary", "border-white text-accent-800")}
              >
                {t("home.cta.signUp")}
              </Link>
              <Link
                to="/signin"
                className="rounded-lg px-3 py-2 text-sm font-medium text-white underline underline-offset-4"
              >
                {t("home.cta.signIn")}
              </Link>
            </>
          ) : user.isStaff ? (
            <p className="rounded-lg bg-white/10 px-4 py-2 text-sm">{t("home.staffNote")}</p>
          ) : user.currentOrg ? (
            <p className="rounded-lg bg-white/10 px-4 py-2 text-sm">
              {t("home.actingFor", { org: user.currentOrg.name })}
            </p>
          ) : (
            <>
              <p className="rounded-lg bg-white/10 px-4 py-2 text-sm">{t("home.needOrg")}</p>
              <Link
                to="/orgs/new"
                className={buttonClass("secondary", "border-white text-accent-800")}
              >
                {t("home.cta.createOrg")}
              </Link>
            </>
          )}
        </div>
      </section>

      <section aria-labelledby="how-heading">
        <h2 id="how-heading" className="sr-only">
          {t("app.tagline")}
        </h2>
        <ol className="grid gap-4 md:grid-cols-3">
          {steps.map((step) => (
            <li
              key={step.mark}
              className="rounded-2xl border border-stone-200 bg-white p-6 shadow-sm"
            >
              <span
                aria-hidden="true"
                className="flex h-9 w-9 items-center justify-center rounded-full bg-accent-50 font-bold text-accent-700"
              >
                {step.mark}
              </span>
              <h3 className="mt-4 text-lg font-semibold">{t(step.title)}</h3>
              <p className="mt-2 text-stone-700">{t(step.body)}</p>
            </li>
          ))}
        </ol>
      </section>

      <section className="rounded-2xl border border-dashed border-stone-300 bg-white p-6 text-center">
        <p className="inline-block rounded-full bg-stone-100 px-3 py-1 text-xs font-medium text-stone-700">
          {t("soon.badge")}
        </p>
        <h2 className="mt-3 text-xl font-semibold">{t("home.boardSoon.title")}</h2>
        <p className="mx-auto mt-2 max-w-xl text-stone-700">{t("home.boardSoon.body")}</p>
      </section>
    </div>
  );
}
