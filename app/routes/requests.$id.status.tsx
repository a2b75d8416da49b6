// A staff member moves a decided request one step along: planned or funded → in progress →
// shipped, with an optional note for the timeline. A move the request can no longer make
// (someone else moved it first) comes back with the model's message and changes nothing.
// Nests in the request page like requests.$id.decide.tsx, for the no-JavaScript error path.
import type { ActionFunctionArgs } from "@remix-run/node";
import { useActionData, useOutletContext } from "@remix-run/react";
import { runStaffPanelAction, staffOnlyLoader } from "~/auth/staff-actions.server";
import { changeStatus } from "~/models/triage.server";
import { StatusStepSchema } from "~/schemas.server";
import { ProgressForm, type StaffPanelContext } from "./requests.$id/StaffPanel";

export const loader = staffOnlyLoader;

export function action(args: ActionFunctionArgs) {
  return runStaffPanelAction(
    args,
    StatusStepSchema,
    ({ actor, requestId, data }) =>
      changeStatus({ actor, requestId, to: data.to, note: data.note }),
    // Shipped: the toast points to the staff panel's offer to write its announcement.
    (requestId, data) =>
      data.to === "shipped"
        ? { key: "staffAnnouncements.toast.shipped", params: { id: String(requestId) } }
        : { key: "staffTriage.toast.moved", params: { id: String(requestId) } },
  );
}

export default function MoveAgain() {
  const result = useActionData<typeof action>();
  const { request, redirectTo } = useOutletContext<StaffPanelContext>();
  return <ProgressForm request={request} redirectTo={redirectTo} result={result} />;
}
