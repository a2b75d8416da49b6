// One request in a list: the vote box at the start, the title, a line of description, and the
// meta line (status, category, organizations, comments, age, decision).
import { Link } from "@remix-run/react";
import type { RequestDecision, RequestStatus } from "~/db.server";
import { formatRelative } from "~/i18n/format";
import { useLocale, useNow, useT } from "~/i18n/useT";
import { StatusBadge } from "./StatusBadge";
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
  voted: boolean;
};

export function RequestRow({ item, signedIn }: { item: RequestRowData; signedIn: boolean }) {
  const t = useT();
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
      <div className="min-w-0 flex-1">
        <h2 className="text-base font-semibold leading-snug" dir="auto">
          <Link to={`/requests/${item.id}`} className="hover:text-accent-700 hover:underline">
            {item.title}
          </Link>
        </h2>
        {item.excerpt ? (
          <p className="mt-1 line-clamp-1 text-sm text-stone-700" dir="auto">
            {item.excerpt}
          </p>
        ) : null}
        <p className="mt-2 flex flex-wrap items-center gap-x-2 gap-y-1 text-sm text-stone-600">
          <StatusBadge status={item.status} />
          {item.decision ? (
            <span className="rounded-full bg-violet-50 px-2 py-0.5 text-xs font-medium text-violet-800 ring-1 ring-inset ring-violet-200">
              {t(
                item.decision === "broad" ? "request.decision.broad" : "request.decision.sponsored",
              )}
            </span>
          ) : null}
          {category ? <span>{category}</span> : null}
          <span aria-hidden="true">·</span>
          <span className="font-medium text-stone-800">{t.count("count.orgs", item.orgCount)}</span>
          <span aria-hidden="true">·</span>
          <span>{t.count("count.comments", item.commentCount)}</span>
          <span aria-hidden="true">·</span>
          <time dateTime={item.createdAt}>{formatRelative(locale, item.createdAt, now)}</time>
        </p>
      </div>
    </li>
  );
}
