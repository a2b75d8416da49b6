// Confirms "Delete my account" with the password, after saying what happens and what stays.
import {
  data,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { endUserSession, requireUser } from "~/auth/session.server";
import { AuthCard } from "~/components/AuthCard";
import { Button, buttonClass } from "~/components/Button";
import { Field, FormAlert } from "~/components/Field";
import { pageTitle } from "~/components/PageTitle";
import { errorsFromRefusal, parseForm, type FieldErrors } from "~/forms.server";
import { useT } from "~/i18n/useT";
import { deleteAccount, listDeletionBlockers } from "~/models/account-deletion.server";
import { DeleteAccountSchema } from "~/schemas.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "accountDelete.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return { email: user.email, blockers: await listDeletionBlockers(user.id) };
}

type ActionResult = { errors: FieldErrors };

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await parseForm(request, DeleteAccountSchema);
  if (form.errors) return data<ActionResult>({ errors: form.errors }, { status: 400 });
  try {
    await deleteAccount({ actor: user.actor, password: form.data.password });
  } catch (error) {
    const refusal = errorsFromRefusal(error);
    return data<ActionResult>({ errors: refusal.errors }, { status: refusal.status });
  }
  return endUserSession(request, { key: "toast.accountDeleted" });
}

export default function DeleteAccount() {
  const t = useT();
  const { email, blockers } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const errors = actionData?.errors ?? {};
  return (
    <AuthCard title={t("accountDelete.title")} lead={t("accountDelete.lead")}>
      <ul className="list-disc space-y-2 ps-5 text-stone-800">
        <li>{t("accountDelete.what.votes")}</li>
        <li>{t("accountDelete.what.content")}</li>
        <li>{t("accountDelete.what.memberships")}</li>
        <li>{t("accountDelete.what.sessions")}</li>
      </ul>
      {blockers.length > 0 ? (
        <div className="mt-6 space-y-2" role="alert">
          <p className="font-medium text-red-800">{t("accountDelete.blocked")}</p>
          <ul className="list-disc space-y-1 ps-5">
            {blockers.map((org) => (
              <li key={org.orgId}>
                <Link to={`/orgs/${org.slug}`} className="font-medium text-accent-700 underline">
                  {org.name}
                </Link>
              </li>
            ))}
          </ul>
        </div>
      ) : (
        <Form method="post" className="mt-6 space-y-4" noValidate>
          {errors.form ? <FormAlert>{t(errors.form)}</FormAlert> : null}
          <input type="email" name="email" autoComplete="username" value={email} readOnly hidden />
          <Field
            name="password"
            type="password"
            label={t("field.password")}
            autoComplete="current-password"
            dir="ltr"
            required
            hint={t("accountDelete.passwordHint")}
            error={errors.password}
          />
          <div className="flex flex-wrap gap-3">
            <Button type="submit" variant="danger" disabled={navigation.state === "submitting"}>
              {t("accountDelete.submit")}
            </Button>
            <Link to="/account" className={buttonClass("secondary")}>
              {t("accountDelete.cancel")}
            </Link>
          </div>
        </Form>
      )}
    </AuthCard>
  );
}
