// The request's quote for everyone who can see the request: the amounts, what they cover,
// delivery, validity, status, audience, the funding bar of an open quote, the sponsors who may
// be thanked by name; for members of an organization that may accept, the way to accept or to
// ask their admins.
import { Form, Link, useLocation } from "@remix-run/react";
import { Button, buttonClass } from "~/components/Button";
import { Money, QuoteAmountsLine } from "~/components/Money";
import { formatDate } from "~/i18n/format";
import type { MessageKey } from "~/i18n/messages";
import { useRichT } from "~/i18n/rich";
import { useLocale, useT } from "~/i18n/useT";
import { formatHours } from "~/models/money";
import type { RequestPageData } from "./route";

type Quote = NonNullable<NonNullable<RequestPageData["quote"]>["current"]>;

export const quoteStatusLabel: Record<Quote["status"], MessageKey> = {
  open: "quote.status.open",
  funded: "quote.status.funded",
  expired: "quote.status.expired",
  withdrawn: "quote.status.withdrawn",
  superseded: "quote.status.superseded",
};

/** A quote's last day ("2027-03-31") in the reader's locale: noon UTC is that day in Israel. */
export function formatQuoteDay(locale: Parameters<typeof formatDate>[0], day: string) {
  return formatDate(locale, `${day}T12:00:00.000Z`);
}

