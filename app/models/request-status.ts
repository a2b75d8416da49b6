// The request lifecycle in one place: the statuses, which moves between them are legal, which
// the board lists, which count as closed. Everything else derives from these (the migrations'
// check constraints keep their own frozen copy, as migrations must). Not a `.server` module:
// the pages read the same lists.
//
//   open (under review) ──► planned ──► in_progress ──► shipped
//      │  decision=broad ┘        ▲
//      ├─ decision=sponsored ─► quoted ─► funded ┘   (funded when sponsorships cover the quote)
//      ├─ declined (public reason)    ├─ already_exists (explanation, link to a help article)
//      └─ merged into #N (votes, follows and comments move to it)
//
// A staff admin may reopen any decision (back to open) with a reason, except a merge: the
// merged request's votes, follows and comments now belong to its target.

export const REQUEST_STATUSES = [
  "open",
  "planned",
  "in_progress",
  "shipped",
  "declined",
  "already_exists",
  "merged",
  "quoted",
  "funded",
] as const;

export type RequestStatus = (typeof REQUEST_STATUSES)[number];
export type RequestDecision = "broad" | "sponsored";

/** What staff may decide on a request waiting for a decision (triage's five forms). */
export const DECISION_KINDS = [
  "broad",
  "sponsored",
  "declined",
  "already_exists",
  "merge",
] as const;
export type DecisionKind = (typeof DECISION_KINDS)[number];

/** Every legal move forward; reopening (back to open) is the one move not listed here. */
export const TRANSITIONS: Record<RequestStatus, readonly RequestStatus[]> = {
  open: ["planned", "quoted", "declined", "already_exists", "merged"],
  planned: ["in_progress", "declined", "merged"],
  quoted: ["funded", "declined", "merged"],
  funded: ["in_progress"],
  in_progress: ["shipped"],
  shipped: [],
  declined: [],
  already_exists: [],
  merged: [],
};

export function canMove(from: RequestStatus, to: RequestStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** The decision a move records: planning is "for everyone", a quote is sponsored development. */
export function decisionAfter(
  to: RequestStatus,
  current: RequestDecision | null,
): RequestDecision | null {
  if (to === "planned") return "broad";
  if (to === "quoted") return "sponsored";
  if (to === "declined" || to === "already_exists" || to === "merged" || to === "open") return null;
  return current;
}

/** Nothing more will happen to these (a new request like one of them is welcome). */
export const CLOSED_STATUSES = [
  "shipped",
  "declined",
  "already_exists",
  "merged",
] as const satisfies readonly RequestStatus[];

export function isClosed(status: RequestStatus): boolean {
  return (CLOSED_STATUSES as readonly RequestStatus[]).includes(status);
}

/** Still being considered or worked on: what the board lists when no status is chosen. */
export const OPEN_WORK_STATUSES = REQUEST_STATUSES.filter((s) => !isClosed(s));

/** Waiting for a decision: the triage queue. */
export const UNDECIDED_STATUS = "open" satisfies RequestStatus;

/** A staff admin may send these back to open; a merge cannot be undone this way. */
export function canReopen(status: RequestStatus): boolean {
  return status !== "open" && status !== "merged";
}

/** The board's status filter, in the order it offers them: open work, then closed. */
export const BOARD_FILTER_STATUSES: readonly RequestStatus[] = [
  "open",
  "planned",
  "in_progress",
  "quoted",
  "funded",
  "shipped",
  "declined",
  "already_exists",
  "merged",
];

/** Listed under "all": everything but merged requests, whose votes live on their target. */
export const ALL_BUT_MERGED = REQUEST_STATUSES.filter((s) => s !== "merged");

/** The public roadmap's columns. */
export const ROADMAP_STATUSES = [
  "planned",
  "in_progress",
  "shipped",
] as const satisfies readonly RequestStatus[];

/** Staff move a decided request along these by hand; funding comes from sponsorships. */
export const PROGRESS_STEPS: Partial<Record<RequestStatus, RequestStatus>> = {
  planned: "in_progress",
  funded: "in_progress",
  in_progress: "shipped",
};
