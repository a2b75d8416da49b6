// Staff write or revise a request's quote (the request is in status "quoted"), and withdraw
// the open one. A page of its own: the form is long. "Preview" shows net, VAT and gross as the
// customer will see them without saving (and the terms rendered); "Save" makes a new version,
// superseding the open one. With JavaScript the amounts follow what is typed, computed in the
// browser by the same function as the server's preview.
import {
  data,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState, type FormEvent } from "react";
import { requireStaffOr404 } from "~/auth/staff-actions.server";
import { redirectWithToast } from "~/auth/session.server";
import { Button } from "~/components/Button";
import { Field, FieldError, FormAlert, inputClass } from "~/components/Field";
import { MarkdownField } from "~/components/MarkdownField";
import { Money, QuoteAmountsLine } from "~/components/Money";
import { pageTitle } from "~/components/PageTitle";
import {
  errorsFromRefusal,
  readForm,
  validateForm,
  type FieldErrors,
  type FormValues,
} from "~/forms.server";
import { useRichT } from "~/i18n/rich";
import { useLocale, useT } from "~/i18n/useT";
import { renderMarkdown } from "~/markdown.server";
import { ActionRefused } from "~/models/errors";
import { formatVatPercent, toDecimalString, type QuoteAmounts } from "~/models/money";
import { getQuoteFormData } from "~/models/quote-form.server";
import { previewQuoteAmounts } from "~/models/quote-preview";
import {
  getRequestQuote,
  israelDay,
  saveQuote,
  withdrawQuote,
  type QuoteView,
} from "~/models/quotes.server";
import { getPricingSettings } from "~/models/settings.server";
import { QuoteFormSchema, requireIdParam, WithdrawQuoteSchema } from "~/schemas.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "quoteForm.title");

/** The day `days` after `day`, "2027-03-31". */
function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Quarter hours as the form's text: 41 → "10.25". */
function hoursText(quarterHours: number): string {
  const whole = Math.floor(quarterHours / 4);
  const rest = quarterHours % 4;
  return rest === 0 ? String(whole) : `${whole}.${["", "25", "5", "75"][rest]}`;
}

/** Agorot as the form's text: 25000 → "250", 25050 → "250.50". */
function moneyText(minor: number): string {
  return minor % 100 === 0 ? String(minor / 100) : toDecimalString(minor);
}

/** The form's values from the open quote (a revision starts from it). */
function valuesOf(quote: QuoteView, today: string, validDays: number): FormValues {
  return {
    pricing: quote.pricing,
    hours: quote.quarterHours !== null ? hoursText(quote.quarterHours) : "",
    rate: quote.rateMinor !== null ? moneyText(quote.rateMinor) : "",
    amount: quote.pricing === "fixed" ? moneyText(quote.amounts.netMinor) : "",
    validUntil: quote.validUntil >= today ? quote.validUntil : addDays(today, validDays),
    deliveryWeeks: String(quote.deliveryWeeks),
    termsMd: quote.termsMd,
    audience: quote.audience,
    offeredOrgId: quote.offeredOrg ? String(quote.offeredOrg.id) : "",
    minShare: quote.minShareMinor !== null ? moneyText(quote.minShareMinor) : "",
  };
}

async function requireFormData(
  actor: Parameters<typeof getQuoteFormData>[0]["actor"],
  requestId: number,
  orgSearch: string | null,
) {
  try {
    return await getQuoteFormData({ actor, requestId, orgSearch });
  } catch (error) {
    if (error instanceof ActionRefused && error.status === 404)
      throw new Response("Not found", { status: 404 });
    throw error;
  }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const requestId = requireIdParam(params.id);
  const user = await requireStaffOr404(request);
  const orgSearch = new URL(request.url).searchParams.get("orgSearch");
  const form = await requireFormData(user.actor, requestId, orgSearch);
  const quote = await getRequestQuote({ requestId, viewer: user.actor });
  const open = quote?.current?.status === "open" ? quote.current : null;
  const today = israelDay();
  const { pricing, settings } = form;
  const values: FormValues = open
    ? valuesOf(open, today, settings.validDays)
    : {
        pricing: "hourly",
        hours: "",
        rate: moneyText(pricing.hourlyRateMinor),
        amount: "",
        validUntil: addDays(today, settings.validDays),
        deliveryWeeks: "",
        // "": the page fills in the catalog's default terms in the staff member's language.
        termsMd: settings.termsMd,
        audience: "org",
        offeredOrgId: form.votingOrgs[0] ? String(form.votingOrgs[0].id) : "",
        minShare: "",
      };
  return {
    request: form.request,
    quotable: form.request.status === "quoted",
    open: open ? { id: open.id, version: open.version } : null,
    latestVersion: quote?.current?.version ?? 0,
    vatBps: pricing.vatBps,
    hourlyRateMinor: pricing.hourlyRateMinor,
    votingOrgs: form.votingOrgs,
    otherOrgs: form.otherOrgs,
    orgSearch: form.orgSearch,
    values,
  };
}

