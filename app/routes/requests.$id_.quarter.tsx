// Staff set the target quarter ("2027-Q1") the request aims for (the request page's staff
// section posts here). A refused form is shown again on this page, with its error next to the
// select (a past quarter is refused).
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { loadStaffFieldPage, saveStaffField } from "~/auth/staff-actions.server";
import { pageTitle } from "~/components/PageTitle";
import { setTargetQuarter } from "~/models/staff-requests.server";
import { QuarterSchema } from "~/schemas.server";
import { StaffFieldPage } from "./requests.$id/StaffFieldPage";
import { QuarterForm } from "./requests.$id/StaffTools";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "staffTools.quarter.title");

export async function loader(args: LoaderFunctionArgs) {
  const { request, tools } = await loadStaffFieldPage(args);
  return { request, quarters: tools.quarters, quarter: tools.targetQuarter ?? "" };
}

export function action(args: ActionFunctionArgs) {
  return saveStaffField(
    args,
    QuarterSchema,
    ({ actor, requestId, data }) => setTargetQuarter({ actor, requestId, quarter: data.quarter }),
    "toast.quarterSaved",
  );
}

export default function RequestQuarter() {
  const { request, quarters, quarter } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <StaffFieldPage title="staffTools.quarter.title" request={request}>
      <QuarterForm
        requestId={request.id}
        quarters={quarters}
        value={actionData?.values.quarter ?? quarter}
        error={actionData?.errors.quarter ?? actionData?.errors.form}
      />
    </StaffFieldPage>
  );
}
