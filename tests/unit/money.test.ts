import fs from "node:fs";
import path from "node:path";
import { createElement, type ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { catalogOf, translate } from "~/i18n/messages";
import { fillMessage } from "~/i18n/rich";
import {
  evenShare,
  formatHours,
  formatMoney,
  formatVatPercent,
  MAX_MINOR,
  MAX_QUARTER_HOURS,
  parseHoursInput,
  parseMoneyInput,
  quoteAmounts,
  toDecimalString,
  vatOf,
} from "~/models/money";

// Hebrew amounts as Node's Intl writes them (taken from it once): a right-to-left mark before
// the number and before the sign, a no-break space between them.
const RLM = "\u200F";
const NBSP = "\u00A0";
const he = (number: string) => `${RLM}${number}${NBSP}${RLM}₪`;

describe("a quote's amounts", () => {
  it("prices 40 hours at ₪250 an hour with 18% VAT as ₪10,000 + ₪1,800 = ₪11,800", () => {
    expect(
      quoteAmounts({ pricing: "hourly", quarterHours: 160, rateMinor: 25_000, vatBps: 1800 }),
    ).toEqual({ netMinor: 1_000_000, vatMinor: 180_000, grossMinor: 1_180_000 });
  });

  it("prices quarter hours exactly: 10.25 hours at ₪333 is ₪3,413.25", () => {
    expect(
      quoteAmounts({ pricing: "hourly", quarterHours: 41, rateMinor: 33_300, vatBps: 0 }),
    ).toEqual({ netMinor: 341_325, vatMinor: 0, grossMinor: 341_325 });
  });

  it("takes a fixed price as the net amount", () => {
    expect(quoteAmounts({ pricing: "fixed", fixedMinor: 250_000, vatBps: 1800 })).toEqual({
      netMinor: 250_000,
      vatMinor: 45_000,
      grossMinor: 295_000,
    });
  });

  it("rounds only the VAT line, half up: 4.5 agorot is 5, 0.18 is 0, 0.5 is 1", () => {
    expect(vatOf(25, 1800)).toBe(5);
    expect(vatOf(1, 1800)).toBe(0);
    expect(vatOf(1, 5000)).toBe(1);
    // 24 agorot at 18% is 4.32, 27 is 4.86: down and up around the half.
    expect(vatOf(24, 1800)).toBe(4);
    expect(vatOf(27, 1800)).toBe(5);
    // At 0.01%, 4,999 agorot owe 0.4999 of an agora (down) and 5,000 exactly half (up).
    expect(vatOf(4999, 1)).toBe(0);
    expect(vatOf(5000, 1)).toBe(1);
    expect(quoteAmounts({ pricing: "fixed", fixedMinor: 25, vatBps: 1800 })).toEqual({
      netMinor: 25,
      vatMinor: 5,
      grossMinor: 30,
    });
  });

  it("handles nothing: zero hours, a zero price, a zero rate of VAT", () => {
    const zero = { netMinor: 0, vatMinor: 0, grossMinor: 0 };
    expect(quoteAmounts({ pricing: "fixed", fixedMinor: 0, vatBps: 1800 })).toEqual(zero);
    expect(
      quoteAmounts({ pricing: "hourly", quarterHours: 0, rateMinor: 25_000, vatBps: 1800 }),
    ).toEqual(zero);
    expect(vatOf(123_456, 0)).toBe(0);
  });

  it("is exact at ₪100,000,000 with 18% VAT", () => {
    expect(quoteAmounts({ pricing: "fixed", fixedMinor: MAX_MINOR, vatBps: 1800 })).toEqual({
      netMinor: 10_000_000_000,
      vatMinor: 1_800_000_000,
      grossMinor: 11_800_000_000,
    });
    // 100,000 hours at ₪1,000: the largest estimate at a rate that reaches the maximum.
    expect(
      quoteAmounts({
        pricing: "hourly",
        quarterHours: MAX_QUARTER_HOURS,
        rateMinor: 100_000,
        vatBps: 1800,
      }).grossMinor,
    ).toBe(11_800_000_000);
  });

  it("refuses a net amount above the maximum", () => {
    expect(() =>
      quoteAmounts({ pricing: "fixed", fixedMinor: MAX_MINOR + 1, vatBps: 1800 }),
    ).toThrow(RangeError);
    expect(() =>
      quoteAmounts({
        pricing: "hourly",
        quarterHours: MAX_QUARTER_HOURS,
        rateMinor: 100_100,
        vatBps: 1800,
      }),
    ).toThrow(RangeError);
    expect(() => vatOf(MAX_MINOR + 1, 1800)).toThrow(RangeError);
  });

  it("refuses an hourly rate that is not whole shekels, and inputs that are no counts", () => {
    const hourly = {
      pricing: "hourly" as const,
      quarterHours: 40,
      rateMinor: 25_000,
      vatBps: 1800,
    };
    expect(() => quoteAmounts({ ...hourly, rateMinor: 25_050 })).toThrow(RangeError);
    expect(() => quoteAmounts({ ...hourly, rateMinor: null })).toThrow(RangeError);
    expect(() => quoteAmounts({ ...hourly, quarterHours: undefined })).toThrow(RangeError);
    expect(() => quoteAmounts({ ...hourly, quarterHours: 40.5 })).toThrow(RangeError);
    expect(() => quoteAmounts({ ...hourly, quarterHours: -4 })).toThrow(RangeError);
    expect(() => quoteAmounts({ ...hourly, quarterHours: MAX_QUARTER_HOURS + 1 })).toThrow(
      RangeError,
    );
    expect(() => quoteAmounts({ ...hourly, vatBps: 17.5 })).toThrow(RangeError);
    expect(() => quoteAmounts({ ...hourly, vatBps: -1 })).toThrow(RangeError);
    expect(() => quoteAmounts({ pricing: "fixed", fixedMinor: 0.5, vatBps: 1800 })).toThrow(
      RangeError,
    );
    expect(() => quoteAmounts({ pricing: "fixed", fixedMinor: NaN, vatBps: 1800 })).toThrow(
      RangeError,
    );
    expect(() => quoteAmounts({ pricing: "fixed", vatBps: 1800 })).toThrow(RangeError);
  });
});

describe("sharing what remains of a quote evenly", () => {
  it("splits ₪14,748 among 6 organizations as ₪2,458 each", () => {
    expect(evenShare(1_474_800, 6)).toBe(245_800);
  });

  it("rounds up to the agora so the shares never fall short", () => {
    expect(evenShare(100, 3)).toBe(34);
    expect(3 * evenShare(100, 3)).toBeGreaterThanOrEqual(100);
    expect(evenShare(1, 7)).toBe(1);
    expect(evenShare(11_800_000_000, 7)).toBe(1_685_714_286);
  });

  it("asks nothing when nothing remains, and needs at least one organization", () => {
    expect(evenShare(0, 4)).toBe(0);
    expect(() => evenShare(100, 0)).toThrow(RangeError);
    expect(() => evenShare(100, -1)).toThrow(RangeError);
    expect(() => evenShare(100, 1.5)).toThrow(RangeError);
  });
});

describe("reading an amount staff typed", () => {
  it("reads shekels and agorot into agorot", () => {
    expect(parseMoneyInput("2500")).toBe(250_000);
    expect(parseMoneyInput("2,500")).toBe(250_000);
    expect(parseMoneyInput("2500.5")).toBe(250_050);
    expect(parseMoneyInput("2500.50")).toBe(250_050);
    expect(parseMoneyInput("₪2,500.50")).toBe(250_050);
    expect(parseMoneyInput(" 2500 ")).toBe(250_000);
    expect(parseMoneyInput("0.05")).toBe(5);
    expect(parseMoneyInput("0")).toBe(0);
    expect(parseMoneyInput("1,000,000.99")).toBe(100_000_099);
    expect(parseMoneyInput("100,000,000")).toBe(MAX_MINOR);
  });

  it("ignores the ₪ sign, spaces and the bidi marks a Hebrew amount carries", () => {
    expect(parseMoneyInput("2,500 ₪")).toBe(250_000);
    expect(parseMoneyInput(he("2,500"))).toBe(250_000);
    expect(parseMoneyInput(`\u200E₪${NBSP}2,500.50\u200F`)).toBe(250_050);
  });

  it.each([
    "",
    " ",
    "₪",
    "-5",
    "-0.5",
    "+5",
    "2500.505",
    "2500.",
    ".50",
    "1e3",
    "1E3",
    "Infinity",
    "NaN",
    "0x10",
    "0b11",
    "1,00",
    "25,00",
    "2,5000",
    ",500",
    "2 500",
    "2.500,00",
    "٢٥٠٠",
    "100,000,000.01",
    "100000001",
    "99999999999999999999",
  ])("refuses %j", (text) => {
    expect(parseMoneyInput(text)).toBeNull();
  });
});

describe("reading an estimate in hours", () => {
  it("counts quarter hours", () => {
    expect(parseHoursInput("10")).toBe(40);
    expect(parseHoursInput("10.25")).toBe(41);
    expect(parseHoursInput("10.5")).toBe(42);
    expect(parseHoursInput("10.50")).toBe(42);
    expect(parseHoursInput("10.75")).toBe(43);
    expect(parseHoursInput("0.25")).toBe(1);
    expect(parseHoursInput(" 1,000 ")).toBe(4_000);
    expect(parseHoursInput("100000")).toBe(MAX_QUARTER_HOURS);
  });

  it.each(["10.1", "10.333", "10.2", "1e3", "-1", "", "0", "0.00", "Infinity", "100000.25"])(
    "refuses %j",
    (text) => {
      expect(parseHoursInput(text)).toBeNull();
    },
  );

  it("writes an estimate back in the reader's locale", () => {
    expect(formatHours(41, "en")).toBe("10.25");
    expect(formatHours(42, "en")).toBe("10.5");
    expect(formatHours(40, "he")).toBe("10");
    expect(formatHours(160_000, "en")).toBe("40,000");
    expect(formatHours(3, "he")).toBe("0.75");
  });
});

describe("writing amounts", () => {
  it("gives agorot as shekels with two decimals", () => {
    expect(toDecimalString(250_050)).toBe("2500.50");
    expect(toDecimalString(5)).toBe("0.05");
    expect(toDecimalString(250_000)).toBe("2500.00");
    expect(toDecimalString(0)).toBe("0.00");
    expect(toDecimalString(11_800_000_000)).toBe("118000000.00");
    expect(() => toDecimalString(-1)).toThrow(RangeError);
  });

  it("formats in English without decimals for whole shekels", () => {
    expect(formatMoney(250_000, "en")).toBe("₪2,500");
    expect(formatMoney(250_050, "en")).toBe("₪2,500.50");
    expect(formatMoney(5, "en")).toBe("₪0.05");
    expect(formatMoney(0, "en")).toBe("₪0");
    expect(formatMoney(11_800_000_000, "en")).toBe("₪118,000,000");
    expect(formatMoney(250_000, "en", "USD")).toBe("$2,500");
  });

  it("formats in Hebrew as Intl writes it, right-to-left marks and all", () => {
    expect(formatMoney(250_000, "he")).toBe("\u200F2,500\u00A0\u200F₪");
    expect(formatMoney(250_050, "he")).toBe(he("2,500.50"));
    expect(formatMoney(11_800_000_000, "he")).toBe(he("118,000,000"));
  });

  it("hands Intl decimal strings, which it formats exactly (a double would not)", () => {
    const format = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 }) as unknown as {
      format(decimal: string): string;
    };
    // 2^53 + 1 and a cent on top: no double holds it, the string arrives whole.
    expect(format.format("9007199254740993.01")).toBe("9,007,199,254,740,993.01");
    expect(formatMoney(Number.MAX_SAFE_INTEGER, "en")).toBe("₪90,071,992,547,409.91");
  });

  it("writes VAT rates as percentages", () => {
    expect(formatVatPercent(1800, "en")).toBe("18");
    expect(formatVatPercent(1750, "en")).toBe("17.5");
    expect(formatVatPercent(1725, "he")).toBe("17.25");
    expect(formatVatPercent(5, "en")).toBe("0.05");
    expect(translate("en", "money.vatRate", { rate: formatVatPercent(1750, "en") })).toBe(
      "VAT 17.5%",
    );
    expect(translate("he", "money.vatRate", { rate: formatVatPercent(1800, "he") })).toBe(
      "מע״מ 18%",
    );
  });

  it("reads a quote's line as one sentence in both languages", () => {
    const { netMinor, vatMinor, grossMinor } = quoteAmounts({
      pricing: "fixed",
      fixedMinor: 250_000,
      vatBps: 1800,
    });
    const line = (locale: "he" | "en") => {
      const money = (minor: number): ReactNode =>
        createElement("bdi", null, formatMoney(minor, locale));
      return renderToStaticMarkup(
        createElement(
          "p",
          null,
          fillMessage(locale, catalogOf(locale)["money.withVat"], {
            net: money(netMinor),
            vat: money(vatMinor),
            gross: money(grossMinor),
          }),
        ),
      ).replace(/<\/?(p|bdi)>/g, "");
    };
    expect(line("en")).toBe("₪2,500 + VAT ₪450 = ₪2,950");
    expect(line("he")).toBe(`${he("2,500")} + מע״מ ${he("450")} = ${he("2,950")}`);
  });
});

describe("the money module", () => {
  it("never turns text into a binary fraction or rounds one", () => {
    const source = fs.readFileSync(path.join(process.cwd(), "app/models/money.ts"), "utf8");
    for (const pattern of [
      /\bparseFloat\(/,
      /\bparseInt\(/,
      /\bNumber\(/,
      /\bMath\.round\(/,
      /\.toFixed\(/,
    ]) {
      expect(source, String(pattern)).not.toMatch(pattern);
    }
    // The patterns do see a call when there is one.
    expect("const n = Number(text);").toMatch(/\bNumber\(/);
  });
});
