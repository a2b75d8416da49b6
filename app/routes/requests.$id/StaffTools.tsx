// The request page's staff section: where the request came from, the clean-up edit link, owner
// and target quarter (each a plain form posting to its own route), recording a vote for a
// customer (a GET search for their organization first), and the votes staff recorded, with
// who recorded each and how. Only staff get this section's data at all.
import { Form, Link } from "@remix-run/react";
import { Button } from "~/components/Button";
import { Field, FieldError, inputClass } from "~/components/Field";
import { quarterLabel } from "~/components/TargetQuarter";
import { formatDate } from "~/i18n/format";
import type { MessageKey } from "~/i18n/messages";
import { useRichT } from "~/i18n/rich";
import { useLocale, useT } from "~/i18n/useT";
import type { RequestPageData } from "./route";

type Tools = NonNullable<RequestPageData["staffTools"]>;
type Source = "email" | "whatsapp" | "call" | "meeting";

export const FROM_KEYS: Record<Source, MessageKey> = {
  email: "staffRequests.from.email",
  whatsapp: "staffRequests.from.whatsapp",
  call: "staffRequests.from.call",
  meeting: "staffRequests.from.meeting",
};

export function OwnerForm({
  requestId,
  staffMembers,
  value,
  error,
}: {
  requestId: number;
  staffMembers: { id: number; name: string }[];
  value: string;
  error?: MessageKey;
}) {
  const t = useT();
  return (
    <Form method="post" action={`/requests/${requestId}/owner`} className="space-y-2">
      <label htmlFor="field-ownerId" className="block text-sm font-medium text-stone-800">
        {t("staffTools.owner.label")}
      </label>
      <select
        id="field-ownerId"
        name="ownerId"
        defaultValue={value}
        className={inputClass}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? "field-ownerId-error" : undefined}
      >
        <option value="">{t("staffTools.owner.none")}</option>
        {staffMembers.map((member) => (
          <option key={member.id} value={member.id}>
            {member.name}
          </option>
        ))}
      </select>
      {error ? <FieldError id="field-ownerId-error">{t(error)}</FieldError> : null}
      <Button type="submit" variant="secondary">
        {t("staffTools.owner.save")}
      </Button>
    </Form>
  );
}

export function QuarterForm({
  requestId,
  quarters,
  value,
  error,
}: {
  requestId: number;
  quarters: string[];
  value: string;
  error?: MessageKey;
}) {
  const t = useT();
  return (
    <Form method="post" action={`/requests/${requestId}/quarter`} className="space-y-2">
      <label htmlFor="field-quarter" className="block text-sm font-medium text-stone-800">
        {t("staffTools.quarter.label")}
      </label>
      <select
        id="field-quarter"
        name="quarter"
        defaultValue={value}
        className={inputClass}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? "field-quarter-error" : undefined}
      >
        <option value="">{t("staffTools.quarter.none")}</option>
        {quarters.map((quarter) => (
          <option key={quarter} value={quarter}>
            {quarterLabel(t, quarter)}
          </option>
        ))}
      </select>
      {error ? <FieldError id="field-quarter-error">{t(error)}</FieldError> : null}
      <Button type="submit" variant="secondary">
        {t("staffTools.quarter.save")}
      </Button>
    </Form>
  );
}

export function StaffTools({
  request,
  tools,
}: {
  request: RequestPageData["request"];
  tools: Tools;
}) {
  const t = useT();
  const rt = useRichT();
  const locale = useLocale();
  const staffName = (name: string | null) => name ?? t("staffTools.formerStaff");
  return (
    <section
      id="staff-tools"
      aria-labelledby="staff-tools-heading"
      className="order-5 space-y-5 rounded-2xl border border-amber-200 bg-amber-50 p-4 text-sm"
    >
      <div>
        <h2 id="staff-tools-heading" className="text-base font-semibold text-amber-950">
          {t("staffTools.title")}
        </h2>
        <p className="text-xs text-amber-900">{t("staffTools.note")}</p>
      </div>

      {tools.source !== "board" ? (
        <p className="text-amber-950">
          {rt("staffTools.onBehalf", {
            author: request.authorName ?? t("request.formerMember"),
            staff: staffName(tools.recordedByName),
            from: t(FROM_KEYS[tools.source]),
          })}
        </p>
      ) : null}

      <div className="space-y-1">
        <Link
          to={`/requests/${request.id}/staff-edit`}
          className="font-medium text-accent-700 underline"
        >
          {t("staffTools.editLink")}
        </Link>
        {tools.editedAt ? (
          <p className="text-amber-900">
            {rt("staffTools.edited", { date: formatDate(locale, tools.editedAt) })}
          </p>
        ) : null}
      </div>

      <OwnerForm
        requestId={request.id}
        staffMembers={tools.staffMembers}
        value={tools.ownerId ? String(tools.ownerId) : ""}
      />
      <QuarterForm
        requestId={request.id}
        quarters={tools.quarters}
        value={tools.targetQuarter ?? ""}
      />

      <div className="space-y-2">
        <h3 className="font-semibold text-amber-950">{t("staffTools.record.title")}</h3>
        <p className="text-amber-900">{t("staffTools.record.lead")}</p>
        <Form method="get" action={`/requests/${request.id}/record-vote`} className="space-y-2">
          <Field
            name="org"
            id="staff-tools-org"
            label={t("customer.org.label")}
            hint={t("customer.org.hint")}
            autoComplete="off"
          />
          <Button type="submit" variant="secondary">
            {t("customer.org.search")}
          </Button>
        </Form>
      </div>

      <div className="space-y-2">
        <h3 className="font-semibold text-amber-950">{t("staffTools.recorded.title")}</h3>
        {tools.recordedVotes.length === 0 ? (
          <p className="text-amber-900">{t("staffTools.recorded.empty")}</p>
        ) : (
          <ul className="space-y-3" data-testid="recorded-votes">
            {tools.recordedVotes.map((vote) => (
              <li key={vote.userId} className="space-y-1">
                <p className="font-medium text-amber-950">
                  <bdi>{vote.voterName}</bdi>
                  {vote.orgName ? (
                    <>
                      {" · "}
                      <bdi>{vote.orgName}</bdi>
                    </>
                  ) : null}
                </p>
                <p className="text-amber-900">
                  {rt("staffTools.recorded.by", {
                    staff: staffName(vote.staffName),
                    from: vote.source ? t(FROM_KEYS[vote.source]) : "",
                  })}
                  {" · "}
                  <time dateTime={vote.createdAt}>{formatDate(locale, vote.createdAt)}</time>
                </p>
                {vote.quote ? (
                  <blockquote
                    className="border-s-4 border-amber-300 ps-2 text-amber-950"
                    dir="auto"
                    aria-label={t("staffTools.recorded.quote")}
                  >
                    {vote.quote}
                  </blockquote>
                ) : null}
              </li>
            ))}
          </ul>
        )}
        {tools.recordedVotesNext ? (
          <Link
            to={`?${new URLSearchParams({ recorded: tools.recordedVotesNext })}#staff-tools`}
            className="font-medium text-accent-700 underline"
          >
            {t("staffTools.recorded.more")}
          </Link>
        ) : null}
      </div>
    </section>
  );
}
