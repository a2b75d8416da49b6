// What the staff triage routes share: who may reach them, and how a model's refusal comes back.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import type { z } from "zod";
import { isStaff } from "~/auth/permissions.server";
import {
  redirectWithToast,
  requireUser,
  type SessionUser,
  type Toast,
} from "~/auth/session.server";
import {
  errorsFromRefusal,
  parseForm,
  readForm,
  validateForm,
  type FieldErrors,
  type FormValues,
} from "~/forms.server";
import type { MessageKey } from "~/i18n/messages";
import { ActionRefused, type Actor } from "~/models/errors";
import { getRequest } from "~/models/requests.server";
import { getStaffTools } from "~/models/staff-requests.server";
import { requireIdParam } from "~/schemas.server";
import { safeRedirect } from "~/utils";

/** What a staff form's action answers when it cannot do what was asked. */
export type StaffFormResult = { errors: FieldErrors; values: FormValues };

/**
 * The signed-in staff member. A visitor is sent to sign in, as by every staff route; a customer
 * gets a 404, as the model's requireStaff refuses them (checked here from the session too, so a
 * customer's malformed form is not answered with its errors; the model checks again inside its
 * transaction).
 */
export async function requireStaffOr404(request: Request): Promise<SessionUser> {
  const user = await requireUser(request);
  if (!isStaff(user.actor)) throw new Response("Not found", { status: 404 });
  return user;
}

/**
 * A refusal as the form's errors and status. A 404 refusal (not staff, no such request) is the
 * 404 page, as for anything else that does not exist; other errors are rethrown.
 */
export function refusalOfStaffAction(error: unknown): { errors: FieldErrors; status: number } {
  if (error instanceof ActionRefused && error.status === 404) {
    throw new Response("Not found", { status: 404 });
  }
  return errorsFromRefusal(error);
}

/**
 * A staff field of a request set from its own small form (owner, target quarter): the request
 * page's staff section posts here; a refused form comes back as this route's page with the
 * error next to the field and what was chosen kept. On success, back to the staff section.
 */
export async function saveStaffField<S extends z.ZodType>(
  { request, params }: ActionFunctionArgs,
  schema: S,
  save: (input: { actor: Actor; requestId: number; data: z.output<S> }) => Promise<unknown>,
  toast: MessageKey,
) {
  const requestId = requireIdParam(params.id);
  const user = await requireStaffOr404(request);
  const form = await parseForm(request, schema);
  if (form.errors) return data<StaffFormResult>(form, { status: 400 });
  try {
    await save({ actor: user.actor, requestId, data: form.data });
  } catch (error) {
    const refusal = errorsFromRefusal(error);
    return data<StaffFormResult>(
      { errors: refusal.errors, values: form.values },
      { status: refusal.status },
    );
  }
  return redirectWithToast(request, `/requests/${requestId}#staff-tools`, { key: toast });
}

/** That form's page: the request it is about and the staff tools' data the form needs. */
export async function loadStaffFieldPage({ request, params }: LoaderFunctionArgs) {
  const requestId = requireIdParam(params.id);
  const user = await requireStaffOr404(request);
  const found = await getRequest({ id: requestId, viewer: user.actor });
  if (!found) throw new Response("Not found", { status: 404 });
  const tools = await getStaffTools({ actor: user.actor, requestId });
  return { request: { id: found.id, title: found.title }, tools };
}

/**
 * A staff action on the request page's staff panel or the triage queue (decide, next step,
 * reopen): validates the form, runs the model function, and goes back where the form came from
 * with a toast. A refused form comes back with its errors, to the fetcher that sent it or
 * (without JavaScript) as the request page with the form in its outlet. A request someone else
 * decided or moved meanwhile, posted from the queue, sends the queue back saying so (the queue
 * no longer lists it).
 */
export async function runStaffPanelAction<S extends z.ZodType>(
  { request, params }: ActionFunctionArgs,
  schema: S,
  run: (input: { actor: Actor; requestId: number; data: z.output<S> }) => Promise<unknown>,
  toast: (requestId: number, data: z.output<S>) => Toast,
) {
  const requestId = requireIdParam(params.id);
  const user = await requireStaffOr404(request);
  const formData = await readForm(request);
  const form = validateForm(formData, schema);
  if (form.errors) {
    return data<StaffFormResult>({ errors: form.errors, values: form.values }, { status: 400 });
  }
  const back = safeRedirect(formData.get("redirectTo"), `/requests/${requestId}`);
  try {
    await run({ actor: user.actor, requestId, data: form.data });
  } catch (error) {
    const refusal = refusalOfStaffAction(error);
    if (refusal.status === 409 && back.startsWith("/staff") && refusal.errors.form) {
      return redirectWithToast(request, back, { key: refusal.errors.form, tone: "error" });
    }
    return data<StaffFormResult>(
      { errors: refusal.errors, values: form.values },
      { status: refusal.status },
    );
  }
  return redirectWithToast(request, back, toast(requestId, form.data));
}

/** Opened by address, a staff form's route is staff's only: anyone else gets the 404. */
export async function staffOnlyLoader({ request }: LoaderFunctionArgs) {
  await requireStaffOr404(request);
  return null;
}
