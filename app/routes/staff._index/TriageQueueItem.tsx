// One request in the triage queue: what it asks, who asked, its demand (votes, organizations,
// votes in the last 30 days, the biggest organizations that voted) and the decisions.
import { Link } from "@remix-run/react";
import { DecisionButtons, DecisionControls } from "~/components/DecisionControls";
import type { DecisionKind } from "~/models/request-status";
import { formatDateTime, formatRelative } from "~/i18n/format";
import { formatNumber } from "~/i18n/messages";
import { useRichT } from "~/i18n/rich";
import { useLocale, useNow, useT } from "~/i18n/useT";
import type { TriageQueueData } from "./route";

export function TriageQueueItem({
  item,
  categoryName,
  redirectTo,
  queueParams,
  showKeys,
  openKind,
  onOpen,
}: {
  item: TriageQueueData["items"][number];
  categoryName: string | null;
  redirectTo: string;
  /** The queue's filter and page, kept when a decision is opened without JavaScript. */
  queueParams: URLSearchParams;
  showKeys: boolean;
  /** The decision this request's forms are open on, if they are. */
  openKind: DecisionKind | null;
  onOpen: (kind: DecisionKind) => void;
}) {
  const t = useT();
  const rt = useRichT();
  const locale = useLocale();
  const now = useNow();
  const titleId = `request-${item.id}-title`;
  return (
    <li
      id={`request-${item.id}`}
      data-triage-item={item.id}
      // Focusable by script (j/k, after a decision), not a tab stop of its own.
      tabIndex={-1}
      aria-labelledby={titleId}
      className="scroll-mt-4 rounded-2xl border border-stone-200 bg-white p-4 shadow-sm outline-none target:border-accent-600 focus-visible:ring-4 focus-visible:ring-accent-600 focus:ring-4 focus:ring-accent-600 sm:p-5"
    >
      <div className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1">
        <h2 id={titleId} className="min-w-0 text-start text-base font-semibold leading-snug">
          <Link to={`/requests/${item.id}`} className="hover:text-accent-700 hover:underline">
            <span className="text-stone-600">
              <bdi>#{item.id}</bdi>{" "}
            </span>
            <span dir="auto">{item.title}</span>
          </Link>
        </h2>
        <p className="text-sm text-stone-600">
          {rt("staffTriage.item.waitingSince", {
            time: (
              <time dateTime={item.createdAt} title={formatDateTime(locale, item.createdAt)}>
                <bdi>{formatRelative(locale, item.createdAt, now)}</bdi>
              </time>
            ),
          })}
        </p>
      </div>
      {item.bodyExcerpt ? (
        <p dir="auto" className="mt-1 line-clamp-2 text-start text-sm text-stone-700">
          {item.bodyExcerpt}
        </p>
      ) : null}
      <ul className="mt-2 flex flex-wrap items-center gap-x-4 gap-y-1 text-sm text-stone-600">
        {categoryName ? (
          <li>
            <bdi>{categoryName}</bdi>
          </li>
        ) : null}
        <li>
          {rt("request.proposedBy", { author: item.authorName ?? t("request.formerMember") })}
          {item.orgName ? <> · {rt("request.fromOrg", { org: item.orgName })}</> : null}
        </li>
        {item.visibility === "organization" ? (
          <li className="rounded-full bg-amber-50 px-2 py-0.5 text-xs font-medium text-amber-900 ring-1 ring-inset ring-amber-300">
            {t("staffTriage.item.private")}
          </li>
        ) : null}
      </ul>

      <div className="mt-3 rounded-xl bg-stone-50 p-3 text-sm">
        <h3 className="sr-only">{t("staffTriage.item.demand")}</h3>
        <dl className="flex flex-wrap gap-x-6 gap-y-1">
          <div className="flex gap-1.5">
            <dt className="text-stone-600">{t("staffTriage.item.votes")}</dt>
            <dd className="font-semibold text-stone-900">
              <bdi>{formatNumber(locale, item.voteCount)}</bdi>
            </dd>
          </div>
          <div className="flex gap-1.5">
            <dt className="text-stone-600">{t("staffTriage.item.orgs")}</dt>
            <dd className="font-semibold text-stone-900">
              <bdi>{formatNumber(locale, item.orgCount)}</bdi>
            </dd>
          </div>
          <div className="flex gap-1.5">
            <dt className="text-stone-600">{t("staffTriage.item.recent")}</dt>
            <dd className="font-semibold text-stone-900">
              <bdi>{formatNumber(locale, item.recentVotes30d)}</bdi>
            </dd>
          </div>
        </dl>
        {item.topOrgs.length > 0 ? (
          <div className="mt-2">
            <p className="text-stone-600">{t("staffTriage.item.topOrgs")}</p>
            <ul className="mt-1 flex flex-wrap gap-2">
              {item.topOrgs.map((org) => (
                <li
                  key={org.id}
                  className="rounded-lg border border-stone-200 bg-white px-2 py-1 text-stone-800"
                >
                  <bdi className="font-medium">{org.name}</bdi>{" "}
                  <span className="text-stone-600">
                    {rt("staffTriage.item.orgSize", {
                      members: t.count("count.members", org.memberCount),
                      votes: t.count("count.votes", org.votes),
                    })}
                  </span>
                </li>
              ))}
            </ul>
          </div>
        ) : (
          <p className="mt-2 text-stone-600">{t("staffTriage.item.noVotes")}</p>
        )}
      </div>

      <div className="mt-3">
        {openKind ? (
          <DecisionControls
            requestId={item.id}
            redirectTo={redirectTo}
            showKeys={showKeys}
            openKind={openKind}
          />
        ) : (
          <DecisionButtons
            requestId={item.id}
            action={`/staff#request-${item.id}`}
            params={queueParams}
            showKeys={showKeys}
            onOpen={onOpen}
          />
        )}
      </div>
    </li>
  );
}
