// The five decisions staff make on a request waiting for one, each a plain form in a disclosure
// (works without JavaScript; with it, a fetcher keeps the page and shows errors in place). Used
// by the triage queue and by the request page's staff panel.
import { useFetcher } from "@remix-run/react";
import {
  useEffect,
  useRef,
  type FormEvent,
  type ReactNode,
  type TextareaHTMLAttributes,
} from "react";
import type { StaffFormResult } from "~/auth/staff-actions.server";
import type { MessageKey } from "~/i18n/messages";
import { useNow, useT } from "~/i18n/useT";
import { DECISION_KINDS, type DecisionKind } from "~/models/request-status";
import { Button, buttonClass } from "./Button";
import { FieldError, FormAlert, inputClass } from "./Field";
import { upcomingQuarters } from "~/models/quarters";
import { quarterLabel } from "./TargetQuarter";

export { DECISION_KINDS, type DecisionKind };

/** The key that opens each decision in the triage queue. */
export const DECISION_KEYS: Record<DecisionKind, string> = {
  broad: "b",
  sponsored: "s",
  declined: "d",
  already_exists: "a",
  merge: "m",
};

export const DECISION_LABELS: Record<DecisionKind, MessageKey> = {
  broad: "staffTriage.decide.broad",
  sponsored: "staffTriage.decide.sponsored",
  declined: "staffTriage.decide.declined",
  already_exists: "staffTriage.decide.alreadyExists",
  merge: "staffTriage.decide.merge",
};

const SUBMITS: Record<DecisionKind, MessageKey> = {
  broad: "staffTriage.submit.broad",
  sponsored: "staffTriage.submit.sponsored",
  declined: "staffTriage.submit.declined",
  already_exists: "staffTriage.submit.alreadyExists",
  merge: "staffTriage.submit.merge",
};

