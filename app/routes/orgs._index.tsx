import { redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { isStaff } from "~/auth/permissions.server";
import { requireUser } from "~/auth/session.server";
import { pageTitle } from "~/components/PageTitle";
import { formatDate } from "~/i18n/format";
import { useRichT } from "~/i18n/rich";
import { useLocale, useT } from "~/i18n/useT";
import { listAllOrganizations } from "~/models/orgs.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "orgs.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  // Customers manage their organizations from the account page; the full list is for staff.
  if (!isStaff(user.actor)) throw redirect("/account");
  return { organizations: await listAllOrganizations() };
}

export default function Organizations() {
  const t = useT();
  const rt = useRichT();
  const locale = useLocale();
  const { organizations } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-3xl font-bold">{t("orgs.title")}</h1>
        <p className="mt-2 text-stone-700">{t("orgs.lead")}</p>
      </div>
      {organizations.length === 0 ? (
        <p className="rounded-2xl border border-dashed border-stone-300 bg-white p-6 text-stone-700">
          {t("orgs.empty")}
        </p>
      ) : (
        <ul className="grid gap-3 sm:grid-cols-2">
          {organizations.map((org) => (
            <li key={org.id}>
              <Link
                to={`/orgs/${org.slug}`}
                className="block rounded-2xl border border-stone-200 bg-white p-5 shadow-sm hover:border-accent-600"
              >
                <bdi className="text-lg font-semibold">{org.name}</bdi>
                <span className="mt-1 block text-sm text-stone-600">
                  {rt.count("count.members", Number(org.memberCount))} ·{" "}
                  {rt("orgs.created", { date: formatDate(locale, org.createdAt) })}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
