// An organization's own sponsorships: the quotes it accepted and its pledges, as signed. Its
// admins (and staff) read them; a member is refused like on the organization's other admin
// pages, and anyone outside it gets the 404 the organization's page gives.
import { type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/session.server";
import { pageTitle } from "~/components/PageTitle";
import { SponsorshipTable, SponsorshipTotals } from "~/components/SponsorshipTable";
import { useRichT } from "~/i18n/rich";
import { useT } from "~/i18n/useT";
import { ActionRefused } from "~/models/errors";
import { getOrganizationForViewer } from "~/models/orgs.server";
import { listOrgSponsorships } from "~/models/sponsorships.server";
import { SponsorshipQuerySchema } from "~/schemas.server";

export const meta: MetaFunction<typeof loader> = ({ data: loaderData, matches }) =>
  pageTitle(matches, "sponsorships.orgTitle", { org: loaderData?.org.name ?? "" });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const found = await getOrganizationForViewer({ slug: params.slug!, actor: user.actor });
  if (!found) throw new Response("Not found", { status: 404 });
  const query = SponsorshipQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  try {
    const page = await listOrgSponsorships({
      actor: user.actor,
      orgId: found.org.id,
      cursor: query.cursor ?? null,
    });
    return {
      ...page,
      org: { id: found.org.id, name: found.org.name, slug: found.org.slug },
      isFirstPage: !query.cursor,
    };
  } catch (error) {
    if (error instanceof ActionRefused) throw new Response(null, { status: error.status });
    throw error;
  }
}

export default function OrganizationSponsorships() {
  const t = useT();
  const rt = useRichT();
  const { items, nextCursor, totals, org, isFirstPage } = useLoaderData<typeof loader>();
  const here = `/orgs/${org.slug}/sponsorships`;

  return (
    <div className="space-y-6">
      <div>
        <Link
          to={`/orgs/${org.slug}`}
          className="text-sm font-medium text-stone-700 underline hover:text-accent-700"
        >
          {rt("org.title", { org: org.name })}
        </Link>
        <h1 className="mt-2 text-2xl font-bold sm:text-3xl">
          {rt("sponsorships.orgTitle", { org: org.name })}
        </h1>
        <p className="mt-1 max-w-prose text-stone-700">{t("sponsorships.orgLead")}</p>
      </div>

      <SponsorshipTotals totals={totals} />

      {items.length === 0 ? (
        <p className="rounded-2xl border border-dashed border-stone-300 bg-white p-6 text-stone-700">
          {t("sponsorships.org.empty")}
        </p>
      ) : (
        <SponsorshipTable rows={items} showOrganization={false} />
      )}

      <nav aria-label={t("sponsorships.paging")} className="flex flex-wrap gap-4 text-sm">
        {!isFirstPage ? (
          <Link to={here} className="font-medium text-accent-700 underline">
            {t("sponsorships.newest")}
          </Link>
        ) : null}
        {nextCursor ? (
          <Link
            to={`${here}?cursor=${encodeURIComponent(nextCursor)}`}
            className="font-medium text-accent-700 underline"
          >
            {t("sponsorships.more")}
          </Link>
        ) : null}
      </nav>
    </div>
  );
}
