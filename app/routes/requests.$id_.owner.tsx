// Staff assign the request's owner (the request page's staff section posts here). A refused
// form is shown again on this page, with its error next to the select.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { loadStaffFieldPage, saveStaffField } from "~/auth/staff-actions.server";
import { pageTitle } from "~/components/PageTitle";
import { assignOwner } from "~/models/staff-requests.server";
import { OwnerSchema } from "~/schemas.server";
import { StaffFieldPage } from "./requests.$id/StaffFieldPage";
import { OwnerForm } from "./requests.$id/StaffTools";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "staffTools.owner.title");

export async function loader(args: LoaderFunctionArgs) {
  const { request, tools } = await loadStaffFieldPage(args);
  return {
    request,
    staffMembers: tools.staffMembers,
    ownerId: tools.ownerId ? String(tools.ownerId) : "",
  };
}

export function action(args: ActionFunctionArgs) {
  return saveStaffField(
    args,
    OwnerSchema,
    ({ actor, requestId, data }) => assignOwner({ actor, requestId, ownerId: data.ownerId }),
    "toast.ownerSaved",
  );
}

export default function RequestOwner() {
  const { request, staffMembers, ownerId } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <StaffFieldPage title="staffTools.owner.title" request={request}>
      <OwnerForm
        requestId={request.id}
        staffMembers={staffMembers}
        value={actionData?.values.ownerId ?? ownerId}
        error={actionData?.errors.ownerId ?? actionData?.errors.form}
      />
    </StaffFieldPage>
  );
}
