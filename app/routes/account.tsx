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
  useFetcher,
  useLoaderData,
  useNavigation,
} from "@remix-run/react";
import { isStaff } from "~/auth/permissions.server";
import {
  EndSessionSchema,
  PasswordSchema,
  PreferencesSchema,
  ProfileSchema,
} from "~/schemas.server";
import { flashToast, redirectWithToast, requireUser } from "~/auth/session.server";
import { ActiveSessions } from "~/components/ActiveSessions";
import { Button, buttonClass } from "~/components/Button";
import { Field, FieldError, inputClass } from "~/components/Field";
import { pageTitle } from "~/components/PageTitle";
import { readForm, validateForm, type FieldErrors, type FormValues } from "~/forms.server";
import { getEnv } from "~/env.server";
import { langCookie } from "~/i18n/locale.server";
import { useRichT } from "~/i18n/rich";
import { useT } from "~/i18n/useT";
import { ActionRefused } from "~/models/errors";
import { endOtherSessions, endSession, listSessions } from "~/models/sessions.server";
import { PASSWORD_MIN_LENGTH } from "~/models/passwords.server";
import { changePassword, updateProfile } from "~/models/users.server";
import {
  getPreferences,
  savePreferences,
  type Preferences,
} from "~/models/notification-prefs.server";
import { redirect } from "@remix-run/node";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "account.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return {
    name: user.name,
    email: user.email,
    locale: user.locale ?? "",
    isStaff: isStaff(user.actor),
    memberships: user.memberships,
    supportEmail: getEnv().SUPPORT_EMAIL,
    sessions: await listSessions({ actor: user.actor, currentSessionId: user.sessionId }),
    passwordMinLength: PASSWORD_MIN_LENGTH,
    preferences: await getPreferences({ actor: user.actor }),
  };
}

type ActionResult = { intent: string; errors: FieldErrors; values: FormValues };

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const formData = await readForm(request);
  const intent = String(formData.get("intent"));

  if (intent === "profile") {
    const form = validateForm(formData, ProfileSchema);
    if (form.errors)
      return data<ActionResult>(
        { intent, errors: form.errors, values: form.values },
        { status: 400 },
      );
    const locale = form.data.locale === "" ? null : form.data.locale;
    await updateProfile({ userId: user.id, name: form.data.name, locale });
    const headers = new Headers();
    headers.append("Set-Cookie", await flashToast(request, { key: "toast.profileSaved" }));
    // "Automatic" also forgets this browser's earlier choice, so Accept-Language decides again.
    headers.append(
      "Set-Cookie",
      locale ? await langCookie.serialize(locale) : await langCookie.serialize("", { maxAge: 0 }),
    );
    return redirect("/account", { headers });
  }

  if (intent === "preferences") {
    const form = validateForm(formData, PreferencesSchema);
    if (form.errors) throw new Response("Bad request", { status: 400 });
    const { status, news, digest } = form.data;
    await savePreferences({ actor: user.actor, prefs: { status, news, digest } });
    return redirectWithToast(request, "/account", { key: "prefs.saved" });
  }

  if (intent === "password") {
    const form = validateForm(formData, PasswordSchema);
    if (form.errors)
      return data<ActionResult>(
        { intent, errors: form.errors, values: form.values },
        { status: 400 },
      );
    const changed = await changePassword({
      userId: user.id,
      currentPassword: form.data.currentPassword,
      newPassword: form.data.newPassword,
      keepSessionId: user.sessionId,
    });
    if (!changed) {
      return data<ActionResult>(
        { intent, errors: { currentPassword: "error.wrongPassword" }, values: form.values },
        { status: 400 },
      );
    }
    return redirectWithToast(request, "/account", { key: "toast.passwordChanged" });
  }

  if (intent === "endSession") {
    const form = validateForm(formData, EndSessionSchema);
    if (form.errors) throw new Response("Bad request", { status: 400 });
    try {
      await endSession({ actor: user.actor, sessionId: form.data.sessionId });
    } catch (error) {
      if (!(error instanceof ActionRefused)) throw error;
      // Already ended (another tab, or "sign out of all other sessions" just before).
      return redirectWithToast(request, "/account", { key: error.messageKey, tone: "error" });
    }
    return redirectWithToast(request, "/account", { key: "toast.sessionEnded" });
  }

  if (intent === "endOtherSessions") {
    await endOtherSessions({ actor: user.actor, currentSessionId: user.sessionId });
    return redirectWithToast(request, "/account", { key: "toast.otherSessionsEnded" });
  }

  throw new Response("Bad request", { status: 400 });
}

