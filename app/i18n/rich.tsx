// Catalog messages whose placeholders are filled with React nodes, so that an interpolated name,
// number or date sits in its own <bdi> and keeps its direction inside the sentence ("Dana Cohen"
// in a Hebrew line, a Hebrew date after a Latin name) instead of being reordered with it.
import { Fragment, type ReactNode } from "react";
import { attachHebrewPrefix } from "./format";
import {
  catalogOf,
  formatNumber,
  PLACEHOLDER,
  pluralKey,
  type Locale,
  type MessageKey,
  type PluralKey,
} from "./messages";
import { useLocale } from "./useT";

type RichValues = Record<string, ReactNode>;

/**
 * Fills `{name}` placeholders; strings and numbers are isolated in <bdi>, elements go in as they
 * are. Hebrew prefix letters glued to a placeholder are attached as translate() attaches them
 * ("ל-Acme Ltd", "לאקמה"), outside the <bdi>.
 */
export function fillMessage(locale: Locale, template: string, values: RichValues): ReactNode {
  const nodes: ReactNode[] = [];
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    const [whole, prefix, name] = match;
    nodes.push(template.slice(last, match.index));
    last = match.index + whole.length;
    if (!(name in values)) {
      nodes.push(whole);
      continue;
    }
    const value = values[name];
    const text = typeof value === "number" ? formatNumber(locale, value) : value;
    if (typeof text === "string") {
      const attached = prefix ? attachHebrewPrefix(prefix, text) : text;
      const lead = attached.slice(0, attached.length - text.length);
      nodes.push(
        <Fragment key={match.index}>
          {lead}
          <bdi>{text}</bdi>
        </Fragment>,
      );
    } else {
      nodes.push(
        <Fragment key={match.index}>
          {prefix}
          {text}
        </Fragment>,
      );
    }
  }
  nodes.push(template.slice(last));
  return nodes;
}

export type RichTranslate = ((key: MessageKey, values?: RichValues) => ReactNode) & {
  count: (base: PluralKey, count: number, values?: RichValues) => ReactNode;
};

/** Like useT(), for messages with names, numbers or dates in them. */
export function useRichT(): RichTranslate {
  const locale = useLocale();
  const rich = (key: MessageKey, values: RichValues = {}) =>
    fillMessage(locale, catalogOf(locale)[key], values);
  return Object.assign(rich, {
    count: (base: PluralKey, count: number, values: RichValues = {}) =>
      fillMessage(locale, catalogOf(locale)[pluralKey(locale, base, count)], {
        count,
        ...values,
      }),
  });
}