export function QuoteCard({
  requestId,
  data,
  viewer,
}: {
  requestId: number;
  data: NonNullable<RequestPageData["quote"]>;
  viewer: RequestPageData["viewer"];
}) {
  const t = useT();
  const rt = useRichT();
  const locale = useLocale();
  const location = useLocation();
  const quote = data.current;
  if (!quote) return null;
  const isOpen = quote.status === "open";
  const named = data.sponsors.filter((s) => s.creditByName);
  const signedIn = Boolean(viewer);
  // As signableOrganizations says on the server: any of theirs for an open quote, else the offered one.
  const orgs = (viewer?.organizations ?? []).filter(
    (o) => quote.audience === "open" || o.id === quote.offeredOrg?.id,
  );
  const admins = orgs.filter((o) => o.isAdmin);
  // A member asks the admins of an organization they cannot sign for themselves.
  const askable = admins.length === 0 ? orgs.filter((o) => !o.isAdmin) : [];
  const sponsorPage = `/requests/${requestId}/sponsor`;

  return (
    <section
      aria-labelledby="quote-title"
      className="rounded-2xl border border-violet-200 bg-violet-50/40 p-5 shadow-sm"
    >
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="quote-title" className="text-lg font-semibold text-stone-900">
          {t("quote.card.title")}
        </h2>
        <p className="flex items-center gap-2 text-sm">
          <span className="text-stone-600">
            {rt("quote.card.version", { version: quote.version })}
          </span>
          <span className="sr-only">{t("quote.card.statusLabel")}:</span>
          <span
            className={`rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${
              isOpen || quote.status === "funded"
                ? "bg-violet-100 text-violet-900 ring-violet-300"
                : "bg-stone-100 text-stone-800 ring-stone-300"
            }`}
          >
            {t(quoteStatusLabel[quote.status])}
          </span>
        </p>
      </div>
      <p className="mt-1 text-sm text-stone-700">
        {quote.audience === "org" && quote.offeredOrg
          ? rt("quote.card.offeredTo", { org: quote.offeredOrg.name })
          : t("quote.card.openToAll")}
      </p>

      <dl className="mt-4 grid gap-x-6 gap-y-3 text-sm sm:grid-cols-[auto_1fr]">
        <dt className="font-medium text-stone-700">{t("quote.card.amount")}</dt>
        <dd className="text-stone-900">
          <QuoteAmountsLine amounts={quote.amounts} />
        </dd>
        <dt className="font-medium text-stone-700">{t("quote.card.covers")}</dt>
        <dd className="text-stone-900">
          {quote.pricing === "hourly" && quote.quarterHours != null && quote.rateMinor != null
            ? rt("quote.card.hourly", {
                hours: formatHours(quote.quarterHours, locale),
                rate: <Money minor={quote.rateMinor} currency={quote.currency} />,
              })
            : t("quote.card.fixed")}
        </dd>
        <dt className="font-medium text-stone-700">{t("quote.card.delivery")}</dt>
        <dd className="text-stone-900">
          {rt.count("quote.card.deliveryWeeks", quote.deliveryWeeks)}
        </dd>
        <dt className="font-medium text-stone-700">{t("quote.card.validUntil")}</dt>
        <dd className="text-stone-900">
          {rt("quote.card.validUntilValue", {
            date: (
              <time dateTime={quote.validUntil}>{formatQuoteDay(locale, quote.validUntil)}</time>
            ),
          })}
        </dd>
      </dl>

      {quote.audience === "open" ? <FundingBar quote={quote} /> : null}

      {quote.status === "funded" && named.length > 0 ? (
        <div className="mt-4">
          <h3 className="text-sm font-semibold text-stone-900">{t("quote.card.sponsorsTitle")}</h3>
          <ul className="mt-1 flex flex-wrap gap-2 text-sm" data-testid="quote-sponsors">
            {named.map((s) => (
              <li key={s.orgId} className="rounded-full bg-white px-3 py-1 ring-1 ring-violet-200">
                <bdi>{s.orgName}</bdi>
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      {isOpen ? (
        <div className="mt-4 flex flex-wrap items-center gap-3 border-t border-violet-100 pt-4">
          {admins.map((org) => (
            <Link
              key={org.id}
              to={admins.length > 1 ? `${sponsorPage}?org=${org.id}` : sponsorPage}
              className={buttonClass("primary")}
            >
              {admins.length > 1
                ? rt("quote.card.reviewFor", { org: org.name })
                : t("quote.card.review")}
            </Link>
          ))}
          {askable.map((org) => (
            <Form key={org.id} method="post" action={sponsorPage} className="space-y-1">
              <input type="hidden" name="intent" value="ask" />
              <input type="hidden" name="orgId" value={org.id} />
              <Button type="submit" variant="secondary">
                {t("quote.card.ask")}
              </Button>
              <p className="text-xs text-stone-600">
                {rt("quote.card.askHint", { org: org.name })}
              </p>
            </Form>
          ))}
          {!signedIn ? (
            <Link
              to={`/signin?${new URLSearchParams({ redirectTo: location.pathname })}`}
              className={buttonClass("secondary")}
            >
              {t("quote.card.signIn")}
            </Link>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}

/** Pledged of gross, as a bar and as the same words for those who do not see it. */
export function FundingBar({
  quote,
}: {
  quote: Pick<Quote, "id" | "status" | "pledgedMinor" | "remainingMinor" | "amounts" | "currency">;
}) {
  const t = useT();
  const rt = useRichT();
  const pledged = Math.min(quote.pledgedMinor, quote.amounts.grossMinor);
  return (
    <div className="mt-4 space-y-1">
      <p id={`quote-${quote.id}-funding`} className="text-sm font-medium text-stone-800">
        {rt("quote.card.funding", {
          pledged: <Money minor={pledged} currency={quote.currency} />,
          gross: <Money minor={quote.amounts.grossMinor} currency={quote.currency} />,
        })}
      </p>
      <progress
        className="quote-funding h-3 w-full overflow-hidden rounded-full"
        max={quote.amounts.grossMinor}
        value={pledged}
        aria-label={t("quote.card.fundingLabel")}
        aria-describedby={`quote-${quote.id}-funding`}
        data-testid="quote-funding-bar"
      />
      {quote.status === "open" && quote.remainingMinor > 0 ? (
        <p className="text-sm text-stone-700">
          {rt("quote.card.remaining", {
            remaining: <Money minor={quote.remainingMinor} currency={quote.currency} />,
          })}
        </p>
      ) : null}
    </div>
  );
}