type ActionResult = {
  errors: FieldErrors;
  values: FormValues;
  /** A preview: what the form comes to (null: not yet computable), and the terms rendered. */
  preview?: { amounts: QuoteAmounts | null; termsHtml: string };
};

export async function action({ request, params }: ActionFunctionArgs) {
  const requestId = requireIdParam(params.id);
  const user = await requireStaffOr404(request);
  const formData = await readForm(request);
  const intent = String(formData.get("intent") ?? "");
  const here = `/requests/${requestId}`;

  if (intent === "withdraw") {
    const form = validateForm(formData, WithdrawQuoteSchema);
    const quote = await getRequestQuote({ requestId, viewer: user.actor });
    const version = quote?.versions?.find((v) => v.id === form.data?.quoteId);
    if (!version) throw new Response("Not found", { status: 404 });
    try {
      await withdrawQuote({ actor: user.actor, quoteId: version.id });
    } catch (error) {
      const refusal = errorsFromRefusal(error);
      return redirectWithToast(request, `${here}#quote-versions`, {
        key: refusal.errors.form ?? "quote.error.notOpen",
        tone: "error",
      });
    }
    return redirectWithToast(request, `${here}#quote-versions`, {
      key: "quoteForm.toast.withdrawn",
      params: { version: version.version },
    });
  }

  const form = validateForm(formData, QuoteFormSchema);
  const values = { ...form.values };
  delete values.intent;
  delete values.preview;
  // The Markdown field's own "Preview" (no JavaScript) previews the whole form too.
  if (intent === "preview" || formData.get("preview")) {
    const { vatBps } = await getPricingSettings();
    return data<ActionResult>({
      errors: form.errors ?? {},
      values,
      preview: {
        amounts: previewQuoteAmounts(values, vatBps),
        termsHtml: renderMarkdown(values.termsMd ?? ""),
      },
    });
  }
  if (intent !== "save") throw new Response("Bad request", { status: 400 });
  if (form.errors) return data<ActionResult>({ errors: form.errors, values }, { status: 400 });
  let saved: { version: number };
  try {
    saved = await saveQuote({ actor: user.actor, requestId, input: form.data });
  } catch (error) {
    if (error instanceof ActionRefused && error.status === 404)
      throw new Response("Not found", { status: 404 });
    const refusal = errorsFromRefusal(error);
    return data<ActionResult>({ errors: refusal.errors, values }, { status: refusal.status });
  }
  return redirectWithToast(request, `${here}#quote-versions`, {
    key: saved.version > 1 ? "quoteForm.toast.revised" : "quoteForm.toast.saved",
    params: { version: saved.version },
  });
}

const fieldsetClass = "space-y-3 rounded-xl border border-stone-200 p-4";
const legendClass = "px-1 text-base font-semibold";

