// The request page: description, status timeline, comments; the vote box, follow and details
// aside. Staff also see the demand: which organizations voted, and votes over time.
import {
  data,
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { lazy, Suspense } from "react";
import { canParticipate, isStaff, isStaffAdmin } from "~/auth/permissions.server";
import { getSessionUser, redirectWithToast, requireUser } from "~/auth/session.server";
import { FormAlert } from "~/components/Field";
import { pageTitle } from "~/components/PageTitle";
import { SponsorCredit } from "~/components/SponsorCredit";
import { StatusBadge } from "~/components/StatusBadge";
import { VisibilityBadge } from "~/components/VisibilityBadge";
import {
  errorsFromRefusal,
  readForm,
  validateForm,
  type FieldErrors,
  type FormValues,
} from "~/forms.server";
import { formatDateTime, formatRelative } from "~/i18n/format";
import { useRichT } from "~/i18n/rich";
import { useLocale, useNow, useT } from "~/i18n/useT";
import { renderMarkdown } from "~/markdown.server";
import { ActionRefused } from "~/models/errors";
import { addComment, deleteComment, editComment, listComments } from "~/models/comments.server";
import { followRequest, unfollowRequest } from "~/models/follows.server";
import { hitRateLimit, RATE_LIMITS } from "~/models/rate-limits.server";
import { getDemand } from "~/models/demand.server";
import { getRequestQuote } from "~/models/quotes.server";
import { announcementsOfRequest, staffAnnouncementsOfRequest } from "~/models/announcements.server";
import { canEditOwnRequest, getRequest, listStatusEvents } from "~/models/requests.server";
import {
  CommentIdSchema,
  CommentSchema,
  EditCommentSchema,
  parseId,
  requireIdParam,
} from "~/schemas.server";
import { CommentThread } from "./CommentThread";
import { getStaffTools } from "~/models/staff-requests.server";
import { sponsorsToCredit } from "~/models/sponsorships.server";
import { RequestDetails } from "./RequestDetails";
import { StatusTimeline } from "./StatusTimeline";
import { QuoteCard } from "./QuoteCard";
import { VoteCard } from "./VoteCard";
import { BackLink } from "~/components/BackLink";
import { allOf } from "~/utils";

// Staff only, loaded when rendered (./staff-sections.ts); during hydration each waits for it in
// its own Suspense boundary, the server's HTML on screen meanwhile.
const staffSection = <K extends keyof typeof import("./staff-sections")>(name: K) =>
  lazy(() => import("./staff-sections").then((sections) => ({ default: sections[name] })));
const StaffPanel = staffSection("StaffPanel");
const StaffTools = staffSection("StaffTools");
const DemandCard = staffSection("DemandCard");
const VisibilityControl = staffSection("VisibilityControl");
const QuoteVersions = staffSection("QuoteVersions");

export const meta: MetaFunction<typeof loader> = ({ data: loaderData, matches }) =>
  loaderData
    ? [{ title: `${loaderData.request.title} · Broadly` }]
    : pageTitle(matches, "error.404.title");

// 25 like the board's pages: the comments are most of a long thread's page and its cost.
const COMMENTS_PER_PAGE = 25;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = requireIdParam(params.id);
  const user = await getSessionUser(request);
  const viewer = user?.actor ?? null;
  const found = await getRequest({ id, viewer });
  if (!found) throw new Response("Not found", { status: 404 });
  // A merged request lives on in the one it was merged into, whose page says so (?merged=).
  if (found.status === "merged" && found.mergedIntoId)
    throw redirect(`/requests/${found.mergedIntoId}?merged=${found.id}`);
  // Long threads come 25 comments at a time, by keyset (?after=<last comment id>).
  const searchParams = new URL(request.url).searchParams;
  const commentsAfter = parseId(searchParams.get("after"));
  const shipped = found.status === "shipped";
  const { commentPage, ...reads } = await allOf({
    timeline: listStatusEvents({ requestId: id }),
    commentPage: listComments({
      requestId: id,
      viewer,
      afterId: commentsAfter,
      limit: COMMENTS_PER_PAGE,
      commentCount: found.commentCount,
    }),
    // Staff: the voting organizations a page at a time (?orgs=<cursor>), and votes per week.
    demand: found.canSeeVotingOrganizations
      ? getDemand({ actor: viewer, requestId: id, cursor: searchParams.get("orgs") })
      : null,
    quote: getRequestQuote({ requestId: id, viewer }),
    // A shipped sponsored request thanks the sponsors who agreed to be named.
    credit: shipped ? sponsorsToCredit(id) : null,
    // A shipped request links to its announcements (one read of announcement_requests_by_request;
    // only shipped requests can be covered, so no other page pays for it).
    announcements: shipped ? announcementsOfRequest(id) : [],
    canEdit: canEditOwnRequest({ request: found, actor: viewer }),
    // Staff, on a shipped public request: the announcements covering it (drafts too), so the
    // staff panel offers to write one while none is published.
    staffAnnouncements:
      viewer?.isStaff && shipped && found.visibility === "public"
        ? staffAnnouncementsOfRequest({ actor: viewer, requestId: id })
        : null,
    staffTools: viewer?.isStaff
      ? getStaffTools({
          actor: viewer,
          requestId: id,
          recordedCursor: searchParams.get("recorded"),
        })
      : null,
  });
  const { bodyMd: _bodyMd, ...requestData } = found;
  return {
    request: requestData,
    ...reads,
    // The Markdown source only where its author may still edit it: the page shows the HTML.
    comments: commentPage.items.map(({ bodyMd, ...comment }) => ({
      ...comment,
      bodyMd: comment.canEdit ? bodyMd : null,
    })),
    // What this viewer can see in all: staff also count the internal notes they are shown.
    commentCount: commentPage.total,
    commentsAfter,
    nextCommentsAfter: commentPage.nextAfterId,
    viewer: user
      ? {
          id: user.id,
          isStaff: isStaff(user.actor),
          isStaffAdmin: isStaffAdmin(user.actor),
          canParticipate: isStaff(user.actor) || canParticipate(user, user.currentOrg?.orgId),
          // Their organizations: the quote card offers their admins to accept, members to ask.
          organizations: user.memberships.map((m) => ({
            id: m.orgId,
            name: m.name,
            isAdmin: m.role === "admin",
          })),
        }
      : null,
  };
}

