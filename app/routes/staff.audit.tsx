// The audit log, for staff admins: every staff and admin action, newest first, filtered by who,
// what and which request, paged by keyset through the URL.
import { type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation } from "@remix-run/react";
import { requireUser } from "~/auth/session.server";
import { buttonClass } from "~/components/Button";
import { inputClass } from "~/components/Field";
import { pageTitle } from "~/components/PageTitle";
import { formatDateTime } from "~/i18n/format";
import { isMessageKey, type MessageKey } from "~/i18n/messages";
import { useRichT } from "~/i18n/rich";
import { useLocale, useT } from "~/i18n/useT";
import { AUDIT_ACTIONS, listAuditLog, type AuditRow } from "~/models/audit.server";
import { ActionRefused } from "~/models/errors";
import { AuditQuerySchema } from "~/schemas.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "audit.title");

export async function loader({ request }: LoaderFunctionArgs) {
  // Visitors sign in first; the model refuses customers (404) and staff who are not admins (403).
  const user = await requireUser(request);
  const query = AuditQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  try {
    const page = await listAuditLog({
      actor: user.actor,
      filters: {
        actorId: query.actor ?? null,
        action: query.action ?? null,
        requestId: query.request ?? null,
      },
      cursor: query.cursor ?? null,
    });
    return {
      ...page,
      filters: {
        actor: query.actor ? String(query.actor) : "",
        action: query.action ?? "",
        request: query.request ? String(query.request) : "",
      },
      isFirstPage: !query.cursor,
      // The filter's choices travel with the data: .server modules stay on the server.
      actions: AUDIT_ACTIONS,
    };
  } catch (error) {
    if (error instanceof ActionRefused) throw new Response(null, { status: error.status });
    throw error;
  }
}

/** The catalog key naming an action, if it has one: "audit.action.category.create". */
function actionKey(action: string): MessageKey | null {
  const key = `audit.action.${action}`;
  return isMessageKey(key) ? key : null;
}

function ActionLabel({ action }: { action: string }) {
  const t = useT();
  const key = actionKey(action);
  return key ? (
    <>{t(key)}</>
  ) : (
    <code dir="ltr" className="text-sm">
      {action}
    </code>
  );
}

function Subject({ row }: { row: AuditRow }) {
  const rt = useRichT();
  if (row.subjectId == null) {
    return <code dir="ltr">{row.subjectType}</code>;
  }
  if (row.subjectType === "request") {
    return (
      <Link to={`/requests/${row.subjectId}`} className="font-medium text-accent-700 underline">
        {rt("audit.subject.request", { id: row.subjectId })}
      </Link>
    );
  }
  const key = `audit.subject.${row.subjectType}`;
  return isMessageKey(key) ? (
    <>{rt(key, { id: row.subjectId })}</>
  ) : (
    <code dir="ltr">
      {row.subjectType} #{row.subjectId}
    </code>
  );
}

function show(value: unknown): string {
  return value === undefined ? "–" : JSON.stringify(value);
}

/** before → after, a line per field that either side has. */
function Change({ data }: { data: Record<string, unknown> }) {
  const t = useT();
  const before = (data.before ?? {}) as Record<string, unknown>;
  const after = (data.after ?? {}) as Record<string, unknown>;
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  const rest = Object.entries(data).filter(([key]) => key !== "before" && key !== "after");
  if (fields.length === 0 && rest.length === 0) return null;
  return (
    <dl dir="ltr" className="space-y-0.5 text-start font-mono text-xs text-stone-700">
      {fields.map((field) => (
        <div key={field} className="flex flex-wrap gap-x-2">
          <dt className="font-semibold">{field}</dt>
          <dd>
            {show(before[field])} <span aria-hidden="true">→</span>
            <span className="sr-only"> {t("audit.becomes")} </span> {show(after[field])}
          </dd>
        </div>
      ))}
      {rest.map(([key, value]) => (
        <div key={key} className="flex flex-wrap gap-x-2 text-stone-600">
          <dt>{key}</dt>
          <dd>{show(value)}</dd>
        </div>
      ))}
    </dl>
  );
}

