// Propose a feature. Similar requests appear while the title is typed (with JavaScript), or
// after a first submit that asks to confirm (without it), so duplicates get votes instead.
import {
  data,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import {
  Form,
  Link,
  useActionData,
  useFetcher,
  useLoaderData,
  useNavigation,
} from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { canParticipate, isStaff } from "~/auth/permissions.server";
import { redirectWithToast, requireUser, type SessionUser } from "~/auth/session.server";
import { Button, buttonClass } from "~/components/Button";
import { Field, FormAlert } from "~/components/Field";
import { MarkdownField } from "~/components/MarkdownField";
import { CategorySelect } from "~/components/CategorySelect";
import { pageTitle } from "~/components/PageTitle";
import { SimilarRequests, type SimilarItem } from "~/components/SimilarRequests";
import { useHydrated } from "~/components/useHydrated";
import { VisibilityChoice } from "~/components/VisibilityChoice";
import {
  errorsFromRefusal,
  readForm,
  validateForm,
  type FieldErrors,
  type FormValues,
} from "~/forms.server";
import { useT } from "~/i18n/useT";
import { renderMarkdown } from "~/markdown.server";
import { listCategories } from "~/models/categories.server";
import { hitRateLimit, RATE_LIMITS } from "~/models/rate-limits.server";
import {
  createRequest,
  DuplicateRequest,
  findDuplicateRequest,
  findSimilarRequests,
  getRequest,
  listVotedRequestIds,
} from "~/models/requests.server";
import { TITLE_MAX_LENGTH } from "~/models/request-limits";
import { ProposeSchema } from "~/schemas.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "propose.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const title = new URL(request.url).searchParams.get("title")?.slice(0, TITLE_MAX_LENGTH) ?? "";
  return {
    categories: await listCategories(),
    canPropose: isStaff(user.actor) || canParticipate(user, user.currentOrg?.orgId),
    // Staff propose for no organization, so theirs are public: only customers choose.
    canChooseVisibility: !isStaff(user.actor) && canParticipate(user, user.currentOrg?.orgId),
    title,
    titleMaxLength: TITLE_MAX_LENGTH,
  };
}

type ActionResult = {
  errors: FieldErrors;
  values: FormValues;
  similar?: SimilarItem[];
  /** The open request that already has this title: voted for instead of proposed again. */
  duplicate?: SimilarItem;
  preview?: string;
};

async function duplicateAnswer(existingId: number, user: SessionUser, values: FormValues) {
  const existing = await getRequest({ id: existingId, viewer: user.actor });
  if (!existing) throw new Error(`duplicate request ${existingId} vanished`);
  const duplicate: SimilarItem = {
    id: existing.id,
    title: existing.title,
    status: existing.status,
    voteCount: existing.voteCount,
    orgCount: existing.orgCount,
    voted: existing.voted,
  };
  return data<ActionResult>(
    { errors: { title: "request.error.duplicate" }, values, duplicate },
    { status: 409 },
  );
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const formData = await readForm(request);
  const form = validateForm(formData, ProposeSchema);
  if (formData.get("preview")) {
    return data<ActionResult>({
      errors: {},
      values: form.values,
      preview: renderMarkdown(form.values.bodyMd ?? ""),
    });
  }
  if (form.errors)
    return data<ActionResult>({ errors: form.errors, values: form.values }, { status: 400 });

  if (!form.data.confirmed) {
    // Without JavaScript the first submit checks; an exact duplicate is said so at once.
    const duplicate = await findDuplicateRequest(form.data.title, user.actor);
    if (duplicate) return duplicateAnswer(duplicate.id, user, form.values);
    const similar = await findSimilarRequests(form.data.title, user.actor, 5);
    if (similar.length > 0) {
      const voted = await listVotedRequestIds(
        user.id,
        similar.map((s) => s.id),
      );
      return data<ActionResult>({
        errors: {},
        values: form.values,
        similar: similar.map((s) => ({ ...s, voted: voted.has(s.id) })),
      });
    }
  }

  const limit = await hitRateLimit(`post:request:${user.id}`, RATE_LIMITS.requestsPerUser);
  if (limit.limited) {
    const minutes = String(Math.max(1, Math.ceil(limit.retryAfterMs / 60_000)));
    return data<ActionResult>(
      { errors: { form: "error.postLimited" }, values: { ...form.values, minutes } },
      { status: 429 },
    );
  }

  try {
    const created = await createRequest({
      actor: user.actor,
      orgId: user.currentOrg?.orgId ?? null,
      title: form.data.title,
      bodyMd: form.data.bodyMd,
      categoryId: form.data.categoryId,
      visibility: form.data.visibility,
    });
    return redirectWithToast(request, `/requests/${created.id}`, { key: "toast.requestCreated" });
  } catch (error) {
    if (error instanceof DuplicateRequest)
      return duplicateAnswer(error.existingId, user, form.values);
    const refusal = errorsFromRefusal(error);
    return data<ActionResult>(
      { errors: refusal.errors, values: form.values },
      { status: refusal.status },
    );
  }
}

