// A staff decision on a request waiting for one: broadly useful, sponsored development,
// declined, already possible, or merged into another request. Posted from the triage queue and
// from the request page's staff panel; on success it goes back where the form came from with a
// toast. A refused form comes back with its errors: to the fetcher that sent it, or (without
// JavaScript) as the request page with this form, its errors and what was typed in the staff
// panel (this route nests in the request page, which shows it through its outlet).
import type { ActionFunctionArgs } from "@remix-run/node";
import { useActionData, useOutletContext } from "@remix-run/react";
import { runStaffPanelAction, staffOnlyLoader } from "~/auth/staff-actions.server";
import { DecisionControls } from "~/components/DecisionControls";
import type { MessageKey } from "~/i18n/messages";
import { decideRequest, type Decision } from "~/models/triage.server";
import { DecisionSchema } from "~/schemas.server";
import type { StaffPanelContext } from "./requests.$id/StaffPanel";

const DECIDED: Record<Decision["kind"], MessageKey> = {
  broad: "staffTriage.toast.broad",
  sponsored: "staffTriage.toast.sponsored",
  declined: "staffTriage.toast.declined",
  already_exists: "staffTriage.toast.alreadyExists",
  merge: "staffTriage.toast.merged",
};

export const loader = staffOnlyLoader;

export function action(args: ActionFunctionArgs) {
  return runStaffPanelAction(
    args,
    DecisionSchema,
    ({ actor, requestId, data }) => decideRequest({ actor, requestId, decision: data }),
    (requestId, decision) => ({
      key: DECIDED[decision.kind],
      params: {
        id: String(requestId),
        target: decision.kind === "merge" ? String(decision.targetId) : "",
      },
    }),
  );
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
