// The staff pages' guard: a visitor is sent to sign in; anyone signed in who is not staff gets
// the 404 page, as if the page did not exist (the models refuse them the same way).
import { requireUser, type SessionUser } from "./session.server";
import { isStaff } from "./permissions.server";

export async function requireStaffUser(request: Request): Promise<SessionUser> {
  const user = await requireUser(request);
  if (!isStaff(user.actor)) throw new Response("Not found", { status: 404 });
  return user;
}
