// Where an e-mail's unsubscribe link leads, without sign-in: the signed token in the address
// names the user and the preference (app/models/unsubscribe.server.ts). Opening it changes
// nothing (link scanners and previews fetch it); its button unsubscribes and offers to undo. A
// mail client's one-click POST (RFC 8058, body "List-Unsubscribe=One-Click", sent without a
// browser's Origin: app/server.js lets exactly that body through) unsubscribes at once.
import {
  data,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { Button } from "~/components/Button";
import { FormAlert } from "~/components/Field";
import { pageTitle } from "~/components/PageTitle";
import { readForm, validateForm } from "~/forms.server";
import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/useT";
import { preferenceOf, setPreferenceByLink } from "~/models/notification-prefs.server";
import { readUnsubscribeToken } from "~/models/unsubscribe.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "unsubscribe.title");

export const headers: HeadersFunction = ({ loaderHeaders, actionHeaders }) =>
  actionHeaders.has("Cache-Control") ? actionHeaders : loaderHeaders;

// The page is for one person (its address is their key): never kept in a shared cache.
const PRIVATE = { "Cache-Control": "no-store" };

const ActionSchema = z.union([
  z.object({ "List-Unsubscribe": z.literal("One-Click") }),
  z.object({ intent: z.enum(["unsubscribe", "resubscribe"]) }),
]);

export async function loader({ params }: LoaderFunctionArgs) {
  const link = readUnsubscribeToken(params.token ?? "");
  const subscribed = link ? await preferenceOf(link.userId, link.topic) : undefined;
  if (!link || subscribed === undefined) {
    return data(
      { valid: false as const, topic: null, subscribed: false },
      { status: 404, headers: PRIVATE },
    );
  }
  return data({ valid: true as const, topic: link.topic, subscribed }, { headers: PRIVATE });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const link = readUnsubscribeToken(params.token ?? "");
  const form = validateForm(await readForm(request), ActionSchema);
  if (form.errors) throw new Response("Bad request", { status: 400 });
  const oneClick = "List-Unsubscribe" in form.data;
  const on = !oneClick && "intent" in form.data && form.data.intent === "resubscribe";
  const done = link
    ? await setPreferenceByLink({
        userId: link.userId,
        topic: link.topic,
        on,
        via: oneClick ? "one-click" : "page",
      })
    : false;
  if (!done) return data({ state: "invalid" as const }, { status: 404, headers: PRIVATE });
  return data(
    { state: on ? ("resubscribed" as const) : ("unsubscribed" as const) },
    { headers: PRIVATE },
  );
}

const TOPIC_KEYS = {
  status: "unsubscribe.topic.status",
  news: "unsubscribe.topic.news",
  digest: "unsubscribe.topic.digest",
} as const satisfies Record<string, MessageKey>;

export default function Unsubscribe() {
  const t = useT();
  const loaded = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const accountLink = (
    <Link to="/account#notifications-heading" className="font-medium text-accent-700 underline">
      {t("unsubscribe.account")}
    </Link>
  );
  if (!loaded.valid || actionData?.state === "invalid") {
    return (
      <div className="mx-auto max-w-xl space-y-5">
        <h1 className="text-3xl font-bold">{t("unsubscribe.invalid.title")}</h1>
        <FormAlert>{t("unsubscribe.invalid.body")}</FormAlert>
        <p>{accountLink}</p>
      </div>
    );
  }
  const topic = t(TOPIC_KEYS[loaded.topic]);
  const state = actionData?.state ?? (loaded.subscribed ? "subscribed" : "already");
  const form = (
    intent: "unsubscribe" | "resubscribe",
    label: MessageKey,
    variant: "primary" | "secondary",
  ) => (
    <Form method="post" replace>
      <input type="hidden" name="intent" value={intent} />
      <Button type="submit" variant={variant} disabled={busy}>
        {t(label)}
      </Button>
    </Form>
  );
  return (
    <div className="mx-auto max-w-xl space-y-5">
      <h1 className="text-3xl font-bold">
        {t(
          state === "unsubscribed"
            ? "unsubscribe.done.title"
            : state === "resubscribed"
              ? "unsubscribe.resubscribed.title"
              : "unsubscribe.title",
        )}
      </h1>
      <div className="space-y-4 rounded-2xl border border-stone-200 bg-white p-6 shadow-sm">
        {state === "subscribed" ? (
          <>
            <p className="text-lg font-medium">{t("unsubscribe.confirm", { topic })}</p>
            <p className="text-stone-700">{t("unsubscribe.confirmNote")}</p>
            {form("unsubscribe", "unsubscribe.button", "primary")}
          </>
        ) : state === "unsubscribed" ? (
          <>
            <p role="status" className="text-lg text-stone-900">
              {t("unsubscribe.done.body", { topic })}
            </p>
            {form("resubscribe", "unsubscribe.undo", "secondary")}
          </>
        ) : state === "resubscribed" ? (
          <>
            <p role="status" className="text-lg text-stone-900">
              {t("unsubscribe.resubscribed.body", { topic })}
            </p>
            {form("unsubscribe", "unsubscribe.button", "secondary")}
          </>
        ) : (
          <>
            <p className="text-lg text-stone-900">{t("unsubscribe.already", { topic })}</p>
            {form("resubscribe", "unsubscribe.resubscribe", "secondary")}
          </>
        )}
      </div>
      <p>{accountLink}</p>
    </div>
  );
}
