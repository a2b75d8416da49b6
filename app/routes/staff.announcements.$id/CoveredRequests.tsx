// The requests an announcement covers: the chosen ones checked, then the shipped public ones to
// add, found by a search or else the most recently shipped. Plain checkboxes and a "Search"
// submit of the same form, so it works without JavaScript and keeps what was typed; with it,
// the same submit re-renders the page in place. Each shows its organization count and the
// sponsors it credits, who the announcement will thank without anyone typing their names.
import { Link } from "@remix-run/react";
import { Button } from "~/components/Button";
import { FieldError, inputClass } from "~/components/Field";
import { SponsorCredit } from "~/components/SponsorCredit";
import { StatusBadge } from "~/components/StatusBadge";
import type { RequestStatus } from "~/db.server";
import type { MessageKey } from "~/i18n/messages";
import { useRichT } from "~/i18n/rich";
import { useT } from "~/i18n/useT";
import type { PickerRequest } from "~/models/announcements.server";
import type { Picker } from "./form.server";

function RequestChoice({ request, checked }: { request: PickerRequest; checked: boolean }) {
  const t = useT();
  const rt = useRichT();
  const id = `covered-${request.id}`;
  return (
    <li className="space-y-2 rounded-xl border border-stone-200 p-3">
      <div className="flex items-start gap-3">
        <input
          id={id}
          type="checkbox"
          name="requestIds"
          value={request.id}
          defaultChecked={checked}
          className="mt-1 h-4 w-4 shrink-0"
        />
        <div className="min-w-0 space-y-1">
          <label htmlFor={id} className="block font-medium" dir="auto">
            {request.title}
          </label>
          <p className="flex flex-wrap items-center gap-2 text-sm text-stone-600">
            {request.status !== "shipped" ? (
              <StatusBadge status={request.status as RequestStatus} />
            ) : null}
            <span>{rt.count("count.orgs", request.orgCount)}</span>
            <span aria-hidden="true">·</span>
            <Link to={`/requests/${request.id}`} className="font-medium text-accent-700 underline">
              {t("staffAnnouncements.requests.openShort", { id: request.id })}
              {/* Which one, for a screen reader's list of links; the visible text comes first. */}
              <span className="sr-only">
                : <bdi>{request.title}</bdi>
              </span>
            </Link>
          </p>
        </div>
      </div>
      <SponsorCredit sponsors={request.sponsors} />
    </li>
  );
}

export function CoveredRequests({
  picker,
  error,
  busy,
}: {
  picker: Picker;
  error?: MessageKey;
  busy: boolean;
}) {
  const t = useT();
  const sponsored = picker.chosen.some((r) => r.sponsors.length > 0);
  return (
    <fieldset
      className="space-y-4 rounded-xl border border-stone-200 p-4"
      aria-describedby={`announcement-requests-hint${error ? " announcement-requests-error" : ""}`}
      aria-invalid={error ? true : undefined}
    >
      <legend className="px-1 text-base font-semibold">
        {t("staffAnnouncements.requests.legend")}
      </legend>
      <p id="announcement-requests-hint" className="text-sm text-stone-600">
        {t("staffAnnouncements.requests.hint")}
      </p>
      {error ? <FieldError id="announcement-requests-error">{t(error)}</FieldError> : null}

      {picker.chosen.length > 0 ? (
        <div className="space-y-2">
          <h3 className="text-sm font-semibold text-stone-800">
            {t("staffAnnouncements.requests.chosen")}
          </h3>
          <ul className="space-y-2" data-testid="covered-requests">
            {picker.chosen.map((request) => (
              <RequestChoice key={request.id} request={request} checked />
            ))}
          </ul>
          <p className="text-sm text-stone-700">
            {t(
              sponsored
                ? "staffAnnouncements.requests.sponsorsCredited"
                : "staffAnnouncements.requests.sponsorsNone",
            )}
          </p>
        </div>
      ) : (
        <p className="rounded-lg border border-dashed border-stone-300 p-3 text-sm text-stone-700">
          {t("staffAnnouncements.requests.none")}
        </p>
      )}

      <div className="space-y-2">
        <label
          htmlFor="announcement-request-search"
          className="block text-sm font-medium text-stone-800"
        >
          {t("staffAnnouncements.requests.search")}
        </label>
        <div className="flex flex-wrap gap-2">
          <input
            id="announcement-request-search"
            name="requestSearch"
            type="search"
            dir="auto"
            defaultValue={picker.search}
            className={`${inputClass} min-w-0 flex-1`}
            aria-describedby="announcement-request-search-hint"
            // Enter here means "Search", not the form's first button (a Markdown preview).
            onKeyDown={(event) => {
              if (event.key !== "Enter") return;
              event.preventDefault();
              const form = event.currentTarget.form;
              form?.requestSubmit(
                form.querySelector<HTMLButtonElement>("button[name=intent][value=search]"),
              );
            }}
          />
          <Button type="submit" name="intent" value="search" variant="secondary" disabled={busy}>
            {t("staffAnnouncements.requests.searchSubmit")}
          </Button>
        </div>
        <p id="announcement-request-search-hint" className="text-sm text-stone-600">
          {t("staffAnnouncements.requests.searchHint")}
        </p>
      </div>

      <div className="space-y-2">
        <h3 className="text-sm font-semibold text-stone-800">
          {picker.search
            ? t("staffAnnouncements.requests.found", { search: picker.search })
            : t("staffAnnouncements.requests.recent")}
        </h3>
        {picker.choices.length > 0 ? (
          <ul className="space-y-2" data-testid="request-choices">
            {picker.choices.map((request) => (
              <RequestChoice key={request.id} request={request} checked={false} />
            ))}
          </ul>
        ) : (
          <p className="text-sm text-stone-700">
            {t(
              picker.search
                ? "staffAnnouncements.requests.noneFound"
                : "staffAnnouncements.requests.noneShipped",
            )}
          </p>
        )}
      </div>
    </fieldset>
  );
}
