// Staff choosing the customer they act for: first the organization (a GET search, so it works
// without JavaScript; the results are links that choose one), then, inside the page's POST form,
// a member of it or a new contact, how the customer told us, and what they said.
import { Form, Link } from "@remix-run/react";
import { Button } from "~/components/Button";
import { Field, FieldError, inputClass } from "~/components/Field";
import type { MessageKey } from "~/i18n/messages";
import { useRichT } from "~/i18n/rich";
import { useT } from "~/i18n/useT";

type Source = "email" | "whatsapp" | "call" | "meeting";
const SOURCES: { value: Source; key: MessageKey }[] = [
  { value: "email", key: "staffRequests.source.email" },
  { value: "whatsapp", key: "staffRequests.source.whatsapp" },
  { value: "call", key: "staffRequests.source.call" },
  { value: "meeting", key: "staffRequests.source.meeting" },
];

export type OrgMatch = { id: number; name: string; memberCount: number };
export type ChosenOrg = {
  org: { id: number; name: string; memberCount: number };
  members: { id: number; name: string; email: string }[];
  moreMembers: boolean;
};

/** The organization search: a GET form to `path`, and its results as links choosing one. */
export function OrgSearch({
  path,
  query,
  matches,
}: {
  path: string;
  query: string;
  matches: OrgMatch[] | null;
}) {
  const t = useT();
  const rt = useRichT();
  return (
    <div className="space-y-3">
      <Form method="get" action={path} className="space-y-2">
        <Field
          name="org"
          label={t("customer.org.label")}
          hint={t("customer.org.hint")}
          defaultValue={query}
          autoComplete="off"
        />
        <Button type="submit" variant="secondary">
          {t("customer.org.search")}
        </Button>
      </Form>
      {matches === null ? null : matches.length === 0 ? (
        <p className="text-stone-700" role="status">
          {t("customer.org.none")}
        </p>
      ) : (
        <section aria-labelledby="org-results-heading" className="space-y-1">
          <h3 id="org-results-heading" className="text-sm font-semibold">
            {t("customer.org.results")}
          </h3>
          <ul className="space-y-1">
            {matches.map((org) => (
              <li key={org.id}>
                <Link
                  to={`${path}?${new URLSearchParams({ orgId: String(org.id) })}`}
                  className="font-medium text-accent-700 underline"
                  aria-label={t("customer.org.choose", { org: org.name })}
                >
                  <bdi>{org.name}</bdi>
                </Link>{" "}
                <span className="text-sm text-stone-600">
                  ({rt.count("count.members", org.memberCount)})
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

/** The chosen customer's fields, to sit inside the POST form (or name it with `form`). */
export function CustomerFields({
  chosen,
  path,
  values,
  errors,
}: {
  chosen: ChosenOrg;
  /** The page itself, without a chosen organization (to choose another). */
  path: string;
  values: Record<string, string>;
  errors: Partial<Record<string, MessageKey>>;
}) {
  const t = useT();
  const rt = useRichT();
  const described = (field: string, hint?: boolean) =>
    [errors[field] ? `field-${field}-error` : null, hint ? `field-${field}-hint` : null]
      .filter(Boolean)
      .join(" ") || undefined;
  return (
    <div className="space-y-4">
      <input type="hidden" name="orgId" value={chosen.org.id} />
      <p className="flex flex-wrap items-baseline gap-x-3">
        <span className="font-medium">{rt("customer.org.chosen", { org: chosen.org.name })}</span>
        <Link to={path} className="text-sm font-medium text-accent-700 underline">
          {t("customer.org.change")}
        </Link>
      </p>
      {errors.orgId ? <FieldError id="field-orgId-error">{t(errors.orgId)}</FieldError> : null}

      <div className="space-y-1">
        <label htmlFor="field-userId" className="block text-sm font-medium text-stone-800">
          {t("customer.member.label")}
        </label>
        <select
          id="field-userId"
          name="userId"
          defaultValue={values.userId ?? ""}
          className={inputClass}
          aria-invalid={errors.userId ? true : undefined}
          aria-describedby={described("userId", chosen.moreMembers)}
        >
          <option value="">{t("customer.member.new")}</option>
          {chosen.members.map((member) => (
            <option key={member.id} value={member.id}>
              {member.name} ({member.email})
            </option>
          ))}
        </select>
        {errors.userId ? <FieldError id="field-userId-error">{t(errors.userId)}</FieldError> : null}
        {chosen.moreMembers ? (
          <p id="field-userId-hint" className="text-sm text-stone-600">
            {t("customer.member.more")}
          </p>
        ) : null}
      </div>

      <fieldset className="space-y-3 rounded-xl border border-stone-200 p-3">
        <legend className="px-1 text-sm font-semibold">{t("customer.contact.legend")}</legend>
        <p id="new-contact-hint" className="text-sm text-stone-600">
          {t("customer.contact.hint")}
        </p>
        <Field
          name="newContactEmail"
          type="email"
          label={t("customer.contact.email")}
          defaultValue={values.newContactEmail ?? ""}
          error={errors.newContactEmail}
          autoComplete="off"
          dir="ltr"
        />
        <Field
          name="newContactName"
          label={t("customer.contact.name")}
          defaultValue={values.newContactName ?? ""}
          error={errors.newContactName}
          autoComplete="off"
          maxLength={80}
        />
      </fieldset>

      <div className="space-y-1">
        <label htmlFor="field-source" className="block text-sm font-medium text-stone-800">
          {t("customer.source.label")}
        </label>
        <select
          id="field-source"
          name="source"
          required
          defaultValue={values.source ?? ""}
          className={inputClass}
          aria-invalid={errors.source ? true : undefined}
          aria-describedby={described("source")}
        >
          <option value="" disabled>
            {t("customer.source.choose")}
          </option>
          {SOURCES.map((source) => (
            <option key={source.value} value={source.value}>
              {t(source.key)}
            </option>
          ))}
        </select>
        {errors.source ? <FieldError id="field-source-error">{t(errors.source)}</FieldError> : null}
      </div>

      <div className="space-y-1">
        <label htmlFor="field-quote" className="block text-sm font-medium text-stone-800">
          {t("customer.quote.label")}
        </label>
        <textarea
          id="field-quote"
          name="quote"
          rows={3}
          maxLength={2000}
          defaultValue={values.quote ?? ""}
          className={inputClass}
          dir="auto"
          aria-invalid={errors.quote ? true : undefined}
          aria-describedby={[errors.quote ? "field-quote-error" : null, "field-quote-hint"]
            .filter(Boolean)
            .join(" ")}
        />
        {errors.quote ? <FieldError id="field-quote-error">{t(errors.quote)}</FieldError> : null}
        <p id="field-quote-hint" className="text-sm text-stone-600">
          {t("customer.quote.hint")}
        </p>
      </div>
    </div>
  );
}
