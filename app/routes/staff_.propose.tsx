// Staff propose a request on a customer's behalf: the customer first (organization, then a
// member or a new contact, how they told us, what they said), then the request itself as on
// the propose page. The customer becomes its author and is e-mailed a link to it.
import {
  data,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { redirectWithToast } from "~/auth/session.server";
import { requireStaffOr404 } from "~/auth/staff-actions.server";
import { Button } from "~/components/Button";
import { CategorySelect } from "~/components/CategorySelect";
import { CustomerFields, OrgSearch } from "~/components/CustomerPicker";
import { Field, FormAlert } from "~/components/Field";
import { MarkdownField } from "~/components/MarkdownField";
import { pageTitle } from "~/components/PageTitle";
import {
  errorsFromRefusal,
  formValues,
  readForm,
  validateForm,
  type FieldErrors,
  type FormValues,
} from "~/forms.server";
import { useRichT } from "~/i18n/rich";
import { useT } from "~/i18n/useT";
import { renderMarkdown } from "~/markdown.server";
import { listCategories } from "~/models/categories.server";
import { TITLE_MAX_LENGTH } from "~/models/request-limits";
import { DuplicateRequest, getRequest } from "~/models/requests.server";
import { getCustomerPicker, proposeOnBehalf } from "~/models/staff-requests.server";
import { customerChoiceOf, parseId, ProposeOnBehalfSchema } from "~/schemas.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "staffPropose.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireStaffOr404(request);
  const url = new URL(request.url);
  return {
    picker: await getCustomerPicker({
      actor: user.actor,
      query: (url.searchParams.get("org") ?? "").slice(0, 80),
      orgId: parseId(url.searchParams.get("orgId")),
    }),
    categories: await listCategories(),
  };
}

type ActionResult = {
  errors: FieldErrors;
  values: FormValues;
  preview?: string;
  /** The open request that already has this title: record a vote there instead. */
  duplicate?: { id: number; title: string };
};

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireStaffOr404(request);
  const formData = await readForm(request);
  const form = validateForm(formData, ProposeOnBehalfSchema);
  if (formData.get("preview"))
    return data<ActionResult>({
      errors: {},
      values: form.values,
      preview: renderMarkdown(form.values.bodyMd ?? ""),
    });
  if (form.errors)
    return data<ActionResult>({ errors: form.errors, values: form.values }, { status: 400 });
  try {
    const created = await proposeOnBehalf({
      actor: user.actor,
      ...customerChoiceOf(form.data),
      title: form.data.title,
      bodyMd: form.data.bodyMd,
      categoryId: form.data.categoryId,
    });
    return redirectWithToast(request, `/requests/${created.id}`, {
      key: "toast.proposedOnBehalf",
      params: { name: created.name },
    });
  } catch (error) {
    const values = formValues(formData);
    if (error instanceof DuplicateRequest) {
      const existing = await getRequest({ id: error.existingId, viewer: user.actor });
      return data<ActionResult>(
        {
          errors: { title: "request.error.duplicate" },
          values,
          duplicate: existing ? { id: existing.id, title: existing.title } : undefined,
        },
        { status: 409 },
      );
    }
    const refusal = errorsFromRefusal(error);
    return data<ActionResult>({ errors: refusal.errors, values }, { status: refusal.status });
  }
}

export default function ProposeOnBehalf() {
  const t = useT();
  const rt = useRichT();
  const { picker, categories } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const values = actionData?.values ?? {};
  const errors = actionData?.errors ?? {};
  const path = "/staff/propose";
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <div>
        <h1 className="text-3xl font-bold">{t("staffPropose.title")}</h1>
        <p className="mt-2 text-stone-700">{t("staffPropose.lead")}</p>
      </div>
      {picker.chosen ? (
        <Form method="post" className="space-y-6" noValidate>
          {errors.form ? <FormAlert>{t(errors.form)}</FormAlert> : null}
          <section
            aria-labelledby="customer-heading"
            className="space-y-4 rounded-2xl border border-stone-200 bg-white p-6 shadow-sm"
          >
            <h2 id="customer-heading" className="text-xl font-semibold">
              {t("staffPropose.customer")}
            </h2>
            <CustomerFields chosen={picker.chosen} path={path} values={values} errors={errors} />
          </section>
          <section
            aria-labelledby="request-heading"
            className="space-y-5 rounded-2xl border border-stone-200 bg-white p-6 shadow-sm"
          >
            <h2 id="request-heading" className="text-xl font-semibold">
              {t("staffPropose.request")}
            </h2>
            <Field
              name="title"
              label={t("field.title")}
              required
              maxLength={TITLE_MAX_LENGTH}
              defaultValue={values.title ?? ""}
              error={errors.title}
              hint={t("field.titleHint")}
              autoComplete="off"
              dir="auto"
            />
            {actionData?.duplicate ? (
              <div className="rounded-xl border border-amber-300 bg-amber-50 p-4 text-amber-950">
                <p>{t("staffPropose.duplicate")}</p>
                <Link
                  to={`/requests/${actionData.duplicate.id}/record-vote?${new URLSearchParams({
                    orgId: String(picker.chosen.org.id),
                  })}`}
                  className="font-medium underline"
                >
                  {rt("staffPropose.duplicateLink", { title: actionData.duplicate.title })}
                </Link>
              </div>
            ) : null}
            <MarkdownField
              name="bodyMd"
              label={t("field.body")}
              defaultValue={values.bodyMd}
              error={errors.bodyMd}
              hint={t("field.bodyHint")}
              previewHtml={actionData?.preview ?? null}
              rows={8}
            />
            <CategorySelect
              categories={categories}
              defaultValue={values.categoryId ?? ""}
              error={errors.categoryId}
            />
            <Button type="submit" disabled={navigation.state === "submitting"}>
              {t("staffPropose.submit")}
            </Button>
          </section>
        </Form>
      ) : (
        <section
          aria-labelledby="customer-heading"
          className="space-y-4 rounded-2xl border border-stone-200 bg-white p-6 shadow-sm"
        >
          <h2 id="customer-heading" className="text-xl font-semibold">
            {t("staffPropose.customer")}
          </h2>
          <p className="text-stone-700">{t("staffPropose.chooseFirst")}</p>
          <OrgSearch path={path} query={picker.query} matches={picker.matches} />
        </section>
      )}
    </div>
  );
}
