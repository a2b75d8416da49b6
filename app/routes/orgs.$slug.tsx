// Organization settings: members and their roles, invitations, leaving.
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
import { useEffect, useRef, useState } from "react";
import { InviteSchema, MemberSchema, RevokeSchema, RoleSchema } from "~/schemas.server";
import { redirectWithToast, requireUser } from "~/auth/session.server";
import { Button } from "~/components/Button";
import { Field, FormAlert, inputClass } from "~/components/Field";
import {
  errorsFromRefusal,
  readForm,
  validateForm,
  type FieldErrors,
  type FormValues,
} from "~/forms.server";
import { formatDate } from "~/i18n/format";
import { resolveLocale } from "~/i18n/locale.server";
import { translate } from "~/i18n/messages";
import { pageTitle } from "~/components/PageTitle";
import { useRichT } from "~/i18n/rich";
import { useLocale, useT } from "~/i18n/useT";
import { ActionRefused } from "~/models/errors";
import { hitRateLimit, RATE_LIMITS } from "~/models/rate-limits.server";
import {
  changeMemberRole,
  getOrganizationForViewer,
  inviteMember,
  listMembers,
  listPendingInvitations,
  removeMember,
  revokeInvitation,
} from "~/models/orgs.server";

export const meta: MetaFunction<typeof loader> = ({ data: loaderData, matches }) =>
  pageTitle(matches, "org.title", { org: loaderData?.org.name ?? "" });

async function loadOrganization(request: Request, slug: string) {
  const user = await requireUser(request);
  const found = await getOrganizationForViewer({ slug, actor: user.actor });
  // Not a member and not staff: the organization does not exist as far as this user can tell.
  if (!found) throw new Response("Not found", { status: 404 });
  return { user, ...found };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, org, viewerRole } = await loadOrganization(request, params.slug!);
  const members = await listMembers(org.id);
  const invitations = viewerRole === "member" ? [] : await listPendingInvitations(org.id);
  return {
    org: { id: org.id, name: org.name, slug: org.slug },
    viewerRole,
    viewerId: user.id,
    // The organization the member works for when it isn't this one, so the page offers a switch.
    workingFor:
      user.currentOrg && user.currentOrg.orgId !== org.id && viewerRole !== "staff"
        ? user.currentOrg.name
        : null,
    members,
    invitations,
    adminCount: members.filter((m) => m.role === "admin").length,
  };
}

type ActionResult = { intent: string; errors: FieldErrors; values: FormValues };

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, org, viewerRole } = await loadOrganization(request, params.slug!);
  const formData = await readForm(request);
  const intent = String(formData.get("intent"));
  const here = `/orgs/${org.slug}`;
  const fail = (errors: FieldErrors, values: FormValues, status: number) =>
    data<ActionResult>({ intent, errors, values }, { status });
  const locale = await resolveLocale(request, user.locale);
  const members = await listMembers(org.id);
  const nameOf = (userId: number) => members.find((m) => m.userId === userId)?.name ?? "";

  try {
    switch (intent) {
      case "invite": {
        const form = validateForm(formData, InviteSchema);
        if (form.errors) return fail(form.errors, form.values, 400);
        // Only admins' invitations count against the organization's hourly allowance.
        if (viewerRole !== "admin") throw new ActionRefused("org.error.adminOnly", 403);
        const limit = await hitRateLimit(`invite:org:${org.id}`, RATE_LIMITS.invitePerOrganization);
        if (limit.limited) {
          const minutes = String(Math.max(1, Math.ceil(limit.retryAfterMs / 60_000)));
          return fail({ email: "error.inviteLimited" }, { ...form.values, minutes }, 429);
        }
        await inviteMember({
          actor: user.actor,
          orgId: org.id,
          email: form.data.email,
          role: form.data.role,
          locale,
        });
        return redirectWithToast(request, here, {
          key: "toast.invited",
          params: { email: form.data.email },
        });
      }
      case "revoke": {
        const form = validateForm(formData, RevokeSchema);
        if (form.errors) return fail(form.errors, form.values, 400);
        await revokeInvitation({
          actor: user.actor,
          orgId: org.id,
          invitationId: form.data.invitationId,
        });
        return redirectWithToast(request, here, { key: "toast.invitationRevoked" });
      }
      case "role": {
        const form = validateForm(formData, RoleSchema);
        if (form.errors) return fail(form.errors, form.values, 400);
        await changeMemberRole({
          actor: user.actor,
          orgId: org.id,
          userId: form.data.userId,
          role: form.data.role,
        });
        return redirectWithToast(request, here, {
          key: "toast.roleChanged",
          params: {
            name: nameOf(form.data.userId),
            role: translate(locale, form.data.role === "admin" ? "role.admin" : "role.member"),
          },
        });
      }
      case "remove": {
        const form = validateForm(formData, MemberSchema);
        if (form.errors) return fail(form.errors, form.values, 400);
        await removeMember({ actor: user.actor, orgId: org.id, userId: form.data.userId });
        if (form.data.userId === user.id) {
          return redirectWithToast(request, "/account", {
            key: "toast.left",
            params: { org: org.name },
          });
        }
        return redirectWithToast(request, here, {
          key: "toast.memberRemoved",
          params: { name: nameOf(form.data.userId) },
        });
      }
      default:
        throw new Response("Bad request", { status: 400 });
    }
  } catch (error) {
    if (error instanceof Response) throw error;
    const refusal = errorsFromRefusal(error);
    return fail(
      refusal.errors,
      Object.fromEntries([...formData].filter(([, v]) => typeof v === "string")) as FormValues,
      refusal.status,
    );
  }
}

