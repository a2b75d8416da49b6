// The form for a new comment at the end of the thread; staff can also mark it official or internal.
import { Form, useNavigation } from "@remix-run/react";
import { Button } from "~/components/Button";
import { MarkdownField } from "~/components/MarkdownField";
import { useT } from "~/i18n/useT";
import type { RequestActionData, RequestPageData } from "./route";

export function CommentForm({
  viewer,
  commentAction,
  commentsShown,
}: {
  viewer: NonNullable<RequestPageData["viewer"]>;
  commentAction: RequestActionData | undefined;
  /** Changes when a comment is added, so the field starts empty again. */
  commentsShown: number;
}) {
  const t = useT();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  return (
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
        key={commentAction ? "retry" : `fresh-${commentsShown}`}
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
  );
}
