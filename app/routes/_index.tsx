// The board: every public request, sorted by breadth of demand by default, filtered, searched
// and paged by keyset. All of its state lives in the URL.
import { type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import {
  Form,
  Link,
  useFetcher,
  useLoaderData,
  useLocation,
  useNavigation,
  useSubmit,
} from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { isStaff } from "~/auth/permissions.server";
import { getSessionUser } from "~/auth/session.server";
import { buttonClass } from "~/components/Button";
import { inputClass } from "~/components/Field";
import { pageTitle } from "~/components/PageTitle";
import { RequestRow, type RequestRowData } from "~/components/RequestRow";
import { statusLabel } from "~/components/StatusBadge";
import type { MessageKey } from "~/i18n/messages";
import { useLocale, useT } from "~/i18n/useT";
import { listCategories } from "~/models/categories.server";
import { BOARD_FILTER_STATUSES } from "~/models/request-status";
import { listRequests, type BoardSort } from "~/models/requests.server";
import { BoardQuerySchema } from "~/schemas.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "board.title");

const SORTS = [
  ["relevance", "board.sort.relevance"],
  ["orgs", "board.sort.orgs"],
  ["votes", "board.sort.votes"],
  ["trending", "board.sort.trending"],
  ["newest", "board.sort.newest"],
] as const satisfies readonly (readonly [BoardSort, MessageKey])[];

const HOW_IT_WORKS = [
  { title: "home.step1.title", body: "home.step1.body" },
  { title: "home.step2.title", body: "home.step2.body" },
  { title: "home.step3.title", body: "home.step3.body" },
] as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const query = BoardQuerySchema.parse(Object.fromEntries(url.searchParams));
  const [user, categories] = await Promise.all([getSessionUser(request), listCategories()]);
  const category = categories.find((c) => c.slug === query.category) ?? null;
  const q = query.q?.trim() || null;
  const page = await listRequests({
    sort: query.sort ?? null,
    status: query.status ?? null,
    categoryId: category?.id ?? null,
    q,
    cursor: query.cursor ?? null,
    limit: 25,
    viewer: user?.actor ?? null,
  });
  return {
    items: page.items satisfies RequestRowData[],
    nextCursor: page.nextCursor,
    total: page.total,
    isFirstPage: !query.cursor,
    filters: {
      // "" is the default: relevance when searching, most organizations otherwise.
      sort: query.sort && (query.sort !== "relevance" || page.total) ? query.sort : "",
      status: query.status ?? "",
      category: category?.slug ?? "",
      q: q ?? "",
    },
    categories,
    signedIn: Boolean(user),
    // A customer must belong to an organization to propose and vote: say so up front.
    needsOrganization: Boolean(user) && !isStaff(user?.actor) && !user?.currentOrg,
  };
}

function withParams(search: string, changes: Record<string, string | null>) {
  const params = new URLSearchParams(search);
  params.delete("cursor");
  for (const [key, value] of Object.entries(changes)) {
    if (value) params.set(key, value);
    else params.delete(key);
  }
  const text = params.toString();
  return text ? `/?${text}` : "/";
}