export function DecisionControls({
  requestId,
  redirectTo,
  result,
  showKeys = false,
  openKind = null,
}: {
  requestId: number;
  /** Where a decision leads: the queue (focused on the next request) or the request page. */
  redirectTo: string;
  /** A refused submission rendered by the server (the no-JavaScript path). */
  result?: StaffFormResult;
  /** Show each decision's key (the queue, with JavaScript). */
  showKeys?: boolean;
  /** The decision to show open (the queue opens one when asked), its first field focused. */
  openKind?: DecisionKind | null;
}) {
  const t = useT();
  const now = useNow();
  // One fetcher per request, shared by its five forms: its answer says which one it was.
  const fetcher = useFetcher<StaffFormResult>({ key: `decide-${requestId}` });
  const shown = (fetcher.state === "idle" ? fetcher.data : undefined) ?? result;
  const failedKind = shown?.values.kind as DecisionKind | undefined;
  const busy = fetcher.state !== "idle";
  const idOf = (field: string) => `decide-${requestId}-${field}`;
  const group = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!openKind) return;
    group.current
      ?.querySelector<HTMLElement>(
        `details[data-decision="${openKind}"] :is(select, textarea, input:not([type=hidden]), button[type=submit])`,
      )
      ?.focus();
  }, [openKind]);

  const field = (kind: DecisionKind, name: string) => ({
    id: idOf(`${kind}-${name}`),
    name,
    defaultValue: failedKind === kind ? shown?.values[name] : undefined,
    error: failedKind === kind ? shown?.errors[name] : undefined,
  });

  const formFor = (kind: DecisionKind, children: ReactNode) => (
    <details
      key={kind}
      name={`decide-${requestId}`}
      data-decision={kind}
      open={(failedKind ?? openKind) === kind || undefined}
      className="group open:order-last open:basis-full"
    >
      <summary
        aria-keyshortcuts={showKeys ? DECISION_KEYS[kind] : undefined}
        className={buttonClass(
          kind === "broad" ? "primary" : "secondary",
          "cursor-pointer list-none py-1.5 [&::-webkit-details-marker]:hidden",
        )}
      >
        <DecisionLabel kind={kind} showKey={showKeys} />
      </summary>
      <fetcher.Form
        method="post"
        action={`/requests/${requestId}/decide`}
        className="mt-2 space-y-3 rounded-xl border border-stone-200 bg-stone-50 p-3"
        aria-label={t(DECISION_LABELS[kind])}
      >
        <input type="hidden" name="kind" value={kind} />
        <input type="hidden" name="redirectTo" value={redirectTo} />
        {children}
        <Button type="submit" disabled={busy}>
          {t(SUBMITS[kind])}
        </Button>
      </fetcher.Form>
    </details>
  );

  const quarter = field("broad", "targetQuarter");
  return (
    <div className="space-y-2">
      {shown?.errors.form ? <FormAlert>{t(shown.errors.form)}</FormAlert> : null}
      {/* The model's refusals that name no field of these forms (e.g. "kind") land here too. */}
      {shown?.errors.kind ? <FormAlert>{t(shown.errors.kind)}</FormAlert> : null}
      <div
        ref={group}
        className="flex flex-wrap items-start gap-2"
        role="group"
        aria-label={t("staffTriage.decide.label")}
      >
        {formFor(
          "broad",
          <>
            <div className="space-y-1">
              <label htmlFor={quarter.id} className="block text-sm font-medium text-stone-800">
                {t("staffTriage.field.targetQuarter")}
              </label>
              <select
                id={quarter.id}
                name={quarter.name}
                defaultValue={quarter.defaultValue ?? ""}
                aria-invalid={quarter.error ? true : undefined}
                aria-describedby={quarter.error ? `${quarter.id}-error` : undefined}
                className={`${inputClass} sm:w-auto`}
              >
                <option value="">{t("staffTriage.field.noQuarter")}</option>
                {upcomingQuarters(now).map((q) => (
                  <option key={q} value={q}>
                    {quarterLabel(t, q)}
                  </option>
                ))}
              </select>
              {quarter.error ? (
                <FieldError id={`${quarter.id}-error`}>{t(quarter.error)}</FieldError>
              ) : null}
            </div>
            <TextArea label={t("staffTriage.field.note")} {...field("broad", "note")} rows={2} />
          </>,
        )}
        {formFor(
          "sponsored",
          <TextArea label={t("staffTriage.field.note")} {...field("sponsored", "note")} rows={2} />,
        )}
        {formFor(
          "declined",
          <TextArea
            label={t("staffTriage.field.reason")}
            hint={t("staffTriage.field.publicHint")}
            required
            {...field("declined", "reason")}
          />,
        )}
        {formFor(
          "already_exists",
          <>
            <TextArea
              label={t("staffTriage.field.explanation")}
              hint={t("staffTriage.field.publicHint")}
              required
              {...field("already_exists", "explanation")}
            />
            <TextInput
              label={t("staffTriage.field.helpUrl")}
              type="url"
              dir="ltr"
              inputMode="url"
              placeholder="https://"
              {...field("already_exists", "helpUrl")}
            />
          </>,
        )}
        {formFor(
          "merge",
          <>
            <TextInput
              label={t("staffTriage.field.targetId")}
              hint={t("staffTriage.field.targetIdHint")}
              inputMode="numeric"
              dir="ltr"
              autoComplete="off"
              required
              {...field("merge", "targetId")}
            />
            <TextArea label={t("staffTriage.field.note")} {...field("merge", "note")} rows={2} />
          </>,
        )}
      </div>
    </div>
  );
}

/** A decision's name on its button, with the key that opens it (the queue, with JavaScript). */
export function DecisionLabel({ kind, showKey }: { kind: DecisionKind; showKey: boolean }) {
  const t = useT();
  return (
    <>
      {t(DECISION_LABELS[kind])}
      {showKey ? (
        <kbd
          aria-hidden="true"
          className="rounded border border-current px-1 font-mono text-xs opacity-80 max-sm:hidden"
        >
          {DECISION_KEYS[kind]}
        </kbd>
      ) : null}
    </>
  );
}

