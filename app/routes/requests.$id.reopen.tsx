// A staff admin sends a decided request back to the triage queue, with a reason customers read
// in its timeline. Merged requests cannot be reopened (their votes live on in the target); staff
// who are not admins are refused (403) and customers get a 404, both by the model. Nests in the
// request page like requests.$id.decide.tsx, for the no-JavaScript error path.
import type { ActionFunctionArgs } from "@remix-run/node";
import { useActionData, useOutletContext } from "@remix-run/react";
import { runStaffPanelAction, staffOnlyLoader } from "~/auth/staff-actions.server";
import { reopenRequest } from "~/models/triage.server";
import { ReopenSchema } from "~/schemas.server";
import { ReopenForm, type StaffPanelContext } from "./requests.$id/StaffPanel";

export const loader = staffOnlyLoader;

export function action(args: ActionFunctionArgs) {
  return runStaffPanelAction(
    args,
    ReopenSchema,
    ({ actor, requestId, data }) => reopenRequest({ actor, requestId, reason: data.reason }),
    (requestId) => ({ key: "staffTriage.toast.reopened", params: { id: String(requestId) } }),
  );
}

export default function ReopenAgain() {
  const result = useActionData<typeof action>();
  const { request } = useOutletContext<StaffPanelContext>();
  return <ReopenForm request={request} result={result} />;
}
