// Target quarters ("2027-Q1"): how they read in each language, and the ones staff can choose.
import type { Translate } from "~/i18n/messages";

const QUARTER = /^(\d{4})-Q([1-4])$/;

/** "Q1 2027" / "רבעון 1 2027"; anything else as it is stored. */
export function quarterLabel(t: Translate, value: string): string {
  const match = QUARTER.exec(value);
  // Strings, not numbers: the catalogs would format 2027 as "2,027".
  return match ? t("staffTriage.quarter", { year: match[1], quarter: match[2] }) : value;
}

/** The quarter `nowMs` falls in and the seven after it, as stored ("2027-Q1"). */
export function upcomingQuarters(nowMs: number, count = 8): string[] {
  // Quarters as the vendor counts them, in Israel's time zone.
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: "Asia/Jerusalem",
    year: "numeric",
    month: "numeric",
  }).formatToParts(new Date(nowMs));
  const part = (type: "year" | "month") => Number(parts.find((p) => p.type === type)?.value);
  const year = part("year");
  const month = part("month");
  const first = year * 4 + Math.floor((month - 1) / 3);
  return Array.from({ length: count }, (_, i) => {
    const index = first + i;
    return `${Math.floor(index / 4)}-Q${(index % 4) + 1}`;
  });
}