export default function Board() {
  const t = useT();
  const locale = useLocale();
  const data = useLoaderData<typeof loader>();
  const { filters, categories } = data;
  const location = useLocation();
  const navigation = useNavigation();
  const submit = useSubmit();
  const searchTimer = useRef<ReturnType<typeof setTimeout>>();

  // "Load more" appends pages in place with JavaScript; without it, the link opens the next page.
  const more = useFetcher<typeof loader>();
  const [extra, setExtra] = useState<{ items: RequestRowData[]; nextCursor: string | null }>({
    items: [],
    nextCursor: null,
  });
  useEffect(() => setExtra({ items: [], nextCursor: null }), [location.search]);
  useEffect(() => {
    if (more.state === "idle" && more.data) {
      const page = more.data;
      setExtra((previous) => ({
        items: [...previous.items, ...page.items],
        nextCursor: page.nextCursor,
      }));
    }
  }, [more.state, more.data]);
  const items = [...data.items, ...extra.items];
  const nextCursor = extra.items.length ? extra.nextCursor : data.nextCursor;
  const nextParams = new URLSearchParams(location.search);
  if (nextCursor) nextParams.set("cursor", nextCursor);
  const nextPageHref = nextCursor ? `/?${nextParams}` : null;
  // A fetcher needs `?index` to reach this route's loader rather than the root's.
  const nextPageData = nextCursor ? `/?index&${nextParams}` : null;

  const searching = navigation.state === "loading" && navigation.location?.pathname === "/";
  const hasFilters = Boolean(filters.status || filters.category || filters.q);
  // Relevance is the default order of a search; without one, most organizations.
  const isSearch = data.total !== null;
  const sorts = SORTS.filter(([sort]) => isSearch || sort !== "relevance");
  const defaultSort: BoardSort = isSearch ? "relevance" : "orgs";
  const currentSort = filters.sort || defaultSort;
  const sortHref = (sort: BoardSort) =>
    withParams(location.search, { sort: sort === defaultSort ? null : sort });

  return (
    <div className="space-y-4 sm:space-y-6">
      <div className="flex items-center justify-between gap-3 sm:items-end sm:gap-4">
        <div>
          <h1 className="text-2xl font-bold sm:text-3xl">{t("board.title")}</h1>
          <p className="mt-1 text-stone-700 max-sm:hidden">{t("board.lead")}</p>
        </div>
        <Link
          to={
            filters.q
              ? `/requests/new?${new URLSearchParams({ title: filters.q })}`
              : "/requests/new"
          }
          className={buttonClass("primary", "shrink-0")}
        >
          <svg aria-hidden="true" viewBox="0 0 20 20" className="h-4 w-4 fill-current">
            <path d="M9 4h2v5h5v2h-5v5H9v-5H4V9h5V4Z" />
          </svg>
          {t("board.new")}
        </Link>
      </div>

      {data.needsOrganization ? (
        <div className="flex flex-wrap items-center justify-between gap-3 rounded-2xl border border-amber-300 bg-amber-50 p-4 text-amber-950">
          <p>{t("home.needOrg")}</p>
          <Link to="/orgs/new" className={buttonClass("primary")}>
            {t("home.cta.createOrg")}
          </Link>
        </div>
      ) : null}

      {/* Visitors learn how it works; on a phone the steps fold away so the requests show first. */}
      {!data.signedIn && data.isFirstPage && !hasFilters ? (
        <>
          <details className="rounded-2xl border border-stone-200 bg-white sm:hidden">
            <summary className="cursor-pointer px-4 py-2.5 text-sm font-semibold text-stone-900">
              {t("board.howItWorks")}
            </summary>
            <HowItWorks className="grid gap-3 px-4 pb-4 text-sm" />
          </details>
          <HowItWorks
            className="hidden gap-3 text-sm sm:grid sm:grid-cols-3"
            itemClassName="rounded-2xl border border-stone-200 bg-white p-4"
          />
        </>
      ) : null}

      <Form
        method="get"
        action="/"
        role="search"
        className="space-y-3"
        aria-label={t("board.search.label")}
      >
        <div className="flex gap-2">
          <label htmlFor="board-q" className="sr-only">
            {t("board.search.label")}
          </label>
          <input
            id="board-q"
            type="search"
            name="q"
            defaultValue={filters.q}
            placeholder={t("board.search.placeholder")}
            className={`${inputClass} text-lg`}
            autoComplete="off"
            onChange={(event) => {
              const form = event.currentTarget.form;
              clearTimeout(searchTimer.current);
              searchTimer.current = setTimeout(
                () => submit(form, { replace: true, preventScrollReset: true }),
                250,
              );
            }}
          />
          <button type="submit" className={buttonClass("secondary")}>
            {t("board.search.submit")}
          </button>
        </div>
        {/* Keyed by the address so each select shows the current filter after a navigation. */}
        <fieldset
          key={location.search}
          className="grid grid-cols-2 items-end gap-3 sm:flex sm:flex-wrap"
        >
          <legend className="sr-only">{t("board.filters")}</legend>
          <FilterSelect
            name="status"
            label={t("board.filter.status")}
            defaultValue={filters.status}
            options={[
              ["", t("board.filter.openWork")],
              ["all", t("board.filter.allStatuses")],
              ...BOARD_FILTER_STATUSES.map((status) => [status, t(statusLabel[status])] as const),
            ]}
          />
          <FilterSelect
            name="category"
            label={t("board.filter.category")}
            defaultValue={filters.category}
            options={[
              ["", t("board.filter.allCategories")],
              ...categories.map(
                (category) =>
                  [category.slug, locale === "he" ? category.nameHe : category.nameEn] as const,
              ),
            ]}
          />
          {/* The sort: a select on phones, where the tabs would not fit; the tabs below on wider
              screens. Hidden there, it still carries the current sort with the search. */}
          <FilterSelect
            name="sort"
            label={t("board.sort.label")}
            defaultValue={filters.sort}
            className="col-span-2 sm:hidden"
            options={sorts.map(([sort, label]) => [sort === defaultSort ? "" : sort, t(label)])}
          />
          <noscript>
            <button type="submit" className={buttonClass("secondary", "py-1.5")}>
              {t("board.filter.apply")}
            </button>
          </noscript>
          {hasFilters ? (
            <Link
              to={withParams("", {
                sort: filters.sort && filters.sort !== "relevance" ? filters.sort : null,
              })}
              className="py-2 text-sm font-medium text-accent-700 underline"
            >
              {t("board.filter.clear")}
            </Link>
          ) : null}
        </fieldset>
      </Form>

      <nav
        aria-label={t("board.sort.label")}
        className="-mb-px flex gap-1 overflow-x-auto border-b border-stone-200 max-sm:hidden"
      >
        {sorts.map(([sort, label]) => {
          const active = currentSort === sort;
          return (
            <Link
              key={sort}
              to={sortHref(sort)}
              aria-current={active ? "page" : undefined}
              preventScrollReset
              className={`whitespace-nowrap border-b-2 px-3 py-2 text-sm font-medium ${
                active
                  ? "border-accent-700 text-accent-800"
                  : "border-transparent text-stone-700 hover:border-stone-300"
              }`}
            >
              {t(label)}
            </Link>
          );
        })}
      </nav>

      {data.total ? (
        <p
          className="flex flex-wrap items-baseline gap-x-3 gap-y-1 text-sm text-stone-700"
          aria-live="polite"
        >
          <span>
            {data.total.more
              ? t("board.results.more", { count: data.total.count, q: filters.q })
              : t.count("board.results", data.total.count, { q: filters.q })}
          </span>
          {filters.status === "" ? (
            <Link
              to={withParams(location.search, { status: "all" })}
              className="inline-block py-1 font-medium text-accent-700 underline"
            >
              {t("board.results.closedToo")}
            </Link>
          ) : null}
        </p>
      ) : null}

      {items.length === 0 ? (
        <div className="rounded-2xl border border-dashed border-stone-300 bg-white p-8 text-center">
          <h2 className="text-lg font-semibold">
            {hasFilters ? t("board.empty.title") : t("board.emptyAll.title")}
          </h2>
          <p className="mt-2 text-stone-700">
            {hasFilters ? t("board.empty.body") : t("board.emptyAll.body")}
          </p>
          <Link
            to={
              filters.q
                ? `/requests/new?${new URLSearchParams({ title: filters.q })}`
                : "/requests/new"
            }
            className={buttonClass("primary", "mt-6")}
          >
            {filters.q ? t("board.empty.propose", { q: filters.q }) : t("board.new")}
          </Link>
        </div>
      ) : (
        <section aria-label={t("board.list")} aria-busy={searching || undefined}>
          <ul
            className={`divide-y divide-stone-100 rounded-2xl border border-stone-200 bg-white shadow-sm ${searching ? "opacity-60" : ""}`}
          >
            {items.map((item) => (
              <RequestRow key={item.id} item={item} signedIn={data.signedIn} />
            ))}
          </ul>
          {nextPageHref ? (
            <div className="mt-6 text-center">
              <Link
                to={nextPageHref}
                className={buttonClass("secondary")}
                onClick={(event) => {
                  event.preventDefault();
                  if (nextPageData) more.load(nextPageData);
                }}
              >
                {more.state === "loading" ? t("board.loading") : t("board.loadMore")}
              </Link>
            </div>
          ) : null}
        </section>
      )}
    </div>
  );
}

