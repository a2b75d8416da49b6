// Reads a submitted form and validates it with a zod schema. Failures come back as catalog
// keys per field, plus the submitted values (never passwords) so the form can show them again.
import type { z } from "zod";
import { localeFromHeaders } from "~/i18n/locale.server";
import { isMessageKey, translate, type MessageKey } from "~/i18n/messages";
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

const FORM_TYPES = /^\s*(application\/x-www-form-urlencoded|multipart\/form-data)\s*(;|$)/i;

/**
 * The submitted form. A body that is not a form, or a form that does not parse (a broken
 * multipart body), is the client's mistake: it becomes a 415 or 400 response, never a 500.
 * Pages show it in their error boundary; resource routes send this localized sentence as it is.
 * app/server.js already refuses other content types; this covers whatever reaches an action.
 */
export async function readForm(request: Request): Promise<FormData> {
  try {
    return await request.formData();
  } catch {
    const status = FORM_TYPES.test(request.headers.get("Content-Type") ?? "") ? 400 : 415;
    const locale = await localeFromHeaders(request.headers);
    throw new Response(translate(locale, status === 400 ? "error.400.body" : "error.415.body"), {
      status,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
}

export async function parseForm<S extends z.ZodType>(
  request: Request,
  schema: S,
): Promise<FormResult<z.output<S>>> {
  return validateForm(await readForm(request), schema);
}

/** Turns a model's refusal into field errors for the form; anything else is rethrown. */
export function errorsFromRefusal(error: unknown): { errors: FieldErrors; status: number } {
  if (error instanceof ActionRefused) {
    return { errors: { [error.field ?? "form"]: error.messageKey }, status: error.status };
  }
  throw error;
}