/** "Announced: <title>" for each published announcement covering a shipped request. */
function AnnouncedLinks({ announcements }: { announcements: RequestPageData["announcements"] }) {
  const rt = useRichT();
  const locale = useLocale();
  if (announcements.length === 0) return null;
  return (
    <ul
      className="space-y-1 rounded-2xl border border-emerald-200 bg-emerald-50 px-5 py-3"
      data-testid="announced"
    >
      {announcements.map((a) => {
        // The reader's language; Hebrew, marked as such, when there is no English (as on the
        // changelog).
        const hebrew = locale === "he" || !a.titleEn;
        return (
          <li key={a.id} className="text-emerald-900">
            {rt("changelog.announced", {
              title: (
                <Link
                  to={`/announcements/${a.id}`}
                  className="font-medium underline"
                  lang={hebrew && locale !== "he" ? "he" : undefined}
                  dir={hebrew && locale !== "he" ? "rtl" : undefined}
                >
                  {hebrew ? a.titleHe : a.titleEn}
                </Link>
              ),
            })}
          </li>
        );
      })}
    </ul>
  );
}

export type RequestPageData = ReturnType<typeof useLoaderData<typeof loader>>;

type ActionResult = {
  intent: string;
  errors: FieldErrors;
  values: FormValues;
  preview?: string;
  commentId?: number;
};

export async function action({ request, params }: ActionFunctionArgs) {
  const id = requireIdParam(params.id);
  const user = await requireUser(request);
  const formData = await readForm(request);
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
        // A customer's try at a staff kind is refused before it counts against their allowance
        // (the model refuses it too).
        if (form.data.kind !== "public" && !isStaff(user.actor))
          throw new ActionRefused("request.error.staffOnly", 403);
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
          kind: form.data.kind,
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
              commentId: parseId(form.values.commentId) ?? undefined,
            },
            { status: 400 },
          );
        await editComment({
          requestId: id,
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
        await deleteComment({
          requestId: id,
          commentId: form.data.commentId,
          actor: user.actor,
        });
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
      { intent, errors: refusal.errors, values, commentId: parseId(values.commentId) ?? undefined },
      { status: refusal.status },
    );
  }
}

