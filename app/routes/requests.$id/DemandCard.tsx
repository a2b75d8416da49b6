// Staff's demand view on the request page: totals, votes per week over the last 12 weeks (bars
// with a table for screen readers), and the voting organizations, most voters first, paged by
// keyset: "More organizations" is a link to the next page (?orgs=<cursor>), and with
// JavaScript a fetcher appends that page here instead.
import { Link, useFetcher } from "@remix-run/react";
import { useEffect, useState } from "react";
import { buttonClass } from "~/components/Button";
import { formatDate, formatDateTime } from "~/i18n/format";
import { formatNumber } from "~/i18n/messages";
import { useRichT } from "~/i18n/rich";
import { useLocale, useT } from "~/i18n/useT";
import type { RequestPageData } from "./route";

type Demand = NonNullable<RequestPageData["demand"]>;
type Organization = Demand["organizations"][number];

export function DemandCard({ requestId, demand }: { requestId: number; demand: Demand }) {
  const t = useT();
  const rt = useRichT();
  const locale = useLocale();
  const more = useFetcher<{ demand: Demand | null }>();
  const [extra, setExtra] = useState<{ items: Organization[]; nextCursor: string | null }>({
    items: [],
    nextCursor: null,
  });
  // A new page of the request (another ?orgs=, a vote) starts the list afresh.
  useEffect(() => setExtra({ items: [], nextCursor: null }), [demand]);
  useEffect(() => {
    const page = more.data?.demand;
    if (more.state === "idle" && page) {
      setExtra((previous) => ({
        items: [...previous.items, ...page.organizations],
        nextCursor: page.nextCursor,
      }));
    }
  }, [more.state, more.data]);

  const organizations = [...demand.organizations, ...extra.items];
  const nextCursor = extra.items.length ? extra.nextCursor : demand.nextCursor;
  const here = `/requests/${requestId}`;
  const nextHref = nextCursor ? `${here}?${new URLSearchParams({ orgs: nextCursor })}` : null;
  const from = demand.offset + 1;
  const to = demand.offset + organizations.length;

  return (
    <section
      id="demand"
      aria-labelledby="demand-title"
      className="order-4 space-y-4 rounded-2xl border border-violet-200 bg-violet-50 p-4 text-sm text-violet-950"
    >
      <div>
        <h2 id="demand-title" className="text-base font-semibold">
          {t("demand.title")}
        </h2>
        <p className="text-xs text-violet-900">{t("request.votingOrgs.note")}</p>
      </div>

      <dl className="grid grid-cols-3 gap-2 text-center">
        {(
          [
            ["demand.total.votes", demand.totals.votes],
            ["demand.total.orgs", demand.totals.organizations],
            ["demand.total.weeks", demand.totals.votesInWeeks],
          ] as const
        ).map(([label, value]) => (
          <div key={label} className="flex flex-col-reverse rounded-xl bg-white p-2">
            <dt className="text-xs text-violet-900">{t(label)}</dt>
            <dd className="text-lg font-semibold tabular-nums">{formatNumber(locale, value)}</dd>
          </div>
        ))}
      </dl>

      <WeeksChart weeks={demand.weeks} />

      <div>
        <h3 className="font-semibold">{t("request.votingOrgs.title")}</h3>
        {demand.offset > 0 ? (
          <p className="mt-1 text-xs text-violet-900">
            {rt("demand.orgs.range", { from, to, total: demand.totals.organizations })}{" "}
            <Link to={`${here}#demand`} className="font-medium underline">
              {t("demand.orgs.backToTop")}
            </Link>
          </p>
        ) : null}
        {organizations.length === 0 ? (
          <p className="mt-2">{t("request.votingOrgs.empty")}</p>
        ) : (
          <ol className="mt-2 space-y-3" start={from}>
            {organizations.map((org) => (
              <OrganizationItem key={org.orgId} org={org} />
            ))}
          </ol>
        )}
        {nextHref ? (
          <Link
            to={`${nextHref}#demand`}
            preventScrollReset
            className={buttonClass("secondary", "mt-3 w-full py-1.5")}
            onClick={(event) => {
              event.preventDefault();
              if (more.state === "idle" && nextCursor) more.load(nextHref);
            }}
          >
            {more.state === "loading" ? t("demand.orgs.loading") : t("demand.orgs.more")}
          </Link>
        ) : null}
      </div>
    </section>
  );
}

