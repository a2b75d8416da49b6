// A staff decision on a request waiting for one: broadly useful, sponsored development,
// declined, already possible, or merged into another request. Posted from the triage queue and
// from the request page's staff panel; on success it goes back where the form came from with a
// toast. A refused form comes back with its errors: to the fetcher that sent it, or (without
// JavaScript) as the request page with this form, its errors and what was typed in the staff
// panel (this route nests in the request page, which shows it through its outlet).
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useOutletContext } from "@remix-run/react";
import {
  refusalOfStaffAction,
  requireStaffOr404,
  type StaffFormResult,
} from "~/auth/staff-actions.server";
import { redirectWithToast } from "~/auth/session.server";
import { DecisionControls } from "~/components/DecisionControls";
import { readForm, validateForm } from "~/forms.server";
import type { MessageKey } from "~/i18n/messages";
import { decideRequest, type Decision } from "~/models/triage.server";
import { DecisionSchema, requireIdParam } from "~/schemas.server";
import { safeRedirect } from "~/utils";
import type { StaffPanelContext } from "./requests.$id/StaffPanel";

const DECIDED: Record<Decision["kind"], MessageKey> = {
  broad: "staffTriage.toast.broad",
  sponsored: "staffTriage.toast.sponsored",
  declined: "staffTriage.toast.declined",
  already_exists: "staffTriage.toast.alreadyExists",
  merge: "staffTriage.toast.merged",
};

/** Opened by address, the form is staff's only: anyone else gets the 404 staff routes give. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaffOr404(request);
  return null;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const requestId = requireIdParam(params.id);
  const user = await requireStaffOr404(request);
  const formData = await readForm(request);
  const form = validateForm(formData, DecisionSchema);
  if (form.errors) {
    return data<StaffFormResult>({ errors: form.errors, values: form.values }, { status: 400 });
  }
  const back = safeRedirect(formData.get("redirectTo"), `/requests/${requestId}`);
  try {
    await decideRequest({ actor: user.actor, requestId, decision: form.data });
  } catch (error) {
    const refusal = refusalOfStaffAction(error);
    // Decided by someone else meanwhile: the queue no longer lists it, so the queue says so.
    if (refusal.status === 409 && back.startsWith("/staff") && refusal.errors.form) {
      return redirectWithToast(request, back, { key: refusal.errors.form, tone: "error" });
    }
    return data<StaffFormResult>(
      { errors: refusal.errors, values: form.values },
      { status: refusal.status },
    );
  }
  const target = form.data.kind === "merge" ? String(form.data.targetId) : "";
  return redirectWithToast(request, back, {
    key: DECIDED[form.data.kind],
    params: { id: String(requestId), target },
  });
}

/** The decision form again, with the refused submission, inside the request page's staff panel. */
export default function DecideAgain() {
  const result = useActionData<typeof action>();
  const { request, redirectTo } = useOutletContext<StaffPanelContext>();
  return (
    <DecisionControls
      requestId={request.id}
      redirectTo={result?.values.redirectTo ?? redirectTo}
      result={result}
    />
  );
}
