// The propose form's choice of who sees the request: everyone (the default) or only the
// author's organization and the vendor's team. Plain radio buttons: it works without JavaScript.
import type { RequestVisibility } from "~/db.server";
import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/useT";
import { FieldError } from "./Field";

const OPTIONS = [
  ["public", "visibility.public", "visibility.publicHint"],
  ["organization", "visibility.organization", "visibility.organizationHint"],
] as const satisfies readonly (readonly [RequestVisibility, MessageKey, MessageKey])[];

export function VisibilityChoice({
  defaultValue,
  error,
  form,
}: {
  defaultValue: string | undefined;
  error?: MessageKey;
  /** The form's id, when the fieldset stands outside its <form>. */
  form?: string;
}) {
  const t = useT();
  const checked = defaultValue === "organization" ? "organization" : "public";
  return (
    <fieldset className="space-y-2" aria-describedby={error ? "field-visibility-error" : undefined}>
      <legend className="text-sm font-medium text-stone-800">{t("visibility.legend")}</legend>
      {OPTIONS.map(([value, label, hint]) => (
        <div key={value} className="flex items-start gap-2">
          <input
            type="radio"
            id={`field-visibility-${value}`}
            name="visibility"
            value={value}
            form={form}
            defaultChecked={checked === value}
            aria-describedby={`field-visibility-${value}-hint`}
            className="mt-1 h-4 w-4 accent-accent-700"
          />
          <div>
            <label htmlFor={`field-visibility-${value}`} className="font-medium text-stone-900">
              {t(label)}
            </label>
            <p id={`field-visibility-${value}-hint`} className="text-sm text-stone-600">
              {t(hint)}
            </p>
          </div>
        </div>
      ))}
      {error ? <FieldError id="field-visibility-error">{t(error)}</FieldError> : null}
    </fieldset>
  );
}
