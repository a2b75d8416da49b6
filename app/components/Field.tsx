// A labelled form field with its hint and its error, wired for screen readers.
import type { InputHTMLAttributes, ReactNode } from "react";
import type { MessageKey, MessageParams } from "~/i18n/messages";
import { useT } from "~/i18n/useT";

type FieldProps = {
  name: string;
  label: string;
  error?: MessageKey;
  errorParams?: MessageParams;
  hint?: string;
  children?: ReactNode;
} & InputHTMLAttributes<HTMLInputElement>;

export const inputClass =
  "block w-full rounded-lg border border-stone-300 bg-white px-3 py-2 text-base text-stone-900 shadow-sm placeholder:text-stone-500 focus:border-accent-600 focus:outline-2 focus:outline-accent-600 aria-[invalid=true]:border-red-700";

export function Field({ name, label, error, errorParams, hint, id, ...input }: FieldProps) {
  const t = useT();
  const inputId = id ?? `field-${name}`;
  const hintId = hint ? `${inputId}-hint` : undefined;
  const errorId = error ? `${inputId}-error` : undefined;
  return (
    <div className="space-y-1">
      <label htmlFor={inputId} className="block text-sm font-medium text-stone-800">
        {label}
      </label>
      <input
        id={inputId}
        name={name}
        className={inputClass}
        aria-invalid={error ? true : undefined}
        aria-describedby={[errorId, hintId].filter(Boolean).join(" ") || undefined}
        {...input}
      />
      {error ? <FieldError id={errorId!}>{t(error, errorParams)}</FieldError> : null}
      {hint ? (
        <p id={hintId} className="text-sm text-stone-600">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

export function FieldError({ id, children }: { id: string; children: ReactNode }) {
  return (
    <p id={id} className="flex items-start gap-1 text-sm font-medium text-red-700">
      <svg aria-hidden="true" viewBox="0 0 20 20" className="mt-0.5 h-4 w-4 shrink-0 fill-current">
        <path d="M10 2a8 8 0 1 0 0 16 8 8 0 0 0 0-16Zm1 12H9v-2h2v2Zm0-4H9V6h2v4Z" />
      </svg>
      <span>{children}</span>
    </p>
  );
}

export function FormAlert({ children }: { children: ReactNode }) {
  return (
    <div
      role="alert"
      className="rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm font-medium text-red-800"
    >
      {children}
    </div>
  );
}
