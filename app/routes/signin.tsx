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
import { readForm, validateForm, type FieldErrors, type FormValues } from "~/forms.server";
import { useT } from "~/i18n/useT";
import { forgetSignInAttempt, throttleSignIn } from "~/models/rate-limits.server";
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
  const form = validateForm(await readForm(request.clone()), SignInSchema);
  if (form.errors)
    return data<ActionResult>({ errors: form.errors, values: form.values }, { status: 400 });

  const attempt = { email: normalizeEmail(form.data.email), address: context?.ip || "unknown" };
  const throttle = await throttleSignIn(attempt);
  if (throttle.refused) {
    const minutes = String(Math.max(1, Math.ceil(throttle.retryAfterMs / 60_000)));
    return data<ActionResult>(
      { errors: { form: "error.signInLimited" }, values: { ...form.values, minutes } },
      { status: 429, headers: { "Retry-After": String(Math.ceil(throttle.retryAfterMs / 1000)) } },
    );
  }

  try {
    const user = await authenticator.authenticate("password", request);
    await forgetSignInAttempt(attempt);
    return startUserSession(request, {
      user,
      ip: context?.ip || null,
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