export default function ProposeRequest() {
  const t = useT();
  const { categories, canPropose, canChooseVisibility, title, titleMaxLength } =
    useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const hydrated = useHydrated();
  const values = actionData?.values ?? {};
  const errors = actionData?.errors ?? {};

  // Similar requests while typing: a debounced fetcher to the search-as-you-type endpoint.
  const similar = useFetcher<{ similar: SimilarItem[] }>();
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const [typed, setTyped] = useState(values.title ?? title);
  useEffect(() => {
    const text = typed.trim();
    clearTimeout(timer.current);
    if (text.length < 3) return;
    timer.current = setTimeout(
      () => similar.load(`/requests/similar?${new URLSearchParams({ title: text })}`),
      250,
    );
    return () => clearTimeout(timer.current);
    // The fetcher's identity changes every render; the text is what matters.
  }, [typed]);
  const duplicate = actionData?.duplicate ?? null;
  const liveSimilar =
    typed.trim().length >= 3
      ? (similar.data?.similar ?? []).filter((item) => item.id !== duplicate?.id)
      : [];
  const confirmSimilar = actionData?.similar ?? null;

  if (!canPropose) {
    return (
      <div className="mx-auto max-w-2xl space-y-4">
        <h1 className="text-3xl font-bold">{t("propose.title")}</h1>
        <FormAlert>{t("propose.needOrg")}</FormAlert>
        <Link to="/orgs/new" className={buttonClass("primary")}>
          {t("home.cta.createOrg")}
        </Link>
      </div>
    );
  }

  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <div>
        <h1 className="text-3xl font-bold">{t("propose.title")}</h1>
        <p className="mt-2 text-stone-700">{t("propose.lead")}</p>
      </div>

      {confirmSimilar ? (
        <section
          aria-labelledby="confirm-heading"
          className="rounded-2xl border border-amber-300 bg-amber-50 p-5"
          role="alert"
        >
          <h2 id="confirm-heading" className="text-lg font-semibold text-amber-950">
            {t("propose.confirm.title")}
          </h2>
          <p className="mt-1 text-amber-950">{t("propose.confirm.body")}</p>
          <SimilarRequests items={confirmSimilar} />
        </section>
      ) : null}

      {/* The similar-requests panel holds vote forms of its own, and forms cannot nest: so the
          propose form ends after the title and the fields below join it with form="propose". */}
      <div className="space-y-5 rounded-2xl border border-stone-200 bg-white p-6 shadow-sm">
        <Form id="propose" method="post" className="space-y-5" noValidate>
          {errors.form ? (
            <FormAlert>{t(errors.form, { minutes: values.minutes ?? "" })}</FormAlert>
          ) : null}
          {hydrated || confirmSimilar ? <input type="hidden" name="confirmed" value="1" /> : null}
          <Field
            name="title"
            label={t("field.title")}
            required
            maxLength={titleMaxLength}
            defaultValue={values.title ?? title}
            error={errors.title}
            hint={t("field.titleHint")}
            autoComplete="off"
            onChange={(event) => setTyped(event.currentTarget.value)}
          />
        </Form>
        {duplicate ? (
          <section
            aria-labelledby="duplicate-heading"
            className="rounded-xl border border-amber-300 bg-amber-50 p-4"
          >
            <h2 id="duplicate-heading" className="font-semibold text-amber-950">
              {t("propose.duplicate.title")}
            </h2>
            <p className="text-sm text-amber-950">{t("propose.duplicate.lead")}</p>
            <SimilarRequests items={[duplicate]} />
          </section>
        ) : null}
        {liveSimilar.length > 0 ? (
          <section
            aria-labelledby="similar-heading"
            aria-live="polite"
            className="rounded-xl border border-accent-100 bg-accent-50 p-4"
          >
            <h2 id="similar-heading" className="font-semibold text-accent-800">
              {t("propose.similar.title")}
            </h2>
            <p className="text-sm text-stone-700">{t("propose.similar.lead")}</p>
            <SimilarRequests items={liveSimilar} />
          </section>
        ) : null}
        <MarkdownField
          form="propose"
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
          form="propose"
        />
        {canChooseVisibility ? (
          <VisibilityChoice
            defaultValue={values.visibility}
            error={errors.visibility}
            form="propose"
          />
        ) : null}
        <div className="flex flex-wrap items-center gap-3">
          <Button type="submit" form="propose" disabled={navigation.state === "submitting"}>
            {confirmSimilar ? t("propose.confirm.submit") : t("propose.submit")}
          </Button>
          <Link to="/" className="text-sm font-medium text-stone-700 underline">
            {t("comments.cancel")}
          </Link>
        </div>
      </div>
    </div>
  );
}
