// Money for sponsored-development quotes: what staff type, the quote's arithmetic and how an
// amount reads. Amounts are integers in agorot, VAT rates integers in basis points and estimates
// integers in quarter hours, from the form field to the screen: no binary fraction is ever made,
// so ₪0.10 + ₪0.20 is ₪0.30 and a quote's total is the same on every machine. Browser-safe (no
// server imports): the quote form parses and previews with it, the models compute with it.
import type { Locale } from "~/i18n/messages";

export const CURRENCY = "ILS" as const;
/** ₪100,000,000 in agorot: the largest net amount of a quote. */
export const MAX_MINOR = 10_000_000_000;
/** 100,000 hours: the largest estimate of a quote. */
export const MAX_QUARTER_HOURS = 400_000;
/** 100%: a VAT rate above it is a typo, not a tax. */
const MAX_VAT_BPS = 10_000;

export type QuoteAmounts = { netMinor: number; vatMinor: number; grossMinor: number };

// Marks a right-to-left field or a copied Hebrew amount carries around the digits (LRM, RLM,
// ALM, the embeddings and the isolates); they are invisible, so the reader never typed them.
const BIDI_MARKS = /[\u200E\u200F\u061C\u202A-\u202E\u2066-\u2069]/g;

// Thousands commas are accepted only where they group by three ("2,500", "1,000,000") or not
// at all ("2500"): "1,00" or "25,00" is someone writing a decimal comma, and reading it as 100
// or 2500 would quote a hundred times the price. The point is the decimal separator.
const AMOUNT = /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$/;

// More integer digits than this cannot be at most MAX_MINOR, whatever they are; refusing them
// before adding them up keeps the sum a safe integer.
const MAX_MINOR_DIGITS = String(MAX_MINOR).length;

/** A string of ASCII digits as an integer, added up digit by digit (no float parsing). */
function digitsToInteger(digits: string): number {
  let value = 0;
  for (const digit of digits) value = value * 10 + (digit.charCodeAt(0) - 48);
  return value;
}

/** The typed text without bidi marks and surrounding spaces (no-break ones too). */
function cleaned(text: string): string {
  return text.replace(BIDI_MARKS, "").trim();
}

/** The whole part's digits and the fraction's (may be ""), or null when `text` is no amount. */
function decimalParts(text: string): { whole: string; fraction: string } | null {
  const match = AMOUNT.exec(text);
  if (!match) return null;
  return { whole: match[1].replaceAll(",", "").replace(/^0+(?=\d)/, ""), fraction: match[2] ?? "" };
}

/**
 * What staff type for a fixed price or an hourly rate, in agorot: "2500", "2,500", "2500.5",
 * "₪2,500.50", " 2500 ₪ " (the ₪ sign before or after, Hebrew bidi marks and spaces ignored).
 * Null for anything else: negatives, more than two decimals, exponents, "Infinity", hex, a
 * comma out of place, or more than MAX_MINOR. Zero is an amount; the form decides if it may be.
 */
export function parseMoneyInput(text: string): number | null {
  let rest = cleaned(text);
  if (rest.startsWith("₪")) rest = rest.slice(1).trimStart();
  else if (rest.endsWith("₪")) rest = rest.slice(0, -1).trimEnd();
  const parts = decimalParts(rest);
  if (!parts || parts.whole.length + 2 > MAX_MINOR_DIGITS) return null;
  const minor = digitsToInteger(parts.whole + parts.fraction.padEnd(2, "0"));
  return minor <= MAX_MINOR ? minor : null;
}

// The fractions of an hour an estimate may have, as typed, and how many quarters each is.
const QUARTERS_OF_FRACTION: Record<string, number> = {
  "": 0,
  "0": 0,
  "00": 0,
  "25": 1,
  "5": 2,
  "50": 2,
  "75": 3,
};

/**
 * An estimate in hours to a count of quarter hours: "10" → 40, "10.25" → 41, "10.5" → 42. Null
 * for fractions that are not quarters ("10.1"), more than two decimals, exponents, negatives,
 * zero (a quote estimates some work) and more than MAX_QUARTER_HOURS.
 */
export function parseHoursInput(text: string): number | null {
  const parts = decimalParts(cleaned(text));
  if (!parts || !Object.hasOwn(QUARTERS_OF_FRACTION, parts.fraction)) return null;
  // Seven digits of hours are already ten times the largest estimate.
  if (parts.whole.length > 7) return null;
  const quarters = digitsToInteger(parts.whole) * 4 + QUARTERS_OF_FRACTION[parts.fraction];
  return quarters > 0 && quarters <= MAX_QUARTER_HOURS ? quarters : null;
}

function requireCount(value: unknown, name: string, max: number): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0 || value > max) {
    throw new RangeError(`${name} must be an integer from 0 to ${max}, not ${String(value)}`);
  }
  return value;
}

/** `numerator / divisor` rounded half up, for non-negative safe integers, without a fraction. */
function divideHalfUp(numerator: number, divisor: number): number {
  const remainder = numerator % divisor;
  const quotient = (numerator - remainder) / divisor;
  return remainder * 2 >= divisor ? quotient + 1 : quotient;
}

/**
 * The VAT line of a net amount: net × rate, rounded half up to the agora (4.5 agorot → 5). It
 * is the only rounding of a quote: net is exact, gross is net + VAT, so the lines always add up.
 */
