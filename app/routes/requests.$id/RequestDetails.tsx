// The details aside: status, target quarter and category.
import { Link } from "@remix-run/react";
import { statusLabel } from "~/components/StatusBadge";
import { quarterLabel } from "~/components/TargetQuarter";
import { useLocale, useT } from "~/i18n/useT";
import type { RequestPageData } from "./route";

// A target quarter means something while the work is still ahead.
const TARGETED = new Set<string>(["planned", "in_progress"]);

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
          {request.targetQuarter && TARGETED.has(request.status) ? (
            <div className="flex justify-between gap-2">
              <dt className="text-stone-600">{t("staffTriage.outcome.targetQuarter")}</dt>
              <dd className="font-medium">{quarterLabel(t, request.targetQuarter)}</dd>
            </div>
          ) : null}
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
