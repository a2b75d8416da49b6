// The thanks on a shipped sponsored request: "Developed with the sponsorship of Acme Ltd and
// Globex", the organizations that agreed to be named, listed as the reader's language lists.
import { Fragment } from "react";
import { useRichT } from "~/i18n/rich";
import { useLocale } from "~/i18n/useT";

const intlLocale = { he: "he-IL", en: "en-US" } as const;

export function SponsorCredit({
  sponsors,
  className = "rounded-2xl border border-violet-200 bg-violet-50 px-5 py-3 text-violet-900",
}: {
  sponsors: readonly string[] | null | undefined;
  /** The request page's box by default; a list (the changelog) sets a quieter line. */
  className?: string;
}) {
  const rt = useRichT();
  const locale = useLocale();
  if (!sponsors || sponsors.length === 0) return null;
  // Each name in its own <bdi>, the list's words ("and", commas) around them as Intl writes them.
  const parts = new Intl.ListFormat(intlLocale[locale], {
    style: "long",
    type: "conjunction",
  }).formatToParts([...sponsors]);
  const list = parts.map((part, i) =>
    part.type === "element" ? (
      <bdi key={i}>{part.value}</bdi>
    ) : (
      <Fragment key={i}>{part.value}</Fragment>
    ),
  );
  return (
    <p className={className} data-testid="sponsor-credit">
      {rt("sponsorships.credit", { sponsors: <>{list}</> })}
    </p>
  );
}
