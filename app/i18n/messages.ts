// The message catalogs and the one function that turns a key into text for a locale.
import { en } from "./en";
import { he } from "./he";

export const LOCALES = ["he", "en"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "he";

export type MessageKey = keyof typeof he;
export type MessageParams = Record<string, string | number>;
/** Keys that come in plural forms: `x.one`, `x.other` (and `x.two` where Hebrew needs it). */
export type PluralKey = {
  [K in MessageKey]: K extends `${infer Base}.other` ? Base : never;
}[MessageKey];
export type Translate = ((key: MessageKey, params?: MessageParams) => string) & {
  /** The plural form of `base` for `count`, with `{count}` filled in. */
  count: (base: PluralKey, count: number, params?: MessageParams) => string;
};

export const catalogs: Record<Locale, Record<MessageKey, string>> = { he, en };

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

export function isMessageKey(value: unknown): value is MessageKey {
  return typeof value === "string" && Object.hasOwn(he, value);
}

export function directionOf(locale: Locale): "rtl" | "ltr" {
  return locale === "he" ? "rtl" : "ltr";
}

/** Replaces `{name}` placeholders; numbers are formatted for the locale. */
export function translate(locale: Locale, key: MessageKey, params?: MessageParams): string {
  const template = catalogs[locale][key] ?? key;
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === "number" ? numberFormatters[locale].format(value) : value;
  });
}

const numberFormatters: Record<Locale, Intl.NumberFormat> = {
  he: new Intl.NumberFormat("he-IL"),
  en: new Intl.NumberFormat("en-US"),
};

const pluralRules: Record<Locale, Intl.PluralRules> = {
  he: new Intl.PluralRules("he-IL"),
  en: new Intl.PluralRules("en-US"),
};

/** The key of the plural form of `base` for `count` in `locale` (`.other` when it has no own form). */
export function pluralKey(locale: Locale, base: PluralKey, count: number): MessageKey {
  const form = `${base}.${pluralRules[locale].select(count)}`;
  return (Object.hasOwn(catalogs[locale], form) ? form : `${base}.other`) as MessageKey;
}

/** Formats a number for the locale, as placeholders do. */
export function formatNumber(locale: Locale, value: number): string {
  return numberFormatters[locale].format(value);
}

export function translateCount(
  locale: Locale,
  base: PluralKey,
  count: number,
  params?: MessageParams,
): string {
  return translate(locale, pluralKey(locale, base, count), { count, ...params });
}

export function translator(locale: Locale): Translate {
  const t = (key: MessageKey, params?: MessageParams) => translate(locale, key, params);
  return Object.assign(t, {
    count: (base: PluralKey, count: number, params?: MessageParams) =>
      translateCount(locale, base, count, params),
  });
}
