// One request in a list: the vote box at the start, the title, a line of description, and the
// meta line (status, decision, category, organizations, comments, age); in a search, the merged
// requests that led to it.
import { Link } from "@remix-run/react";
import type { RequestDecision, RequestStatus } from "~/db.server";
import { formatRelative } from "~/i18n/format";
import { useRichT } from "~/i18n/rich";
import { useLocale, useNow, useT } from "~/i18n/useT";
import { StatusBadge } from "./StatusBadge";
import { VisibilityBadge } from "./VisibilityBadge";
import { VoteButton } from "./VoteButton";

export type RequestRowData = {
  id: number;
  title: string;
  excerpt: string;
  status: RequestStatus;
  decision: RequestDecision | null;
  categoryNameHe: string | null;
  categoryNameEn: string | null;
  voteCount: number;
  orgCount: number;
  commentCount: number;
  createdAt: string;
  /** "organization": only its organization and staff see it (and so this row). */
  visibility?: "public" | "organization";
  voted: boolean;
  /** Merged requests whose search hit led to this one. */
  mergedFrom: number[];
};

export function RequestRow({ item, signedIn }: { item: RequestRowData; signedIn: boolean }) {
  const t = useT();
  const rt = useRichT();
  const locale = useLocale();
  const now = useNow();
  const category = locale === "he" ? item.categoryNameHe : item.categoryNameEn;
  return (
    <li className="flex gap-4 px-4 py-4 sm:px-5">
      <VoteButton
        requestId={item.id}
        title={item.title}
        voted={item.voted}
        voteCount={item.voteCount}
        signedIn={signedIn}
      />
      {/* What users wrote takes its own direction (dir="auto"), so its punctuation and the
          two-line clamp's ellipsis fall right; the column lays each block at the page's start
          edge (items-start follows the page's direction), so Hebrew and English rows line up
          with each other and with the meta line instead of zig-zagging. */}
      <div className="flex min-w-0 flex-1 flex-col items-start">
        <h2 dir="auto" className="max-w-full text-start text-base font-semibold leading-snug">
          <Link to={`/requests/${item.id}`} className="hover:text-accent-700 hover:underline">
            {item.title}
          </Link>
        </h2>
        {item.excerpt ? (
          <p dir="auto" className="mt-1 line-clamp-2 max-w-full text-start text-sm text-stone-700">
            {item.excerpt}
          </p>
        ) : null}
        {item.mergedFrom.length > 0 ? (
          <p className="mt-1 text-sm text-stone-600">
            {rt.count("board.mergedFrom", item.mergedFrom.length, {
              ids: item.mergedFrom.map((id) => `#${id}`).join(", "),
            })}
          </p>
        ) : null}
        {/* A list spaced by gaps rather than separators: a wrapped line never starts with a dot. */}
        <ul className="mt-2 flex flex-wrap items-center gap-x-4 gap-y-1 text-sm text-stone-600">
          <li>
            <StatusBadge status={item.status} />
          </li>
          {item.visibility === "organization" ? (
            <li>
              <VisibilityBadge />
            </li>
          ) : null}
          {item.decision ? (
            <li className="rounded-full bg-violet-50 px-2 py-0.5 text-xs font-medium text-violet-800 ring-1 ring-inset ring-violet-200">
              {t(
                item.decision === "broad" ? "request.decision.broad" : "request.decision.sponsored",
              )}
            </li>
          ) : null}
          {category ? (
            <li>
              <bdi>{category}</bdi>
            </li>
          ) : null}
          <li className="font-medium text-stone-800">
            <bdi>{t.count("count.orgs", item.orgCount)}</bdi>
          </li>
          <li>
            <bdi>{t.count("count.comments", item.commentCount)}</bdi>
          </li>
          <li>
            <time dateTime={item.createdAt}>
              <bdi>{formatRelative(locale, item.createdAt, now)}</bdi>
            </time>
          </li>
        </ul>
      </div>
    </li>
  );
}
