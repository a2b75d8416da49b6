// What the staff triage routes share: who may reach them, and how a model's refusal comes back.
import { isStaff } from "~/auth/permissions.server";
import { requireUser, type SessionUser } from "~/auth/session.server";
import { errorsFromRefusal, type FieldErrors, type FormValues } from "~/forms.server";
import { ActionRefused } from "~/models/errors";

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
