// Target quarters ("2027-Q1") as they read in each language (which ones: ~/models/quarters).
import type { Translate } from "~/i18n/messages";
import { quarterParts } from "~/models/quarters";

/** "Q1 2027" / "רבעון 1 2027"; anything else as it is stored. */
export function quarterLabel(t: Translate, value: string): string {
  // Strings, not numbers: the catalogs would format 2027 as "2,027".
  const parts = quarterParts(value);
  return parts ? t("staffTriage.quarter", parts) : value;
}
