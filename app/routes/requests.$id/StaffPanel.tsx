// The staff panel of the request page: the decisions while the request waits for one, the next
// progress step once decided (planned or funded → in progress → shipped), and for staff admins
// reopening a decision; once decided as sponsored development (status "quoted"), the way to
// write or revise its quote (a page of its own, requests.$id_.quote: the form is long). Each
// other form posts to its own route (requests.$id.decide / .status / .reopen), which nest in
// this page: when one refuses a form sent without JavaScript, this panel shows that route's
// copy of the form (with the errors and what was typed) in place.
import { Link, useFetcher, useMatches, useOutlet, useSearchParams } from "@remix-run/react";
import { useState } from "react";
import type { StaffFormResult } from "~/auth/staff-actions.server";
import { Button, buttonClass } from "~/components/Button";
import { DecisionButtons, DecisionControls, TextArea } from "~/components/DecisionControls";
import { FormAlert } from "~/components/Field";
import { statusLabel } from "~/components/StatusBadge";
import { useRichT } from "~/i18n/rich";
import { useT } from "~/i18n/useT";
import {
  canReopen,
  DECISION_KINDS,
  PROGRESS_STEPS,
  UNDECIDED_STATUS,
  type DecisionKind,
} from "~/models/request-status";
import type { RequestPageData } from "./route";

type PanelRequest = Pick<RequestPageData["request"], "id" | "status">;

/** What the nested action routes' components read from this panel. */
export type StaffPanelContext = { request: PanelRequest; redirectTo: string };

const ROUTE = {
  decide: "routes/requests.$id.decide",
  status: "routes/requests.$id.status",
  reopen: "routes/requests.$id.reopen",
} as const;

export function StaffPanel({
  request,
  viewer,
  hasOpenQuote = false,
  announcements = null,
}: {
  request: PanelRequest;
  viewer: RequestPageData["viewer"];
  /** A quote is open: the quote link revises it. */
  hasOpenQuote?: boolean;
  /** Shipped and public: the announcements covering it (null: it cannot be announced). */
  announcements?: RequestPageData["announcements"];
}) {
  const t = useT();
  const redirectTo = `/requests/${request.id}`;
  const outlet = useOutlet({ request, redirectTo } satisfies StaffPanelContext);
  const leaf = useMatches().at(-1)?.id;
  // The form a nested action route re-rendered (no JavaScript, refused), in its own place.
  const again = (route: string) => (outlet && leaf === route ? outlet : null);
  // A form the model refused stays on screen with its message, even when the reloaded request
  // no longer offers it (someone else decided or moved it first).
  const decideFetcher = useFetcher<StaffFormResult>({ key: `decide-${request.id}` });
  const stepFetcher = useFetcher<StaffFormResult>({ key: `status-${request.id}` });
  const decideRefused = decideFetcher.state === "idle" && decideFetcher.data !== undefined;
  const stepRefused = stepFetcher.state === "idle" && stepFetcher.data !== undefined;
  if (!viewer?.isStaff) return null;

  const decide = again(ROUTE.decide);
  const step = again(ROUTE.status);
  const reopen = again(ROUTE.reopen);
  const waiting = request.status === UNDECIDED_STATUS || decideRefused;
  const next = PROGRESS_STEPS[request.status] ?? (stepRefused ? request.status : undefined);
  const mayReopen = viewer.isStaffAdmin && canReopen(request.status);
  const quotable = request.status === "quoted";
  const announceable = announcements !== null;
  if (!decide && !step && !reopen && !waiting && !next && !mayReopen && !quotable && !announceable)
    return null;

  return (
    <section
      aria-labelledby="staff-panel-heading"
      className="space-y-5 rounded-2xl border border-violet-200 bg-white p-5 shadow-sm"
    >
      <div>
        <h2 id="staff-panel-heading" className="text-lg font-semibold">
          {t("staffTriage.panel.title")}
        </h2>
        <p className="text-sm text-stone-600">{t("request.votingOrgs.note")}</p>
      </div>
      {decide || waiting ? (
        <div className="space-y-2">
          <h3 className="font-medium">{t("staffTriage.panel.decide")}</h3>
          {decide ?? <DecisionsOnDemand requestId={request.id} redirectTo={redirectTo} />}
        </div>
      ) : null}
      {quotable ? (
        <div className="space-y-2">
          <h3 className="font-medium">{t("quoteForm.panel.title")}</h3>
          {/* The form is long: a page of its own (requests.$id_.quote). */}
          <Link
            to={`/requests/${request.id}/quote`}
            className={buttonClass(hasOpenQuote ? "secondary" : "primary")}
          >
            {t(hasOpenQuote ? "quoteForm.panel.revise" : "quoteForm.panel.write")}
          </Link>
        </div>
      ) : null}
      {announcements ? (
        <AnnounceOffer requestId={request.id} announcements={announcements} />
      ) : null}
      {step ?? (next ? <ProgressForm request={request} redirectTo={redirectTo} /> : null)}
      {reopen ?? (mayReopen ? <ReopenForm request={request} /> : null)}
    </section>
  );
}

/**
 * Shipped: "Write its announcement" (the form starts with this request covered and its title)
 * while no announcement covering it is published; the drafts and scheduled ones link to theirs.
 */
