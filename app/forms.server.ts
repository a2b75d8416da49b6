// Reads a submitted form and validates it with a zod schema. Failures come back as catalog
// keys per field, plus the submitted values (never passwords) so the form can show them again.
import type { z } from "zod";
import { isMessageKey, type MessageKey } from "~/i18n/messages";
import { ActionRefused } from "~/models/errors";

export type FieldErrors = Partial<Record<string, MessageKey>>;
export type FormValues = Record<string, string>;

export type FormResult<T> =
  | { data: T; errors?: undefined; values: FormValues }
  | { data?: undefined; errors: FieldErrors; values: FormValues };

const SECRET_FIELD = /password/i;

export function formValues(form: FormData): FormValues {
  const values: FormValues = {};
  for (const [key, value] of form.entries()) {
    if (typeof value === "string" && !SECRET_FIELD.test(key)) values[key] = value;
  }
  return values;
}

export function validateForm<S extends z.ZodType>(
  form: FormData,
  schema: S,
): FormResult<z.output<S>> {
  const values = formValues(form);
  const raw: Record<string, FormDataEntryValue> = {};
  for (const [key, value] of form.entries()) raw[key] = value;
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { data: parsed.data, values };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? "form");
    errors[field] ??= isMessageKey(issue.message) ? issue.message : "error.invalid";
  }
  return { errors, values };
}

export async function parseForm<S extends z.ZodType>(
  request: Request,
  schema: S,
): Promise<FormResult<z.output<S>>> {
  return validateForm(await request.formData(), schema);
}

/** Turns a model's refusal into field errors for the form; anything else is rethrown. */
export function errorsFromRefusal(error: unknown): { errors: FieldErrors; status: number } {
  if (error instanceof ActionRefused) {
    return { errors: { [error.field ?? "form"]: error.messageKey }, status: error.status };
  }
  throw error;
}
