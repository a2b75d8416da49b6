// The sponsorship ledger, for staff: every acceptance and pledge newest first, filtered by
// status and organization in a GET form, the totals by status, keyset pages, and the CSV.
import { type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation } from "@remix-run/react";
import { requireStaffOr404 } from "~/auth/staff-actions.server";
import { buttonClass } from "~/components/Button";
import { inputClass } from "~/components/Field";
import { pageTitle } from "~/components/PageTitle";
import {
  SPONSORSHIP_STATUS_KEYS,
  SponsorshipTable,
  SponsorshipTotals,
} from "~/components/SponsorshipTable";
import { useT } from "~/i18n/useT";
import { ActionRefused } from "~/models/errors";
import { listSponsorships } from "~/models/sponsorships.server";
import { SponsorshipQuerySchema } from "~/schemas.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "sponsorships.title");

export async function loader({ request }: LoaderFunctionArgs) {
  // Visitors sign in first; customers get the 404 (the model checks again).
  const user = await requireStaffOr404(request);
  const query = SponsorshipQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  try {
    const page = await listSponsorships({
      actor: user.actor,
      filters: {
        status: query.status ?? null,
        orgId: query.org ?? null,
        requestId: query.request ?? null,
      },
      cursor: query.cursor ?? null,
    });
    return {
      ...page,
      filters: {
        status: query.status ?? "",
        org: query.org ? String(query.org) : "",
        request: query.request ? String(query.request) : "",
      },
      isFirstPage: !query.cursor,
    };
  } catch (error) {
    if (error instanceof ActionRefused) throw new Response(null, { status: error.status });
    throw error;
  }
}

export default function SponsorshipLedger() {
  const t = useT();
  const location = useLocation();
  const { items, nextCursor, totals, organizations, filters, isFirstPage } =
    useLoaderData<typeof loader>();
  // The links carry the filters that are set (the GET form also sends the empty ones).
  const search = new URLSearchParams(location.search);
  for (const [key, value] of [...search]) if (!value) search.delete(key);
  const nextParams = new URLSearchParams(search);
  if (nextCursor) nextParams.set("cursor", nextCursor);
  const firstParams = new URLSearchParams(search);
  firstParams.delete("cursor");
  const hasFilters = Boolean(filters.status || filters.org || filters.request);

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h1 className="text-2xl font-bold sm:text-3xl">{t("sponsorships.title")}</h1>
          <p className="mt-1 max-w-prose text-stone-700">{t("sponsorships.lead")}</p>
        </div>
        <a
          href={`/staff/sponsorships.csv${firstParams.size ? `?${firstParams}` : ""}`}
          download
          className={buttonClass("secondary")}
        >
          {t("sponsorships.download")}
        </a>
      </div>

      <SponsorshipTotals totals={totals} />

      <Form
        method="get"
        action="/staff/sponsorships"
        key={location.search}
        className="grid grid-cols-1 items-end gap-3 sm:flex sm:flex-wrap"
        aria-label={t("sponsorships.filters")}
      >
        <div>
          <label htmlFor="ledger-status" className="block text-sm font-medium text-stone-800">
            {t("sponsorships.filter.status")}
          </label>
          <select
            id="ledger-status"
            name="status"
            defaultValue={filters.status}
            className={`${inputClass} mt-1 py-1.5 text-sm sm:w-auto`}
          >
            <option value="">{t("sponsorships.filter.anyStatus")}</option>
            {(["pledged", "funded", "lapsed"] as const).map((status) => (
              <option key={status} value={status}>
                {t(SPONSORSHIP_STATUS_KEYS[status])}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="ledger-org" className="block text-sm font-medium text-stone-800">
            {t("sponsorships.filter.org")}
          </label>
          <select
            id="ledger-org"
            name="org"
            defaultValue={filters.org}
            className={`${inputClass} mt-1 py-1.5 text-sm sm:w-auto`}
          >
            <option value="">{t("sponsorships.filter.anyOrg")}</option>
            {organizations.map((org) => (
              <option key={org.id} value={org.id}>
                {org.name}
              </option>
            ))}
          </select>
        </div>
        {filters.request ? <input type="hidden" name="request" value={filters.request} /> : null}
        <button type="submit" className={buttonClass("secondary", "py-1.5")}>
          {t("board.filter.apply")}
        </button>
        {hasFilters ? (
          <Link
            to="/staff/sponsorships"
            className="py-2 text-sm font-medium text-accent-700 underline"
          >
            {t("board.filter.clear")}
          </Link>
        ) : null}
      </Form>

      {items.length === 0 ? (
        <p className="rounded-2xl border border-dashed border-stone-300 bg-white p-6 text-stone-700">
          {hasFilters ? t("sponsorships.empty.filtered") : t("sponsorships.empty")}
        </p>
      ) : (
        <SponsorshipTable rows={items} showOrganization />
      )}

      <nav aria-label={t("sponsorships.paging")} className="flex flex-wrap gap-4 text-sm">
        {!isFirstPage ? (
          <Link
            to={`/staff/sponsorships${firstParams.size ? `?${firstParams}` : ""}`}
            className="font-medium text-accent-700 underline"
          >
            {t("sponsorships.newest")}
          </Link>
        ) : null}
        {nextCursor ? (
          <Link
            to={`/staff/sponsorships?${nextParams}`}
            className="font-medium text-accent-700 underline"
          >
            {t("sponsorships.more")}
          </Link>
        ) : null}
      </nav>
    </div>
  );
}
