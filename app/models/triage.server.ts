// PLACEHOLDER so that the staff-ui branch compiles: the triage-model branch provides the real
// module (same contract, see the helper brief). When merging, take that branch's file.
import type { Actor } from "~/models/errors";
import type { RequestStatus } from "~/models/request-status";

export type Decision =
  | { kind: "broad"; targetQuarter?: string | null; note?: string | null }
  | { kind: "sponsored"; note?: string | null }
  | { kind: "declined"; reason: string }
  | { kind: "already_exists"; explanation: string; helpUrl?: string | null }
  | { kind: "merge"; targetId: number; note?: string | null };

export type TriageItem = {
  id: number;
  title: string;
  bodyExcerpt: string;
  createdAt: string;
  categoryId: number | null;
  authorName: string | null;
  orgName: string | null;
  voteCount: number;
  orgCount: number;
  recentVotes30d: number;
  topOrgs: { id: number; name: string; memberCount: number; votes: number }[];
  visibility: "public" | "organization";
};

export async function decideRequest(_input: {
  actor: Actor;
  requestId: number;
  decision: Decision;
}): Promise<{ status: RequestStatus; mergedIntoId: number | null }> {
  throw new Error("triage-model branch provides this");
}

export async function changeStatus(_input: {
  actor: Actor;
  requestId: number;
  to: RequestStatus;
  note?: string | null;
}): Promise<void> {
  throw new Error("triage-model branch provides this");
}

export async function mergeRequest(_input: {
  actor: Actor;
  sourceId: number;
  targetId: number;
  note?: string | null;
}): Promise<{ votesMoved: number; followsMoved: number; commentsMoved: number }> {
  throw new Error("triage-model branch provides this");
}

export async function reopenRequest(_input: {
  actor: Actor;
  requestId: number;
  reason: string;
}): Promise<void> {
  throw new Error("triage-model branch provides this");
}

export async function listTriageQueue(_input: {
  actor: Actor;
  categoryId?: number | null;
  cursor?: string | null;
  limit?: number;
}): Promise<{ total: number; items: TriageItem[]; nextCursor: string | null }> {
  throw new Error("triage-model branch provides this");
}
