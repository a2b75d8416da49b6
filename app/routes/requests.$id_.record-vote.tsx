// Staff record a vote for a customer who asked by e-mail, WhatsApp, a call or a meeting: find
// the organization (?org=), choose it (?orgId=), then a member or a new contact, the source
// and an optional quote. The customer is e-mailed a link to see the vote and to withdraw it.
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
import { CustomerFields, OrgSearch } from "~/components/CustomerPicker";
import { FormAlert } from "~/components/Field";
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
import { getRequest } from "~/models/requests.server";
import { getCustomerPicker, recordVoteFor } from "~/models/staff-requests.server";
import { customerChoiceOf, parseId, RecordVoteSchema, requireIdParam } from "~/schemas.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "staffTools.record.title");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const requestId = requireIdParam(params.id);
  const user = await requireStaffOr404(request);
  const found = await getRequest({ id: requestId, viewer: user.actor });
  if (!found || found.status === "merged") throw new Response("Not found", { status: 404 });
  const url = new URL(request.url);
  return {
    request: { id: found.id, title: found.title },
    picker: await getCustomerPicker({
      actor: user.actor,
      query: (url.searchParams.get("org") ?? "").slice(0, 80),
      orgId: parseId(url.searchParams.get("orgId")),
    }),
  };
}

type ActionResult = { errors: FieldErrors; values: FormValues };

export async function action({ request, params }: ActionFunctionArgs) {
  const requestId = requireIdParam(params.id);
  const user = await requireStaffOr404(request);
  const formData = await readForm(request);
  const form = validateForm(formData, RecordVoteSchema);
  if (form.errors)
    return data<ActionResult>({ errors: form.errors, values: form.values }, { status: 400 });
  try {
    const recorded = await recordVoteFor({
      actor: user.actor,
      requestId,
      ...customerChoiceOf(form.data),
    });
    return redirectWithToast(request, `/requests/${requestId}#staff-tools`, {
      key: "toast.voteRecorded",
      params: { name: recorded.name },
    });
  } catch (error) {
    const refusal = errorsFromRefusal(error);
    return data<ActionResult>(
      { errors: refusal.errors, values: formValues(formData) },
      { status: refusal.status },
    );
  }
}

export default function RecordVote() {
  const t = useT();
  const rt = useRichT();
  const { request, picker } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const path = `/requests/${request.id}/record-vote`;
  const errors = actionData?.errors ?? {};
  return (
    <div className="mx-auto max-w-2xl space-y-6">
      <div className="space-y-2">
        <h1 className="text-3xl font-bold">{t("staffTools.record.title")}</h1>
        <p className="text-stone-700" dir="auto">
          {rt("recordVote.request", { title: request.title })}
        </p>
      </div>
      <section
        aria-labelledby="customer-heading"
        className="space-y-5 rounded-2xl border border-stone-200 bg-white p-6 shadow-sm"
      >
        <h2 id="customer-heading" className="text-xl font-semibold">
          {t("staffPropose.customer")}
        </h2>
        {picker.chosen ? (
          <Form method="post" className="space-y-5" noValidate>
            {errors.form ? <FormAlert>{t(errors.form)}</FormAlert> : null}
            <CustomerFields
              chosen={picker.chosen}
              path={path}
              values={actionData?.values ?? {}}
              errors={errors}
            />
            <Button type="submit" disabled={navigation.state === "submitting"}>
              {t("recordVote.submit")}
            </Button>
          </Form>
        ) : (
          <OrgSearch path={path} query={picker.query} matches={picker.matches} />
        )}
      </section>
      <Link to={`/requests/${request.id}`} className="text-sm font-medium text-stone-700 underline">
        {t("recordVote.back")}
      </Link>
    </div>
  );
}