export function vatOf(netMinor: number, vatBps: number): number {
  requireCount(netMinor, "netMinor", MAX_MINOR);
  requireCount(vatBps, "vatBps", MAX_VAT_BPS);
  // At most 10^10 × 10^4 = 10^14, well inside the integers a double holds exactly.
  return divideHalfUp(netMinor * vatBps, 10_000);
}

/**
 * A quote's net, VAT and gross. Hourly: quarter hours × rate / 4, which is exact because the
 * rate must be whole shekels (a multiple of 100 agorot, so of 4). Throws a RangeError for
 * anything else, for a missing or negative input, or for a net above MAX_MINOR.
 */
export function quoteAmounts(input: {
  pricing: "hourly" | "fixed";
  quarterHours?: number | null;
  rateMinor?: number | null;
  fixedMinor?: number | null;
  vatBps: number;
}): QuoteAmounts {
  let netMinor: number;
  if (input.pricing === "hourly") {
    const quarterHours = requireCount(input.quarterHours, "quarterHours", MAX_QUARTER_HOURS);
    const rateMinor = requireCount(input.rateMinor, "rateMinor", MAX_MINOR);
    if (rateMinor % 100 !== 0) {
      throw new RangeError(`rateMinor must be whole shekels, not ${rateMinor} agorot`);
    }
    // Quarters × shekels × 25 agorot a quarter-shekel-hour: at most 4·10^5 × 10^8 × 25 = 10^15,
    // exact, and no step divides.
    netMinor = quarterHours * (rateMinor / 100) * 25;
    if (netMinor > MAX_MINOR) {
      throw new RangeError(`the net amount ${netMinor} is above ${MAX_MINOR} agorot`);
    }
  } else {
    netMinor = requireCount(input.fixedMinor, "fixedMinor", MAX_MINOR);
  }
  const vatMinor = vatOf(netMinor, input.vatBps);
  return { netMinor, vatMinor, grossMinor: netMinor + vatMinor };
}

/**
 * What each of `organizations` pays to cover `remainingMinor` together, rounded up to the agora
 * so that the shares never fall short of it (100 among 3 → 34 each).
 */
export function evenShare(remainingMinor: number, organizations: number): number {
  requireCount(remainingMinor, "remainingMinor", Number.MAX_SAFE_INTEGER);
  if (!Number.isSafeInteger(organizations) || organizations < 1) {
    throw new RangeError(`organizations must be a whole number from 1, not ${organizations}`);
  }
  const remainder = remainingMinor % organizations;
  const share = (remainingMinor - remainder) / organizations;
  return remainder === 0 ? share : share + 1;
}

/** Agorot as shekels with two decimals: 250050 → "2500.50", 5 → "0.05" (CSV and Intl read it). */
export function toDecimalString(minor: number): string {
  requireCount(minor, "minor", Number.MAX_SAFE_INTEGER);
  const digits = String(minor).padStart(3, "0");
  return `${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

/** Quarter hours as a decimal string of hours: 41 → "10.25", 42 → "10.5". */
function hoursDecimal(quarterHours: number): string {
  const quarters = quarterHours % 4;
  return `${(quarterHours - quarters) / 4}${["", ".25", ".5", ".75"][quarters]}`;
}

// The project's TypeScript library (ES2022) types format() with numbers only, but Intl (Node 20
// and browsers since 2023) formats a decimal string exactly as written: that is how amounts get
// to Intl without becoming binary fractions on the way.
type DecimalFormat = { format(decimal: string): string };

const intlLocale: Record<Locale, string> = { he: "he-IL", en: "en-US" };

// Building an Intl formatter costs far more than using one, and a page formats many amounts:
// each kind is made once and kept.
const formatters = new Map<string, DecimalFormat>();

function formatter(key: string, make: () => Intl.NumberFormat): DecimalFormat {
  let made = formatters.get(key);
  if (!made) formatters.set(key, (made = make() as unknown as DecimalFormat));
  return made;
}

function plainNumber(locale: Locale): DecimalFormat {
  return formatter(
    `plain ${locale}`,
    () => new Intl.NumberFormat(intlLocale[locale], { maximumFractionDigits: 2 }),
  );
}

/** An estimate for the reader: 41 quarter hours → "10.25", 160000 → "40,000". */
export function formatHours(quarterHours: number, locale: Locale): string {
  requireCount(quarterHours, "quarterHours", Number.MAX_SAFE_INTEGER);
  return plainNumber(locale).format(hoursDecimal(quarterHours));
}

/** A VAT rate as a percentage number, for "VAT {rate}%": 1800 → "18", 1750 → "17.5". */
export function formatVatPercent(bps: number, locale: Locale): string {
  requireCount(bps, "bps", MAX_VAT_BPS);
  const fraction = bps % 100;
  const decimal = `${(bps - fraction) / 100}.${String(fraction).padStart(2, "0")}`;
  return plainNumber(locale).format(decimal);
}

/**
 * An amount in the reader's locale, as Intl writes it: "₪2,500" and "₪2,500.50" in English,
 * "‏2,500 ‏₪" in Hebrew (with its right-to-left marks, kept as they are). Whole shekels go
 * without decimals: quotes are mostly round, and ".00" on every line is noise.
 */
export function formatMoney(minor: number, locale: Locale, currency: string = CURRENCY): string {
  const decimal = toDecimalString(minor);
  const digits = minor % 100 === 0 ? 0 : 2;
  return formatter(
    `${currency} ${locale} ${digits}`,
    () =>
      new Intl.NumberFormat(intlLocale[locale], {
        style: "currency",
        currency,
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      }),
  ).format(decimal);
}
