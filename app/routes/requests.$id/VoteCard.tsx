// The demand box: the vote button with votes, organizations and followers, and follow / unfollow.
import { Form, Link, useLocation, useNavigation } from "@remix-run/react";
import { Button, buttonClass } from "~/components/Button";
import { VoteButton } from "~/components/VoteButton";
import { useRichT } from "~/i18n/rich";
import { useT } from "~/i18n/useT";
import type { RequestPageData } from "./route";

export function VoteCard({
  request,
  viewer,
}: {
  request: RequestPageData["request"];
  viewer: RequestPageData["viewer"];
}) {
  const t = useT();
  const rt = useRichT();
  const navigation = useNavigation();
  const location = useLocation();
  const busy = navigation.state === "submitting";
  return (
    <aside
      className="order-2 rounded-2xl border border-stone-200 bg-white p-4 shadow-sm"
      aria-label={t("request.demand")}
    >
      <div className="flex items-center gap-4">
        <VoteButton
          requestId={request.id}
          title={request.title}
          voted={request.voted}
          voteCount={request.voteCount}
          signedIn={Boolean(viewer)}
          size="lg"
        />
        <div className="text-sm">
          <p className="font-semibold text-stone-900">
            {rt.count("count.votes", request.voteCount)}
          </p>
          <p className="text-stone-700">{rt.count("count.orgs", request.orgCount)}</p>
          <p className="text-stone-600">{rt.count("count.followers", request.followerCount)}</p>
        </div>
      </div>
      <div className="mt-3 border-t border-stone-100 pt-3 text-sm">
        {viewer ? (
          <Form method="post" className="flex flex-wrap items-center justify-between gap-2">
            <input type="hidden" name="intent" value={request.following ? "unfollow" : "follow"} />
            <p className="text-stone-600">
              {request.following ? t("request.followingNote") : t("request.notFollowingNote")}
            </p>
            <Button
              type="submit"
              variant={request.following ? "secondary" : "primary"}
              className="px-3 py-1.5"
              disabled={busy}
            >
              {request.following ? t("request.unfollow") : t("request.follow")}
            </Button>
          </Form>
        ) : (
          <Link
            to={`/signin?${new URLSearchParams({ redirectTo: location.pathname })}`}
            className={buttonClass("secondary", "w-full py-1.5")}
          >
            {t("request.signInToFollow")}
          </Link>
        )}
      </div>
    </aside>
  );
}