export default function QuotePage() {
  const t = useT();
  const rt = useRichT();
  const locale = useLocale();
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle";
  const errors: FieldErrors = result?.errors ?? {};
  const initial: FormValues = result?.values ?? {
    ...page.values,
    termsMd: page.values.termsMd || t("quoteForm.defaultTerms"),
  };
  // What is typed, for the live preview (the same values the server sees, so the same line).
  const [typed, setTyped] = useState<FormValues>(initial);
  const onChange = (event: FormEvent<HTMLFormElement>) => {
    const next: FormValues = {};
    for (const [key, value] of new FormData(event.currentTarget))
      if (typeof value === "string") next[key] = value;
    setTyped(next);
  };
  const amounts = previewQuoteAmounts(typed, page.vatBps);
  const orgChoices = [...page.votingOrgs, ...page.otherOrgs];
  const selectedOrg = initial.offeredOrgId ?? "";
  const err = (field: string) => errors[field];

  return (
    <div className="mx-auto max-w-2xl space-y-6">
      <div className="space-y-1">
        <h1 className="text-2xl font-bold sm:text-3xl">
          {page.open
            ? t("quoteForm.title.revise", { version: page.open.version })
            : t("quoteForm.title")}
        </h1>
        <p className="text-stone-700" dir="auto">
          {page.request.title}
        </p>
        <Link
          to={`/requests/${page.request.id}`}
          className="text-sm font-medium text-stone-700 underline"
        >
          {t("quoteForm.back")}
        </Link>
      </div>

      {!page.quotable ? (
        <FormAlert>{t("quote.error.notQuotable")}</FormAlert>
      ) : (
        <>
          {page.open ? (
            <p className="rounded-lg border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
              {t("quoteForm.revising", {
                version: page.open.version,
                next: page.latestVersion + 1,
              })}
            </p>
          ) : null}

          <Form
            method="get"
            className="flex flex-wrap items-end gap-2 rounded-xl border border-stone-200 bg-white p-4"
            aria-label={t("quoteForm.orgSearch.label")}
          >
            <div className="min-w-0 flex-1">
              <Field
                id="quote-org-search"
                name="orgSearch"
                type="search"
                label={t("quoteForm.orgSearch.label")}
                hint={t("quoteForm.orgSearch.hint")}
                defaultValue={page.orgSearch}
              />
            </div>
            <Button type="submit" variant="secondary" className="mb-7">
              {t("quoteForm.orgSearch.submit")}
            </Button>
          </Form>

          <Form
            method="post"
            noValidate
            onChange={onChange}
            className="space-y-5 rounded-2xl border border-stone-200 bg-white p-5 shadow-sm"
            aria-labelledby="quote-form-heading"
          >
            <h2 id="quote-form-heading" className="sr-only">
              {t("quoteForm.title")}
            </h2>
            {err("form") ? <FormAlert>{t(err("form")!)}</FormAlert> : null}

            <fieldset className={fieldsetClass}>
              <legend className={legendClass}>{t("quoteForm.pricing")}</legend>
              <div className="flex flex-wrap gap-4">
                {(["hourly", "fixed"] as const).map((pricing) => (
                  <label key={pricing} className="flex items-center gap-2">
                    <input
                      type="radio"
                      name="pricing"
                      value={pricing}
                      defaultChecked={(initial.pricing ?? "hourly") === pricing}
                    />
                    {t(
                      pricing === "hourly" ? "quoteForm.pricing.hourly" : "quoteForm.pricing.fixed",
                    )}
                  </label>
                ))}
              </div>
              {err("pricing") ? (
                <FieldError id="quote-pricing-error">{t(err("pricing")!)}</FieldError>
              ) : null}
              <div className="grid gap-3 sm:grid-cols-2">
                <Field
                  id="quote-hours"
                  name="hours"
                  label={t("quoteForm.hours")}
                  hint={t("quoteForm.hours.hint")}
                  inputMode="decimal"
                  dir="ltr"
                  autoComplete="off"
                  defaultValue={initial.hours}
                  error={err("hours")}
                />
                <Field
                  id="quote-rate"
                  name="rate"
                  label={t("quoteForm.rate")}
                  hint={t("quoteForm.rate.hint")}
                  inputMode="decimal"
                  dir="ltr"
                  autoComplete="off"
                  defaultValue={initial.rate}
                  error={err("rate")}
                />
              </div>
              <Field
                id="quote-amount"
                name="amount"
                label={t("quoteForm.amount")}
                hint={t("quoteForm.amount.hint")}
                inputMode="decimal"
                dir="ltr"
                autoComplete="off"
                defaultValue={initial.amount}
                error={err("amount")}
              />
              <p className="text-sm text-stone-700">
                {rt("quoteForm.vat", {
                  // The sign stays on the number's side in a right-to-left sentence.
                  rate: <bdi dir="ltr">{formatVatPercent(page.vatBps, locale)}%</bdi>,
                })}
              </p>
            </fieldset>

            <div className="grid gap-3 sm:grid-cols-2">
              <Field
                id="quote-valid-until"
                name="validUntil"
                type="date"
                label={t("quoteForm.validUntil")}
                hint={t("quoteForm.validUntil.hint")}
                dir="ltr"
                defaultValue={initial.validUntil}
                error={err("validUntil")}
              />
              <Field
                id="quote-delivery"
                name="deliveryWeeks"
                label={t("quoteForm.deliveryWeeks")}
                hint={t("quoteForm.deliveryWeeks.hint")}
                inputMode="numeric"
                dir="ltr"
                autoComplete="off"
                defaultValue={initial.deliveryWeeks}
                error={err("deliveryWeeks")}
              />
            </div>

            <MarkdownField
              id="quote-terms"
              name="termsMd"
              label={t("quoteForm.terms")}
              hint={t("quoteForm.terms.hint")}
              rows={8}
              defaultValue={initial.termsMd}
              error={err("termsMd")}
              previewHtml={result?.preview?.termsHtml}
            />

            <fieldset className={fieldsetClass}>
              <legend className={legendClass}>{t("quoteForm.audience")}</legend>
              <label className="flex items-center gap-2">
                <input
                  type="radio"
                  name="audience"
                  value="org"
                  defaultChecked={(initial.audience ?? "org") === "org"}
                />
                {t("quoteForm.audience.org")}
              </label>
              <div className="space-y-1 ps-6">
                <label htmlFor="quote-org" className="block text-sm font-medium text-stone-800">
                  {t("quoteForm.org")}
                </label>
                <select
                  id="quote-org"
                  name="offeredOrgId"
                  defaultValue={selectedOrg}
                  className={inputClass}
                  aria-invalid={err("offeredOrgId") ? true : undefined}
                  aria-describedby={err("offeredOrgId") ? "quote-org-error" : undefined}
                >
                  <option value="">{t("quoteForm.org.none")}</option>
                  {page.votingOrgs.length > 0 ? (
                    <optgroup label={t("quoteForm.org.voted")}>
                      {page.votingOrgs.map((org) => (
                        <option key={org.id} value={org.id}>
                          {t("quoteForm.org.withVotes", { name: org.name, votes: org.votes })}
                        </option>
                      ))}
                    </optgroup>
                  ) : null}
                  {page.otherOrgs.length > 0 ? (
                    <optgroup
                      label={
                        page.orgSearch
                          ? t("quoteForm.org.found", { search: page.orgSearch })
                          : t("quoteForm.org.others")
                      }
                    >
                      {page.otherOrgs.map((org) => (
                        <option key={org.id} value={org.id}>
                          {org.name}
                        </option>
                      ))}
                    </optgroup>
                  ) : null}
                  {/* The chosen one stays choosable even when a search no longer lists it. */}
                  {selectedOrg && !orgChoices.some((o) => String(o.id) === selectedOrg) ? (
                    <option value={selectedOrg}>{t("quoteForm.org.kept")}</option>
                  ) : null}
                </select>
                {err("offeredOrgId") ? (
                  <FieldError id="quote-org-error">{t(err("offeredOrgId")!)}</FieldError>
                ) : null}
              </div>
              <label className="flex items-center gap-2">
                <input
                  type="radio"
                  name="audience"
                  value="open"
                  defaultChecked={initial.audience === "open"}
                />
                {t("quoteForm.audience.open")}
              </label>
              <div className="ps-6">
                <Field
                  id="quote-min-share"
                  name="minShare"
                  label={t("quoteForm.minShare")}
                  hint={t("quoteForm.minShare.hint")}
                  inputMode="decimal"
                  dir="ltr"
                  autoComplete="off"
                  defaultValue={initial.minShare}
                  error={err("minShare")}
                />
              </div>
              {err("audience") ? (
                <FieldError id="quote-audience-error">{t(err("audience")!)}</FieldError>
              ) : null}
            </fieldset>

            <section
              aria-labelledby="quote-preview-heading"
              className="rounded-xl bg-stone-50 p-4"
              data-testid="quote-preview"
            >
              <h3 id="quote-preview-heading" className="font-semibold">
                {t("quoteForm.preview.title")}
              </h3>
              <p aria-live="polite" className="mt-1 text-lg" data-testid="quote-preview-line">
                {amounts ? <QuoteAmountsLine amounts={amounts} /> : t("quoteForm.preview.empty")}
              </p>
              {amounts && typed.audience === "open" ? (
                <p className="text-sm text-stone-600">
                  {rt("quoteForm.preview.open", { gross: <Money minor={amounts.grossMinor} /> })}
                </p>
              ) : null}
            </section>

            <div className="flex flex-wrap gap-3">
              <Button
                type="submit"
                name="intent"
                value="preview"
                variant="secondary"
                disabled={busy}
              >
                {t("quoteForm.submit.preview")}
              </Button>
              <Button type="submit" name="intent" value="save" disabled={busy}>
                {page.open ? t("quoteForm.submit.revise") : t("quoteForm.submit.save")}
              </Button>
            </div>
          </Form>
        </>
      )}
    </div>
  );
}