function HowItWorks({
  className,
  itemClassName = "",
}: {
  className: string;
  itemClassName?: string;
}) {
  const t = useT();
  return (
    <ol className={className} aria-label={t("board.howItWorks")}>
      {HOW_IT_WORKS.map((step, index) => (
        <li key={step.title} className={`flex gap-3 ${itemClassName}`}>
          <span
            aria-hidden="true"
            className="flex h-7 w-7 shrink-0 items-center justify-center rounded-full bg-accent-50 font-bold text-accent-700"
          >
            {index + 1}
          </span>
          <span>
            <span className="block font-semibold text-stone-900">{t(step.title)}</span>
            <span className="text-stone-700">{t(step.body)}</span>
          </span>
        </li>
      ))}
    </ol>
  );
}

/** One of the board's filters: applies as soon as it changes with JavaScript, by the form's button without. */
function FilterSelect({
  name,
  label,
  defaultValue,
  options,
  className = "",
}: {
  name: string;
  label: string;
  defaultValue: string;
  options: (readonly [value: string, text: string])[];
  className?: string;
}) {
  const submit = useSubmit();
  return (
    <div className={`min-w-0 ${className}`}>
      <label htmlFor={`board-${name}`} className="block text-sm font-medium text-stone-800">
        {label}
      </label>
      <select
        id={`board-${name}`}
        name={name}
        defaultValue={defaultValue}
        className={`${inputClass} mt-1 py-1.5 text-sm sm:w-auto`}
        onChange={(event) => submit(event.currentTarget.form, { preventScrollReset: true })}
      >
        {options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}
