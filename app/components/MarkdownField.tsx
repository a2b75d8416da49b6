// A Markdown textarea with a preview. With JavaScript the preview is a tab rendered by the
// server through a fetcher; without it, a "Preview" submit asks the page's action for it.
import { useFetcher } from "@remix-run/react";
import { useRef, useState } from "react";
import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/useT";
import { FieldError, inputClass } from "./Field";
import { useHydrated } from "./useHydrated";

export function MarkdownField({
  name,
  label,
  defaultValue,
  error,
  hint,
  previewHtml,
  rows = 6,
  required,
  id,
  form,
}: {
  name: string;
  label: string;
  defaultValue?: string;
  error?: MessageKey;
  hint?: string;
  /** The preview the page's action rendered (the no-JavaScript path). */
  previewHtml?: string | null;
  rows?: number;
  required?: boolean;
  id?: string;
  /** The id of the form this field belongs to, when it sits outside that form's element. */
  form?: string;
}) {
  const t = useT();
  const hydrated = useHydrated();
  const fieldId = id ?? `field-${name}`;
  const textarea = useRef<HTMLTextAreaElement>(null);
  const [mode, setMode] = useState<"write" | "preview">("write");
  const preview = useFetcher<{ html: string }>();
  const hintId = `${fieldId}-hint`;
  const errorId = `${fieldId}-error`;

  const showPreview = () => {
    setMode("preview");
    preview.submit(
      { text: textarea.current?.value ?? "" },
      { method: "post", action: "/markdown/preview" },
    );
  };
  const html = hydrated ? preview.data?.html : previewHtml;

  return (
    <div className="space-y-1">
      <div className="flex items-end justify-between gap-2">
        <label htmlFor={fieldId} className="block text-sm font-medium text-stone-800">
          {label}
        </label>
        {hydrated ? (
          <div className="flex gap-1 text-sm" role="group" aria-label={label}>
            <button
              type="button"
              aria-pressed={mode === "write"}
              onClick={() => setMode("write")}
              className={`rounded-md px-2 py-1 ${mode === "write" ? "bg-stone-200 font-medium text-stone-900" : "text-stone-700 hover:bg-stone-100"}`}
            >
              {t("markdown.write")}
            </button>
            <button
              type="button"
              aria-pressed={mode === "preview"}
              onClick={showPreview}
              className={`rounded-md px-2 py-1 ${mode === "preview" ? "bg-stone-200 font-medium text-stone-900" : "text-stone-700 hover:bg-stone-100"}`}
            >
              {t("markdown.preview")}
            </button>
          </div>
        ) : null}
      </div>
      <textarea
        ref={textarea}
        id={fieldId}
        name={name}
        rows={rows}
        form={form}
        dir="auto"
        required={required}
        defaultValue={defaultValue}
        className={`${inputClass} ${hydrated && mode === "preview" ? "hidden" : ""}`}
        aria-invalid={error ? true : undefined}
        aria-describedby={[error ? errorId : null, hintId].filter(Boolean).join(" ")}
      />
      {(hydrated && mode === "preview") || (!hydrated && previewHtml != null) ? (
        <div className="rounded-lg border border-stone-200 bg-stone-50 p-3" aria-live="polite">
          <p className="mb-2 text-xs font-medium text-stone-600">{t("markdown.previewTitle")}</p>
          {html ? (
            <div className="prose-content" dir="auto" dangerouslySetInnerHTML={{ __html: html }} />
          ) : (
            <p className="text-sm text-stone-600">
              {preview.state !== "idle" ? t("board.loading") : t("markdown.previewEmpty")}
            </p>
          )}
        </div>
      ) : null}
      {error ? <FieldError id={errorId}>{t(error)}</FieldError> : null}
      <p
        id={hintId}
        className="flex flex-wrap items-center justify-between gap-2 text-sm text-stone-600"
      >
        <span>
          {hint ? `${hint} ` : ""}
          {t("markdown.help")}
        </span>
        {!hydrated ? (
          <button
            type="submit"
            form={form}
            name="preview"
            value="1"
            formNoValidate
            className="text-sm font-medium text-accent-700 underline"
          >
            {t("markdown.preview")}
          </button>
        ) : null}
      </p>
    </div>
  );
}
