// Product areas that requests are filed under. Customers see the active ones; staff admins add,
// rename, reorder and archive them. An archived category leaves the propose form and the
// board's filter, and its requests keep it (and show its name) as before.
import { requireStaff } from "~/auth/permissions.server";
import { getDb, now, inTransaction } from "~/db.server";
import { recordAudit } from "~/models/audit.server";
import { ActionRefused, type Actor } from "~/models/errors";

export type CategoryOption = { id: number; slug: string; nameHe: string; nameEn: string };
export type ManagedCategory = CategoryOption & { position: number; archived: boolean };

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

type Executor = Parameters<typeof requireStaff>[0];

/** Every category, archived ones included, in order: the staff settings list. */
export async function listAllCategories(trx: Executor): Promise<ManagedCategory[]> {
  const rows = await trx
    .selectFrom("categories")
    .select([
      "id",
      "slug",
      "name_he as nameHe",
      "name_en as nameEn",
      "position",
      "archived_at as archivedAt",
    ])
    .orderBy("position")
    .orderBy("id")
    .execute();
  return rows.map(({ archivedAt, ...row }) => ({ ...row, archived: archivedAt !== null }));
}

async function findCategory(trx: Executor, categoryId: number) {
  const row = await trx
    .selectFrom("categories")
    .selectAll()
    .where("id", "=", categoryId)
    .executeTakeFirst();
  if (!row) throw new ActionRefused("staffSettings.category.error.notFound", 404);
  return row;
}

export async function createCategory({
  actor,
  slug,
  nameHe,
  nameEn,
}: {
  actor: Actor;
  slug: string;
  nameHe: string;
  nameEn: string;
}): Promise<{ id: number }> {
  return inTransaction(async (trx) => {
    await requireStaff(trx, actor, { admin: true });
    const taken = await trx
      .selectFrom("categories")
      .select("id")
      .where("slug", "=", slug)
      .executeTakeFirst();
    if (taken) throw new ActionRefused("staffSettings.category.error.slugTaken", 409, "slug");
    const last = await trx
      .selectFrom("categories")
      .select((eb) => eb.fn.max<number | null>("position").as("position"))
      .executeTakeFirst();
    const position = (last?.position ?? 0) + 1;
    const { id } = await trx
      .insertInto("categories")
      .values({ slug, name_he: nameHe, name_en: nameEn, position })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      actorId: actor.id,
      action: "category.create",
      subjectType: "category",
      subjectId: id,
      data: { before: {}, after: { slug, nameHe, nameEn, position } },
    });
    return { id };
  });
}

export async function renameCategory({
  actor,
  categoryId,
  nameHe,
  nameEn,
}: {
  actor: Actor;
  categoryId: number;
  nameHe: string;
  nameEn: string;
}): Promise<void> {
  await inTransaction(async (trx) => {
    await requireStaff(trx, actor, { admin: true });
    const before = await findCategory(trx, categoryId);
    if (before.name_he === nameHe && before.name_en === nameEn) return;
    await trx
      .updateTable("categories")
      .set({ name_he: nameHe, name_en: nameEn })
      .where("id", "=", categoryId)
      .execute();
    await recordAudit(trx, {
      actorId: actor.id,
      action: "category.rename",
      subjectType: "category",
      subjectId: categoryId,
      data: {
        slug: before.slug,
        before: { nameHe: before.name_he, nameEn: before.name_en },
        after: { nameHe, nameEn },
      },
    });
  });
}

/**
 * Moves a category one place up or down the list (archived ones keep their places too). The
 * list is renumbered 1…n on the way, so positions stay distinct whatever they were.
 */
export async function moveCategory({
  actor,
  categoryId,
  direction,
}: {
  actor: Actor;
  categoryId: number;
  direction: "up" | "down";
}): Promise<void> {
  await inTransaction(async (trx) => {
    await requireStaff(trx, actor, { admin: true });
    await findCategory(trx, categoryId);
    const ordered = await listAllCategories(trx);
    const from = ordered.findIndex((c) => c.id === categoryId);
    const to = direction === "up" ? from - 1 : from + 1;
    if (to < 0 || to >= ordered.length)
      throw new ActionRefused("staffSettings.category.error.cannotMove", 409);
    const moved = [...ordered];
    [moved[from], moved[to]] = [moved[to], moved[from]];
    for (const [index, category] of moved.entries()) {
      if (category.position !== index + 1) {
        await trx
          .updateTable("categories")
          .set({ position: index + 1 })
          .where("id", "=", category.id)
          .execute();
      }
    }
    await recordAudit(trx, {
      actorId: actor.id,
      action: "category.reorder",
      subjectType: "category",
      subjectId: categoryId,
      data: {
        slug: ordered[from].slug,
        direction,
        before: { position: from + 1 },
        after: { position: to + 1 },
      },
    });
  });
}

/** Archives a category (or brings it back): its requests keep it either way. */
export async function setCategoryArchived({
  actor,
  categoryId,
  archived,
}: {
  actor: Actor;
  categoryId: number;
  archived: boolean;
}): Promise<void> {
  await inTransaction(async (trx) => {
    await requireStaff(trx, actor, { admin: true });
    const before = await findCategory(trx, categoryId);
    if ((before.archived_at !== null) === archived) return;
    await trx
      .updateTable("categories")
      .set({ archived_at: archived ? now() : null })
      .where("id", "=", categoryId)
      .execute();
    await recordAudit(trx, {
      actorId: actor.id,
      action: archived ? "category.archive" : "category.unarchive",
      subjectType: "category",
      subjectId: categoryId,
      data: { slug: before.slug, before: { archived: !archived }, after: { archived } },
    });
  });
}
