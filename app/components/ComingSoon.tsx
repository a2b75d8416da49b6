// An honest placeholder for a page whose feature has not landed yet.
import { Link } from "@remix-run/react";
import { useT } from "~/i18n/useT";
import { buttonClass } from "./Button";
import type { MessageKey } from "~/i18n/messages";

export function ComingSoon({ title, body }: { title: MessageKey; body: MessageKey }) {
  const t = useT();
  return (
    <section className="mx-auto max-w-2xl rounded-2xl border border-dashed border-stone-300 bg-white p-8 text-center">
      <p className="inline-block rounded-full bg-stone-100 px-3 py-1 text-xs font-medium text-stone-700">
        {t("soon.badge")}
      </p>
      <h1 className="mt-4 text-3xl font-bold">{t(title)}</h1>
      <p className="mt-4 text-stone-700">{t(body)}</p>
      <Link to="/" className={buttonClass("secondary", "mt-8")}>
        {t("soon.backHome")}
      </Link>
    </section>
  );
}