export default function AuditLog() {
  const t = useT();
  const locale = useLocale();
  const location = useLocation();
  const { items, nextCursor, staff, filters, isFirstPage, actions } =
    useLoaderData<typeof loader>();
  const nextParams = new URLSearchParams(location.search);
  if (nextCursor) nextParams.set("cursor", String(nextCursor));
  const firstParams = new URLSearchParams(location.search);
  firstParams.delete("cursor");
  const hasFilters = Boolean(filters.actor || filters.action || filters.request);

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold sm:text-3xl">{t("audit.title")}</h1>
        <p className="mt-1 text-stone-700">{t("audit.lead")}</p>
      </div>

      <Form
        method="get"
        action="/staff/audit"
        key={location.search}
        className="grid grid-cols-1 items-end gap-3 sm:flex sm:flex-wrap"
        aria-label={t("audit.filters")}
      >
        <div>
          <label htmlFor="audit-actor" className="block text-sm font-medium text-stone-800">
            {t("audit.filter.actor")}
          </label>
          <select
            id="audit-actor"
            name="actor"
            defaultValue={filters.actor}
            className={`${inputClass} mt-1 py-1.5 text-sm sm:w-auto`}
          >
            <option value="">{t("audit.filter.anyone")}</option>
            {staff.map((member) => (
              <option key={member.id} value={member.id}>
                {member.name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="audit-action" className="block text-sm font-medium text-stone-800">
            {t("audit.filter.action")}
          </label>
          <select
            id="audit-action"
            name="action"
            defaultValue={filters.action}
            className={`${inputClass} mt-1 py-1.5 text-sm sm:w-auto`}
          >
            <option value="">{t("audit.filter.anyAction")}</option>
            {actions.map((action) => {
              const key = actionKey(action);
              return (
                <option key={action} value={action}>
                  {key ? t(key) : action}
                </option>
              );
            })}
          </select>
        </div>
        <div>
          <label htmlFor="audit-request" className="block text-sm font-medium text-stone-800">
            {t("audit.filter.request")}
          </label>
          <input
            id="audit-request"
            name="request"
            inputMode="numeric"
            dir="ltr"
            defaultValue={filters.request}
            className={`${inputClass} mt-1 py-1.5 text-sm sm:w-32`}
          />
        </div>
        <button type="submit" className={buttonClass("secondary", "py-1.5")}>
          {t("board.filter.apply")}
        </button>
        {hasFilters ? (
          <Link to="/staff/audit" className="py-2 text-sm font-medium text-accent-700 underline">
            {t("board.filter.clear")}
          </Link>
        ) : null}
      </Form>

      {items.length === 0 ? (
        <p className="rounded-2xl border border-dashed border-stone-300 bg-white p-6 text-stone-700">
          {hasFilters ? t("audit.empty.filtered") : t("audit.empty")}
        </p>
      ) : (
        <ol className="divide-y divide-stone-100 rounded-2xl border border-stone-200 bg-white shadow-sm">
          {items.map((row) => (
            <li
              key={row.id}
              className="grid gap-x-4 gap-y-1 px-4 py-3 text-sm md:grid-cols-[11rem_minmax(0,1fr)_minmax(0,1.2fr)]"
            >
              <p className="text-stone-600">
                <time dateTime={row.createdAt}>
                  <bdi>{formatDateTime(locale, row.createdAt)}</bdi>
                </time>
              </p>
              <div className="min-w-0">
                <p className="font-medium">
                  <ActionLabel action={row.action} />
                </p>
                <p className="text-stone-700">
                  <bdi>{row.actorName ?? t("audit.actor.unknown")}</bdi>
                  {" · "}
                  <Subject row={row} />
                </p>
              </div>
              <div className="min-w-0 [overflow-wrap:anywhere]">
                <Change data={row.data} />
              </div>
            </li>
          ))}
        </ol>
      )}

      <nav aria-label={t("audit.paging")} className="flex flex-wrap gap-4 text-sm">
        {!isFirstPage ? (
          <Link
            to={`/staff/audit${firstParams.size ? `?${firstParams}` : ""}`}
            className="font-medium text-accent-700 underline"
          >
            {t("audit.newest")}
          </Link>
        ) : null}
        {nextCursor ? (
          <Link to={`/staff/audit?${nextParams}`} className="font-medium text-accent-700 underline">
            {t("audit.older")}
          </Link>
        ) : null}
      </nav>
    </div>
  );
}
