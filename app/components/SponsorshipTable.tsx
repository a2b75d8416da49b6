// The sponsorship ledger's pieces: totals by status and the table of signed acceptances and
// pledges, for staff (every organization) and for an organization's own page.
import { Link } from "@remix-run/react";
import { formatDateTime } from "~/i18n/format";
import type { MessageKey } from "~/i18n/messages";
import { useLocale, useT } from "~/i18n/useT";
import { Money, QuoteAmountsLine } from "./Money";

type Status = "pledged" | "funded" | "lapsed";

export type LedgerRow = {
  id: number;
  orgName: string;
  orgSlug: string;
  requestId: number;
  requestTitle: string;
  quoteVersion: number;
  shareMinor: number;
  netMinor: number;
  vatMinor: number;
  grossMinor: number;
  currency: string;
  status: Status;
  acceptedAt: string;
  signerName: string;
  signerEmail: string;
};

export type LedgerTotals = Record<Status, { count: number; shareMinor: number }>;

const STATUS_KEYS: Record<Status, MessageKey> = {
  pledged: "sponsorships.status.pledged",
  funded: "sponsorships.status.funded",
  lapsed: "sponsorships.status.lapsed",
};

const STATUS_CLASSES: Record<Status, string> = {
  pledged: "bg-blue-50 text-blue-800 ring-blue-200",
  funded: "bg-green-50 text-green-800 ring-green-200",
  lapsed: "bg-stone-100 text-stone-700 ring-stone-300",
};

export const SPONSORSHIP_STATUS_KEYS = STATUS_KEYS;

export function SponsorshipStatus({ status }: { status: Status }) {
  const t = useT();
  return (
    <span
      className={`inline-block rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${STATUS_CLASSES[status]}`}
    >
      {t(STATUS_KEYS[status])}
    </span>
  );
}

export function SponsorshipTotals({ totals }: { totals: LedgerTotals }) {
  const t = useT();
  return (
    <section aria-labelledby="sponsorship-totals">
      <h2 id="sponsorship-totals" className="sr-only">
        {t("sponsorships.totals")}
      </h2>
      <dl className="grid grid-cols-1 gap-3 sm:grid-cols-3">
        {(["funded", "pledged", "lapsed"] as const).map((status) => (
          <div
            key={status}
            className="rounded-2xl border border-stone-200 bg-white p-4 shadow-sm"
            data-status={status}
          >
            <dt>
              <SponsorshipStatus status={status} />
            </dt>
            <dd className="mt-2 text-xl font-semibold">
              <Money minor={totals[status].shareMinor} />
            </dd>
            <dd className="text-sm text-stone-600">
              {t("sponsorships.totals.count", { count: totals[status].count })}
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

export function SponsorshipTable({
  rows,
  showOrganization,
}: {
  rows: readonly LedgerRow[];
  showOrganization: boolean;
}) {
  const t = useT();
  const locale = useLocale();
  return (
    // A wide table scrolls sideways on a phone; the region can take the keyboard's focus.
    <div
      className="overflow-x-auto rounded-2xl border border-stone-200 bg-white shadow-sm"
      role="region"
      aria-label={t("sponsorships.title")}
      tabIndex={0}
    >
      <table className="w-full min-w-[48rem] text-start text-sm">
        <thead className="border-b border-stone-200 bg-stone-50 text-stone-700">
          <tr>
            <th scope="col" className="px-3 py-2 text-start font-medium">
              {t("sponsorships.col.accepted")}
            </th>
            {showOrganization ? (
              <th scope="col" className="px-3 py-2 text-start font-medium">
                {t("sponsorships.col.organization")}
              </th>
            ) : null}
            <th scope="col" className="px-3 py-2 text-start font-medium">
              {t("sponsorships.col.request")}
            </th>
            <th scope="col" className="px-3 py-2 text-start font-medium">
              {t("sponsorships.col.share")}
            </th>
            <th scope="col" className="px-3 py-2 text-start font-medium">
              {t("sponsorships.col.amounts")}
            </th>
            <th scope="col" className="px-3 py-2 text-start font-medium">
              {t("sponsorships.col.status")}
            </th>
            <th scope="col" className="px-3 py-2 text-start font-medium">
              {t("sponsorships.col.signer")}
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-stone-100">
          {rows.map((row) => (
            <tr key={row.id} data-sponsorship={row.id} className="align-top">
              <td className="px-3 py-2 text-stone-700">
                <time dateTime={row.acceptedAt}>
                  <bdi>{formatDateTime(locale, row.acceptedAt)}</bdi>
                </time>
              </td>
              {showOrganization ? (
                <td className="px-3 py-2">
                  <bdi>{row.orgName}</bdi>
                </td>
              ) : null}
              <td className="px-3 py-2">
                <Link
                  to={`/requests/${row.requestId}`}
                  className="font-medium text-accent-700 underline"
                  dir="auto"
                >
                  {row.requestTitle}
                </Link>
                <p className="text-xs text-stone-600">
                  {t("sponsorships.version", { version: row.quoteVersion })}
                </p>
              </td>
              <td className="px-3 py-2 font-semibold">
                <Money minor={row.shareMinor} currency={row.currency} />
              </td>
              <td className="px-3 py-2 text-stone-700">
                <QuoteAmountsLine
                  amounts={{
                    netMinor: row.netMinor,
                    vatMinor: row.vatMinor,
                    grossMinor: row.grossMinor,
                  }}
                />
              </td>
              <td className="px-3 py-2">
                <SponsorshipStatus status={row.status} />
              </td>
              <td className="px-3 py-2">
                <bdi>{row.signerName}</bdi>
                <p className="text-xs text-stone-600">
                  <bdi dir="ltr">{row.signerEmail}</bdi>
                </p>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
