// The category field of the propose and edit forms: a required select with its error beside it.
import { FieldError, inputClass } from "~/components/Field";
import { useLocale, useT } from "~/i18n/useT";
import type { MessageKey } from "~/i18n/messages";

export type CategoryOption = { id: number; nameHe: string; nameEn: string };

export function CategorySelect({
  categories,
  defaultValue,
  error,
  form,
}: {
  categories: CategoryOption[];
  defaultValue: string;
  error?: MessageKey;
  /** The form's id, when the select stands outside its <form>. */
  form?: string;
}) {
  const t = useT();
  const locale = useLocale();
  return (
    <div className="space-y-1">
      <label htmlFor="field-categoryId" className="block text-sm font-medium text-stone-800">
        {t("field.category")}
      </label>
      <select
        id="field-categoryId"
        form={form}
        name="categoryId"
        required
        defaultValue={defaultValue}
        className={inputClass}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? "field-categoryId-error" : undefined}
      >
        <option value="" disabled>
          {t("field.chooseCategory")}
        </option>
        {categories.map((category) => (
          <option key={category.id} value={category.id}>
            {locale === "he" ? category.nameHe : category.nameEn}
          </option>
        ))}
      </select>
      {error ? <FieldError id="field-categoryId-error">{t(error)}</FieldError> : null}
    </div>
  );
}