function OrganizationItem({ org }: { org: Organization }) {
  const t = useT();
  const rt = useRichT();
  const locale = useLocale();
  const time = (iso: string) => (
    <time dateTime={iso} title={formatDateTime(locale, iso)}>
      {formatDate(locale, iso)}
    </time>
  );
  const sameDay = formatDate(locale, org.firstVotedAt) === formatDate(locale, org.lastVotedAt);
  return (
    <li className="rounded-xl bg-white p-2.5">
      <Link to={`/orgs/${org.slug}`} className="font-medium underline">
        <bdi>{org.name}</bdi>
      </Link>
      <p className="text-violet-900">
        {rt.count("demand.orgs.members", org.memberCount, { voters: org.voters })}
      </p>
      <p className="text-xs text-violet-900">
        {sameDay
          ? rt("demand.orgs.votedOn", { date: time(org.lastVotedAt) })
          : rt("demand.orgs.firstLast", {
              first: time(org.firstVotedAt),
              last: time(org.lastVotedAt),
            })}
      </p>
      {org.recorded ? (
        <p className="mt-1">
          <span className="inline-block rounded-full bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-950 ring-1 ring-inset ring-amber-300">
            {org.recorded.sources.length
              ? t("demand.orgs.recordedFrom", {
                  source: org.recorded.sources.map((s) => t(`demand.source.${s}`)).join(", "),
                })
              : t("demand.orgs.recorded")}
            {org.recorded.votes > 1 ? ` (${formatNumber(locale, org.recorded.votes)})` : null}
          </span>
        </p>
      ) : null}
    </li>
  );
}

const BAR_STEP = 10;

/**
 * Votes per week as bars, oldest first (so the row reads in the page's direction: from the
 * right in Hebrew), with the numbers in a table for screen readers.
 */
function WeeksChart({ weeks }: { weeks: Demand["weeks"] }) {
  const t = useT();
  const locale = useLocale();
  const highest = Math.max(1, ...weeks.map((w) => w.votes));
  const first = weeks[0];
  const last = weeks[weeks.length - 1];
  return (
    <figure aria-labelledby="demand-weeks-title">
      <figcaption id="demand-weeks-title" className="font-semibold">
        {t("demand.weeks.title")}
      </figcaption>
      {/* SVG attributes rather than inline styles (the CSP allows none); mirrored in RTL. */}
      <svg
        aria-hidden="true"
        viewBox={`0 0 ${weeks.length * BAR_STEP} 100`}
        preserveAspectRatio="none"
        className="mt-2 block h-20 w-full border-b border-violet-300 fill-violet-600 rtl:-scale-x-100"
      >
        {weeks.map((week, i) => {
          const height = week.votes ? Math.max(4, (week.votes / highest) * 100) : 0;
          return (
            <rect
              key={week.start}
              x={i * BAR_STEP + 1}
              y={100 - height}
              width={BAR_STEP - 2}
              height={height}
              rx={1}
            />
          );
        })}
      </svg>
      {first && last ? (
        <div aria-hidden="true" className="mt-1 flex justify-between text-xs text-violet-900">
          <span>{formatDate(locale, first.start)}</span>
          <span>{t("demand.weeks.now")}</span>
        </div>
      ) : null}
      <table className="sr-only">
        <caption>{t("demand.weeks.title")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("demand.weeks.week")}</th>
            <th scope="col">{t("demand.weeks.votes")}</th>
          </tr>
        </thead>
        <tbody>
          {weeks.map((week) => (
            <tr key={week.start}>
              <th scope="row">
                {t("demand.weeks.weekOf", { date: formatDate(locale, week.start) })}
              </th>
              <td>{formatNumber(locale, week.votes)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
