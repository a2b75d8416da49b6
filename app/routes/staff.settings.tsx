// Staff settings, for staff admins: categories (add, rename, reorder, archive), who is staff,
// the hourly rate and VAT quotes use, and a new quote's default terms and validity. Every control is a plain form posting an `intent`.
import {
  data,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { redirectWithToast, requireUser } from "~/auth/session.server";
import { Button } from "~/components/Button";
import { Field, FormAlert, inputClass } from "~/components/Field";
import { pageTitle } from "~/components/PageTitle";
import {
  errorsFromRefusal,
  readForm,
  validateForm,
  type FieldErrors,
  type FormValues,
} from "~/forms.server";
import type { Locale } from "~/i18n/messages";
import { useRichT } from "~/i18n/rich";
import { useLocale, useT } from "~/i18n/useT";
import {
  createCategory,
  moveCategory,
  renameCategory,
  setCategoryArchived,
} from "~/models/categories.server";
import { ActionRefused, type Actor } from "~/models/errors";
import {
  getStaffSettings,
  updatePricingSettings,
  updateQuoteSettings,
} from "~/models/settings.server";
import { MarkdownField } from "~/components/MarkdownField";
import { renderMarkdown } from "~/markdown.server";
import { grantStaff, revokeStaff, setStaffRole } from "~/models/staff.server";
import { StaffSettingsSchema, type StaffSettingsForm } from "~/schemas.server";
import type { Toast } from "~/auth/session.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "staffSettings.title");

/** The signed-in user's Actor; visitors are sent to sign in first (the model refuses customers). */
async function requireActor(request: Request): Promise<Actor> {
  return (await requireUser(request)).actor;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  try {
    return { ...(await getStaffSettings({ actor })), viewerId: actor.id };
  } catch (error) {
    if (error instanceof ActionRefused) throw new Response(null, { status: error.status });
    throw error;
  }
}

type ActionResult = {
  intent: string;
  target: string;
  errors: FieldErrors;
  values: FormValues;
  /** The default terms rendered: the Markdown field's "Preview" without JavaScript. */
  preview?: string;
};

/** Does what the form asks; the toast that confirms it. */
async function perform(actor: Actor, form: StaffSettingsForm): Promise<Toast> {
  switch (form.intent) {
    case "categoryCreate":
      await createCategory({ actor, slug: form.slug, nameHe: form.nameHe, nameEn: form.nameEn });
      return { key: "staffSettings.toast.categoryCreated", params: { name: form.nameEn } };
    case "categoryRename":
      await renameCategory({ actor, ...form });
      return { key: "staffSettings.toast.categoryRenamed", params: { name: form.nameEn } };
    case "categoryMove":
      await moveCategory({ actor, categoryId: form.categoryId, direction: form.direction });
      return { key: "staffSettings.toast.categoryMoved" };
    case "categoryArchive":
      await setCategoryArchived({ actor, categoryId: form.categoryId, archived: form.archived });
      return {
        key: form.archived
          ? "staffSettings.toast.categoryArchived"
          : "staffSettings.toast.categoryRestored",
      };
    case "staffGrant": {
      const granted = await grantStaff({ actor, email: form.email, role: form.role });
      return { key: "staffSettings.toast.staffGranted", params: { name: granted.name } };
    }
    case "staffRole":
      await setStaffRole({ actor, userId: form.userId, role: form.role });
      return { key: "staffSettings.toast.staffRoleChanged" };
    case "staffRevoke":
      await revokeStaff({ actor, userId: form.userId });
      return { key: "staffSettings.toast.staffRevoked" };
    case "pricing":
      await updatePricingSettings({
        actor,
        hourlyRateMinor: form.hourlyRate,
        vatBps: form.vatPercent,
      });
      return { key: "staffSettings.toast.pricingSaved" };
    case "quoteSettings":
      await updateQuoteSettings({ actor, termsMd: form.termsMd, validDays: form.validDays });
      return { key: "staffSettings.quote.toast.saved" };
  }
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const formData = await readForm(request);
  const intent = String(formData.get("intent") ?? "");
  // Which row's form sent it, so its error shows beside that row.
  const target = String(formData.get("categoryId") ?? formData.get("userId") ?? "");
  const form = validateForm(formData, StaffSettingsSchema);
  if (intent === "quoteSettings" && formData.get("preview")) {
    // Previewing the default terms saves nothing; staff only see them rendered.
    await getStaffSettings({ actor }).catch((error: unknown) => {
      if (error instanceof ActionRefused) throw new Response(null, { status: 404 });
      throw error;
    });
    return data<ActionResult>({
      intent,
      target,
      errors: {},
      values: form.values,
      preview: renderMarkdown(form.values.termsMd ?? ""),
    });
  }
  if (form.errors) {
    return data<ActionResult>(
      { intent, target, errors: form.errors, values: form.values },
      { status: 400 },
    );
  }
  try {
    const toast = await perform(actor, form.data);
    return redirectWithToast(request, "/staff/settings", toast);
  } catch (error) {
    // Refused for who they are: the page does not exist for customers; staff learn why.
    if (error instanceof ActionRefused && error.messageKey === "error.404.title")
      throw new Response(null, { status: 404 });
    const refusal = errorsFromRefusal(error);
    return data<ActionResult>(
      { intent, target, errors: refusal.errors, values: form.values },
      { status: refusal.status },
    );
  }
}

/** ₪250.00 in the page's locale. */
function formatMoney(locale: Locale, minor: number, currency: string) {
  return new Intl.NumberFormat(locale === "he" ? "he-IL" : "en-US", {
    style: "currency",
    currency,
  }).format(minor / 100);
}

/** 18% in the page's locale, from basis points. */
function formatPercent(locale: Locale, bps: number) {
  return new Intl.NumberFormat(locale === "he" ? "he-IL" : "en-US", {
    style: "percent",
    maximumFractionDigits: 2,
  }).format(bps / 10_000);
}

/** "250" or "250.5" for an input, from hundredths. */
function decimalOf(hundredths: number) {
  return String(hundredths / 100);
}

const sectionClass = "rounded-2xl border border-stone-200 bg-white shadow-sm";
const smallButton = "px-3 py-1";

export default function StaffSettings() {
  const t = useT();
  const rt = useRichT();
  const locale = useLocale();
  const { categories, staff, pricing, quote, viewerId } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const resultFor = (intent: string, target = "") =>
    result && result.intent === intent && result.target === target ? result : undefined;
  const create = resultFor("categoryCreate");
  const grant = resultFor("staffGrant");
  const pricingResult = resultFor("pricing");
  const quoteResult = resultFor("quoteSettings");
  const adminCount = staff.filter((m) => m.role === "admin").length;
  const lastAdminLocked = adminCount <= 1;
  // Errors of the row forms (move, archive, role, revoke) show above the list they belong to.
  const rowError = (intents: string[]) =>
    result && intents.includes(result.intent) && result.intent !== "categoryRename"
      ? result.errors.form
      : undefined;
  const categoryError = rowError(["categoryMove", "categoryArchive"]);
  const staffError = rowError(["staffRole", "staffRevoke"]);

  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-bold sm:text-3xl">{t("staffSettings.title")}</h1>
        <p className="mt-1 text-stone-700">{t("staffSettings.lead")}</p>
      </div>

      <section aria-labelledby="categories-heading" className={sectionClass}>
        <div className="border-b border-stone-100 px-5 py-4">
          <h2 id="categories-heading" className="text-xl font-semibold">
            {t("staffSettings.categories.title")}
          </h2>
          <p className="mt-1 text-sm text-stone-600">{t("staffSettings.categories.lead")}</p>
        </div>
        {categoryError ? (
          <div className="px-5 pt-4">
            <FormAlert>{t(categoryError)}</FormAlert>
          </div>
        ) : null}
        <ol className="divide-y divide-stone-100">
          {categories.map((category, index) => {
            const rename = resultFor("categoryRename", String(category.id));
            const label = locale === "he" ? category.nameHe : category.nameEn;
            return (
              <li key={category.id} className="space-y-3 px-5 py-4">
                <div className="flex flex-wrap items-center gap-x-3 gap-y-2">
                  <p className="min-w-0 basis-full font-medium sm:basis-0 sm:flex-1">
                    <bdi>{label}</bdi>{" "}
                    <code dir="ltr" className="text-sm font-normal text-stone-600">
                      {category.slug}
                    </code>{" "}
                    {category.archived ? (
                      <span className="rounded-full bg-stone-100 px-2 py-0.5 text-xs font-medium text-stone-700 ring-1 ring-inset ring-stone-300">
                        {t("staffSettings.categories.archived")}
                      </span>
                    ) : null}
                  </p>
                  <div className="flex flex-wrap gap-2">
                    {(["up", "down"] as const).map((direction) => (
                      <Form method="post" key={direction}>
                        <input type="hidden" name="intent" value="categoryMove" />
                        <input type="hidden" name="categoryId" value={category.id} />
                        <input type="hidden" name="direction" value={direction} />
                        <Button
                          variant="secondary"
                          className={smallButton}
                          disabled={
                            busy ||
                            (direction === "up" ? index === 0 : index === categories.length - 1)
                          }
                        >
                          <span aria-hidden="true">{direction === "up" ? "↑" : "↓"}</span>
                          {t(
                            direction === "up"
                              ? "staffSettings.categories.moveUp"
                              : "staffSettings.categories.moveDown",
                          )}
                          <span className="sr-only"> – {label}</span>
                        </Button>
                      </Form>
                    ))}
                    <Form method="post">
                      <input type="hidden" name="intent" value="categoryArchive" />
                      <input type="hidden" name="categoryId" value={category.id} />
                      <input type="hidden" name="archived" value={category.archived ? "0" : "1"} />
                      <Button
                        variant={category.archived ? "secondary" : "danger"}
                        className={smallButton}
                        disabled={busy}
                      >
                        {t(
                          category.archived
                            ? "staffSettings.categories.unarchive"
                            : "staffSettings.categories.archive",
                        )}
                        <span className="sr-only"> – {label}</span>
                      </Button>
                    </Form>
                  </div>
                </div>
                <details open={rename ? true : undefined}>
                  <summary className="cursor-pointer text-sm font-medium text-accent-700">
                    {t("staffSettings.categories.rename")}
                    <span className="sr-only"> – {label}</span>
                  </summary>
                  <Form
                    method="post"
                    className="mt-3 grid gap-3 sm:grid-cols-[1fr_1fr_auto] sm:items-start"
                    noValidate
                  >
                    <input type="hidden" name="intent" value="categoryRename" />
                    <input type="hidden" name="categoryId" value={category.id} />
                    {rename?.errors.form ? (
                      <div className="sm:col-span-3">
                        <FormAlert>{t(rename.errors.form)}</FormAlert>
                      </div>
                    ) : null}
                    <Field
                      id={`rename-${category.id}-he`}
                      name="nameHe"
                      label={t("staffSettings.categories.nameHe")}
                      dir="rtl"
                      lang="he"
                      required
                      defaultValue={rename?.values.nameHe ?? category.nameHe}
                      error={rename?.errors.nameHe}
                    />
                    <Field
                      id={`rename-${category.id}-en`}
                      name="nameEn"
                      label={t("staffSettings.categories.nameEn")}
                      dir="ltr"
                      lang="en"
                      required
                      defaultValue={rename?.values.nameEn ?? category.nameEn}
                      error={rename?.errors.nameEn}
                    />
                    <Button type="submit" variant="secondary" className="sm:mt-6" disabled={busy}>
                      {t("staffSettings.categories.renameSubmit")}
                    </Button>
                  </Form>
                </details>
              </li>
            );
          })}
        </ol>
        <div className="border-t border-stone-100 px-5 py-4">
          <h3 className="font-semibold">{t("staffSettings.categories.addTitle")}</h3>
          <Form
            method="post"
            className="mt-3 grid gap-3 sm:grid-cols-[10rem_1fr_1fr_auto] sm:items-start"
            noValidate
          >
            <input type="hidden" name="intent" value="categoryCreate" />
            {create?.errors.form ? (
              <div className="sm:col-span-4">
                <FormAlert>{t(create.errors.form)}</FormAlert>
              </div>
            ) : null}
            <Field
              id="new-category-slug"
              name="slug"
              label={t("staffSettings.categories.slug")}
              dir="ltr"
              autoComplete="off"
              required
              defaultValue={create?.values.slug}
              error={create?.errors.slug}
            />
            <Field
              id="new-category-he"
              name="nameHe"
              label={t("staffSettings.categories.nameHe")}
              dir="rtl"
              lang="he"
              required
              defaultValue={create?.values.nameHe}
              error={create?.errors.nameHe}
            />
            <Field
              id="new-category-en"
              name="nameEn"
              label={t("staffSettings.categories.nameEn")}
              dir="ltr"
              lang="en"
              required
              defaultValue={create?.values.nameEn}
              error={create?.errors.nameEn}
            />
            <Button type="submit" className="sm:mt-6" disabled={busy}>
              {t("staffSettings.categories.add")}
            </Button>
          </Form>
          <p className="mt-2 text-sm text-stone-600">{t("staffSettings.categories.slugHint")}</p>
        </div>
      </section>

      <section aria-labelledby="staff-heading" className={sectionClass}>
        <div className="border-b border-stone-100 px-5 py-4">
          <h2 id="staff-heading" className="text-xl font-semibold">
            {t("staffSettings.staff.title")}
          </h2>
          <p className="mt-1 text-sm text-stone-600">{t("staffSettings.staff.lead")}</p>
        </div>
        {staffError ? (
          <div className="px-5 pt-4">
            <FormAlert>{t(staffError)}</FormAlert>
          </div>
        ) : null}
        <ul className="divide-y divide-stone-100 text-sm">
          {staff.map((member) => {
            const locked = member.role === "admin" && lastAdminLocked;
            return (
              <li
                key={member.id}
                className="flex flex-wrap items-center justify-between gap-3 px-5 py-3"
              >
                <div className="min-w-0">
                  <p className="text-start font-medium">
                    <bdi>{member.name}</bdi>{" "}
                    {member.id === viewerId ? (
                      <span className="font-normal text-stone-600">{t("org.members.you")}</span>
                    ) : null}{" "}
                    <span
                      className={`inline-block rounded-full px-2 py-0.5 text-xs font-medium ${
                        member.role === "admin"
                          ? "bg-accent-100 text-accent-800"
                          : "bg-stone-100 text-stone-700"
                      }`}
                    >
                      {t(
                        member.role === "admin"
                          ? "staffSettings.staff.roleAdmin"
                          : "staffSettings.staff.roleMember",
                      )}
                    </span>
                  </p>
                  <p className="truncate text-start text-stone-600">
                    <bdi dir="ltr">{member.email}</bdi>
                  </p>
                </div>
                <div className="flex flex-wrap gap-2">
                  <Form method="post">
                    <input type="hidden" name="intent" value="staffRole" />
                    <input type="hidden" name="userId" value={member.id} />
                    <input
                      type="hidden"
                      name="role"
                      value={member.role === "admin" ? "member" : "admin"}
                    />
                    <Button
                      variant="secondary"
                      className={smallButton}
                      disabled={busy || locked}
                      aria-describedby={locked ? "last-staff-admin-note" : undefined}
                    >
                      {t(
                        member.role === "admin"
                          ? "staffSettings.staff.makeMember"
                          : "staffSettings.staff.makeAdmin",
                      )}
                      <span className="sr-only"> – {member.name}</span>
                    </Button>
                  </Form>
                  <Form method="post">
                    <input type="hidden" name="intent" value="staffRevoke" />
                    <input type="hidden" name="userId" value={member.id} />
                    <Button
                      variant="danger"
                      className={smallButton}
                      disabled={busy || locked}
                      aria-describedby={locked ? "last-staff-admin-note" : undefined}
                    >
                      {t("staffSettings.staff.revoke")}
                      <span className="sr-only"> – {member.name}</span>
                    </Button>
                  </Form>
                </div>
              </li>
            );
          })}
        </ul>
        {lastAdminLocked ? (
          <p
            id="last-staff-admin-note"
            className="border-t border-stone-100 px-5 py-3 text-sm text-stone-700"
          >
            {t("staffSettings.staff.lastAdmin")}
          </p>
        ) : null}
        <div className="border-t border-stone-100 px-5 py-4">
          <h3 className="font-semibold">{t("staffSettings.staff.grantTitle")}</h3>
          <Form
            method="post"
            className="mt-3 grid gap-3 sm:grid-cols-[1fr_12rem_auto] sm:items-start"
            noValidate
          >
            <input type="hidden" name="intent" value="staffGrant" />
            {grant?.errors.form ? (
              <div className="sm:col-span-3">
                <FormAlert>{t(grant.errors.form)}</FormAlert>
              </div>
            ) : null}
            <Field
              id="grant-email"
              name="email"
              type="email"
              label={t("field.email")}
              dir="ltr"
              autoComplete="off"
              required
              defaultValue={grant?.values.email}
              error={grant?.errors.email}
            />
            <div className="space-y-1">
              <label htmlFor="grant-role" className="block text-sm font-medium text-stone-800">
                {t("field.role")}
              </label>
              <select
                id="grant-role"
                name="role"
                defaultValue={grant?.values.role ?? "member"}
                className={inputClass}
              >
                <option value="member">{t("staffSettings.staff.roleMember")}</option>
                <option value="admin">{t("staffSettings.staff.roleAdmin")}</option>
              </select>
            </div>
            <Button type="submit" className="sm:mt-6" disabled={busy}>
              {t("staffSettings.staff.grant")}
            </Button>
          </Form>
          <p className="mt-2 text-sm text-stone-600">{t("staffSettings.staff.grantHint")}</p>
        </div>
      </section>

      <section aria-labelledby="pricing-heading" className={`${sectionClass} p-5`}>
        <h2 id="pricing-heading" className="text-xl font-semibold">
          {t("staffSettings.pricing.title")}
        </h2>
        <p className="mt-1 text-sm text-stone-600">
          {rt("staffSettings.pricing.current", {
            rate: formatMoney(locale, pricing.hourlyRateMinor, pricing.currency),
            vat: formatPercent(locale, pricing.vatBps),
          })}
        </p>
        <Form
          method="post"
          className="mt-4 grid gap-3 sm:grid-cols-[1fr_1fr_auto] sm:items-start"
          noValidate
        >
          <input type="hidden" name="intent" value="pricing" />
          {pricingResult?.errors.form ? (
            <div className="sm:col-span-3">
              <FormAlert>{t(pricingResult.errors.form)}</FormAlert>
            </div>
          ) : null}
          <Field
            id="pricing-rate"
            name="hourlyRate"
            label={t("staffSettings.pricing.rate")}
            inputMode="decimal"
            dir="ltr"
            required
            defaultValue={pricingResult?.values.hourlyRate ?? decimalOf(pricing.hourlyRateMinor)}
            error={pricingResult?.errors.hourlyRate}
            hint={t("staffSettings.quote.rateHint")}
          />
          <Field
            id="pricing-vat"
            name="vatPercent"
            label={t("staffSettings.pricing.vat")}
            inputMode="decimal"
            dir="ltr"
            required
            defaultValue={pricingResult?.values.vatPercent ?? decimalOf(pricing.vatBps)}
            error={pricingResult?.errors.vatPercent}
            hint={t("staffSettings.pricing.vatHint")}
          />
          <Button type="submit" className="sm:mt-6" disabled={busy}>
            {t("staffSettings.pricing.save")}
          </Button>
        </Form>
      </section>

      <section aria-labelledby="quote-settings-heading" className={`${sectionClass} p-5`}>
        <h2 id="quote-settings-heading" className="text-xl font-semibold">
          {t("staffSettings.quote.title")}
        </h2>
        <p className="mt-1 text-sm text-stone-600">
          {rt("staffSettings.quote.current", {
            rate: formatMoney(locale, pricing.hourlyRateMinor, pricing.currency),
            vat: formatPercent(locale, pricing.vatBps),
            days: String(quote.validDays),
          })}
        </p>
        <Form method="post" className="mt-4 space-y-3" noValidate>
          <input type="hidden" name="intent" value="quoteSettings" />
          {quoteResult?.errors.form ? <FormAlert>{t(quoteResult.errors.form)}</FormAlert> : null}
          <div className="max-w-xs">
            <Field
              id="quote-valid-days"
              name="validDays"
              label={t("staffSettings.quote.validDays")}
              inputMode="numeric"
              dir="ltr"
              required
              defaultValue={quoteResult?.values.validDays ?? String(quote.validDays)}
              error={quoteResult?.errors.validDays}
              hint={t("staffSettings.quote.validDaysHint")}
            />
          </div>
          <MarkdownField
            id="quote-default-terms"
            name="termsMd"
            label={t("staffSettings.quote.terms")}
            hint={t("staffSettings.quote.termsHint")}
            rows={8}
            defaultValue={quoteResult?.values.termsMd ?? quote.termsMd}
            error={quoteResult?.errors.termsMd}
            previewHtml={quoteResult?.preview}
          />
          <Button type="submit" disabled={busy}>
            {t("staffSettings.quote.save")}
          </Button>
        </Form>
      </section>
    </div>
  );
}
