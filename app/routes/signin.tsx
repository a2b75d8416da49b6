import {
  data,
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { authenticator, InvalidCredentials } from "~/auth/authenticator.server";
import { SignInSchema } from "~/schemas.server";
import { getSessionUser, startUserSession } from "~/auth/session.server";
import { AuthCard } from "~/components/AuthCard";
import { Button } from "~/components/Button";
import { Field, FormAlert } from "~/components/Field";
import { pageTitle } from "~/components/PageTitle";
import { validateForm, type FieldErrors, type FormValues } from "~/forms.server";
import { useT } from "~/i18n/useT";
import { clearRateLimit, hitRateLimit, RATE_LIMITS } from "~/models/rate-limits.server";
import { normalizeEmail } from "~/models/users.server";
import { safeRedirect } from "~/utils";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "signIn.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getSessionUser(request);
  if (user) throw redirect(safeRedirect(new URL(request.url).searchParams.get("redirectTo")));
  return null;
}

type ActionResult = { errors: FieldErrors; values: FormValues };

export async function action({ request, context }: ActionFunctionArgs) {
  const form = validateForm(await request.clone().formData(), SignInSchema);
  if (form.errors)
    return data<ActionResult>({ errors: form.errors, values: form.values }, { status: 400 });

  const emailKey = `signin:email:${normalizeEmail(form.data.email)}`;
  const addressKey = `signin:ip:${context?.ip ?? "unknown"}`;
  // Every attempt counts before the password is checked, so parallel guesses can't slip past
  // the limit; a successful sign-in clears the e-mail's counter.
  for (const [key, rule] of [
    [emailKey, RATE_LIMITS.signInPerEmail],
    [addressKey, RATE_LIMITS.signInPerAddress],
  ] as const) {
    const state = await hitRateLimit(key, rule);
    if (state.limited) {
      const minutes = String(Math.max(1, Math.ceil(state.retryAfterMs / 60_000)));
      return data<ActionResult>(
        { errors: { form: "error.signInLimited" }, values: { ...form.values, minutes } },
        { status: 429, headers: { "Retry-After": String(Math.ceil(state.retryAfterMs / 1000)) } },
      );
    }
  }

  try {
    const user = await authenticator.authenticate("password", request);
    await clearRateLimit(emailKey);
    return startUserSession(request, {
      user,
      redirectTo: safeRedirect(form.data.redirectTo),
      toast: { key: "toast.signedIn", params: { name: user.name } },
    });
  } catch (error) {
    if (!(error instanceof InvalidCredentials)) throw error;
    return data<ActionResult>(
      { errors: { form: "error.invalidCredentials" }, values: form.values },
      { status: 401 },
    );
  }
}

export default function SignIn() {
  const t = useT();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const errors = actionData?.errors ?? {};
  const values = actionData?.values ?? {};
  const redirectTo = values.redirectTo ?? params.get("redirectTo") ?? "/";
  const signUpHref = `/signup?${new URLSearchParams({ redirectTo })}`;
  return (
    <AuthCard
      title={t("signIn.title")}
      lead={t("signIn.lead")}
      footer={
        <>
          {t("signIn.noAccount")}{" "}
          <Link to={signUpHref} className="font-medium text-accent-700 underline">
            {t("signIn.signUpLink")}
          </Link>
        </>
      }
    >
      <Form method="post" className="space-y-4" noValidate>
        {errors.form ? (
          <FormAlert>{t(errors.form, { minutes: values.minutes ?? "" })}</FormAlert>
        ) : null}
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <Field
          name="email"
          type="email"
          label={t("field.email")}
          autoComplete="email"
          dir="ltr"
          required
          defaultValue={values.email}
          error={errors.email}
        />
        <Field
          name="password"
          type="password"
          label={t("field.password")}
          autoComplete="current-password"
          dir="ltr"
          required
          error={errors.password}
        />
        <p className="text-sm">
          <Link to="/forgot-password" className="font-medium text-accent-700 underline">
            {t("signIn.forgot")}
          </Link>
        </p>
        <Button type="submit" className="w-full" disabled={navigation.state === "submitting"}>
          {t("signIn.submit")}
        </Button>
      </Form>
    </AuthCard>
  );
}
