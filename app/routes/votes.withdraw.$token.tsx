// The link e-mailed to a customer when staff recorded a vote for them: the page shows the
// request and who recorded the vote, and its button withdraws it (once). No sign-in is needed:
// a contact staff added has no password, and the single-use link is their authority.
import {
  data,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Button, buttonClass } from "~/components/Button";
import { FormAlert } from "~/components/Field";
import { pageTitle } from "~/components/PageTitle";
import { useRichT } from "~/i18n/rich";
import { useT } from "~/i18n/useT";
import { ActionRefused } from "~/models/errors";
import { getVoteWithdrawal, withdrawRecordedVote } from "~/models/staff-requests.server";
import { FROM_KEYS } from "./requests.$id/StaffTools";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "voteWithdraw.title");

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

const TOKEN = /^[A-Za-z0-9_-]{1,100}$/;

const STATE_KEYS = {
  used: "voteWithdraw.used",
  expired: "voteWithdraw.expired",
  unknown: "voteWithdraw.unknown",
  gone: "voteWithdraw.gone",
} as const;

export async function loader({ params }: LoaderFunctionArgs) {
  const token = params.token ?? "";
  const found = TOKEN.test(token)
    ? await getVoteWithdrawal({ token })
    : { state: "unknown" as const, request: null, vote: null };
  // A used or expired link is a page that says so (200), not an error of the site.
  return data(found, {
    // The page is for one person (its address is a secret): not kept in any cache.
    headers: { "Cache-Control": "no-store" },
  });
}

export async function action({ params }: ActionFunctionArgs) {
  const token = params.token ?? "";
  try {
    if (!TOKEN.test(token)) throw new ActionRefused("voteWithdraw.unknown", 404);
    const { requestId } = await withdrawRecordedVote({ token });
    return data({ done: true as const, requestId, error: null });
  } catch (error) {
    if (!(error instanceof ActionRefused)) throw error;
    return data(
      { done: false as const, requestId: null, error: error.messageKey },
      { status: error.status },
    );
  }
}

export default function WithdrawRecordedVote() {
  const t = useT();
  const rt = useRichT();
  const { state, request, vote } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const requestLink = request ? (
    <Link to={`/requests/${request.id}`} className={buttonClass("secondary")}>
      {t("voteWithdraw.view")}
    </Link>
  ) : (
    <Link to="/" className={buttonClass("secondary")}>
      {t("voteWithdraw.home")}
    </Link>
  );
  return (
    <div className="mx-auto max-w-xl space-y-5">
      <h1 className="text-3xl font-bold">{t("voteWithdraw.title")}</h1>
      {request ? (
        <p className="text-lg font-medium" dir="auto">
          {request.title}
        </p>
      ) : null}
      {actionData?.done ? (
        <p
          role="status"
          className="rounded-lg border border-green-200 bg-green-50 px-3 py-2 font-medium text-green-900"
        >
          {t("voteWithdraw.done")}
        </p>
      ) : actionData?.error ? (
        <FormAlert>{t(actionData.error)}</FormAlert>
      ) : state !== "valid" ? (
        <FormAlert>{t(STATE_KEYS[state])}</FormAlert>
      ) : (
        <div className="space-y-4 rounded-2xl border border-stone-200 bg-white p-6 shadow-sm">
          <p className="text-stone-800">
            {rt("voteWithdraw.lead", {
              staff: vote?.staffName ?? t("staffTools.formerStaff"),
              org: vote?.orgName ?? "",
              from: vote?.source ? t(FROM_KEYS[vote.source]) : "",
            })}
          </p>
          <Form method="post">
            <Button type="submit" variant="danger">
              {t("voteWithdraw.submit")}
            </Button>
          </Form>
        </div>
      )}
      <div>{requestLink}</div>
    </div>
  );
}