/**
 * The five decisions as buttons that open their forms (the forms of a page of requests cost
 * most of its rendering, so they are drawn once asked for): a plain GET form, so without
 * JavaScript the page comes back with this request's forms open (`?decide=<id>&kind=<kind>`,
 * the browser scrolled to `action`'s fragment); with it, they open in place at once.
 */
export function DecisionButtons({
  requestId,
  action,
  params = [],
  showKeys = false,
  onOpen,
}: {
  requestId: number;
  /** The page to come back to, with the fragment to scroll to. */
  action: string;
  /** The page's own query (its filter and page), kept. */
  params?: Iterable<[string, string]>;
  showKeys?: boolean;
  onOpen: (kind: DecisionKind) => void;
}) {
  const t = useT();
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    const submitter = (event.nativeEvent as SubmitEvent).submitter;
    const kind = submitter instanceof HTMLButtonElement ? submitter.value : "";
    if (!(DECISION_KINDS as readonly string[]).includes(kind)) return;
    event.preventDefault();
    onOpen(kind as DecisionKind);
  };
  return (
    <form
      method="get"
      action={action}
      onSubmit={onSubmit}
      data-decisions={requestId}
      className="flex flex-wrap items-start gap-2"
      aria-label={t("staffTriage.decide.label")}
    >
      {[...params].map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <input type="hidden" name="decide" value={requestId} />
      {DECISION_KINDS.map((kind) => (
        <button
          key={kind}
          type="submit"
          name="kind"
          value={kind}
          aria-keyshortcuts={showKeys ? DECISION_KEYS[kind] : undefined}
          className={buttonClass(kind === "broad" ? "primary" : "secondary", "py-1.5")}
        >
          <DecisionLabel kind={kind} showKey={showKeys} />
        </button>
      ))}
    </form>
  );
}

type FieldParts = {
  id: string;
  name: string;
  label: string;
  hint?: string;
  error?: MessageKey;
};

function described({ id, hint, error }: FieldParts) {
  return {
    "aria-invalid": error ? true : undefined,
    "aria-describedby":
      [error ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(" ") ||
      undefined,
  };
}

function FieldFrame({ parts, children }: { parts: FieldParts; children: ReactNode }) {
  const t = useT();
  return (
    <div className="space-y-1">
      <label htmlFor={parts.id} className="block text-sm font-medium text-stone-800">
        {parts.label}
      </label>
      {children}
      {parts.error ? <FieldError id={`${parts.id}-error`}>{t(parts.error)}</FieldError> : null}
      {parts.hint ? (
        <p id={`${parts.id}-hint`} className="text-sm text-stone-600">
          {parts.hint}
        </p>
      ) : null}
    </div>
  );
}

/** A plain-text field for staff forms (reasons and notes are shown as typed). */
export function TextArea({
  id,
  name,
  label,
  hint,
  error,
  rows = 3,
  ...rest
}: FieldParts & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const parts = { id, name, label, hint, error };
  return (
    <FieldFrame parts={parts}>
      <textarea
        id={id}
        name={name}
        rows={rows}
        dir="auto"
        className={inputClass}
        {...described(parts)}
        {...rest}
        onKeyDown={(event) => {
          // Ctrl+Enter (⌘+Enter) sends the form from the keyboard without leaving the text.
          if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
            event.preventDefault();
            event.currentTarget.form?.requestSubmit();
          }
        }}
      />
    </FieldFrame>
  );
}

function TextInput({
  id,
  name,
  label,
  hint,
  error,
  ...rest
}: FieldParts & React.InputHTMLAttributes<HTMLInputElement>) {
  const parts = { id, name, label, hint, error };
  return (
    <FieldFrame parts={parts}>
      <input id={id} name={name} className={inputClass} {...described(parts)} {...rest} />
    </FieldFrame>
  );
}
