import {
  data,
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import {
  Form,
  Link,
  useActionData,
  useLoaderData,
  useNavigation,
  useSearchParams,
} from "@remix-run/react";
import { SignUpSchema } from "~/schemas.server";
import { getSessionUser, startUserSession } from "~/auth/session.server";
import { AuthCard } from "~/components/AuthCard";
import { Button } from "~/components/Button";
import { Field, FormAlert } from "~/components/Field";
import { pageTitle } from "~/components/PageTitle";
import { parseForm, type FieldErrors, type FormValues } from "~/forms.server";
import { resolveLocale } from "~/i18n/locale.server";
import { useT } from "~/i18n/useT";
import { PASSWORD_MIN_LENGTH } from "~/models/passwords.server";
import { hitRateLimit, RATE_LIMITS } from "~/models/rate-limits.server";
import { createUser, EmailTakenError } from "~/models/users.server";
import { safeRedirect } from "~/utils";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "signUp.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getSessionUser(request);
  if (user) throw redirect(safeRedirect(new URL(request.url).searchParams.get("redirectTo")));
  return { passwordMinLength: PASSWORD_MIN_LENGTH };
}

type ActionResult = { errors: FieldErrors; values: FormValues };

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await parseForm(request, SignUpSchema);
  if (form.errors)
    return data<ActionResult>({ errors: form.errors, values: form.values }, { status: 400 });

  const limit = await hitRateLimit(
    `signup:ip:${context?.ip ?? "unknown"}`,
    RATE_LIMITS.signUpPerAddress,
  );
  if (limit.limited) {
    const minutes = String(Math.max(1, Math.ceil(limit.retryAfterMs / 60_000)));
    return data<ActionResult>(
      { errors: { form: "error.signUpLimited" }, values: { ...form.values, minutes } },
      { status: 429, headers: { "Retry-After": String(Math.ceil(limit.retryAfterMs / 1000)) } },
    );
  }

  try {
    // No saved language yet: the account follows the browser and the header's switch until the
    // user picks one in the account settings.
    const user = await createUser({
      ...form.data,
      emailVerified: false,
      mailLocale: await resolveLocale(request, null),
    });
    const fallback = "/orgs/new";
    const redirectTo = safeRedirect(form.data.redirectTo, fallback);
    return startUserSession(request, {
      user,
      ip: context?.ip || null,
      redirectTo: redirectTo === "/" ? fallback : redirectTo,
      toast: { key: "toast.signedUp", params: { name: user.name } },
    });
  } catch (error) {
    if (!(error instanceof EmailTakenError)) throw error;
    return data<ActionResult>(
      { errors: { email: "error.emailTaken" }, values: form.values },
      { status: 400 },
    );
  }
}

export default function SignUp() {
  const t = useT();
  const { passwordMinLength } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const errors = actionData?.errors ?? {};
  const values = actionData?.values ?? {};
  const redirectTo = values.redirectTo ?? params.get("redirectTo") ?? "/";
  const email = values.email ?? params.get("email") ?? undefined;
  const signInHref = `/signin?${new URLSearchParams({ redirectTo })}`;
  return (
    <AuthCard
      title={t("signUp.title")}
      lead={t("signUp.lead")}
      footer={
        <>
          {t("signUp.haveAccount")}{" "}
          <Link to={signInHref} className="font-medium text-accent-700 underline">
            {t("signUp.signInLink")}
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
          name="name"
          label={t("field.name")}
          autoComplete="name"
          required
          defaultValue={values.name}
          error={errors.name}
        />
        <Field
          name="email"
          type="email"
          label={t("field.email")}
          autoComplete="email"
          dir="ltr"
          required
          defaultValue={email}
          error={errors.email}
          hint={t("signUp.invitedHint")}
        />
        <Field
          name="password"
          type="password"
          label={t("field.password")}
          autoComplete="new-password"
          dir="ltr"
          required
          minLength={passwordMinLength}
          error={errors.password}
          hint={t("field.passwordHint")}
        />
        <Button type="submit" className="w-full" disabled={navigation.state === "submitting"}>
          {t("signUp.submit")}
        </Button>
      </Form>
    </AuthCard>
  );
}
