// The link from a password-reset e-mail: choose a new password, once, within the hour.
import {
  data,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { startUserSession } from "~/auth/session.server";
import { AuthCard } from "~/components/AuthCard";
import { Button, buttonClass } from "~/components/Button";
import { Field, FormAlert } from "~/components/Field";
import { pageTitle } from "~/components/PageTitle";
import { parseForm, type FieldErrors } from "~/forms.server";
import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/useT";
import type { TokenState } from "~/models/account-tokens.server";
import { resetLinkState, resetPassword } from "~/models/password-reset.server";
import { ResetPasswordSchema } from "~/schemas.server";

export const meta: MetaFunction<typeof loader> = ({ matches, data: loaderData }) =>
  pageTitle(matches, loaderData?.problem ? "reset.problemTitle" : "reset.title");

const problemOf: Record<Exclude<TokenState, "valid">, MessageKey> = {
  used: "reset.used",
  expired: "reset.expired",
  unknown: "reset.unknown",
};

// The token is in the address: never pass it on to another site.
const headers = { "Referrer-Policy": "no-referrer" };

// Opening a spent link shows a normal page that explains and offers a new link (200); only a
// password posted through one is refused as gone (410).
function problemResponse(state: Exclude<TokenState, "valid">, status: number) {
  return data({ problem: problemOf[state], errors: {} as FieldErrors }, { status, headers });
}

export async function loader({ params }: LoaderFunctionArgs) {
  const state = await resetLinkState(params.token ?? "");
  if (state !== "valid") return problemResponse(state, 200);
  return data({ problem: null, errors: {} as FieldErrors }, { headers });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const form = await parseForm(request, ResetPasswordSchema);
  if (form.errors) return data({ problem: null, errors: form.errors }, { status: 400, headers });
  const result = await resetPassword({
    token: params.token ?? "",
    newPassword: form.data.newPassword,
  });
  if ("state" in result) return problemResponse(result.state, 410);
  return startUserSession(request, {
    user: result.user,
    ip: context?.ip || null,
    redirectTo: "/",
    toast: { key: "toast.passwordReset", params: { name: result.user.name } },
  });
}

export default function ResetPassword() {
  const t = useT();
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const problem = actionData?.problem ?? loaderData.problem;
  if (problem) {
    return (
      <AuthCard title={t("reset.problemTitle")}>
        <FormAlert>{t(problem)}</FormAlert>
        <Link to="/forgot-password" className={buttonClass("primary", "mt-6 w-full")}>
          {t("reset.askAgain")}
        </Link>
      </AuthCard>
    );
  }
  const errors = actionData?.errors ?? {};
  return (
    <AuthCard title={t("reset.title")} lead={t("reset.lead")}>
      <Form method="post" className="space-y-4" noValidate>
        <Field
          name="newPassword"
          type="password"
          label={t("field.newPassword")}
          autoComplete="new-password"
          dir="ltr"
          required
          minLength={10}
          hint={t("field.passwordHint")}
          error={errors.newPassword}
        />
        <Button type="submit" className="w-full" disabled={navigation.state === "submitting"}>
          {t("reset.submit")}
        </Button>
      </Form>
    </AuthCard>
  );
}
