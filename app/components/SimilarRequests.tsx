// Existing requests like the one being proposed, each with its demand and a one-click vote.
import { Link } from "@remix-run/react";
import type { RequestStatus } from "~/db.server";
import { useT } from "~/i18n/useT";
import { StatusBadge } from "./StatusBadge";
import { VoteButton } from "./VoteButton";

export type SimilarItem = {
  id: number;
  title: string;
  status: RequestStatus;
  voteCount: number;
  orgCount: number;
  voted?: boolean;
};

export function SimilarRequests({ items }: { items: SimilarItem[] }) {
  const t = useT();
  return (
    <ul className="mt-3 space-y-2">
      {items.map((item) => (
        <li key={item.id} className="flex items-center gap-3 rounded-lg bg-white p-3 shadow-sm">
          <VoteButton
            requestId={item.id}
            title={item.title}
            voted={Boolean(item.voted)}
            voteCount={item.voteCount}
            signedIn
          />
          <div className="min-w-0 flex-1">
            <Link
              to={`/requests/${item.id}`}
              className="font-medium hover:text-accent-700 hover:underline"
            >
              {item.title}
            </Link>
            <p className="mt-1 flex flex-wrap items-center gap-2 text-sm text-stone-600">
              <StatusBadge status={item.status} />
              <span>{t.count("count.orgs", item.orgCount)}</span>
              <span aria-hidden="true">·</span>
              <span>
                {item.voted ? t("propose.similar.voted") : t("propose.similar.voteInstead")}
              </span>
            </p>
          </div>
        </li>
      ))}
    </ul>
  );
}
