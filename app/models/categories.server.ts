// Product areas that requests are filed under; staff manage them later, the seed creates them.
import { getDb } from "~/db.server";

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
