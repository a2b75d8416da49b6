// Product areas that requests are filed under; staff manage them later, the seed creates them.
import { getDb } from "~/db.server";
import type { Locale } from "~/i18n/messages";

export type CategoryOption = { id: number; slug: string; nameHe: string; nameEn: string };

/** Active categories in the staff's chosen order. */
export async function listCategories(): Promise<CategoryOption[]> {
  return getDb()
    .selectFrom("categories")
    .select(["id", "slug", "name_he as nameHe", "name_en as nameEn"])
    .where("archived_at", "is", null)
    .orderBy("position")
    .orderBy("id")
    .execute();
}

export function categoryName(
  category: { nameHe: string | null; nameEn: string | null },
  locale: Locale,
): string {
  return (locale === "he" ? category.nameHe : category.nameEn) ?? "";
}
