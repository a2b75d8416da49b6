// A staff admin sends a decided request back to the triage queue, with a reason customers read
// in its timeline. Merged requests cannot be reopened (their votes live on in the target); staff
// who are not admins are refused (403) and customers get a 404, both by the model. Nests in the
// request page like requests.$id.decide.tsx, for the no-JavaScript error path.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useOutletContext } from "@remix-run/react";
import {
  refusalOfStaffAction,
  requireStaffOr404,
  type StaffFormResult,
} from "~/auth/staff-actions.server";
import { redirectWithToast } from "~/auth/session.server";
import { readForm, validateForm } from "~/forms.server";
import { reopenRequest } from "~/models/triage.server";
import { ReopenSchema, requireIdParam } from "~/schemas.server";
import { ReopenForm, type StaffPanelContext } from "./requests.$id/StaffPanel";

/** Opened by address, the form is staff's only: anyone else gets the 404 staff routes give. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaffOr404(request);
  return null;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const requestId = requireIdParam(params.id);
  const user = await requireStaffOr404(request);
  const formData = await readForm(request);
  const form = validateForm(formData, ReopenSchema);
  if (form.errors) {
    return data<StaffFormResult>({ errors: form.errors, values: form.values }, { status: 400 });
  }
  try {
    await reopenRequest({ actor: user.actor, requestId, reason: form.data.reason });
  } catch (error) {
    const refusal = refusalOfStaffAction(error);
    return data<StaffFormResult>(
      { errors: refusal.errors, values: form.values },
      { status: refusal.status },
    );
  }
  return redirectWithToast(request, `/requests/${requestId}`, {
    key: "staffTriage.toast.reopened",
    params: { id: String(requestId) },
  });
}

export default function ReopenAgain() {
  const result = useActionData<typeof action>();
  const { request } = useOutletContext<StaffPanelContext>();
  return <ReopenForm request={request} result={result} />;
}
