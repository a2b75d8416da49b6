// The details aside: status and category.
import { Link } from "@remix-run/react";
import { statusLabel } from "~/components/StatusBadge";
import { useLocale, useT } from "~/i18n/useT";
import type { RequestPageData } from "./route";

export function RequestDetails({ request }: { request: RequestPageData["request"] }) {
  const t = useT();
  const locale = useLocale();
  const category = locale === "he" ? request.categoryNameHe : request.categoryNameEn;
  return (
    <aside className="order-4 space-y-4" aria-label={t("request.details")}>
      <div className="rounded-2xl border border-stone-200 bg-white p-4 text-sm shadow-sm">
        <dl className="space-y-2">
          <div className="flex justify-between gap-2">
            <dt className="text-stone-600">{t("request.status")}</dt>
            <dd className="font-medium">{t(statusLabel[request.status])}</dd>
          </div>
          {category ? (
            <div className="flex justify-between gap-2">
              <dt className="text-stone-600">{t("request.category")}</dt>
              <dd className="font-medium">
                <Link
                  to={`/?category=${request.categorySlug}`}
                  className="hover:text-accent-700 hover:underline"
                >
                  {category}
                </Link>
              </dd>
            </div>
          ) : null}
        </dl>
      </div>
    </aside>
  );
}
