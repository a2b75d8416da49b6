// Dates and relative times in the page's locale, through Intl only.
import type { Locale } from "./messages";

const intlLocale: Record<Locale, string> = { he: "he-IL", en: "en-US" };

export function formatDate(locale: Locale, iso: string): string {
  return new Intl.DateTimeFormat(intlLocale[locale], {
    dateStyle: "medium",
    timeZone: "Asia/Jerusalem",
  }).format(new Date(iso));
}

export function formatDateTime(locale: Locale, iso: string): string {
  return new Intl.DateTimeFormat(intlLocale[locale], {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: "Asia/Jerusalem",
  }).format(new Date(iso));
}

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
  const format = new Intl.RelativeTimeFormat(intlLocale[locale], { numeric: "auto" });
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
