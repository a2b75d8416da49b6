import {
  data,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { isStaff } from "~/auth/permissions.server";
import { OrganizationSchema } from "~/schemas.server";
import { redirectWithToast, requireUser } from "~/auth/session.server";
import { AuthCard } from "~/components/AuthCard";
import { Button } from "~/components/Button";
import { Field, FormAlert } from "~/components/Field";
import { pageTitle } from "~/components/PageTitle";
import { errorsFromRefusal, parseForm, type FieldErrors, type FormValues } from "~/forms.server";
import { useT } from "~/i18n/useT";
import { createOrganization } from "~/models/orgs.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "orgNew.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return { email: user.email, isStaff: isStaff(user.actor) };
}

type ActionResult = { errors: FieldErrors; values: FormValues };

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await parseForm(request, OrganizationSchema);
  if (form.errors)
    return data<ActionResult>({ errors: form.errors, values: form.values }, { status: 400 });
  try {
    const org = await createOrganization({ actor: user.actor, name: form.data.name });
    return redirectWithToast(
      request,
      `/orgs/${org.slug}`,
      { key: "toast.orgCreated", params: { org: org.name } },
      (s) => s.set("orgId", org.id),
    );
  } catch (error) {
    const refusal = errorsFromRefusal(error);
    return data<ActionResult>(
      { errors: refusal.errors, values: form.values },
      { status: refusal.status },
    );
  }
}

export default function NewOrganization() {
  const t = useT();
  const { email, isStaff } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const errors = actionData?.errors ?? {};
  return (
    <AuthCard
      title={t("orgNew.title")}
      lead={t("orgNew.lead")}
      footer={isStaff ? null : <p>{t("orgNew.inviteHint", { email })}</p>}
    >
      {isStaff ? (
        <FormAlert>{t("orgNew.staffRefused")}</FormAlert>
      ) : (
        <Form method="post" className="space-y-4" noValidate>
          {errors.form ? <FormAlert>{t(errors.form)}</FormAlert> : null}
          <Field
            name="name"
            label={t("field.orgName")}
            autoComplete="organization"
            required
            defaultValue={actionData?.values.name}
            error={errors.name}
            hint={t("field.orgNameHint")}
          />
          <Button type="submit" className="w-full" disabled={navigation.state === "submitting"}>
            {t("orgNew.submit")}
          </Button>
        </Form>
      )}
    </AuthCard>
  );
}