export type RequestActionData = ReturnType<typeof useActionData<typeof action>>;

export default function RequestPage() {
  const t = useT();
  const rt = useRichT();
  const locale = useLocale();
  const now = useNow();
  const data = useLoaderData<typeof loader>();
  const { request, timeline, viewer, canEdit } = data;
  const actionData = useActionData<typeof action>();
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
          <BackLink to="/">{t("request.back")}</BackLink>
          <h1 className="text-start text-2xl font-bold leading-tight sm:text-3xl" dir="auto">
            {request.title}
          </h1>
          <p className="flex flex-wrap items-center gap-2 text-sm text-stone-600">
            <StatusBadge status={request.status} />
            {request.visibility === "organization" ? <VisibilityBadge /> : null}
            {request.decision ? (
              <span className="rounded-full bg-violet-50 px-2 py-0.5 text-xs font-medium text-violet-800 ring-1 ring-inset ring-violet-200">
                {t(
                  request.decision === "broad"
                    ? "request.decision.broad"
                    : // Until staff quote it, a sponsored decision is a promise of a quote.
                      request.status === "quoted" && !data.quote?.current
                      ? "staffTriage.outcome.quoteComing"
                      : "request.decision.sponsored",
                )}
              </span>
            ) : null}
            <span>
              {/* No author: the account was deleted (its requests stay). */}
              {rt("request.proposedBy", {
                author: request.authorName ?? t("request.formerMember"),
              })}
              {request.orgName ? <> · {rt("request.fromOrg", { org: request.orgName })}</> : null}
            </span>
            <span aria-hidden="true">·</span>
            <time dateTime={request.createdAt} title={formatDateTime(locale, request.createdAt)}>
              {formatRelative(locale, request.createdAt, now)}
            </time>
          </p>
          {request.visibility === "organization" && request.orgName ? (
            <p className="text-sm text-stone-700">
              {rt("visibility.note", { org: request.orgName })}
            </p>
          ) : null}
          {canEdit ? (
            <Link
              to={`/requests/${request.id}/edit`}
              className="inline-block text-sm font-medium text-accent-700 underline"
            >
              {t("request.editLink")}
            </Link>
          ) : null}
        </header>

        <div className="order-3 min-w-0 space-y-8">
          {formError ? <FormAlert>{t(formError)}</FormAlert> : null}
          <section className="rounded-2xl border border-stone-200 bg-white p-5 shadow-sm">
            {request.bodyHtml.trim() ? (
              <div
                className="prose-content text-start"
                dir="auto"
                dangerouslySetInnerHTML={{ __html: request.bodyHtml }}
              />
            ) : (
              <p className="text-stone-600">{t("request.noDescription")}</p>
            )}
          </section>

          {data.quote?.current ? (
            <QuoteCard requestId={request.id} data={data.quote} viewer={viewer} />
          ) : null}

          {viewer?.isStaff ? (
            <Suspense fallback={null}>
              <StaffPanel
                request={request}
                viewer={viewer}
                hasOpenQuote={data.quote?.current?.status === "open"}
                announcements={data.staffAnnouncements}
              />
              {data.quote?.versions ? (
                <QuoteVersions requestId={request.id} versions={data.quote.versions} />
              ) : null}
            </Suspense>
          ) : null}

          <SponsorCredit sponsors={data.credit} />
          <AnnouncedLinks announcements={data.announcements} />
          <StatusTimeline timeline={timeline} helpUrl={request.helpUrl} />

          <CommentThread data={data} actionData={actionData} now={now} />
        </div>
      </div>

      <div className="contents lg:flex lg:w-72 lg:shrink-0 lg:flex-col lg:gap-4">
        <VoteCard request={request} viewer={viewer} />
        <RequestDetails request={request} />
        {viewer?.isStaff ? (
          <Suspense fallback={null}>
            {data.demand ? <DemandCard requestId={request.id} demand={data.demand} /> : null}
            <VisibilityControl request={request} />
            {data.staffTools ? <StaffTools request={request} tools={data.staffTools} /> : null}
          </Suspense>
        ) : null}
      </div>
    </article>
  );
}
