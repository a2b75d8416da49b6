// Target quarters ("2027-Q1"): which one a moment falls in, the ones staff may choose, and what
// is wrong with one typed (the models refuse it: quarters.server.ts). Quarters are the vendor's,
// counted in Israel's time zone. Plain functions, no imports: the forms build their select here.

const QUARTER = /^(\d{4})-Q([1-4])$/;

// One formatter, made once (building an Intl formatter costs far more than using one).
const yearAndMonth = new Intl.DateTimeFormat("en-US", {
  timeZone: "Asia/Jerusalem",
  year: "numeric",
  month: "numeric",
});

/** "2027-Q1" → its year and quarter as written ("2027", "1"), or null when malformed. */
export function quarterParts(value: string): { year: string; quarter: string } | null {
  const match = QUARTER.exec(value);
  return match ? { year: match[1], quarter: match[2] } : null;
}

/** The quarter as a comparable number (year × 4 + quarter − 1), or null when malformed. */
function quarterIndex(quarter: string): number | null {
  const match = QUARTER.exec(quarter);
  return match ? Number(match[1]) * 4 + Number(match[2]) - 1 : null;
}

function quarterAt(index: number): string {
  return `${Math.floor(index / 4)}-Q${(index % 4) + 1}`;
}

/** The quarter `at` falls in, in Israel. */
export function quarterOf(at: Date | number = Date.now()): string {
  const parts = yearAndMonth.formatToParts(at);
  const part = (type: "year" | "month") => Number(parts.find((p) => p.type === type)?.value);
  return quarterAt(part("year") * 4 + Math.floor((part("month") - 1) / 3));
}

/** The quarter `at` falls in and the `count - 1` after it: the target quarter select. */
export function upcomingQuarters(at: Date | number = Date.now(), count = 8): string[] {
  const first = quarterIndex(quarterOf(at))!;
  return Array.from({ length: count }, (_, i) => quarterAt(first + i));
}

/** What is wrong with a target quarter being set: malformed, already over, or nothing (null). */
export function quarterProblem(
  quarter: string,
  at: Date | number = Date.now(),
): "invalid" | "past" | null {
  const index = quarterIndex(quarter);
  if (index === null) return "invalid";
  return index < quarterIndex(quarterOf(at))! ? "past" : null;
}
