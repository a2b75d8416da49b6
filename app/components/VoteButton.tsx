// The vote box: a real <button> in a <form> that works without JavaScript; with it, the vote
// goes through a fetcher and shows at once (optimistic), then settles on the server's counts.
import { Link, useFetcher, useLocation } from "@remix-run/react";
import { isMessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/useT";
import { useHydrated } from "./useHydrated";

type VoteResult = { voted: boolean; voteCount: number; orgCount: number } | { error: string };

export function VoteButton({
  requestId,
  title,
  voted,
  voteCount,
  signedIn,
  size = "md",
}: {
  requestId: number;
  title: string;
  voted: boolean;
  voteCount: number;
  signedIn: boolean;
  size?: "md" | "lg";
}) {
  const t = useT();
  const location = useLocation();
  const hydrated = useHydrated();
  const fetcher = useFetcher<VoteResult>({ key: `vote-${requestId}` });
  const here = location.pathname + location.search;

  let shownVoted = voted;
  let shownCount = voteCount;
  if (fetcher.state !== "idle" && fetcher.formData) {
    shownVoted = !voted;
    shownCount = voteCount + (voted ? -1 : 1);
  }

  const box = size === "lg" ? "h-20 w-20 text-xl" : "h-16 w-14 text-base";
  const tone = shownVoted
    ? "border-accent-700 bg-accent-700 text-white hover:bg-accent-800"
    : "border-stone-300 bg-white text-stone-800 hover:border-accent-600 hover:text-accent-800";
  const content = (
    <>
      <svg aria-hidden="true" viewBox="0 0 20 20" className="h-4 w-4 fill-current">
        <path d="M10 4 3 13h14L10 4Z" />
      </svg>
      <span className="font-semibold tabular-nums">{shownCount}</span>
    </>
  );
  const className = `flex shrink-0 flex-col items-center justify-center gap-0.5 rounded-xl border transition-colors ${box} ${tone}`;

  if (!signedIn) {
    return (
      <Link to={`/signin?${new URLSearchParams({ redirectTo: here })}`} className={className}>
        {content}
        <span className="sr-only">
          {t("request.signInToVote")}: {title}
        </span>
      </Link>
    );
  }

  // A refused vote (no organization yet, a merged request) explains itself beside the button.
  const refusal =
    fetcher.state === "idle" &&
    fetcher.data &&
    "error" in fetcher.data &&
    isMessageKey(fetcher.data.error)
      ? fetcher.data.error
      : null;

  return (
    <fetcher.Form
      method="post"
      action={`/requests/${requestId}/vote`}
      className="relative shrink-0"
    >
      <input type="hidden" name="redirectTo" value={here} />
      {hydrated ? <input type="hidden" name="via" value="fetch" /> : null}
      <button type="submit" className={className} aria-pressed={shownVoted}>
        {content}
        <span className="sr-only">{t("request.voteFor", { title })}</span>
      </button>
      {refusal ? (
        <p
          role="alert"
          className="absolute start-0 top-full z-10 mt-1 w-56 rounded-lg border border-red-200 bg-red-50 p-2 text-xs text-red-900 shadow"
        >
          {t(refusal)}
        </p>
      ) : null}
    </fetcher.Form>
  );
}
