// What the staff triage routes share: who may reach them, and how a model's refusal comes back.
import { getSessionUser, type SessionUser } from "~/auth/session.server";
import { errorsFromRefusal, type FieldErrors, type FormValues } from "~/forms.server";
import { ActionRefused } from "~/models/errors";

/** What a staff form's action answers when it cannot do what was asked. */
export type StaffFormResult = { errors: FieldErrors; values: FormValues };

/**
 * The signed-in user. A visitor gets the 404 a customer gets from the model's requireStaff:
 * staff pages and actions do not exist for anyone else.
 */
export async function requireSignedInOr404(request: Request): Promise<SessionUser> {
  const user = await getSessionUser(request);
  if (!user) throw new Response("Not found", { status: 404 });
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