function RoleBadge({ role }: { role: string }) {
  const t = useT();
  return (
    <span
      className={`inline-block rounded-full px-2 py-0.5 text-xs font-medium ${
        role === "admin" ? "bg-accent-100 text-accent-800" : "bg-stone-100 text-stone-700"
      }`}
    >
      {t(role === "admin" ? "role.admin" : "role.member")}
    </span>
  );
}

export default function OrganizationSettings() {
  const t = useT();
  const rt = useRichT();
  const locale = useLocale();
  const { org, viewerRole, viewerId, workingFor, members, invitations, adminCount } =
    useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const location = useLocation();
  const busy = navigation.state === "submitting";
  const isAdmin = viewerRole === "admin";
  const invite = actionData?.intent === "invite" ? actionData : undefined;
  const inviteSent = useInviteSent(invite !== undefined);
  // A sent invitation leaves an empty form for the next colleague, focused where typing starts.
  // (Without JavaScript the redirect after sending renders a fresh, empty form anyway.)
  useEffect(() => {
    if (inviteSent > 0) document.getElementById("field-email")?.focus();
  }, [inviteSent]);
  const otherError =
    actionData && actionData.intent !== "invite" ? actionData.errors.form : undefined;
  const lastAdminLocked = adminCount <= 1;

  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-3xl font-bold">{rt("org.title", { org: org.name })}</h1>
        <p className="mt-2 text-stone-700">
          {viewerRole === "staff"
            ? t("org.staffView")
            : viewerRole === "member"
              ? t("org.memberView", { org: org.name })
              : t("org.adminView")}
        </p>
        {viewerRole !== "member" ? (
          <Link
            to={`/orgs/${org.slug}/sponsorships`}
            className="mt-2 inline-block text-sm font-medium text-accent-700 underline"
          >
            {t("sponsorships.orgLink")}
          </Link>
        ) : null}
      </div>

      {workingFor ? (
        <Form
          method="post"
          action="/orgs/switch"
          className="flex flex-wrap items-center gap-3 rounded-xl border border-accent-100 bg-accent-50 px-4 py-3 text-sm"
        >
          <p className="text-stone-800">{t("org.workingFor", { current: workingFor })}</p>
          <input type="hidden" name="orgId" value={org.id} />
          <input type="hidden" name="redirectTo" value={location.pathname} />
          <Button type="submit" variant="secondary" className="px-3 py-1" disabled={busy}>
            {t("org.switchHere", { org: org.name })}
          </Button>
        </Form>
      ) : null}

      {otherError ? <FormAlert>{t(otherError)}</FormAlert> : null}

      <section
        aria-labelledby="members-heading"
        className="rounded-2xl border border-stone-200 bg-white shadow-sm"
      >
        <div className="flex items-baseline justify-between gap-4 border-b border-stone-100 px-5 py-4">
          <h2 id="members-heading" className="text-xl font-semibold">
            {t("org.members.title")}
          </h2>
          <p className="text-sm text-stone-600">{rt.count("count.members", members.length)}</p>
        </div>
        <div
          aria-hidden="true"
          className="hidden grid-cols-[minmax(0,1fr)_7rem_9rem_minmax(0,16rem)] gap-3 bg-stone-50 px-5 py-2 text-sm font-medium text-stone-700 md:grid"
        >
          <span>{t("org.members.name")}</span>
          <span>{t("org.members.role")}</span>
          <span>{t("org.members.joined")}</span>
          <span className="text-end">{t("org.members.actions")}</span>
        </div>
        <ul className="divide-y divide-stone-100 text-sm">
          {members.map((member) => {
            const isMe = member.userId === viewerId;
            const lockedAdmin = member.role === "admin" && lastAdminLocked;
            return (
              <li
                key={member.userId}
                className="grid gap-x-3 gap-y-2 px-5 py-3 md:grid-cols-[minmax(0,1fr)_7rem_9rem_minmax(0,16rem)] md:items-center"
              >
                <div className="min-w-0">
                  <p className="text-start font-medium">
                    <bdi>{member.name}</bdi>{" "}
                    {isMe ? (
                      <span className="font-normal text-stone-600">{t("org.members.you")}</span>
                    ) : null}
                  </p>
                  {/* The address reads left to right, aligned with the name above it. */}
                  <p className="truncate text-start text-stone-600">
                    <bdi dir="ltr">{member.email}</bdi>
                  </p>
                </div>
                <p className="flex flex-wrap items-center gap-2 md:block">
                  <span className="sr-only">{t("org.members.role")}: </span>
                  <RoleBadge role={member.role} />
                  <span className="text-stone-600 md:hidden">
                    · {t("org.members.joined")} <bdi>{formatDate(locale, member.joinedAt)}</bdi>
                  </span>
                </p>
                <p className="hidden text-stone-700 md:block">
                  <span className="sr-only">{t("org.members.joined")}: </span>
                  <bdi>{formatDate(locale, member.joinedAt)}</bdi>
                </p>
                <div className="flex flex-wrap gap-2 md:justify-end">
                  {isAdmin ? (
                    <Form method="post">
                      <input type="hidden" name="intent" value="role" />
                      <input type="hidden" name="userId" value={member.userId} />
                      <input
                        type="hidden"
                        name="role"
                        value={member.role === "admin" ? "member" : "admin"}
                      />
                      <Button
                        variant="secondary"
                        className="px-3 py-1"
                        disabled={busy || lockedAdmin}
                        aria-describedby={lockedAdmin ? "last-admin-note" : undefined}
                      >
                        {t(
                          member.role === "admin"
                            ? "org.members.makeMember"
                            : "org.members.makeAdmin",
                        )}
                        <span className="sr-only"> – {member.name}</span>
                      </Button>
                    </Form>
                  ) : null}
                  {isAdmin || (isMe && viewerRole !== "staff") ? (
                    <Form
                      method="post"
                      onSubmit={(event) => {
                        const question = isMe
                          ? t("org.members.leave")
                          : t("org.members.removeLabel", { name: member.name });
                        if (!window.confirm(`${question}?`)) event.preventDefault();
                      }}
                    >
                      <input type="hidden" name="intent" value="remove" />
                      <input type="hidden" name="userId" value={member.userId} />
                      <Button
                        variant="danger"
                        className="px-3 py-1"
                        disabled={busy || lockedAdmin}
                        aria-describedby={lockedAdmin ? "last-admin-note" : undefined}
                      >
                        {isMe ? t("org.members.leave") : t("org.members.remove")}
                        {isMe ? null : <span className="sr-only"> – {member.name}</span>}
                      </Button>
                    </Form>
                  ) : null}
                </div>
              </li>
            );
          })}
        </ul>
        {isAdmin && lastAdminLocked ? (
          <p
            id="last-admin-note"
            className="border-t border-stone-100 px-5 py-3 text-sm text-stone-700"
          >
            <svg
              aria-hidden="true"
              viewBox="0 0 20 20"
              className="me-1 inline h-4 w-4 fill-current align-[-2px] text-accent-700"
            >
              <path d="M10 2a8 8 0 1 0 0 16 8 8 0 0 0 0-16Zm1 12H9V9h2v5Zm0-7H9V5h2v2Z" />
            </svg>
            {t("org.members.lastAdmin")}
          </p>
        ) : null}
      </section>

      {isAdmin ? (
        <section
          aria-labelledby="invite-heading"
          className="rounded-2xl border border-stone-200 bg-white p-5 shadow-sm"
        >
          <h2 id="invite-heading" className="text-xl font-semibold">
            {t("org.invite.title")}
          </h2>
          <p className="mt-1 text-sm text-stone-600">{t("org.invite.lead")}</p>
          <Form
            key={inviteSent}
            method="post"
            className="mt-4 grid gap-4 sm:grid-cols-[1fr_12rem_auto] sm:items-start"
            noValidate
          >
            <input type="hidden" name="intent" value="invite" />
            {invite?.errors.form ? (
              <div className="sm:col-span-3">
                <FormAlert>{t(invite.errors.form)}</FormAlert>
              </div>
            ) : null}
            <Field
              name="email"
              type="email"
              label={t("field.email")}
              autoComplete="off"
              dir="ltr"
              required
              defaultValue={invite?.values.email}
              error={invite?.errors.email}
              errorParams={{ minutes: invite?.values.minutes ?? "" }}
            />
            <div className="space-y-1">
              <label htmlFor="field-role" className="block text-sm font-medium text-stone-800">
                {t("field.role")}
              </label>
              <select
                id="field-role"
                name="role"
                defaultValue={invite?.values.role ?? "member"}
                className={inputClass}
              >
                <option value="member">{t("role.member")}</option>
                <option value="admin">{t("role.admin")}</option>
              </select>
            </div>
            <Button type="submit" className="sm:mt-6" disabled={busy}>
              {t("org.invite.submit")}
            </Button>
          </Form>
        </section>
      ) : null}

      {viewerRole !== "member" ? (
        <section
          aria-labelledby="invitations-heading"
          className="rounded-2xl border border-stone-200 bg-white shadow-sm"
        >
          <h2
            id="invitations-heading"
            className="border-b border-stone-100 px-5 py-4 text-xl font-semibold"
          >
            {t("org.invitations.title")}
          </h2>
          {invitations.length === 0 ? (
            <p className="px-5 py-4 text-stone-700">{t("org.invitations.empty")}</p>
          ) : (
            <ul className="divide-y divide-stone-100">
              {invitations.map((invitation) => (
                <li
                  key={invitation.id}
                  className="flex flex-wrap items-center justify-between gap-3 px-5 py-3 text-sm"
                >
                  <div>
                    <p className="text-start font-medium">
                      <bdi dir="ltr">{invitation.email}</bdi>
                    </p>
                    <p className="text-stone-600">
                      <RoleBadge role={invitation.role} /> · {t("org.invitations.invitedBy")}{" "}
                      <bdi>{invitation.invitedByName ?? "—"}</bdi> · {t("org.invitations.expires")}{" "}
                      <bdi>{formatDate(locale, invitation.expiresAt)}</bdi>
                    </p>
                  </div>
                  {isAdmin ? (
                    <Form method="post">
                      <input type="hidden" name="intent" value="revoke" />
                      <input type="hidden" name="invitationId" value={invitation.id} />
                      <Button variant="danger" className="px-3 py-1" disabled={busy}>
                        {t("org.invitations.revoke")}
                        <span className="sr-only"> – {invitation.email}</span>
                      </Button>
                    </Form>
                  ) : null}
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}
    </div>
  );
}

/**
 * Counts invitations sent from this page with JavaScript: a submission of the invite form that
 * ended without errors for it (the action redirected). The form is keyed on the count, so it
 * remounts empty after each one, and keeps what was typed when the address was refused.
 */
function useInviteSent(refused: boolean): number {
  const navigation = useNavigation();
  const [sent, setSent] = useState(0);
  const submittedInvite = useRef(false);
  useEffect(() => {
    if (navigation.state === "submitting") {
      submittedInvite.current = navigation.formData?.get("intent") === "invite";
    } else if (navigation.state === "idle" && submittedInvite.current) {
      submittedInvite.current = false;
      if (!refused) setSent((n) => n + 1);
    }
  }, [navigation.state, navigation.formData, refused]);
  return sent;
}
