// Catalog messages whose placeholders are filled with React nodes, so that an interpolated name,
// number or date sits in its own <bdi> and keeps its direction inside the sentence ("Dana Cohen"
// in a Hebrew line, a Hebrew date after a Latin name) instead of being reordered with it.
import { Fragment, type ReactNode } from "react";
import {
  catalogs,
  formatNumber,
  pluralKey,
  type Locale,
  type MessageKey,
  type PluralKey,
} from "./messages";
import { useLocale } from "./useT";

type RichValues = Record<string, ReactNode>;

/** Fills `{name}` placeholders; strings and numbers are isolated in <bdi>, elements go in as they are. */
export function fillMessage(locale: Locale, template: string, values: RichValues): ReactNode {
  return template.split(/\{(\w+)\}/).map((part, index) => {
    // split() with a capture group: odd indexes are placeholder names.
    if (index % 2 === 0) return part;
    if (!(part in values)) return `{${part}}`;
    const value = values[part];
    const node =
      typeof value === "string" || typeof value === "number" ? (
        <bdi>{typeof value === "number" ? formatNumber(locale, value) : value}</bdi>
      ) : (
        value
      );
    return <Fragment key={index}>{node}</Fragment>;
  });
}

export type RichTranslate = ((key: MessageKey, values?: RichValues) => ReactNode) & {
  count: (base: PluralKey, count: number, values?: RichValues) => ReactNode;
};

/** Like useT(), for messages with names, numbers or dates in them. */
export function useRichT(): RichTranslate {
  const locale = useLocale();
  const rich = (key: MessageKey, values: RichValues = {}) =>
    fillMessage(locale, catalogs[locale][key], values);
  return Object.assign(rich, {
    count: (base: PluralKey, count: number, values: RichValues = {}) =>
      fillMessage(locale, catalogs[locale][pluralKey(locale, base, count)], { count, ...values }),
  });
}
