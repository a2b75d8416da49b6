// Toggles the signed-in user's vote. A plain form post returns to the page it came from; the
// vote button's fetcher gets the new counts instead.
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { redirectWithToast, requireUser } from "~/auth/session.server";
import { parseForm } from "~/forms.server";
import { ActionRefused } from "~/models/errors";
import { toggleVote } from "~/models/votes.server";
import { requireIdParam, VoteSchema } from "~/schemas.server";
import { safeRedirect } from "~/utils";

// Signing in to vote comes back here with a GET: it lands on the request (a GET never votes).
export async function loader({ params }: LoaderFunctionArgs) {
  return redirect(`/requests/${encodeURIComponent(params.id ?? "")}`);
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const requestId = requireIdParam(params.id);
  const form = await parseForm(request, VoteSchema);
  // A form this button never sends (an unknown `via`) is refused, not guessed at.
  if (form.errors) return Response.json({ errors: form.errors }, { status: 400 });
  const viaFetch = form.data.via === "fetch";
  const back = safeRedirect(form.data.redirectTo, `/requests/${requestId}`);
  try {
    const result = await toggleVote({
      requestId,
      actor: user.actor,
      orgId: user.currentOrg?.orgId,
    });
    if (viaFetch) return Response.json(result);
    return redirectWithToast(request, back, {
      key: result.voted ? "toast.voted" : "toast.unvoted",
    });
  } catch (error) {
    if (!(error instanceof ActionRefused)) throw error;
    if (viaFetch) return Response.json({ error: error.messageKey }, { status: error.status });
    return redirectWithToast(request, back, { key: error.messageKey, tone: "error" });
  }
}
