// Staff make a request public or organization only; back to the request page with a toast.
// Customers and visitors meet a 404, as if the action did not exist.
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { redirectWithToast, requireUser } from "~/auth/session.server";
import { parseForm } from "~/forms.server";
import { ActionRefused } from "~/models/errors";
import { setVisibility } from "~/models/request-visibility.server";
import { requireIdParam, VisibilitySchema } from "~/schemas.server";

// A GET (a reload after posting, a typed address) lands on the request.
export async function loader({ params }: LoaderFunctionArgs) {
  return redirect(`/requests/${requireIdParam(params.id)}`);
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const requestId = requireIdParam(params.id);
  const here = `/requests/${requestId}`;
  if (!user.actor.isStaff) throw new Response("Not found", { status: 404 });
  const form = await parseForm(request, VisibilitySchema);
  if (form.errors)
    return redirectWithToast(request, `${here}#visibility`, {
      key: form.errors.visibility ?? "request.error.visibilityInvalid",
      tone: "error",
    });
  try {
    await setVisibility({ actor: user.actor, requestId, visibility: form.data.visibility });
    return redirectWithToast(request, `${here}#visibility`, { key: "toast.visibilityChanged" });
  } catch (error) {
    if (!(error instanceof ActionRefused)) throw error;
    if (error.status === 404 || error.status === 403)
      throw new Response(error.status === 404 ? "Not found" : "Forbidden", {
        status: error.status,
      });
    return redirectWithToast(request, `${here}#visibility`, {
      key: error.messageKey,
      tone: "error",
    });
  }
}
