// Staff clean up a request's title, description and category (any request but a merged one);
// its author stays its author, and the edit is audited.
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
import { getRequest } from "~/models/requests.server";
import { editRequestAsStaff } from "~/models/staff-requests.server";
import { requireIdParam, StaffEditSchema } from "~/schemas.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "staffEdit.title");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const requestId = requireIdParam(params.id);
  const user = await requireStaffOr404(request);
  const found = await getRequest({ id: requestId, viewer: user.actor });
  if (!found || found.status === "merged") throw new Response("Not found", { status: 404 });
  const categories = await listCategories();
  // An archived category the request already has stays choosable.
  if (found.categoryId && !categories.some((c) => c.id === found.categoryId))
    categories.unshift({
      id: found.categoryId,
      slug: found.categorySlug ?? "",
      nameHe: found.categoryNameHe ?? "",
      nameEn: found.categoryNameEn ?? "",
    });
  return {
    request: {
      id: found.id,
      title: found.title,
      bodyMd: found.bodyMd,
      categoryId: found.categoryId,
      authorName: found.authorName,
    },
    categories,
  };
}

type ActionResult = { errors: FieldErrors; values: FormValues; preview?: string };

export async function action({ request, params }: ActionFunctionArgs) {
  const requestId = requireIdParam(params.id);
  const user = await requireStaffOr404(request);
  const formData = await readForm(request);
  const form = validateForm(formData, StaffEditSchema);
  if (formData.get("preview"))
    return data<ActionResult>({
      errors: {},
      values: form.values,
      preview: renderMarkdown(form.values.bodyMd ?? ""),
    });
  if (form.errors)
    return data<ActionResult>({ errors: form.errors, values: form.values }, { status: 400 });
  try {
    await editRequestAsStaff({ actor: user.actor, requestId, ...form.data });
  } catch (error) {
    const refusal = errorsFromRefusal(error);
    return data<ActionResult>(
      { errors: refusal.errors, values: formValues(formData) },
      { status: refusal.status },
    );
  }
  return redirectWithToast(request, `/requests/${requestId}`, { key: "toast.staffEdited" });
}

export default function StaffEditRequest() {
  const t = useT();
  const rt = useRichT();
  const { request, categories } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const values = actionData?.values ?? {};
  const errors = actionData?.errors ?? {};
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <div>
        <h1 className="text-3xl font-bold">{t("staffEdit.title")}</h1>
        <p className="mt-2 text-stone-700">
          {rt("staffEdit.lead", { author: request.authorName ?? t("request.formerMember") })}
        </p>
      </div>
      <Form
        method="post"
        className="space-y-5 rounded-2xl border border-stone-200 bg-white p-6 shadow-sm"
        noValidate
      >
        {errors.form ? <FormAlert>{t(errors.form)}</FormAlert> : null}
        <Field
          name="title"
          label={t("field.title")}
          required
          maxLength={TITLE_MAX_LENGTH}
          defaultValue={values.title ?? request.title}
          error={errors.title}
          hint={t("field.titleHint")}
          autoComplete="off"
          dir="auto"
        />
        <MarkdownField
          name="bodyMd"
          label={t("field.body")}
          defaultValue={values.bodyMd ?? request.bodyMd}
          error={errors.bodyMd}
          hint={t("field.bodyHint")}
          previewHtml={actionData?.preview ?? null}
          rows={8}
        />
        <CategorySelect
          categories={categories}
          defaultValue={values.categoryId ?? String(request.categoryId ?? "")}
          error={errors.categoryId}
        />
        <div className="flex flex-wrap items-center gap-3">
          <Button type="submit" disabled={navigation.state === "submitting"}>
            {t("staffEdit.save")}
          </Button>
          <Link
            to={`/requests/${request.id}`}
            className="text-sm font-medium text-stone-700 underline"
          >
            {t("requestEdit.back")}
          </Link>
        </div>
      </Form>
    </div>
  );
}
