// The triage queue: requests waiting for a decision, oldest first, with their demand and the
// five decisions on each. Staff only (the model refuses anyone else with a 404). Filtered by
// category and paged by keyset, all in the URL; with JavaScript, keys move and decide.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation } from "@remix-run/react";
import { useEffect, useState } from "react";
import { requireStaffOr404 } from "~/auth/staff-actions.server";
import { buttonClass } from "~/components/Button";
import { inputClass } from "~/components/Field";
import { pageTitle } from "~/components/PageTitle";
import { useHydrated } from "~/components/useHydrated";
import { useLocale, useT } from "~/i18n/useT";
import type { DecisionKind } from "~/models/request-status";
import { listCategories } from "~/models/categories.server";
import { ActionRefused } from "~/models/errors";
import { listTriageQueue, TRIAGE_PAGE_SIZE } from "~/models/triage.server";
import { TriageQuerySchema } from "~/schemas.server";
import { KeyboardHelp, useTriageKeys } from "./keyboard";
import { TriageQueueItem } from "./TriageQueueItem";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "staffTriage.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireStaffOr404(request);
  const url = new URL(request.url);
  const query = TriageQuerySchema.parse(Object.fromEntries(url.searchParams));
  const categories = await listCategories();
  const category = categories.find((c) => c.slug === query.category) ?? null;
  try {
    const queue = await listTriageQueue({
      actor: user.actor,
      categoryId: category?.id ?? null,
      cursor: query.cursor ?? null,
      limit: TRIAGE_PAGE_SIZE,
    });
    const open = query.decide && query.kind ? { id: query.decide, kind: query.kind } : null;
    return {
      ...queue,
      categories,
      category: category?.slug ?? "",
      paged: Boolean(query.cursor),
      open,
    };
  } catch (error) {
    // The model refuses customers as if the page did not exist.
    if (error instanceof ActionRefused) throw new Response("Not found", { status: 404 });
    throw error;
  }
}

export type TriageQueueData = ReturnType<typeof useLoaderData<typeof loader>>;

export default function TriageQueue() {
  const t = useT();
  const locale = useLocale();
  const hydrated = useHydrated();
  const data = useLoaderData<typeof loader>();
  const location = useLocation();
  // The requests whose decision forms are open: rendering the five forms for each of 25
  // requests was most of this page's cost, so a request shows them once asked (a button, a
  // key, or ?decide=<id>&kind=<kind> without JavaScript), and keeps them open until the page
  // changes, so nothing typed is lost by opening another.
  const [opened, setOpened] = useState(() => openedFrom(data.open));
  useEffect(() => setOpened(openedFrom(data.open)), [location.key, data.open]);
  const openDecision = (id: number, kind: DecisionKind) =>
    setOpened((current) => ({ ...current, [id]: kind }));
  useTriageKeys(openDecision);
  // The queue's own address, without a decision opened by address.
  const queueParams = new URLSearchParams(location.search);
  queueParams.delete("decide");
  queueParams.delete("kind");
  const here = queueParams.size > 0 ? `${location.pathname}?${queueParams}` : location.pathname;
  const categoryName = (id: number | null) => {
    const category = data.categories.find((c) => c.id === id);
    return category ? (locale === "he" ? category.nameHe : category.nameEn) : null;
  };
  const nextParams = new URLSearchParams(queueParams);
  if (data.nextCursor) nextParams.set("cursor", data.nextCursor);

  return (
    <div className="space-y-4 sm:space-y-6">
      <div>
        <h1 className="text-2xl font-bold sm:text-3xl">{t("staffTriage.title")}</h1>
        <p className="mt-1 text-stone-700" aria-live="polite">
          {data.total.more
            ? t("staffTriage.waitingMore", { count: data.total.count })
            : t.count("staffTriage.waiting", data.total.count)}
        </p>
      </div>

      <Form
        method="get"
        action="/staff"
        className="flex flex-wrap items-end gap-3"
        aria-label={t("staffTriage.filter.label")}
        key={location.search}
      >
        <div className="space-y-1">
          <label htmlFor="triage-category" className="block text-sm font-medium text-stone-800">
            {t("board.filter.category")}
          </label>
          <select
            id="triage-category"
            name="category"
            defaultValue={data.category}
            className={`${inputClass} w-auto py-1.5`}
          >
            <option value="">{t("board.filter.allCategories")}</option>
            {data.categories.map((category) => (
              <option key={category.id} value={category.slug}>
                {locale === "he" ? category.nameHe : category.nameEn}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className={buttonClass("secondary", "py-1.5")}>
          {t("board.filter.apply")}
        </button>
        {data.category ? (
          <Link to="/staff" className="py-2 text-sm font-medium text-accent-700 underline">
            {t("board.filter.clear")}
          </Link>
        ) : null}
      </Form>

      {hydrated && data.items.length > 0 ? <KeyboardHelp /> : null}

      {data.items.length === 0 ? (
        <div className="rounded-2xl border border-dashed border-stone-300 bg-white p-8 text-center">
          <h2 className="text-lg font-semibold">{t("staffTriage.empty.title")}</h2>
          <p className="mt-2 text-stone-700">
            {data.paged || data.category
              ? t("staffTriage.empty.filtered")
              : t("staffTriage.empty.body")}
          </p>
          {data.paged || data.category ? (
            <Link to="/staff" className={buttonClass("secondary", "mt-6")}>
              {t("staffTriage.empty.all")}
            </Link>
          ) : null}
        </div>
      ) : (
        <ol className="space-y-4" aria-label={t("staffTriage.list")}>
          {data.items.map((item, index) => {
            // After a decision the queue opens on the request that is now where this one was.
            const next = data.items[index + 1] ?? data.items[index - 1];
            const redirectTo = next ? `${here}#request-${next.id}` : here;
            return (
              <TriageQueueItem
                key={item.id}
                item={item}
                categoryName={categoryName(item.categoryId)}
                redirectTo={redirectTo}
                queueParams={queueParams}
                showKeys={hydrated}
                openKind={opened[item.id] ?? null}
                onOpen={(kind) => openDecision(item.id, kind)}
              />
            );
          })}
        </ol>
      )}

      {data.nextCursor ? (
        <div className="text-center">
          <Link to={`/staff?${nextParams}`} className={buttonClass("secondary")}>
            {t("staffTriage.more")}
          </Link>
        </div>
      ) : null}
    </div>
  );
}

function openedFrom(open: { id: number; kind: DecisionKind } | null) {
  return (open ? { [open.id]: open.kind } : {}) as Partial<Record<number, DecisionKind>>;
}
