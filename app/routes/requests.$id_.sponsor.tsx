// Accepting a quote for an organization (/requests/:id/sponsor): the quote and its terms, what
// this organization commits to (the whole amount, or a share of an open quote), the checkbox,
// the typed signature; declining in one click; and the members' "ask our admins" button.
// Every form is a plain POST: it all works without JavaScript.
import {
  data,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { redirectWithToast, requireUser } from "~/auth/session.server";
import { Button } from "~/components/Button";
import { Field, FieldError, FormAlert, inputClass } from "~/components/Field";
import { Money, QuoteAmountsLine } from "~/components/Money";
import { pageTitle } from "~/components/PageTitle";
import {
  errorsFromRefusal,
  readForm,
  validateForm,
  type FieldErrors,
  type FormValues,
} from "~/forms.server";
import { resolveLocale } from "~/i18n/locale.server";
import { useRichT } from "~/i18n/rich";
import { useLocale, useT } from "~/i18n/useT";
import { renderMarkdown } from "~/markdown.server";
import { evenShare, formatMoney } from "~/models/money";
import { countVotersWithoutPledge } from "~/models/quote-acceptance.server";
import {
  acceptQuote,
  askAdminsToAccept,
  declineQuote,
  getRequestQuote,
  signableOrganizations,
  termsHash,
} from "~/models/quotes.server";
import { getRequest } from "~/models/requests.server";
import {
  AcceptQuoteSchema,
  AskAdminsSchema,
  DeclineQuoteSchema,
  parseId,
  requireIdParam,
} from "~/schemas.server";
import { FundingBar, formatQuoteDay, quoteStatusLabel } from "./requests.$id/QuoteCard";
import { BackLink } from "~/components/BackLink";

export const meta: MetaFunction<typeof loader> = ({ data: loaderData, matches }) =>
  loaderData ? pageTitle(matches, "quote.accept.title") : pageTitle(matches, "error.404.title");

/** The request and its current quote as this user may see them; 404 for anything else. */
async function loadQuote(request: Request, id: number) {
  const user = await requireUser(request);
  const found = await getRequest({ id, viewer: user.actor });
  if (!found || found.status === "merged") throw new Response("Not found", { status: 404 });
  const quote = await getRequestQuote({ requestId: id, viewer: user.actor });
  if (!quote?.current) throw new Response("Not found", { status: 404 });
  return { user, found, quote: quote.current, sponsors: quote.sponsors };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = requireIdParam(params.id);
  const { user, found, quote, sponsors } = await loadQuote(request, id);
  const orgs = await signableOrganizations(user.actor, quote);
  const admins = orgs.filter((o) => o.isAdmin);
  const asked = parseId(new URL(request.url).searchParams.get("org"));
  const chosen =
    admins.find((o) => o.id === asked) ??
    admins.find((o) => o.id === user.currentOrg?.orgId) ??
    admins[0] ??
    null;
  const pledged = new Set(sponsors.map((s) => s.orgId));
  const voters =
    quote.audience === "open" && quote.status === "open"
      ? await countVotersWithoutPledge({ requestId: id, quoteId: quote.id })
      : 0;
  return {
    request: { id: found.id, title: found.title },
    quote: { ...quote, termsMd: undefined },
    termsHtml: renderMarkdown(quote.termsMd),
    // The hash of exactly the text shown above: the model refuses any other.
    termsSha256: termsHash(quote.termsMd),
    admins: admins.map((o) => ({ ...o, hasPledged: pledged.has(o.id) })),
    members: orgs.filter((o) => !o.isAdmin),
    chosenOrgId: chosen?.id ?? null,
    split:
      voters > 0 && quote.remainingMinor > 0
        ? { organizations: voters, shareMinor: evenShare(quote.remainingMinor, voters) }
        : null,
    signerName: user.name,
  };
}

type ActionResult = { intent: string; errors: FieldErrors; values: FormValues };

export async function action({ request, params, context }: ActionFunctionArgs) {
  const id = requireIdParam(params.id);
  const { user, quote } = await loadQuote(request, id);
  const formData = await readForm(request);
  const intent = String(formData.get("intent") ?? "");
  const here = `/requests/${id}`;
  const values = Object.fromEntries(
    [...formData].filter(([key, v]) => typeof v === "string" && key !== "intent"),
  ) as FormValues;
  const fail = (errors: FieldErrors, status: number) =>
    data<ActionResult>({ intent, errors, values }, { status });

  try {
    switch (intent) {
      case "accept": {
        const form = validateForm(formData, AcceptQuoteSchema);
        const errors: FieldErrors = { ...form.errors };
        // An open quote asks how much; the schema cannot know the audience.
        if (quote.audience === "open" && !form.errors?.share && !form.data?.share)
          errors.share = "quote.error.share";
        if (form.errors || Object.keys(errors).length > 0) return fail(errors, 400);
        const result = await acceptQuote({
          actor: user.actor,
          quoteId: quote.id,
          version: form.data.version,
          orgId: form.data.orgId,
          shareMinor: form.data.share,
          capToRemaining: form.data.capToRemaining,
          termsSha256: form.data.termsSha256,
          signerName: form.data.signerName,
          creditByName: form.data.creditByName,
          agreed: form.data.agreed === "on",
          // The client's address as the server saw it (app/server.js: Express's req.ip).
          ip: (context as { ip?: string } | undefined)?.ip || null,
        });
        if (result.funded) return redirectWithToast(request, here, { key: "quote.toast.funded" });
        if (quote.audience === "org")
          return redirectWithToast(request, here, { key: "quote.toast.accepted" });
        const after = await getRequestQuote({ requestId: id, viewer: user.actor });
        const locale = await resolveLocale(request, user.locale);
        return redirectWithToast(request, here, {
          key: "quote.toast.pledged",
          params: {
            remaining: formatMoney(after?.current?.remainingMinor ?? 0, locale, quote.currency),
          },
        });
      }
      case "decline": {
        const form = validateForm(formData, DeclineQuoteSchema);
        if (form.errors) return fail(form.errors, 400);
        await declineQuote({
          actor: user.actor,
          quoteId: quote.id,
          version: form.data.version,
          orgId: form.data.orgId,
          reason: form.data.reason ?? null,
        });
        return redirectWithToast(request, here, { key: "quote.toast.declined" });
      }
      case "ask": {
        const form = validateForm(formData, AskAdminsSchema);
        if (form.errors) return fail(form.errors, 400);
        await askAdminsToAccept({ actor: user.actor, quoteId: quote.id, orgId: form.data.orgId });
        return redirectWithToast(request, here, { key: "quote.toast.asked" });
      }
      default:
        throw new Response("Bad request", { status: 400 });
    }
  } catch (error) {
    if (error instanceof Response) throw error;
    const refusal = errorsFromRefusal(error);
    return fail(refusal.errors, refusal.status);
  }
}

export default function SponsorPage() {
  const t = useT();
  const rt = useRichT();
  const locale = useLocale();
  const page = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { quote, request } = page;
  const errors: FieldErrors = actionData?.errors ?? {};
  const values: FormValues = actionData?.values ?? {};
  const sent = actionData ? actionData.intent : null;
  // Hidden fields have no place of their own to show an error: the alert at the top says it.
  const formError = errors.form ?? errors.version ?? errors.termsSha256 ?? errors.orgId;
  const acceptErrors = sent === "accept" ? errors : {};
  const acceptValues = sent === "accept" ? values : {};
  const isOpen = quote.status === "open";
  // The organization picked before a refused try (the form's value is a plain id).
  const chosenOrgId = Number(acceptValues.orgId) || page.chosenOrgId;
  const chosen = page.admins.find((o) => o.id === chosenOrgId) ?? null;
  const signable = page.admins.filter((o) => !o.hasPledged);
  const canSign = isOpen && signable.length > 0;
  const dayText = formatQuoteDay(locale, quote.validUntil);

  return (
    <article className="mx-auto max-w-3xl space-y-6">
      <header className="space-y-2">
        <BackLink to={`/requests/${request.id}`}>{t("quote.accept.back")}</BackLink>
        <h1 className="text-2xl font-bold">{t("quote.accept.title")}</h1>
        <p className="text-lg text-stone-800" dir="auto">
          {request.title}
        </p>
      </header>

      {formError ? <FormAlert>{t(formError)}</FormAlert> : null}

      <section className="rounded-2xl border border-violet-200 bg-white p-5 shadow-sm">
        <p className="flex flex-wrap items-center gap-2 text-sm">
          <span className="text-stone-600">
            {rt("quote.card.version", { version: quote.version })}
          </span>
          <span className="rounded-full bg-violet-100 px-2 py-0.5 text-xs font-medium text-violet-900 ring-1 ring-inset ring-violet-300">
            {t(quoteStatusLabel[quote.status])}
          </span>
          <span className="text-stone-700">
            {quote.audience === "org" && quote.offeredOrg
              ? rt("quote.card.offeredTo", { org: quote.offeredOrg.name })
              : t("quote.card.openToAll")}
          </span>
        </p>
        <p className="mt-3 text-lg font-semibold text-stone-900" data-testid="quote-amounts">
          <QuoteAmountsLine amounts={quote.amounts} />
        </p>
        <p className="mt-1 text-sm text-stone-700">
          {rt.count("quote.card.deliveryWeeks", quote.deliveryWeeks)} ·{" "}
          {rt("quote.card.validUntilValue", { date: dayText })}
        </p>
        {quote.audience === "open" ? <FundingBar quote={quote} /> : null}
      </section>

      <section aria-labelledby="terms-title" className="space-y-2">
        <h2 id="terms-title" className="text-lg font-semibold">
          {t("quote.accept.terms")}
        </h2>
        <div
          className="prose-content max-h-96 overflow-y-auto rounded-xl border border-stone-200 bg-white p-4 text-start"
          dir="auto"
          tabIndex={0}
          data-testid="quote-terms"
          dangerouslySetInnerHTML={{ __html: page.termsHtml }}
        />
      </section>

      {!isOpen ? (
        <p
          role="status"
          className="rounded-xl border border-stone-300 bg-stone-50 p-4 text-stone-800"
        >
          {quote.status === "expired"
            ? rt("quote.accept.why.expired", { date: dayText })
            : t(closedReason[quote.status as Exclude<typeof quote.status, "open" | "expired">])}
        </p>
      ) : page.admins.length === 0 ? (
        <NoSignature page={page} />
      ) : (
        <>
          {page.admins
            .filter((o) => o.hasPledged)
            .map((o) => (
              <p key={o.id} role="status" className="rounded-xl bg-violet-50 p-4 text-violet-900">
                {rt("quote.accept.alreadyPledged", { org: o.name })}
              </p>
            ))}
          {canSign ? (
            <AcceptForm
              page={page}
              errors={acceptErrors}
              values={acceptValues}
              chosenOrgId={chosen && !chosen.hasPledged ? chosen.id : signable[0].id}
            />
          ) : null}
          {canSign ? (
            <details
              className="rounded-xl border border-stone-200 bg-white p-4"
              open={sent === "decline"}
            >
              <summary className="cursor-pointer font-medium text-stone-800">
                {t("quote.accept.decline")}
              </summary>
              <Form method="post" className="mt-3 space-y-3">
                <input type="hidden" name="intent" value="decline" />
                <input type="hidden" name="version" value={quote.version} />
                {signable.length > 1 ? (
                  <OrgSelect orgs={signable} chosenOrgId={chosenOrgId} id="decline-org" />
                ) : (
                  <input type="hidden" name="orgId" value={signable[0].id} />
                )}
                <div className="space-y-1">
                  <label
                    htmlFor="decline-reason"
                    className="block text-sm font-medium text-stone-800"
                  >
                    {t("quote.accept.declineReason")}
                  </label>
                  <textarea
                    id="decline-reason"
                    name="reason"
                    rows={3}
                    className={inputClass}
                    defaultValue={sent === "decline" ? values.reason : undefined}
                    aria-invalid={sent === "decline" && errors.reason ? true : undefined}
                    aria-describedby={
                      sent === "decline" && errors.reason ? "decline-reason-error" : undefined
                    }
                  />
                  {sent === "decline" && errors.reason ? (
                    <FieldError id="decline-reason-error">{t(errors.reason)}</FieldError>
                  ) : null}
                </div>
                <Button type="submit" variant="danger">
                  {t("quote.accept.declineSubmit")}
                </Button>
              </Form>
            </details>
          ) : null}
        </>
      )}
    </article>
  );
}

const closedReason = {
  funded: "quote.accept.why.funded",
  withdrawn: "quote.accept.why.withdrawn",
  superseded: "quote.accept.why.superseded",
} as const;

type PageData = ReturnType<typeof useLoaderData<typeof loader>>;

function OrgSelect({
  orgs,
  chosenOrgId,
  id,
}: {
  orgs: { id: number; name: string }[];
  chosenOrgId: number | null;
  id: string;
}) {
  const t = useT();
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-stone-800">
        {t("quote.accept.org")}
      </label>
      <select id={id} name="orgId" defaultValue={chosenOrgId ?? undefined} className={inputClass}>
        {orgs.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Why this user cannot sign, and what they can do instead. */
function NoSignature({ page }: { page: PageData }) {
  const t = useT();
  const rt = useRichT();
  const { quote } = page;
  return (
    <div
      role="status"
      className="space-y-3 rounded-xl border border-stone-300 bg-stone-50 p-4 text-stone-800"
    >
      {page.members.length > 0 ? (
        page.members.map((org) => (
          <Form key={org.id} method="post" className="space-y-2">
            <p>{rt("quote.accept.why.memberOnly", { org: org.name })}</p>
            <input type="hidden" name="intent" value="ask" />
            <input type="hidden" name="orgId" value={org.id} />
            <Button type="submit" variant="secondary">
              {t("quote.card.ask")}
            </Button>
          </Form>
        ))
      ) : (
        <>
          {quote.audience === "org" && quote.offeredOrg ? (
            <p>{rt("quote.accept.why.offeredTo", { org: quote.offeredOrg.name })}</p>
          ) : null}
          <p>{t("quote.accept.why.noOrg")}</p>
        </>
      )}
    </div>
  );
}

function AcceptForm({
  page,
  errors,
  values,
  chosenOrgId,
}: {
  page: PageData;
  errors: FieldErrors;
  values: FormValues;
  chosenOrgId: number;
}) {
  const t = useT();
  const rt = useRichT();
  const { quote } = page;
  const signable = page.admins.filter((o) => !o.hasPledged);
  const overRemaining = errors.share === "quote.error.overRemaining";
  return (
    <Form
      method="post"
      className="space-y-5 rounded-2xl border border-stone-200 bg-white p-5 shadow-sm"
      noValidate
    >
      <input type="hidden" name="intent" value="accept" />
      <input type="hidden" name="version" value={quote.version} />
      <input type="hidden" name="termsSha256" value={page.termsSha256} />
      <h2 className="text-lg font-semibold">{t("quote.accept.commitTitle")}</h2>
      {signable.length > 1 ? (
        <OrgSelect orgs={signable} chosenOrgId={chosenOrgId} id="accept-org" />
      ) : (
        <input type="hidden" name="orgId" value={chosenOrgId} />
      )}
      {quote.audience === "org" ? (
        <p className="text-stone-900">
          {rt("quote.accept.commitWhole", {
            amount: <Money minor={quote.amounts.grossMinor} currency={quote.currency} />,
          })}
        </p>
      ) : (
        <div className="space-y-2">
          <p className="text-sm text-stone-800">
            {rt("quote.accept.remaining", {
              remaining: <Money minor={quote.remainingMinor} currency={quote.currency} />,
              gross: <Money minor={quote.amounts.grossMinor} currency={quote.currency} />,
            })}
          </p>
          {page.split ? (
            <p className="text-sm text-stone-800" data-testid="quote-split">
              {rt.count("quote.accept.split", page.split.organizations, {
                share: <Money minor={page.split.shareMinor} currency={quote.currency} />,
              })}
            </p>
          ) : null}
          {quote.minShareMinor != null ? (
            <p className="text-sm text-stone-700">
              {rt("quote.accept.minShare", {
                amount: <Money minor={quote.minShareMinor} currency={quote.currency} />,
              })}
            </p>
          ) : null}
          <Field
            name="share"
            label={t("quote.accept.share")}
            inputMode="decimal"
            dir="ltr"
            autoComplete="off"
            defaultValue={values.share ?? ""}
            error={errors.share}
          />
          {overRemaining ? (
            <label className="flex items-start gap-2 text-sm">
              <input type="checkbox" name="capToRemaining" className="mt-1 h-4 w-4" />
              <span>
                {rt("quote.accept.capToRemaining", {
                  remaining: <Money minor={quote.remainingMinor} currency={quote.currency} />,
                })}
              </span>
            </label>
          ) : null}
        </div>
      )}
      <div className="space-y-1">
        <label className="flex items-start gap-2">
          <input
            type="checkbox"
            name="agreed"
            className="mt-1 h-4 w-4"
            defaultChecked={values.agreed === "on"}
            aria-invalid={errors.agreed ? true : undefined}
            aria-describedby={errors.agreed ? "agreed-error" : undefined}
          />
          <span className="font-medium">{t("quote.accept.agreed")}</span>
        </label>
        {errors.agreed ? <FieldError id="agreed-error">{t(errors.agreed)}</FieldError> : null}
      </div>
      <Field
        name="signerName"
        label={t("quote.accept.signerName")}
        hint={t("quote.accept.signerHint")}
        autoComplete="name"
        dir="auto"
        defaultValue={values.signerName ?? ""}
        error={errors.signerName}
      />
      <label className="flex items-start gap-2 text-sm">
        <input
          type="checkbox"
          name="creditByName"
          className="mt-1 h-4 w-4"
          defaultChecked={values.creditByName === "on"}
        />
        <span>{t("quote.accept.credit")}</span>
      </label>
      <Button type="submit">{t("quote.accept.submit")}</Button>
    </Form>
  );
}
