// The request page: description, status timeline, comments; the vote box, follow and details
// aside. Staff also see which organizations voted.
import {
  data,
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import {
  Form,
  Link,
  useActionData,
  useLoaderData,
  useLocation,
  useNavigation,
  useSearchParams,
} from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { getSessionUser, redirectWithToast, requireUser } from "~/auth/session.server";
import { Button, buttonClass } from "~/components/Button";
import { FormAlert } from "~/components/Field";
import { MarkdownField } from "~/components/MarkdownField";
import { StatusBadge, statusLabel } from "~/components/StatusBadge";
import { useHydrated } from "~/components/useHydrated";
import { VoteButton } from "~/components/VoteButton";
import { errorsFromRefusal, validateForm, type FieldErrors, type FormValues } from "~/forms.server";
import { formatDate, formatDateTime, formatRelative } from "~/i18n/format";
import { pageTitle } from "~/components/PageTitle";
import { useLocale, useNow, useT } from "~/i18n/useT";
import { renderMarkdown } from "~/markdown.server";
import {
  addComment,
  deleteComment,
  editComment,
  listComments,
  COMMENT_EDIT_WINDOW_MS,
} from "~/models/comments.server";
import { followRequest, unfollowRequest } from "~/models/follows.server";
import { hitRateLimit, RATE_LIMITS } from "~/models/rate-limits.server";
import { getRequest, listStatusEvents, listVotingOrganizations } from "~/models/requests.server";
import {
  CommentIdSchema,
  CommentSchema,
  EditCommentSchema,
  RequestIdSchema,
} from "~/schemas.server";

export const meta: MetaFunction<typeof loader> = ({ data: loaderData, matches }) =>
  loaderData
    ? [{ title: `${loaderData.request.title} · Broadly` }]
    : pageTitle(matches, "error.404.title");

const COMMENTS_PER_PAGE = 50;

function requestIdFrom(params: { id?: string }): number {
  const id = RequestIdSchema.safeParse(params.id);
  if (!id.success) throw new Response("Not found", { status: 404 });
  return id.data;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = requestIdFrom(params);
  const user = await getSessionUser(request);
  const viewer = user?.actor ?? null;
  const found = await getRequest({ id, viewer });
  if (!found) throw new Response("Not found", { status: 404 });
  // A merged request lives on in the one it was merged into, whose page says so (?merged=).
  if (found.status === "merged" && found.mergedIntoId)
    throw redirect(`/requests/${found.mergedIntoId}?merged=${found.id}`);
  // Long threads come 50 comments at a time, by keyset (?after=<last comment id>).
  const after = Number(new URL(request.url).searchParams.get("after"));
  const commentsAfter = Number.isSafeInteger(after) && after > 0 ? after : null;
  const [timeline, comments, votingOrganizations] = await Promise.all([
    listStatusEvents({ requestId: id }),
    listComments({ requestId: id, viewer, afterId: commentsAfter, limit: COMMENTS_PER_PAGE }),
    viewer?.isStaff
      ? listVotingOrganizations({ requestId: id, actor: viewer })
      : Promise.resolve(null),
  ]);
  const { bodyMd: _bodyMd, ...requestData } = found;
  return {
    request: requestData,
    timeline,
    comments: comments.items,
    commentsAfter,
    nextCommentsAfter: comments.nextAfterId,
    votingOrganizations,
    viewer: user
      ? {
          id: user.id,
          isStaff: user.is_staff === 1,
          canParticipate: user.is_staff === 1 || user.currentOrg !== null,
        }
      : null,
  };
}

type ActionResult = {
  intent: string;
  errors: FieldErrors;
  values: FormValues;
  preview?: string;
  commentId?: number;
};

export async function action({ request, params }: ActionFunctionArgs) {
  const id = requestIdFrom(params);
  const user = await requireUser(request);
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  const here = `/requests/${id}`;
  const fail = (errors: FieldErrors, values: FormValues, status: number) =>
    data<ActionResult>({ intent, errors, values }, { status });

  try {
    switch (intent) {
      case "comment": {
        const form = validateForm(formData, CommentSchema);
        if (formData.get("preview")) {
          return data<ActionResult>({
            intent,
            errors: {},
            values: form.values,
            preview: renderMarkdown(form.values.bodyMd ?? ""),
          });
        }
        if (form.errors) return fail(form.errors, form.values, 400);
        const limit = await hitRateLimit(`post:comment:${user.id}`, RATE_LIMITS.commentsPerUser);
        if (limit.limited) {
          const minutes = String(Math.max(1, Math.ceil(limit.retryAfterMs / 60_000)));
          return fail({ bodyMd: "error.postLimited" }, { ...form.values, minutes }, 429);
        }
        await addComment({
          requestId: id,
          actor: user.actor,
          orgId: user.currentOrg?.orgId ?? null,
          bodyMd: form.data.bodyMd,
          isOfficial: form.data.official === "on",
          isInternal: form.data.internal === "on",
        });
        return redirectWithToast(request, `${here}#comments`, { key: "toast.commentAdded" });
      }
      case "edit-comment": {
        const form = validateForm(formData, EditCommentSchema);
        if (form.errors)
          return data<ActionResult>(
            {
              intent,
              errors: form.errors,
              values: form.values,
              commentId: Number(form.values.commentId),
            },
            { status: 400 },
          );
        await editComment({
          commentId: form.data.commentId,
          actor: user.actor,
          bodyMd: form.data.bodyMd,
        });
        return redirectWithToast(request, `${here}#comment-${form.data.commentId}`, {
          key: "toast.commentEdited",
        });
      }
      case "delete-comment": {
        const form = validateForm(formData, CommentIdSchema);
        if (form.errors) return fail(form.errors, form.values, 400);
        await deleteComment({ commentId: form.data.commentId, actor: user.actor });
        return redirectWithToast(request, `${here}#comments`, { key: "toast.commentDeleted" });
      }
      case "follow":
        await followRequest({ requestId: id, actor: user.actor });
        return redirectWithToast(request, here, { key: "toast.followed" });
      case "unfollow":
        await unfollowRequest({ requestId: id, actor: user.actor });
        return redirectWithToast(request, here, { key: "toast.unfollowed" });
      default:
        throw new Response("Bad request", { status: 400 });
    }
  } catch (error) {
    if (error instanceof Response) throw error;
    const refusal = errorsFromRefusal(error);
    const values = Object.fromEntries(
      [...formData].filter(([key, v]) => typeof v === "string" && key !== "intent"),
    ) as FormValues;
    return data<ActionResult>(
      { intent, errors: refusal.errors, values, commentId: Number(values.commentId) || undefined },
      { status: refusal.status },
    );
  }
}

export default function RequestPage() {
  const t = useT();
  const locale = useLocale();
  const now = useNow();
  const {
    request,
    timeline,
    comments,
    commentsAfter,
    nextCommentsAfter,
    votingOrganizations,
    viewer,
  } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const location = useLocation();
  const busy = navigation.state === "submitting";
  const category = locale === "he" ? request.categoryNameHe : request.categoryNameEn;
  const commentAction = actionData?.intent === "comment" ? actionData : undefined;
  const formError =
    actionData && actionData.intent !== "comment" && !actionData.commentId
      ? actionData.errors.form
      : undefined;

  return (
    // Phones: title, vote box, description and discussion, details. Desktop: two columns. The
    // column wrappers dissolve (display: contents) on phones so `order` can interleave them.
    <article className="flex flex-col gap-6 lg:flex-row lg:items-start lg:gap-10">
      <div className="contents lg:flex lg:min-w-0 lg:flex-1 lg:flex-col lg:gap-6">
        <header className="order-1 space-y-3">
          <Link
            to="/"
            className="inline-flex items-center gap-1 text-sm font-medium text-stone-700 hover:text-accent-700"
          >
            <svg aria-hidden="true" viewBox="0 0 20 20" className="flip-rtl h-4 w-4 fill-current">
              <path d="M12.7 5.3a1 1 0 0 1 0 1.4L9.4 10l3.3 3.3a1 1 0 0 1-1.4 1.4l-4-4a1 1 0 0 1 0-1.4l4-4a1 1 0 0 1 1.4 0Z" />
            </svg>
            {t("request.back")}
          </Link>
          <h1 className="text-2xl font-bold leading-tight sm:text-3xl" dir="auto">
            {request.title}
          </h1>
          <p className="flex flex-wrap items-center gap-2 text-sm text-stone-600">
            <StatusBadge status={request.status} />
            {request.decision ? (
              <span className="rounded-full bg-violet-50 px-2 py-0.5 text-xs font-medium text-violet-800 ring-1 ring-inset ring-violet-200">
                {t(
                  request.decision === "broad"
                    ? "request.decision.broad"
                    : "request.decision.sponsored",
                )}
              </span>
            ) : null}
            <span>
              {t("request.proposedBy", { author: request.authorName ?? t("request.staffAuthor") })}
              {request.orgName ? ` · ${t("request.fromOrg", { org: request.orgName })}` : ""}
            </span>
            <span aria-hidden="true">·</span>
            <time dateTime={request.createdAt} title={formatDateTime(locale, request.createdAt)}>
              {formatRelative(locale, request.createdAt, now)}
            </time>
          </p>
        </header>

        <div className="order-3 min-w-0 space-y-8">
          {formError ? <FormAlert>{t(formError)}</FormAlert> : null}
          <section className="rounded-2xl border border-stone-200 bg-white p-5 shadow-sm">
            {request.bodyHtml.trim() ? (
              <div
                className="prose-content"
                dir="auto"
                dangerouslySetInnerHTML={{ __html: request.bodyHtml }}
              />
            ) : (
              <p className="text-stone-600">{t("request.noDescription")}</p>
            )}
          </section>

          <section aria-labelledby="timeline-heading">
            <h2 id="timeline-heading" className="text-lg font-semibold">
              {t("request.timeline.title")}
            </h2>
            <ol className="mt-3 space-y-3 border-s-2 border-stone-200 ps-4">
              {timeline.map((event) => (
                <li key={event.id} className="relative">
                  <span
                    aria-hidden="true"
                    className="absolute -start-[1.4rem] top-1.5 h-3 w-3 rounded-full border-2 border-white bg-accent-600"
                  />
                  <p className="flex flex-wrap items-center gap-2 text-sm">
                    {event.fromStatus ? (
                      <>
                        <span className="sr-only">{t("request.timeline.changed")}: </span>
                        <StatusBadge status={event.fromStatus} />
                        <svg
                          aria-hidden="true"
                          viewBox="0 0 20 20"
                          className="flip-rtl h-4 w-4 fill-stone-500"
                        >
                          <path d="M7.3 14.7a1 1 0 0 1 0-1.4l3.3-3.3-3.3-3.3a1 1 0 0 1 1.4-1.4l4 4a1 1 0 0 1 0 1.4l-4 4a1 1 0 0 1-1.4 0Z" />
                        </svg>
                        <StatusBadge status={event.toStatus} />
                      </>
                    ) : (
                      <span className="font-medium">{t("request.timeline.opened")}</span>
                    )}
                    <span className="text-stone-600">
                      {event.actorName ? `${event.actorName} · ` : ""}
                      <time dateTime={event.createdAt}>{formatDate(locale, event.createdAt)}</time>
                    </span>
                  </p>
                  {event.note ? (
                    <p className="mt-1 text-sm text-stone-800" dir="auto">
                      {event.note}
                    </p>
                  ) : null}
                </li>
              ))}
            </ol>
          </section>

          <section id="comments" aria-labelledby="comments-heading" className="space-y-4">
            <h2 id="comments-heading" className="text-lg font-semibold">
              {t("comments.title")} <span className="text-stone-600">({request.commentCount})</span>
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
              <Link
                to={`?after=${nextCommentsAfter}#comments`}
                className={buttonClass("secondary")}
              >
                {t("comments.more")}
              </Link>
            ) : null}

            {viewer ? (
              viewer.canParticipate ? (
                <Form
                  method="post"
                  className="space-y-3 rounded-2xl border border-stone-200 bg-white p-5 shadow-sm"
                  noValidate
                >
                  <h3 className="font-semibold">{t("comments.add")}</h3>
                  <input type="hidden" name="intent" value="comment" />
                  <MarkdownField
                    name="bodyMd"
                    id="comment-body"
                    label={t("comments.label")}
                    defaultValue={commentAction?.values.bodyMd}
                    error={commentAction?.errors.bodyMd}
                    previewHtml={commentAction?.preview ?? null}
                    rows={4}
                    key={commentAction ? "retry" : `fresh-${comments.length}`}
                  />
                  {viewer.isStaff ? (
                    <div className="flex flex-wrap gap-4 text-sm">
                      <label className="flex items-center gap-2">
                        <input
                          type="checkbox"
                          name="official"
                          defaultChecked={commentAction?.values.official === "on"}
                          className="h-4 w-4"
                        />
                        {t("comments.official")}
                      </label>
                      <label className="flex items-center gap-2">
                        <input
                          type="checkbox"
                          name="internal"
                          defaultChecked={commentAction?.values.internal === "on"}
                          className="h-4 w-4"
                        />
                        {t("comments.internal")}
                      </label>
                    </div>
                  ) : null}
                  <Button type="submit" disabled={busy}>
                    {t("comments.submit")}
                  </Button>
                </Form>
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
        </div>
      </div>

      <div className="contents lg:flex lg:w-72 lg:shrink-0 lg:flex-col lg:gap-4">
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
                {t.count("count.votes", request.voteCount)}
              </p>
              <p className="text-stone-700">{t.count("count.orgs", request.orgCount)}</p>
              <p className="text-stone-600">{t.count("count.followers", request.followerCount)}</p>
            </div>
          </div>
          <div className="mt-3 border-t border-stone-100 pt-3 text-sm">
            {viewer ? (
              <Form method="post" className="flex flex-wrap items-center justify-between gap-2">
                <input
                  type="hidden"
                  name="intent"
                  value={request.following ? "unfollow" : "follow"}
                />
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

        <aside className="order-4 space-y-4" aria-label={t("request.details")}>
          <div className="rounded-2xl border border-stone-200 bg-white p-4 text-sm shadow-sm">
            <dl className="space-y-2">
              <div className="flex justify-between gap-2">
                <dt className="text-stone-600">{t("request.status")}</dt>
                <dd className="font-medium">{t(statusLabel[request.status])}</dd>
              </div>
              {category ? (
                <div className="flex justify-between gap-2">
                  <dt className="text-stone-600">{t("request.category")}</dt>
                  <dd className="font-medium">
                    <Link
                      to={`/?category=${request.categorySlug}`}
                      className="hover:text-accent-700 hover:underline"
                    >
                      {category}
                    </Link>
                  </dd>
                </div>
              ) : null}
            </dl>
          </div>

          {votingOrganizations ? (
            <section
              aria-labelledby="voting-orgs"
              className="rounded-2xl border border-violet-200 bg-violet-50 p-4 text-sm"
            >
              <h2 id="voting-orgs" className="font-semibold text-violet-950">
                {t("request.votingOrgs.title")}
              </h2>
              <p className="text-xs text-violet-900">{t("request.votingOrgs.note")}</p>
              {votingOrganizations.length === 0 ? (
                <p className="mt-2 text-violet-950">{t("request.votingOrgs.empty")}</p>
              ) : (
                <ul className="mt-2 space-y-2">
                  {votingOrganizations.map((org) => (
                    <li key={org.orgId}>
                      <Link
                        to={`/orgs/${org.slug}`}
                        className="font-medium text-violet-950 underline"
                      >
                        {org.name}
                      </Link>
                      <p className="text-violet-900">
                        {t.count("count.voters", Number(org.voters))} ·{" "}
                        {t("request.votingOrgs.last", {
                          date: formatDate(locale, org.lastVotedAt),
                        })}
                      </p>
                    </li>
                  ))}
                </ul>
              )}
            </section>
          ) : null}
        </aside>
      </div>
    </article>
  );
}

type CommentView = ReturnType<typeof useLoaderData<typeof loader>>["comments"][number];

function CommentItem({
  comment,
  now,
  error,
  values,
}: {
  comment: CommentView;
  now: number;
  error?: FieldErrors;
  values?: FormValues;
}) {
  const t = useT();
  const locale = useLocale();
  const hydrated = useHydrated();
  const [searchParams] = useSearchParams();
  const navigation = useNavigation();
  // Without JavaScript, ?edit=<id> opens the editor; with it, a button does.
  const [editingHere, setEditingHere] = useState(Boolean(error));
  // A saved edit comes back as new text: close the editor.
  const shownBody = useRef(comment.bodyMd);
  useEffect(() => {
    if (shownBody.current === comment.bodyMd) return;
    shownBody.current = comment.bodyMd;
    setEditingHere(false);
  }, [comment.bodyMd]);
  const editing =
    comment.canEdit && (editingHere || searchParams.get("edit") === String(comment.id));
  const minutesLeft = Math.max(
    0,
    Math.ceil((Date.parse(comment.createdAt) + COMMENT_EDIT_WINDOW_MS - now) / 60_000),
  );

  const tone = comment.isInternal
    ? "border-amber-300 bg-amber-50"
    : comment.isOfficial
      ? "border-accent-600 bg-accent-50 border-s-4"
      : "border-stone-200 bg-white";
  return (
    <li id={`comment-${comment.id}`} className={`rounded-2xl border p-4 shadow-sm ${tone}`}>
      <div className="flex flex-wrap items-center gap-x-2 gap-y-1 text-sm">
        <span className="font-semibold text-stone-900">{comment.authorName}</span>
        {comment.authorIsStaff ? (
          <span className="rounded bg-violet-100 px-1.5 py-0.5 text-xs font-medium text-violet-800">
            {t("comments.staff")}
          </span>
        ) : comment.orgName ? (
          <span className="text-stone-600">{comment.orgName}</span>
        ) : null}
        <span aria-hidden="true" className="text-stone-500">
          ·
        </span>
        <time
          dateTime={comment.createdAt}
          title={formatDateTime(locale, comment.createdAt)}
          className="text-stone-600"
        >
          {formatRelative(locale, comment.createdAt, now)}
        </time>
        {comment.editedAt ? <span className="text-stone-600">({t("comments.edited")})</span> : null}
        {comment.isOfficial ? (
          <span className="rounded bg-accent-700 px-1.5 py-0.5 text-xs font-medium text-white">
            {t("comments.official")}
          </span>
        ) : null}
        {comment.isInternal ? (
          <span className="rounded bg-amber-200 px-1.5 py-0.5 text-xs font-medium text-amber-950">
            {t("comments.internal")}
          </span>
        ) : null}
      </div>

      {editing ? (
        <Form method="post" className="mt-3 space-y-2" noValidate>
          <input type="hidden" name="intent" value="edit-comment" />
          <input type="hidden" name="commentId" value={comment.id} />
          <MarkdownField
            name="bodyMd"
            id={`edit-${comment.id}`}
            label={t("comments.editLabel")}
            defaultValue={values?.bodyMd ?? comment.bodyMd}
            error={error?.bodyMd ?? error?.form}
            rows={3}
          />
          <div className="flex gap-2">
            <Button
              type="submit"
              className="px-3 py-1"
              disabled={navigation.state === "submitting"}
            >
              {t("comments.save")}
            </Button>
            {hydrated ? (
              <Button
                type="button"
                variant="ghost"
                className="px-3 py-1"
                onClick={() => setEditingHere(false)}
              >
                {t("comments.cancel")}
              </Button>
            ) : (
              <Link to={`?#comment-${comment.id}`} className={buttonClass("ghost", "px-3 py-1")}>
                {t("comments.cancel")}
              </Link>
            )}
          </div>
        </Form>
      ) : (
        <div
          className="prose-content mt-2"
          dir="auto"
          dangerouslySetInnerHTML={{ __html: comment.bodyHtml }}
        />
      )}

      {!editing && (comment.canEdit || comment.canDelete) ? (
        <div className="mt-3 flex flex-wrap items-center gap-3 text-sm">
          {comment.canEdit ? (
            <>
              {hydrated ? (
                <button
                  type="button"
                  onClick={() => setEditingHere(true)}
                  className="font-medium text-accent-700 underline"
                >
                  {t("comments.edit")}
                </button>
              ) : (
                <Link
                  to={`?edit=${comment.id}#comment-${comment.id}`}
                  className="font-medium text-accent-700 underline"
                >
                  {t("comments.edit")}
                </Link>
              )}
              <span className="text-stone-600">
                {t("comments.editableFor", { minutes: minutesLeft })}
              </span>
            </>
          ) : null}
          {comment.canDelete ? (
            <Form
              method="post"
              onSubmit={(event) => {
                if (!window.confirm(t("comments.deleteConfirm"))) event.preventDefault();
              }}
            >
              <input type="hidden" name="intent" value="delete-comment" />
              <input type="hidden" name="commentId" value={comment.id} />
              <button type="submit" className="font-medium text-red-800 underline">
                {t("comments.delete")}
              </button>
            </Form>
          ) : null}
        </div>
      ) : null}
    </li>
  );
}