export default function Account() {
  const t = useT();
  const rt = useRichT();
  const user = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const profile = actionData?.intent === "profile" ? actionData : undefined;
  const password = actionData?.intent === "password" ? actionData : undefined;
  return (
    <div className="mx-auto max-w-2xl space-y-8">
      <h1 className="text-3xl font-bold">{t("account.title")}</h1>

      <section
        aria-labelledby="profile-heading"
        className="rounded-2xl border border-stone-200 bg-white p-6 shadow-sm"
      >
        <h2 id="profile-heading" className="text-xl font-semibold">
          {t("account.profile.title")}
        </h2>
        {/* Keyed on the saved values, so a change made elsewhere (the header's language switch)
            shows here instead of the stale default of a form that stayed mounted. */}
        <Form
          key={`${user.name}|${user.locale}`}
          method="post"
          className="mt-4 space-y-4"
          noValidate
        >
          <input type="hidden" name="intent" value="profile" />
          <Field
            name="name"
            label={t("field.name")}
            autoComplete="name"
            required
            defaultValue={profile?.values.name ?? user.name}
            error={profile?.errors.name}
          />
          <div className="space-y-1">
            <p className="text-sm font-medium text-stone-800">{t("field.email")}</p>
            <p className="text-start text-stone-900">
              <bdi dir="ltr">{user.email}</bdi>
            </p>
            <p className="text-sm text-stone-600">
              {t("account.profile.emailNote")}{" "}
              <a
                href={`mailto:${user.supportEmail}?subject=${encodeURIComponent(t("account.profile.emailChangeSubject"))}`}
                className="font-medium text-accent-700 underline"
                dir="ltr"
              >
                <bdi>{user.supportEmail}</bdi>
              </a>
            </p>
          </div>
          <div className="space-y-1">
            <label htmlFor="field-locale" className="block text-sm font-medium text-stone-800">
              {t("field.language")}
            </label>
            <select
              id="field-locale"
              name="locale"
              defaultValue={profile?.values.locale ?? user.locale}
              className={inputClass}
              aria-invalid={profile?.errors.locale ? true : undefined}
              aria-describedby={profile?.errors.locale ? "field-locale-error" : undefined}
            >
              <option value="">{t("field.languageAuto")}</option>
              <option value="he" lang="he">
                {t("lang.he")}
              </option>
              <option value="en" lang="en">
                {t("lang.en")}
              </option>
            </select>
            {profile?.errors.locale ? (
              <FieldError id="field-locale-error">{t(profile.errors.locale)}</FieldError>
            ) : null}
          </div>
          <Button type="submit" disabled={busy}>
            {t("account.profile.save")}
          </Button>
        </Form>
      </section>

      <section
        aria-labelledby="password-heading"
        className="rounded-2xl border border-stone-200 bg-white p-6 shadow-sm"
      >
        <h2 id="password-heading" className="text-xl font-semibold">
          {t("account.password.title")}
        </h2>
        <p className="mt-1 text-sm text-stone-600">{t("account.password.note")}</p>
        <Form method="post" className="mt-4 space-y-4" noValidate>
          <input type="hidden" name="intent" value="password" />
          <input
            type="email"
            name="email"
            autoComplete="username"
            value={user.email}
            readOnly
            hidden
          />
          <Field
            name="currentPassword"
            type="password"
            label={t("field.currentPassword")}
            autoComplete="current-password"
            dir="ltr"
            required
            error={password?.errors.currentPassword}
          />
          <Field
            name="newPassword"
            type="password"
            label={t("field.newPassword")}
            autoComplete="new-password"
            dir="ltr"
            required
            minLength={user.passwordMinLength}
            hint={t("field.passwordHint")}
            error={password?.errors.newPassword}
          />
          <Button type="submit" disabled={busy}>
            {t("account.password.save")}
          </Button>
        </Form>
      </section>

      <NotificationPreferences preferences={user.preferences} />

      <ActiveSessions sessions={user.sessions} busy={busy} />

      {!user.isStaff ? (
        <section
          aria-labelledby="orgs-heading"
          className="rounded-2xl border border-stone-200 bg-white p-6 shadow-sm"
        >
          <h2 id="orgs-heading" className="text-xl font-semibold">
            {t("account.orgs.title")}
          </h2>
          {user.memberships.length === 0 ? (
            <p className="mt-2 text-stone-700">{t("account.orgs.empty")}</p>
          ) : (
            <ul className="mt-4 divide-y divide-stone-100">
              {user.memberships.map((m) => (
                <li key={m.orgId} className="flex items-center justify-between gap-4 py-3">
                  <span>
                    <bdi className="font-medium">{m.name}</bdi>{" "}
                    <span className="text-sm text-stone-600">
                      · {t(m.role === "admin" ? "role.admin" : "role.member")}
                    </span>
                  </span>
                  <Link
                    to={`/orgs/${m.slug}`}
                    className="text-sm font-medium text-accent-700 underline"
                  >
                    {rt(m.role === "admin" ? "account.orgs.open" : "account.orgs.view", {
                      org: m.name,
                    })}
                  </Link>
                </li>
              ))}
            </ul>
          )}
          <Link
            to="/orgs/new"
            className="mt-4 inline-block text-sm font-medium text-accent-700 underline"
          >
            {t("account.newOrg")}
          </Link>
        </section>
      ) : null}

      <section
        aria-labelledby="delete-heading"
        className="rounded-2xl border border-red-200 bg-white p-6 shadow-sm"
      >
        <h2 id="delete-heading" className="text-xl font-semibold">
          {t("account.delete.title")}
        </h2>
        <p className="mt-1 text-sm text-stone-700">{t("account.delete.note")}</p>
        <Link to="/account/delete" className={buttonClass("danger", "mt-4")}>
          {t("account.delete.link")}
        </Link>
      </section>
    </div>
  );
}

