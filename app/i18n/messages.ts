// The message catalogs and the one function that turns a key into text for a locale.
//
// The catalogs are registered rather than imported: the server registers both
// (app/i18n/catalogs.server.ts); in a browser, the page's own chunk puts it in PAGE_CATALOGS
// before hydrating (app/i18n/catalog.<locale>.ts), so a page does not ship the other
// language's ~15 kB gzipped.
import { attachHebrewPrefix } from "./format";
import type { he } from "./he";
import type { mailHe } from "./mail.he";
import type { staffHe } from "./staff.he";

export const LOCALES = ["he", "en"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "he";

/**
 * A page's message (he.ts, which every browser loads), a staff page's (staff.he.ts, which only
 * staff members' browsers load) or an e-mail's (mail.he.ts, server only).
 */
export type MessageKey = keyof typeof he | keyof typeof staffHe | keyof typeof mailHe;
export type MessageParams = Record<string, string | number>;
/** Keys that come in plural forms: `x.one`, `x.other` (and `x.two` where Hebrew needs it). */
export type PluralKey = {
  [K in MessageKey]: K extends `${infer Base}.other` ? Base : never;
}[MessageKey];
export type Translate = ((key: MessageKey, params?: MessageParams) => string) & {
  /** The plural form of `base` for `count`, with `{count}` filled in. */
  count: (base: PluralKey, count: number, params?: MessageParams) => string;
};

export type Catalog = Record<MessageKey, string>;

/**
 * Where a browser's catalog chunk leaves its catalog: a global rather than a call into this
 * module, so the chunk imports nothing and is one request (an import would also split this
 * module into a chunk of its own: two more requests before the first paint).
 */
export const PAGE_CATALOGS = "__broadlyCatalogs";
/** Where a staff member's browser leaves the staff pages' messages (catalog.staff-<locale>.ts). */
export const STAFF_CATALOGS = "__broadlyStaffCatalogs";

type PageGlobals = {
  [PAGE_CATALOGS]?: Partial<Record<Locale, Catalog>>;
  [STAFF_CATALOGS]?: Partial<Record<Locale, Partial<Catalog>>>;
};

/** Catalogs with every message: the server's (registered), or a staff browser's (merged once). */
const catalogs: Partial<Record<Locale, Catalog>> = {};

export function registerCatalog(locale: Locale, messages: Catalog) {
  catalogs[locale] = messages;
}

function registered(locale: Locale): Catalog | undefined {
  const complete = catalogs[locale];
  if (complete) return complete;
  const page = globalThis as PageGlobals;
  const messages = page[PAGE_CATALOGS]?.[locale];
  const staff = page[STAFF_CATALOGS]?.[locale];
  if (messages && staff) return (catalogs[locale] = { ...messages, ...staff });
  return messages;
}

/** Whether the locale's messages are here (with `staff`: the staff pages' too). */
export function hasCatalog(locale: Locale, { staff = false }: { staff?: boolean } = {}): boolean {
  const found = registered(locale);
  return found !== undefined && (!staff || catalogs[locale] !== undefined);
}

/** The locale's messages; until they have arrived, whichever catalog is there (never none). */
export function catalogOf(locale: Locale): Catalog {
  return registered(locale) ?? registered(DEFAULT_LOCALE) ?? registered("en") ?? ({} as Catalog);
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

export function isMessageKey(value: unknown): value is MessageKey {
  return typeof value === "string" && Object.hasOwn(catalogOf(DEFAULT_LOCALE), value);
}

export function directionOf(locale: Locale): "rtl" | "ltr" {
  return locale === "he" ? "rtl" : "ltr";
}

/**
 * A placeholder, with the Hebrew prefix letters glued to it when it has some ("ל{org}"): a
 * prefix is one to three of ו ה ב כ ל מ ש that start a word (no Hebrew letter before them).
 */
export const PLACEHOLDER = /(?:(?<![\u05D0-\u05EA])([ובהכלמש]{1,3}))?\{(\w+)\}/g;

/**
 * Replaces `{name}` placeholders; numbers are formatted for the locale. Catalogs write a Hebrew
 * prefix glued to a placeholder ("להצטרף ל{org}") and get "להצטרף לאקמה" or "להצטרף ל-Acme Ltd"
 * as Hebrew spelling wants, whatever the value turns out to be.
 */
export function translate(locale: Locale, key: MessageKey, params?: MessageParams): string {
  const template = catalogOf(locale)[key] ?? key;
  if (!params) return template;
  return template.replace(PLACEHOLDER, (whole, prefix: string | undefined, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    const text = typeof value === "number" ? numberFormatters[locale].format(value) : value;
    return prefix ? attachHebrewPrefix(prefix, text) : text;
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
  return (Object.hasOwn(catalogOf(locale), form) ? form : `${base}.other`) as MessageKey;
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