function AnnounceOffer({
  requestId,
  announcements,
}: {
  requestId: number;
  announcements: NonNullable<RequestPageData["announcements"]>;
}) {
  const t = useT();
  const rt = useRichT();
  const published = announcements.filter((a) => a.state === "published");
  const pending = announcements.filter((a) => a.state !== "published");
  return (
    <div className="space-y-2" data-testid="announce-offer">
      <h3 className="font-medium">{t("staffAnnouncements.panel.title")}</h3>
      {published.length === 0 ? (
        <>
          <p className="text-sm text-stone-700">{t("staffAnnouncements.panel.none")}</p>
          <Link
            to={`/staff/announcements/new?requests=${requestId}`}
            className={buttonClass(pending.length > 0 ? "secondary" : "primary")}
          >
            {t("staffAnnouncements.panel.write")}
          </Link>
        </>
      ) : null}
      {announcements.length > 0 ? (
        <ul className="space-y-1 text-sm">
          {announcements.map((a) => (
            <li key={a.id}>
              <Link
                to={`/staff/announcements/${a.id}`}
                className="font-medium text-accent-700 underline"
              >
                {rt(
                  a.state === "published"
                    ? "staffAnnouncements.panel.published"
                    : a.state === "scheduled"
                      ? "staffAnnouncements.panel.scheduled"
                      : "staffAnnouncements.panel.draft",
                  { title: a.titleHe },
                )}
              </Link>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** The next progress step, with an optional note for the timeline. */
export function ProgressForm({
  request,
  redirectTo,
  result,
}: {
  request: PanelRequest;
  redirectTo: string;
  result?: StaffFormResult;
}) {
  const t = useT();
  const fetcher = useFetcher<StaffFormResult>({ key: `status-${request.id}` });
  const shown = (fetcher.state === "idle" ? fetcher.data : undefined) ?? result;
  // What the refused form asked for, else the step this status allows.
  const to = shown?.values.to ?? PROGRESS_STEPS[request.status];
  if (!to) return shown?.errors.form ? <FormAlert>{t(shown.errors.form)}</FormAlert> : null;
  const toLabel = t(statusLabel[to as keyof typeof statusLabel] ?? "status.open");
  return (
    <fetcher.Form
      method="post"
      action={`/requests/${request.id}/status`}
      className="space-y-3"
      aria-labelledby={`progress-${request.id}-heading`}
    >
      <h3 id={`progress-${request.id}-heading`} className="font-medium">
        {t("staffTriage.panel.progress")}
      </h3>
      {shown?.errors.form ? <FormAlert>{t(shown.errors.form)}</FormAlert> : null}
      {shown?.errors.to ? <FormAlert>{t(shown.errors.to)}</FormAlert> : null}
      <input type="hidden" name="to" value={to} />
      <input type="hidden" name="redirectTo" value={redirectTo} />
      <TextArea
        id={`progress-${request.id}-note`}
        name="note"
        label={t("staffTriage.field.note")}
        hint={t("staffTriage.field.publicHint")}
        rows={2}
        defaultValue={shown?.values.note}
        error={shown?.errors.note}
      />
      <Button type="submit" disabled={fetcher.state !== "idle"}>
        {t("staffTriage.submit.move", { status: toLabel })}
      </Button>
    </fetcher.Form>
  );
}

/** A staff admin sends the decision back to the queue, saying why. */
export function ReopenForm({
  request,
  result,
}: {
  request: PanelRequest;
  result?: StaffFormResult;
}) {
  const t = useT();
  const fetcher = useFetcher<StaffFormResult>({ key: `reopen-${request.id}` });
  const shown = (fetcher.state === "idle" ? fetcher.data : undefined) ?? result;
  return (
    <details open={shown ? true : undefined} className="group">
      <summary className="cursor-pointer font-medium text-stone-800">
        {t("staffTriage.panel.reopen")}
      </summary>
      <fetcher.Form
        method="post"
        action={`/requests/${request.id}/reopen`}
        className="mt-3 space-y-3"
        aria-label={t("staffTriage.panel.reopen")}
      >
        {shown?.errors.form ? <FormAlert>{t(shown.errors.form)}</FormAlert> : null}
        <TextArea
          id={`reopen-${request.id}-reason`}
          name="reason"
          label={t("staffTriage.field.reopenReason")}
          hint={t("staffTriage.field.publicHint")}
          required
          defaultValue={shown?.values.reason}
          error={shown?.errors.reason}
        />
        <Button type="submit" variant="danger" disabled={fetcher.state !== "idle"}>
          {t("staffTriage.submit.reopen")}
        </Button>
      </fetcher.Form>
    </details>
  );
}

/**
 * The decisions as buttons until one is chosen, then the five forms open on it (as in the
 * triage queue; ?decide=<id>&kind=<kind> without JavaScript). A refused decision keeps its
 * forms open: the fetcher they share still holds the answer.
 */
function DecisionsOnDemand({ requestId, redirectTo }: { requestId: number; redirectTo: string }) {
  const [searchParams] = useSearchParams();
  const asked = searchParams.get("kind");
  const [kind, setKind] = useState<DecisionKind | null>(
    searchParams.get("decide") === String(requestId) &&
      (DECISION_KINDS as readonly string[]).includes(asked ?? "")
      ? (asked as DecisionKind)
      : null,
  );
  if (!kind) {
    return (
      <DecisionButtons
        requestId={requestId}
        action={`/requests/${requestId}#staff-panel-heading`}
        onOpen={setKind}
      />
    );
  }
  return <DecisionControls requestId={requestId} redirectTo={redirectTo} openKind={kind} />;
}
