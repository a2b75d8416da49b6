// The link from an invitation e-mail: shows the invitation and lets its addressee join.
import {
  data,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import {
  Form,
  Link,
  useActionData,
  useLoaderData,
  useLocation,
  useNavigation,
} from "@remix-run/react";
import { isStaff } from "~/auth/permissions.server";
import { getSessionUser, redirectWithToast, requireUser } from "~/auth/session.server";
import { AuthCard } from "~/components/AuthCard";
import { Button, buttonClass } from "~/components/Button";
import { FormAlert } from "~/components/Field";
import { pageTitle } from "~/components/PageTitle";
import { errorsFromRefusal, type FieldErrors } from "~/forms.server";
import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/useT";
import { acceptInvitation, getInvitationByToken } from "~/models/orgs.server";

export const meta: MetaFunction<typeof loader> = ({ matches, data: loaderData }) =>
  loaderData?.invitation
    ? pageTitle(matches, "invite.title", { org: loaderData.invitation.orgName })
    : pageTitle(matches, "invite.problemTitle");

const problemOfState: Record<string, MessageKey> = {
  expired: "invite.expired",
  revoked: "invite.revoked",
  superseded: "invite.superseded",
  accepted: "invite.alreadyUsed",
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const invitation = await getInvitationByToken(params.token!);
  if (!invitation)
    return data(
      { invitation: null, problem: "invite.invalid" as MessageKey, viewer: null },
      { status: 404 },
    );
  const user = await getSessionUser(request);
  const problem = problemOfState[invitation.state] ?? null;
  return data(
    {
      invitation: {
        orgName: invitation.orgName,
        inviterName: invitation.inviterName ?? "",
        role: invitation.role,
        email: invitation.email,
      },
      problem,
      viewer: user
        ? {
            email: user.email,
            matches: user.email === invitation.email,
            isStaff: isStaff(user.actor),
          }
        : null,
    },
    { status: problem ? 410 : 200, headers: { "Referrer-Policy": "no-referrer" } },
  );
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  try {
    const org = await acceptInvitation({ token: params.token!, actor: user.actor });
    // Joining one more organization doesn't change whom the user works for: the current one
    // stays (pinned, as the fallback would otherwise follow the alphabet) and the toast says
    // how to switch. A user with no organization yet works for the new one.
    const current = user.currentOrg && user.currentOrg.orgId !== org.orgId ? user.currentOrg : null;
    return redirectWithToast(
      request,
      `/orgs/${org.slug}`,
      current
        ? { key: "toast.joinedKeptCurrent", params: { org: org.name, current: current.name } }
        : { key: "toast.joined", params: { org: org.name } },
      (session) => session.set("orgId", current?.orgId ?? org.orgId),
    );
  } catch (error) {
    const refusal = errorsFromRefusal(error);
    return data<{ errors: FieldErrors }>({ errors: refusal.errors }, { status: refusal.status });
  }
}

export default function Invitation() {
  const t = useT();
  const { invitation, problem, viewer } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();

  if (!invitation || problem) {
    return (
      <AuthCard title={t("invite.problemTitle")}>
        <p className="text-stone-700">{t(problem ?? "invite.invalid")}</p>
        <Link to="/" className={buttonClass("secondary", "mt-6")}>
          {t("error.backHome")}
        </Link>
      </AuthCard>
    );
  }

  const params = {
    org: invitation.orgName,
    // An inviter who since deleted their account is "a former member".
    inviter: invitation.inviterName || t("comments.formerMember"),
    role: t(invitation.role === "admin" ? "role.admin" : "role.member"),
  };
  return (
    <AuthCard title={t("invite.title", params)} lead={t("invite.lead", params)}>
      <p className="text-sm text-stone-600">
        {t("invite.sentTo")}{" "}
        <span className="font-medium text-stone-900" dir="ltr">
          <bdi>{invitation.email}</bdi>
        </span>
      </p>
      {actionData?.errors.form ? (
        <div className="mt-4">
          <FormAlert>{t(actionData.errors.form)}</FormAlert>
        </div>
      ) : null}
      <div className="mt-6 flex flex-col gap-3">
        {!viewer ? (
          <InviteeChoices email={invitation.email} />
        ) : viewer.matches ? (
          <Form method="post">
            <Button type="submit" className="w-full" disabled={navigation.state === "submitting"}>
              {t("invite.accept", params)}
            </Button>
          </Form>
        ) : (
          <>
            <FormAlert>
              {t(viewer.isStaff ? "org.error.staffCannotJoin" : "invite.wrongAccount")}
            </FormAlert>
            <Form method="post" action="/signout">
              <Button type="submit" variant="secondary" className="w-full">
                {t("account.signOut")}
              </Button>
            </Form>
          </>
        )}
      </div>
    </AuthCard>
  );
}

function InviteeChoices({ email }: { email: string }) {
  const t = useT();
  const { pathname } = useLocation();
  const query = (extra: Record<string, string>) =>
    new URLSearchParams({ redirectTo: pathname, ...extra }).toString();
  return (
    <>
      <Link to={`/signup?${query({ email })}`} className={buttonClass("primary", "w-full")}>
        {t("invite.signUpToAccept")}
      </Link>
      <Link to={`/signin?${query({})}`} className={buttonClass("secondary", "w-full")}>
        {t("invite.signInToAccept")}
      </Link>
    </>
  );
}
