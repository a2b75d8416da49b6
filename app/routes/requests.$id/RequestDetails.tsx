// The details aside: status, target quarter and category, and for staff the organizations that
// voted.
import { Link } from "@remix-run/react";
import { statusLabel } from "~/components/StatusBadge";
import { quarterLabel } from "~/components/TargetQuarter";
import { formatDate } from "~/i18n/format";
import { useRichT } from "~/i18n/rich";
import { useLocale, useT } from "~/i18n/useT";
import type { RequestPageData } from "./route";

// A target quarter means something while the work is still ahead.
const TARGETED = new Set<string>(["planned", "in_progress"]);

export function RequestDetails({
  request,
  votingOrganizations,
}: {
  request: RequestPageData["request"];
  votingOrganizations: RequestPageData["votingOrganizations"];
}) {
  const t = useT();
  const rt = useRichT();
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

      {votingOrganizations ? (
        <section
          aria-labelledby="voting-orgs"
          className="rounded-2xl border border-violet-200 bg-violet-50 p-4 text-sm"
        >
          <h2 id="voting-orgs" className="font-semibold text-violet-950">
            {t("request.votingOrgs.title")}
          </h2>
          <p className="text-xs text-violet-900">{t("request.votingOrgs.note")}</p>
          {votingOrganizations.length === 0 ? (
            <p className="mt-2 text-violet-950">{t("request.votingOrgs.empty")}</p>
          ) : (
            <ul className="mt-2 space-y-2">
              {votingOrganizations.map((org) => (
                <li key={org.orgId}>
                  <Link to={`/orgs/${org.slug}`} className="font-medium text-violet-950 underline">
                    <bdi>{org.name}</bdi>
                  </Link>
                  <p className="text-violet-900">
                    {rt.count("count.voters", Number(org.voters))} ·{" "}
                    {rt("request.votingOrgs.last", {
                      date: formatDate(locale, org.lastVotedAt),
                    })}
                  </p>
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}
    </aside>
  );
}
