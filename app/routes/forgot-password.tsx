// "Forgot your password?": asks for the address and answers the same whether it has an account.
import {
  data,
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { getSessionUser } from "~/auth/session.server";
import { AuthCard } from "~/components/AuthCard";
import { Button } from "~/components/Button";
import { Field, FormAlert } from "~/components/Field";
import { pageTitle } from "~/components/PageTitle";
import { parseForm, type FieldErrors, type FormValues } from "~/forms.server";
import { resolveLocale } from "~/i18n/locale.server";
import { useRichT } from "~/i18n/rich";
import { useT } from "~/i18n/useT";
import { requestPasswordReset } from "~/models/password-reset.server";
import { hitRateLimit, RATE_LIMITS } from "~/models/rate-limits.server";
import { normalizeEmail } from "~/models/users.server";
import { ForgotPasswordSchema } from "~/schemas.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "forgot.title");

export async function loader({ request }: LoaderFunctionArgs) {
  // Signed in, one changes the password on the account page.
  if (await getSessionUser(request)) throw redirect("/account");
  return null;
}

type ActionResult = { errors: FieldErrors; values: FormValues; sentTo?: string };

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await parseForm(request, ForgotPasswordSchema);
  if (form.errors)
    return data<ActionResult>({ errors: form.errors, values: form.values }, { status: 400 });

  // Keyed by the address typed, known or not, so the limit itself reveals nothing.
  for (const [key, rule] of [
    [`reset:email:${normalizeEmail(form.data.email)}`, RATE_LIMITS.passwordResetPerEmail],
    [`reset:ip:${context?.ip ?? "unknown"}`, RATE_LIMITS.passwordResetPerAddress],
  ] as const) {
    const state = await hitRateLimit(key, rule);
    if (state.limited) {
      const minutes = String(Math.max(1, Math.ceil(state.retryAfterMs / 60_000)));
      return data<ActionResult>(
        { errors: { form: "error.resetLimited" }, values: { ...form.values, minutes } },
        { status: 429, headers: { "Retry-After": String(Math.ceil(state.retryAfterMs / 1000)) } },
      );
    }
  }

  await requestPasswordReset({
    email: form.data.email,
    locale: await resolveLocale(request, null),
  });
  return data<ActionResult>({ errors: {}, values: {}, sentTo: form.data.email });
}

export default function ForgotPassword() {
  const t = useT();
  const rt = useRichT();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const errors = actionData?.errors ?? {};
  const values = actionData?.values ?? {};
  return (
    <AuthCard
      title={t("forgot.title")}
      lead={actionData?.sentTo ? undefined : t("forgot.lead")}
      footer={
        <Link to="/signin" className="font-medium text-accent-700 underline">
          {t("forgot.backToSignIn")}
        </Link>
      }
    >
      {actionData?.sentTo ? (
        <p role="status" className="rounded-lg bg-emerald-50 px-3 py-2 text-emerald-900">
          {rt("forgot.sent", { email: actionData.sentTo })}
        </p>
      ) : (
        <Form method="post" className="space-y-4" noValidate>
          {errors.form ? (
            <FormAlert>{t(errors.form, { minutes: values.minutes ?? "" })}</FormAlert>
          ) : null}
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
          <Button type="submit" className="w-full" disabled={navigation.state === "submitting"}>
            {t("forgot.submit")}
          </Button>
        </Form>
      )}
    </AuthCard>
  );
}
