// Makes another of the user's organizations the current one.
import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { SwitchOrganizationSchema } from "~/schemas.server";
import { redirectWithToast, requireUser } from "~/auth/session.server";
import { parseForm } from "~/forms.server";
import { safeRedirect } from "~/utils";

export async function loader() {
  return redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await parseForm(request, SwitchOrganizationSchema);
  if (form.errors) throw new Response("Bad request", { status: 400 });
  const membership = user.memberships.find((m) => m.orgId === form.data.orgId);
  if (!membership) throw new Response("Not found", { status: 404 });
  return redirectWithToast(
    request,
    safeRedirect(form.data.redirectTo),
    { key: "toast.orgSwitched", params: { org: membership.name } },
    (session) => session.set("orgId", membership.orgId),
  );
}
