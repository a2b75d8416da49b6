// Staff assign the request's owner (the request page's staff section posts here). A refused
// form is shown again on this page, with its error next to the select.
import {
  data,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { redirectWithToast } from "~/auth/session.server";
import { requireStaffUser } from "~/auth/staff.server";
import { pageTitle } from "~/components/PageTitle";
import { errorsFromRefusal, parseForm, type FieldErrors } from "~/forms.server";
import { useT } from "~/i18n/useT";
import { getRequest } from "~/models/requests.server";
import { assignOwner, getStaffTools } from "~/models/staff-requests.server";
import { OwnerSchema, requireIdParam } from "~/schemas.server";
import { OwnerForm } from "./requests.$id/StaffTools";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "staffTools.owner.title");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const requestId = requireIdParam(params.id);
  const user = await requireStaffUser(request);
  const found = await getRequest({ id: requestId, viewer: user.actor });
  if (!found) throw new Response("Not found", { status: 404 });
  const tools = await getStaffTools({ actor: user.actor, requestId });
  return {
    request: { id: found.id, title: found.title },
    staffMembers: tools.staffMembers,
    ownerId: tools.ownerId ? String(tools.ownerId) : "",
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const requestId = requireIdParam(params.id);
  const user = await requireStaffUser(request);
  const form = await parseForm(request, OwnerSchema);
  if (form.errors)
    return data({ errors: form.errors as FieldErrors, values: form.values }, { status: 400 });
  try {
    await assignOwner({ actor: user.actor, requestId, ownerId: form.data.ownerId });
  } catch (error) {
    const refusal = errorsFromRefusal(error);
    return data({ errors: refusal.errors, values: form.values }, { status: refusal.status });
  }
  return redirectWithToast(request, `/requests/${requestId}#staff-tools`, {
    key: "toast.ownerSaved",
  });
}

export default function RequestOwner() {
  const t = useT();
  const { request, staffMembers, ownerId } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <div className="mx-auto max-w-xl space-y-4">
      <h1 className="text-3xl font-bold">{t("staffTools.owner.title")}</h1>
      <p className="text-stone-700" dir="auto">
        {request.title}
      </p>
      <div className="rounded-2xl border border-stone-200 bg-white p-6 shadow-sm">
        <OwnerForm
          requestId={request.id}
          staffMembers={staffMembers}
          value={actionData?.values.ownerId ?? ownerId}
          error={actionData?.errors.ownerId ?? actionData?.errors.form}
        />
      </div>
      <Link to={`/requests/${request.id}`} className="text-sm font-medium text-stone-700 underline">
        {t("recordVote.back")}
      </Link>
    </div>
  );
}
