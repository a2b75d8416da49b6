// Dates and relative times in the page's locale, through Intl only.
import type { Locale } from "./messages";

const intlLocale: Record<Locale, string> = { he: "he-IL", en: "en-US" };

// Building an Intl formatter costs far more than using one, and pages format dozens of dates:
// one formatter per locale and kind is made once and kept.
function perLocale<F>(make: (tag: string) => F): (locale: Locale) => F {
  const made = new Map<Locale, F>();
  return (locale) => {
    let formatter = made.get(locale);
    if (!formatter) made.set(locale, (formatter = make(intlLocale[locale])));
    return formatter;
  };
}

const dateFormat = perLocale(
  (tag) => new Intl.DateTimeFormat(tag, { dateStyle: "medium", timeZone: "Asia/Jerusalem" }),
);
const dateTimeFormat = perLocale(
  (tag) =>
    new Intl.DateTimeFormat(tag, {
      dateStyle: "medium",
      timeStyle: "short",
      timeZone: "Asia/Jerusalem",
    }),
);
const relativeFormat = perLocale((tag) => new Intl.RelativeTimeFormat(tag, { numeric: "auto" }));

// Formatting a date in a time zone is itself slow (~5 µs; a staff request page formats ~70),
// and pages show the same timestamps over and over: recent results are kept, a bounded number.
const FORMATTED_MAX = 5_000;

function remembered(format: (locale: Locale, iso: string) => string) {
  const kept = new Map<string, string>();
  return (locale: Locale, iso: string): string => {
    const key = locale + iso;
    let text = kept.get(key);
    if (text === undefined) {
      text = format(locale, iso);
      // The oldest entry out first (a Map iterates in insertion order).
      if (kept.size >= FORMATTED_MAX) kept.delete(kept.keys().next().value!);
      kept.set(key, text);
    }
    return text;
  };
}

export const formatDate = remembered((locale, iso) => dateFormat(locale).format(new Date(iso)));

export const formatDateTime = remembered((locale, iso) =>
  dateTimeFormat(locale).format(new Date(iso)),
);

const units: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];

/** "לפני 3 ימים" / "3 days ago"; "in 6 days" for future dates. */
export function formatRelative(locale: Locale, iso: string, nowMs = Date.now()): string {
  const seconds = Math.round((new Date(iso).getTime() - nowMs) / 1000);
  const format = relativeFormat(locale);
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size)
      return withoutDualNumber(format.format(Math.round(seconds / size), unit));
  }
  return format.format(0, "minute");
}

// ICU writes Hebrew duals with the number in brackets ("לפני חודשיים (2)"); the word says it already.
function withoutDualNumber(text: string): string {
  return text.replace(/\s*\(2\)$/, "");
}

/** A letter that opens a Hebrew word, or one of another script (Latin, Cyrillic…) or a digit. */
const HEBREW_LETTER = /[\u05D0-\u05EA]/;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/**
 * Attaches Hebrew prefix letters (ו ה ב כ ל מ ש) to a word the way Hebrew writes them: glued to a
 * Hebrew word ("לאקמה"), with a hyphen before a word in another script or a number ("ל-Acme Ltd",
 * "ב-2026"). Punctuation that opens the word (a quote) decides nothing: "ל״אקמה״".
 */
export function attachHebrewPrefix(prefix: string, word: string): string {
  const first = [...word].find((char) => LETTER_OR_DIGIT.test(char));
  return first && !HEBREW_LETTER.test(first) ? `${prefix}-${word}` : `${prefix}${word}`;
}