const PREFERENCE_FIELDS = [
  { name: "status", label: "prefs.status", hint: "prefs.statusHint" },
  { name: "news", label: "prefs.news", hint: "prefs.newsHint" },
  { name: "digest", label: "prefs.digest", hint: "prefs.digestHint" },
] as const;

/**
 * The three e-mail preferences. A plain form without JavaScript (the page reloads with a
 * toast); with it, a fetcher saves in place and the same toast shows. Keyed on the saved
 * values, so an unsubscribe link used in another tab shows here after revalidation.
 */
function NotificationPreferences({ preferences }: { preferences: Preferences }) {
  const t = useT();
  const fetcher = useFetcher({ key: "preferences" });
  const saving = fetcher.state !== "idle";
  return (
    <section
      aria-labelledby="notifications-heading"
      className="rounded-2xl border border-stone-200 bg-white p-6 shadow-sm"
    >
      <h2 id="notifications-heading" className="text-xl font-semibold">
        {t("prefs.title")}
      </h2>
      <p className="mt-1 text-sm text-stone-600">{t("prefs.intro")}</p>
      <fetcher.Form
        key={`${preferences.status}|${preferences.news}|${preferences.digest}`}
        method="post"
        action="/account"
        className="mt-4 space-y-4"
      >
        <input type="hidden" name="intent" value="preferences" />
        <fieldset className="space-y-3">
          <legend className="sr-only">{t("prefs.title")}</legend>
          {PREFERENCE_FIELDS.map((field) => (
            <div key={field.name} className="flex items-start gap-3">
              <input
                type="checkbox"
                id={`pref-${field.name}`}
                name={field.name}
                defaultChecked={preferences[field.name]}
                aria-describedby={`pref-${field.name}-hint`}
                className="mt-1 h-4 w-4"
              />
              <div>
                <label htmlFor={`pref-${field.name}`} className="font-medium text-stone-900">
                  {t(field.label)}
                </label>
                <p id={`pref-${field.name}-hint`} className="text-sm text-stone-600">
                  {t(field.hint)}
                </p>
              </div>
            </div>
          ))}
        </fieldset>
        <Button type="submit" disabled={saving}>
          {t("prefs.save")}
        </Button>
      </fetcher.Form>
    </section>
  );
}
