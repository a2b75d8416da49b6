// A staff member moves a decided request one step along: planned or funded → in progress →
// shipped, with an optional note for the timeline. A move the request can no longer make
// (someone else moved it first) comes back with the model's message and changes nothing.
// Nests in the request page like requests.$id.decide.tsx, for the no-JavaScript error path.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useOutletContext } from "@remix-run/react";
import {
  refusalOfStaffAction,
  requireStaffOr404,
  type StaffFormResult,
} from "~/auth/staff-actions.server";
import { redirectWithToast } from "~/auth/session.server";
import { readForm, validateForm } from "~/forms.server";
import { changeStatus } from "~/models/triage.server";
import { requireIdParam, StatusStepSchema } from "~/schemas.server";
import { safeRedirect } from "~/utils";
import { ProgressForm, type StaffPanelContext } from "./requests.$id/StaffPanel";

/** Opened by address, the form is staff's only: anyone else gets the 404 staff routes give. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaffOr404(request);
  return null;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const requestId = requireIdParam(params.id);
  const user = await requireStaffOr404(request);
  const formData = await readForm(request);
  const form = validateForm(formData, StatusStepSchema);
  if (form.errors) {
    return data<StaffFormResult>({ errors: form.errors, values: form.values }, { status: 400 });
  }
  try {
    await changeStatus({ actor: user.actor, requestId, to: form.data.to, note: form.data.note });
  } catch (error) {
    const refusal = refusalOfStaffAction(error);
    return data<StaffFormResult>(
      { errors: refusal.errors, values: form.values },
      { status: refusal.status },
    );
  }
  return redirectWithToast(
    request,
    safeRedirect(formData.get("redirectTo"), `/requests/${requestId}`),
    { key: "staffTriage.toast.moved", params: { id: String(requestId) } },
  );
}

export default function MoveAgain() {
  const result = useActionData<typeof action>();
  const { request, redirectTo } = useOutletContext<StaffPanelContext>();
  return <ProgressForm request={request} redirectTo={redirectTo} result={result} />;
}
