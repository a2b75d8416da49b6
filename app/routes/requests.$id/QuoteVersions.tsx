// Staff only: every version of the request's quote, newest first, with its amounts, status,
// validity and audience; the open one can be revised (the quote page) or withdrawn (a plain
// POST to it, so it works without JavaScript).
import { Form, Link } from "@remix-run/react";
import { Button, buttonClass } from "~/components/Button";
import { Money, QuoteAmountsLine } from "~/components/Money";
import { formatDate, formatDateTime } from "~/i18n/format";
import type { MessageKey } from "~/i18n/messages";
import { useRichT } from "~/i18n/rich";
import { useLocale, useT } from "~/i18n/useT";
import { formatHours } from "~/models/money";
import type { QuoteView } from "~/models/quotes.server";

const STATUS: Record<QuoteView["status"], MessageKey> = {
  open: "quoteForm.status.open",
  funded: "quoteForm.status.funded",
  superseded: "quoteForm.status.superseded",
  withdrawn: "quoteForm.status.withdrawn",
  expired: "quoteForm.status.expired",
};

const STATUS_CLASS: Record<QuoteView["status"], string> = {
  open: "bg-emerald-50 text-emerald-800 ring-emerald-200",
  funded: "bg-violet-50 text-violet-800 ring-violet-200",
  superseded: "bg-stone-100 text-stone-700 ring-stone-300",
  withdrawn: "bg-stone-100 text-stone-700 ring-stone-300",
  expired: "bg-amber-50 text-amber-900 ring-amber-200",
};

export function QuoteVersions({
  requestId,
  versions,
}: {
  requestId: number;
  versions: QuoteView[];
}) {
  const t = useT();
  const rt = useRichT();
  const locale = useLocale();
  if (versions.length === 0) return null;
  return (
    <section
      id="quote-versions"
      aria-labelledby="quote-versions-heading"
      className="space-y-3 rounded-2xl border border-violet-200 bg-white p-5 shadow-sm"
    >
      <div>
        <h2 id="quote-versions-heading" className="text-lg font-semibold">
          {t("quoteForm.versions.title")}
        </h2>
        <p className="text-sm text-stone-600">{t("quoteForm.versions.lead")}</p>
      </div>
      <ol className="divide-y divide-stone-100">
        {versions.map((quote) => (
          <li
            key={quote.id}
            className="space-y-1 py-3 text-sm"
            data-testid={`quote-version-${quote.version}`}
          >
            <p className="flex flex-wrap items-center gap-2">
              <span className="font-semibold">
                {t("quoteForm.versions.version", { version: quote.version })}
              </span>
              <span
                className={`rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${STATUS_CLASS[quote.status]}`}
              >
                {t(STATUS[quote.status])}
              </span>
            </p>
            <p className="text-base">
              <QuoteAmountsLine amounts={quote.amounts} />
            </p>
            {quote.pricing === "hourly" &&
            quote.quarterHours !== null &&
            quote.rateMinor !== null ? (
              <p className="text-stone-700">
                {rt("quoteForm.versions.hourly", {
                  hours: <bdi>{formatHours(quote.quarterHours, locale)}</bdi>,
                  rate: <Money minor={quote.rateMinor} currency={quote.currency} />,
                })}
              </p>
            ) : null}
            <p className="text-stone-700">
              {quote.offeredOrg
                ? rt("quoteForm.versions.offeredTo", { org: quote.offeredOrg.name })
                : t("quoteForm.versions.open")}
              {quote.audience === "open" && quote.minShareMinor !== null ? (
                <>
                  {" · "}
                  {rt("quoteForm.versions.minShare", {
                    amount: <Money minor={quote.minShareMinor} currency={quote.currency} />,
                  })}
                </>
              ) : null}
              {quote.pledgedMinor > 0 ? (
                <>
                  {" · "}
                  {rt("quoteForm.versions.pledged", {
                    pledged: <Money minor={quote.pledgedMinor} currency={quote.currency} />,
                    gross: <Money minor={quote.amounts.grossMinor} currency={quote.currency} />,
                  })}
                </>
              ) : null}
            </p>
            <p className="text-stone-600">
              {rt("quoteForm.versions.validUntil", {
                date: <bdi>{formatDate(locale, `${quote.validUntil}T12:00:00Z`)}</bdi>,
              })}
              {" · "}
              {rt("quoteForm.versions.delivery", { weeks: <bdi>{quote.deliveryWeeks}</bdi> })}
              {" · "}
              {rt("quoteForm.versions.created", {
                date: (
                  <time dateTime={quote.createdAt}>{formatDateTime(locale, quote.createdAt)}</time>
                ),
              })}
            </p>
            {quote.status === "open" ? (
              <div className="flex flex-wrap gap-2 pt-1">
                <Link
                  to={`/requests/${requestId}/quote`}
                  className={buttonClass("secondary", "px-3 py-1")}
                >
                  {t("quoteForm.versions.revise")}
                  <span className="sr-only">
                    {" "}
                    – {t("quoteForm.versions.version", { version: quote.version })}
                  </span>
                </Link>
                <Form
                  method="post"
                  action={`/requests/${requestId}/quote`}
                  onSubmit={(event) => {
                    // With JavaScript, a last word before the pledges lapse; without, the button.
                    if (!window.confirm(t("quoteForm.versions.withdrawConfirm")))
                      event.preventDefault();
                  }}
                >
                  <input type="hidden" name="intent" value="withdraw" />
                  <input type="hidden" name="quoteId" value={quote.id} />
                  <Button variant="danger" className="px-3 py-1">
                    {t("quoteForm.versions.withdraw")}
                    <span className="sr-only">
                      {" "}
                      – {t("quoteForm.versions.version", { version: quote.version })}
                    </span>
                  </Button>
                </Form>
              </div>
            ) : null}
          </li>
        ))}
      </ol>
    </section>
  );
}
