// The one-select category filter of the public lists (the roadmap, the changelog): a GET form
// that submits on change with JavaScript and has an "Apply" button without it.
import { Form, useLocation, useSubmit } from "@remix-run/react";
import type { MessageKey } from "~/i18n/messages";
import { useLocale, useT } from "~/i18n/useT";
import { buttonClass } from "./Button";
import { inputClass } from "./Field";

export function CategoryFilter({
  action,
  id,
  label,
  category,
  categories,
}: {
  action: string;
  /** The select's id (a page may have one such filter). */
  id: string;
  /** The form's accessible name. */
  label: MessageKey;
  /** The chosen category's slug, "" for all. */
  category: string;
  categories: readonly { id: number; slug: string; nameHe: string; nameEn: string }[];
}) {
  const t = useT();
  const locale = useLocale();
  const location = useLocation();
  const submit = useSubmit();
  return (
    <Form
      method="get"
      action={action}
      className="flex flex-wrap items-end gap-3"
      aria-label={t(label)}
    >
      {/* Keyed by the query, so going back in history shows the choice of that page. */}
      <div key={location.search}>
        <label htmlFor={id} className="block text-sm font-medium text-stone-800">
          {t("board.filter.category")}
        </label>
        <select
          id={id}
          name="category"
          defaultValue={category}
          className={`${inputClass} mt-1 py-1.5 text-sm sm:w-auto`}
          onChange={(event) => submit(event.currentTarget.form, { preventScrollReset: true })}
        >
          <option value="">{t("board.filter.allCategories")}</option>
          {categories.map((c) => (
            <option key={c.id} value={c.slug}>
              {locale === "he" ? c.nameHe : c.nameEn}
            </option>
          ))}
        </select>
      </div>
      <noscript>
        <button type="submit" className={buttonClass("secondary", "py-1.5")}>
          {t("board.filter.apply")}
        </button>
      </noscript>
    </Form>
  );
}
