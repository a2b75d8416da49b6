// The author edits or withdraws their own request, while nobody else has voted or commented.
// (`$id_` keeps this page out of the request page's layout: it is a page of its own.)
import {
  data,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { redirectWithToast, requireUser } from "~/auth/session.server";
import { Button, buttonClass } from "~/components/Button";
import { Field, FieldError, FormAlert } from "~/components/Field";
import { MarkdownField } from "~/components/MarkdownField";
import { CategorySelect } from "~/components/CategorySelect";
import { pageTitle } from "~/components/PageTitle";
import {
  errorsFromRefusal,
  formValues,
  readForm,
  validateForm,
  type FieldErrors,
  type FormValues,
} from "~/forms.server";
import { useT } from "~/i18n/useT";
import { renderMarkdown } from "~/markdown.server";
import { listCategories } from "~/models/categories.server";
import { ActionRefused } from "~/models/errors";
import {
  editOwnRequest,
  getOwnRequestForEditing,
  withdrawOwnRequest,
} from "~/models/requests.server";
import { TITLE_MAX_LENGTH } from "~/models/request-limits";
import { EditRequestSchema, requireIdParam, WithdrawRequestSchema } from "~/schemas.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "requestEdit.title");

/** The author's request, or the error page: 404 when there is none, 403 for anyone else. */
async function loadOwnRequest(request: Request, params: { id?: string }) {
  const requestId = requireIdParam(params.id);
  const user = await requireUser(request);
  try {
    return { user, found: await getOwnRequestForEditing({ requestId, actor: user.actor }) };
  } catch (error) {
    if (error instanceof ActionRefused)
      throw new Response(error.messageKey, { status: error.status });
    throw error;
  }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { found } = await loadOwnRequest(request, params);
  return { request: found, categories: found.editable ? await listCategories() : [] };
}

type ActionResult = {
  intent: string;
  errors: FieldErrors;
  values: FormValues;
  preview?: string;
};

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, found } = await loadOwnRequest(request, params);
  const formData = await readForm(request);
  const intent = String(formData.get("intent") ?? "");
  const fail = (errors: FieldErrors, values: FormValues, status: number) =>
    data<ActionResult>({ intent, errors, values }, { status });

  try {
    if (intent === "withdraw") {
      const form = validateForm(formData, WithdrawRequestSchema);
      if (form.errors) return fail(form.errors, form.values, 400);
      await withdrawOwnRequest({ requestId: found.id, actor: user.actor });
      return redirectWithToast(request, "/", { key: "toast.requestWithdrawn" });
    }
    if (intent !== "edit") throw new Response("Bad request", { status: 400 });
    const form = validateForm(formData, EditRequestSchema);
    if (formData.get("preview")) {
      return data<ActionResult>({
        intent,
        errors: {},
        values: form.values,
        preview: renderMarkdown(form.values.bodyMd ?? ""),
      });
    }
    if (form.errors) return fail(form.errors, form.values, 400);
    await editOwnRequest({
      requestId: found.id,
      actor: user.actor,
      title: form.data.title,
      bodyMd: form.data.bodyMd,
      categoryId: form.data.categoryId,
    });
    return redirectWithToast(request, `/requests/${found.id}`, { key: "toast.requestEdited" });
  } catch (error) {
    if (error instanceof Response) throw error;
    const refusal = errorsFromRefusal(error);
    return fail(refusal.errors, formValues(formData), refusal.status);
  }
}

export default function EditRequest() {
  const t = useT();
  const { request, categories } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const edit = actionData?.intent === "edit" ? actionData : undefined;
  const withdraw = actionData?.intent === "withdraw" ? actionData : undefined;
  const values = edit?.values ?? {};
  const errors = edit?.errors ?? {};
  const backTo = `/requests/${request.id}`;

  if (!request.editable) {
    return (
      <div className="mx-auto max-w-2xl space-y-4">
        <h1 className="text-3xl font-bold">{t("requestEdit.locked.title")}</h1>
        <p className="text-stone-700">{t("requestEdit.locked.body")}</p>
        <div className="flex flex-wrap items-center gap-3">
          <Link to={`${backTo}#comments`} className={buttonClass("primary")}>
            {t("requestEdit.locked.comment")}
          </Link>
          <Link to={backTo} className="text-sm font-medium text-stone-700 underline">
            {t("requestEdit.back")}
          </Link>
        </div>
      </div>
    );
  }

  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <div>
        <h1 className="text-3xl font-bold">{t("requestEdit.title")}</h1>
        <p className="mt-2 text-stone-700">{t("requestEdit.lead")}</p>
      </div>

      <Form
        method="post"
        className="space-y-5 rounded-2xl border border-stone-200 bg-white p-6 shadow-sm"
        noValidate
      >
        <input type="hidden" name="intent" value="edit" />
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
          previewHtml={edit?.preview ?? null}
          rows={8}
        />
        <CategorySelect
          categories={categories}
          defaultValue={values.categoryId ?? String(request.categoryId ?? "")}
          error={errors.categoryId}
        />
        <div className="flex flex-wrap items-center gap-3">
          <Button type="submit" disabled={busy}>
            {t("requestEdit.save")}
          </Button>
          <Link to={backTo} className="text-sm font-medium text-stone-700 underline">
            {t("requestEdit.back")}
          </Link>
        </div>
      </Form>

      <section
        aria-labelledby="withdraw-heading"
        className="space-y-3 rounded-2xl border border-red-200 bg-white p-6 shadow-sm"
      >
        <h2 id="withdraw-heading" className="text-xl font-semibold">
          {t("requestEdit.withdraw.title")}
        </h2>
        <p className="text-stone-700">{t("requestEdit.withdraw.lead")}</p>
        {withdraw?.errors.form ? <FormAlert>{t(withdraw.errors.form)}</FormAlert> : null}
        <Form method="post" className="space-y-3" noValidate>
          <input type="hidden" name="intent" value="withdraw" />
          <div className="space-y-1">
            <label className="flex items-center gap-2 text-sm font-medium text-stone-800">
              <input
                type="checkbox"
                name="confirm"
                required
                className="h-4 w-4"
                aria-invalid={withdraw?.errors.confirm ? true : undefined}
                aria-describedby={withdraw?.errors.confirm ? "field-confirm-error" : undefined}
              />
              {t("requestEdit.withdraw.confirm")}
            </label>
            {withdraw?.errors.confirm ? (
              <FieldError id="field-confirm-error">{t(withdraw.errors.confirm)}</FieldError>
            ) : null}
          </div>
          <Button type="submit" variant="danger" disabled={busy}>
            {t("requestEdit.withdraw.submit")}
          </Button>
        </Form>
      </section>
    </div>
  );
}
