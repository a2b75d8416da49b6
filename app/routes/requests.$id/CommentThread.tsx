// The comments section: the thread, 25 at a time, and the comment form or how to join in.
import { Link, useLocation } from "@remix-run/react";
import { buttonClass } from "~/components/Button";
import { formatNumber } from "~/i18n/messages";
import { useLocale, useT } from "~/i18n/useT";
import { CommentForm } from "./CommentForm";
import { CommentItem } from "./CommentItem";
import type { RequestActionData, RequestPageData } from "./route";

export function CommentThread({
  data,
  actionData,
  now,
}: {
  data: RequestPageData;
  actionData: RequestActionData | undefined;
  now: number;
}) {
  const t = useT();
  const locale = useLocale();
  const location = useLocation();
  const { comments, commentCount, commentsAfter, nextCommentsAfter, viewer } = data;
  const commentAction = actionData?.intent === "comment" ? actionData : undefined;
  return (
    <section id="comments" aria-labelledby="comments-heading" className="space-y-4">
      <h2 id="comments-heading" className="text-lg font-semibold">
        {t("comments.title")}{" "}
        <span className="text-stone-600">
          (<bdi>{formatNumber(locale, commentCount)}</bdi>)
        </span>
      </h2>
      {comments.length === 0 ? <p className="text-stone-700">{t("comments.empty")}</p> : null}
      {commentsAfter ? (
        <Link to="?#comments" className="text-sm font-medium text-accent-700 underline">
          {t("comments.first")}
        </Link>
      ) : null}
      <ol className="space-y-4">
        {comments.map((comment) => (
          <CommentItem
            key={comment.id}
            comment={comment}
            now={now}
            error={actionData?.commentId === comment.id ? actionData.errors : undefined}
            values={actionData?.commentId === comment.id ? actionData.values : undefined}
          />
        ))}
      </ol>
      {nextCommentsAfter ? (
        <Link to={`?after=${nextCommentsAfter}#comments`} className={buttonClass("secondary")}>
          {t("comments.more")}
        </Link>
      ) : null}
      {viewer ? (
        viewer.canParticipate ? (
          <CommentForm viewer={viewer} commentAction={commentAction} />
        ) : (
          <p className="rounded-xl border border-dashed border-stone-300 bg-white p-4 text-stone-700">
            {t("comments.needOrg")}{" "}
            <Link to="/orgs/new" className="font-medium text-accent-700 underline">
              {t("home.cta.createOrg")}
            </Link>
          </p>
        )
      ) : (
        <Link
          to={`/signin?${new URLSearchParams({ redirectTo: `${location.pathname}#comments` })}`}
          className={buttonClass("secondary")}
        >
          {t("comments.signIn")}
        </Link>
      )}
    </section>
  );
}
