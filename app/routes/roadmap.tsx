// The public roadmap: planned, in progress and recently shipped, each column its top cards
// with a link to the whole list on the board; filtered by category through the URL.
import { type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { CategoryFilter } from "~/components/CategoryFilter";
import { pageTitle } from "~/components/PageTitle";
import { StatusBadge } from "~/components/StatusBadge";
import { formatDate } from "~/i18n/format";
import type { MessageKey } from "~/i18n/messages";
import { useRichT } from "~/i18n/rich";
import { useLocale, useT } from "~/i18n/useT";
import { listCategories } from "~/models/categories.server";
import {
  getRoadmap,
  RECENTLY_SHIPPED_DAYS,
  ROADMAP_COLUMNS,
  type RoadmapCard,
  type RoadmapColumnKey,
} from "~/models/roadmap.server";
import { RoadmapQuerySchema } from "~/schemas.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "roadmap.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const query = RoadmapQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const categories = await listCategories();
  const category = categories.find((c) => c.slug === query.category) ?? null;
  const columns = await getRoadmap({ categoryId: category?.id ?? null });
  // The column's statuses and the window travel with the data: .server modules stay on the server.
  return {
    columns: columns.map((column) => ({ ...column, statuses: ROADMAP_COLUMNS[column.key] })),
    categories,
    category: category?.slug ?? "",
    shippedDays: RECENTLY_SHIPPED_DAYS,
  };
}

const COLUMN_TITLE: Record<RoadmapColumnKey, MessageKey> = {
  planned: "roadmap.column.planned",
  in_progress: "roadmap.column.in_progress",
  shipped: "roadmap.column.shipped",
};

const COLUMN_EMPTY: Record<RoadmapColumnKey, MessageKey> = {
  planned: "roadmap.empty.planned",
  in_progress: "roadmap.empty.in_progress",
  shipped: "roadmap.empty.shipped",
};

const COLUMN_ACCENT: Record<RoadmapColumnKey, string> = {
  planned: "border-t-blue-600",
  in_progress: "border-t-amber-500",
  shipped: "border-t-emerald-600",
};

/** The board filtered to one status (and the roadmap's category, when one is chosen). */
function boardHref(status: string, category: string) {
  const params = new URLSearchParams({ status });
  if (category) params.set("category", category);
  return `/?${params}`;
}

export default function Roadmap() {
  const t = useT();
  const { columns, categories, category, shippedDays } = useLoaderData<typeof loader>();

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold sm:text-3xl">{t("roadmap.title")}</h1>
        <p className="mt-1 text-stone-700">{t("roadmap.lead", { days: shippedDays })}</p>
      </div>

      <CategoryFilter
        action="/roadmap"
        id="roadmap-category"
        label="roadmap.filter.label"
        category={category}
        categories={categories}
      />

      {/* One column on phones, three side by side from md up. */}
      <div className="grid gap-4 md:grid-cols-3">
        {columns.map((column) => (
          <section
            key={column.key}
            aria-labelledby={`roadmap-${column.key}`}
            className={`flex flex-col rounded-2xl border border-t-4 border-stone-200 bg-stone-50 ${COLUMN_ACCENT[column.key]}`}
          >
            <h2 id={`roadmap-${column.key}`} className="px-4 pt-4 text-lg font-semibold">
              {t(COLUMN_TITLE[column.key])}
            </h2>
            {column.cards.length === 0 ? (
              <p className="px-4 py-3 text-sm text-stone-700">{t(COLUMN_EMPTY[column.key])}</p>
            ) : (
              <ul className="space-y-3 p-4">
                {column.cards.map((card) => (
                  <RoadmapCardItem key={card.id} card={card} />
                ))}
              </ul>
            )}
            {/* The board lists them all (the column shows its top ones, `more` says if it cut any). */}
            {column.cards.length > 0 ? (
              <div className="mt-auto flex flex-wrap gap-x-4 gap-y-1 border-t border-stone-200 px-4 py-3 text-sm">
                {column.more ? (
                  <p className="basis-full text-stone-700">
                    {t("roadmap.topShown", { count: column.cards.length })}
                  </p>
                ) : null}
                {column.statuses.map((status) => (
                  <Link
                    key={status}
                    to={boardHref(status, category)}
                    className="font-medium text-accent-700 underline"
                  >
                    {t(`roadmap.seeAll.${status}` as MessageKey)}
                  </Link>
                ))}
              </div>
            ) : null}
          </section>
        ))}
      </div>
    </div>
  );
}

function DecisionMark({ decision }: { decision: RoadmapCard["decision"] }) {
  const t = useT();
  if (decision === "broad")
    return (
      <span className="inline-flex items-center gap-1 rounded-full bg-sky-50 px-2 py-0.5 text-xs font-medium text-sky-900 ring-1 ring-inset ring-sky-300">
        <svg aria-hidden="true" viewBox="0 0 20 20" className="h-3 w-3 fill-current">
          <circle cx="10" cy="10" r="7" />
        </svg>
        {t("request.decision.broad")}
      </span>
    );
  if (decision === "sponsored")
    return (
      <span className="inline-flex items-center gap-1 rounded-full bg-violet-50 px-2 py-0.5 text-xs font-medium text-violet-900 ring-1 ring-inset ring-violet-300">
        <svg aria-hidden="true" viewBox="0 0 20 20" className="h-3 w-3 fill-current">
          <path d="M10 2l2.4 5 5.6.8-4 3.9.9 5.5-4.9-2.6-4.9 2.6.9-5.5-4-3.9 5.6-.8z" />
        </svg>
        {t("request.decision.sponsored")}
      </span>
    );
  return null;
}

function RoadmapCardItem({ card }: { card: RoadmapCard }) {
  const t = useT();
  const rt = useRichT();
  const locale = useLocale();
  const categoryName = locale === "he" ? card.categoryNameHe : card.categoryNameEn;
  return (
    // A column laid at the page's start edge, so titles in either language line up (as on the board).
    <li className="flex flex-col items-start rounded-xl border border-stone-200 bg-white p-3 shadow-sm">
      <h3 dir="auto" className="max-w-full text-start font-semibold leading-snug">
        <Link to={`/requests/${card.id}`} className="hover:text-accent-700 hover:underline">
          {card.title}
        </Link>
      </h3>
      <ul className="mt-2 flex flex-wrap items-center gap-x-3 gap-y-1 text-sm text-stone-700">
        {card.status === "funded" ? (
          <li>
            <StatusBadge status={card.status} />
          </li>
        ) : null}
        <li>
          <DecisionMark decision={card.decision} />
        </li>
        {categoryName ? (
          <li>
            <bdi>{categoryName}</bdi>
          </li>
        ) : null}
        <li className="font-medium text-stone-800">
          <bdi>{t.count("count.orgs", card.orgCount)}</bdi>
        </li>
        {card.targetQuarter && card.status !== "shipped" ? (
          <li>{rt("roadmap.targetQuarter", { quarter: card.targetQuarter })}</li>
        ) : null}
        {card.shippedAt ? (
          <li>
            {rt("roadmap.shippedOn", {
              date: <time dateTime={card.shippedAt}>{formatDate(locale, card.shippedAt)}</time>,
            })}
          </li>
        ) : null}
      </ul>
    </li>
  );
}
