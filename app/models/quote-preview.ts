// The quote form's preview: the amounts what staff typed comes to, or null while it comes to
// none. Browser-safe: the server's "preview" submit and the live preview in the browser both
// call it, so both show the numbers saveQuote will store (same parsing, same quoteAmounts).
import { parseHoursInput, parseMoneyInput, quoteAmounts, type QuoteAmounts } from "./money";

export type QuotePreviewFields = {
  pricing?: string;
  hours?: string;
  rate?: string;
  amount?: string;
};

export function previewQuoteAmounts(
  fields: QuotePreviewFields,
  vatBps: number,
): QuoteAmounts | null {
  const pricing = fields.pricing === "fixed" ? "fixed" : "hourly";
  try {
    if (pricing === "hourly") {
      const quarterHours = parseHoursInput(fields.hours ?? "");
      const rateMinor = parseMoneyInput(fields.rate ?? "");
      if (quarterHours === null || rateMinor === null || rateMinor === 0) return null;
      return quoteAmounts({ pricing, quarterHours, rateMinor, vatBps });
    }
    const fixedMinor = parseMoneyInput(fields.amount ?? "");
    if (fixedMinor === null || fixedMinor === 0) return null;
    return quoteAmounts({ pricing, fixedMinor, vatBps });
  } catch {
    // Not whole shekels an hour, or above the largest quote: no amounts to show.
    return null;
  }
}
