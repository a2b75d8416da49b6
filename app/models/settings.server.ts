// The vendor's settings that quotes use: the hourly rate (agorot, whole shekels) and VAT (basis
// points), and the default terms and validity of a new quote; read by anyone's quote, changed
// by staff admins; and the staff settings page's data.
import { requireStaff } from "~/auth/permissions.server";
import { getDb, inTransaction } from "~/db.server";
import { recordAudit } from "~/models/audit.server";
import { listAllCategories, type ManagedCategory } from "~/models/categories.server";
import { ActionRefused, type Actor } from "~/models/errors";
import { listStaffMembers, type StaffMember } from "~/models/staff.server";

type Executor = Parameters<typeof requireStaff>[0];

export type PricingSettings = {
  /** Agorot per hour. */
  hourlyRateMinor: number;
  /** 1800 is 18%. */
  vatBps: number;
  currency: string;
};

/** What the foundation migration writes: used only if a row is missing. */
const DEFAULTS = { hourly_rate_minor: "25000", vat_bps: "1800", currency: "ILS" } as const;

export async function getPricingSettings(trx: Executor = getDb()): Promise<PricingSettings> {
  const rows = await trx
    .selectFrom("settings")
    .select(["key", "value"])
    .where("key", "in", Object.keys(DEFAULTS))
    .execute();
  const value = (key: keyof typeof DEFAULTS) =>
    rows.find((r) => r.key === key)?.value ?? DEFAULTS[key];
  return {
    hourlyRateMinor: Number(value("hourly_rate_minor")),
    vatBps: Number(value("vat_bps")),
    currency: value("currency"),
  };
}

async function writeSetting(trx: Executor, key: string, value: string) {
  const updated = await trx
    .updateTable("settings")
    .set({ value })
    .where("key", "=", key)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0)
    await trx.insertInto("settings").values({ key, value }).execute();
}

/** Sets the hourly rate and VAT; one audit row says what they were and became. */
export async function updatePricingSettings({
  actor,
  hourlyRateMinor,
  vatBps,
}: {
  actor: Actor;
  hourlyRateMinor: number;
  vatBps: number;
}): Promise<void> {
  await inTransaction(async (trx) => {
    await requireStaff(trx, actor, { admin: true });
    // Whole agorot and basis points only, whatever the caller parsed.
    if (!Number.isSafeInteger(hourlyRateMinor) || hourlyRateMinor < 0)
      throw new ActionRefused("staffSettings.pricing.error.rate", 400, "hourlyRate");
    // An hourly quote is quarter hours × the rate: exact only for whole shekels.
    if (hourlyRateMinor % 100 !== 0)
      throw new ActionRefused("staffSettings.quote.error.rateWhole", 400, "hourlyRate");
    if (!Number.isSafeInteger(vatBps) || vatBps < 0 || vatBps > 10_000)
      throw new ActionRefused("staffSettings.pricing.error.vat", 400, "vatPercent");
    const before = await getPricingSettings(trx);
    if (before.hourlyRateMinor === hourlyRateMinor && before.vatBps === vatBps) return;
    await writeSetting(trx, "hourly_rate_minor", String(hourlyRateMinor));
    await writeSetting(trx, "vat_bps", String(vatBps));
    await recordAudit(trx, {
      actorId: actor.id,
      action: "settings.update",
      subjectType: "settings",
      subjectId: null,
      data: {
        before: { hourlyRateMinor: before.hourlyRateMinor, vatBps: before.vatBps },
        after: { hourlyRateMinor, vatBps },
      },
    });
  });
}

export type QuoteSettings = {
  /** The terms a new quote starts with (Markdown; "" for the catalog's default text). */
  termsMd: string;
  /** A new quote is valid until today (in Israel) plus this many days. */
  validDays: number;
};

export const QUOTE_VALID_DAYS_MAX = 365;
export const QUOTE_TERMS_MAX_LENGTH = 20_000;

export async function getQuoteSettings(trx: Executor = getDb()): Promise<QuoteSettings> {
  const rows = await trx
    .selectFrom("settings")
    .select(["key", "value"])
    .where("key", "in", ["quote_terms_md", "quote_valid_days"])
    .execute();
  const days = Number(rows.find((r) => r.key === "quote_valid_days")?.value ?? "30");
  return {
    termsMd: rows.find((r) => r.key === "quote_terms_md")?.value ?? "",
    validDays: Number.isSafeInteger(days) && days > 0 ? days : 30,
  };
}

/** Sets the default quote terms and validity; one audit row says what they were and became. */
export async function updateQuoteSettings({
  actor,
  termsMd,
  validDays,
}: {
  actor: Actor;
  termsMd: string;
  validDays: number;
}): Promise<void> {
  await inTransaction(async (trx) => {
    await requireStaff(trx, actor, { admin: true });
    if (!Number.isSafeInteger(validDays) || validDays < 1 || validDays > QUOTE_VALID_DAYS_MAX)
      throw new ActionRefused("staffSettings.quote.error.validDays", 400, "validDays");
    if (termsMd.length > QUOTE_TERMS_MAX_LENGTH)
      throw new ActionRefused("staffSettings.quote.error.termsLong", 400, "termsMd");
    const before = await getQuoteSettings(trx);
    if (before.termsMd === termsMd && before.validDays === validDays) return;
    await writeSetting(trx, "quote_terms_md", termsMd);
    await writeSetting(trx, "quote_valid_days", String(validDays));
    await recordAudit(trx, {
      actorId: actor.id,
      action: "settings.update",
      subjectType: "settings",
      subjectId: null,
      data: {
        before: { quoteValidDays: before.validDays, quoteTermsMd: before.termsMd },
        after: { quoteValidDays: validDays, quoteTermsMd: termsMd },
      },
    });
  });
}

export type StaffSettings = {
  categories: ManagedCategory[];
  staff: StaffMember[];
  pricing: PricingSettings;
  quote: QuoteSettings;
};

/** Everything /staff/settings shows, for a staff admin. */
export async function getStaffSettings({ actor }: { actor: Actor }): Promise<StaffSettings> {
  return inTransaction(async (trx) => {
    await requireStaff(trx, actor, { admin: true });
    return {
      categories: await listAllCategories(trx),
      staff: await listStaffMembers(trx),
      pricing: await getPricingSettings(trx),
      quote: await getQuoteSettings(trx),
    };
  });
}
