// Amounts of money on a page: the one way an amount in agorot becomes text (models/money.ts
// formats it), each in its own <bdi> so a Hebrew amount keeps its order inside any sentence.
import { formatMoney, type QuoteAmounts } from "~/models/money";
import { useRichT } from "~/i18n/rich";
import { useLocale } from "~/i18n/useT";

export function Money({ minor, currency }: { minor: number; currency?: string }) {
  const locale = useLocale();
  return <bdi>{formatMoney(minor, locale, currency)}</bdi>;
}

/** "₪2,500 + VAT ₪450 = ₪2,950": a quote's three lines as one sentence of the catalog. */
export function QuoteAmountsLine({ amounts }: { amounts: QuoteAmounts }) {
  const rt = useRichT();
  return (
    <>
      {rt("money.withVat", {
        net: <Money minor={amounts.netMinor} />,
        vat: <Money minor={amounts.vatMinor} />,
        gross: <Money minor={amounts.grossMinor} />,
      })}
    </>
  );
}
