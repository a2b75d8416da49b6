// The form for a new comment at the end of the thread. Staff choose what it is: a public
// comment, the team's official answer or an internal note (one of the three, never two).
import { Form, useNavigation } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { Button } from "~/components/Button";
import { FieldError } from "~/components/Field";
import { MarkdownField } from "~/components/MarkdownField";
import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/useT";
import type { CommentKind } from "~/models/comments.server";
import type { RequestActionData, RequestPageData } from "./route";

const KIND_LABELS: Record<CommentKind, MessageKey> = {
  public: "comments.kind.public",
  official: "comments.official",
  internal: "comments.internal",
};

export function CommentForm({
  viewer,
  commentAction,
}: {
  viewer: NonNullable<RequestPageData["viewer"]>;
  commentAction: RequestActionData | undefined;
}) {
  const t = useT();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  // With JavaScript the page stays mounted after a comment is posted: start a fresh form (empty
  // text, "public" again) once a submission of this form ends without errors. Without
  // JavaScript the redirect after posting renders a fresh form anyway.
  const posting = navigation.state !== "idle" && navigation.formData?.get("intent") === "comment";
  const wasPosting = useRef(false);
  const [posted, setPosted] = useState(0);
  useEffect(() => {
    if (posting) wasPosting.current = true;
    else if (wasPosting.current) {
      wasPosting.current = false;
      if (!commentAction) setPosted((n) => n + 1);
    }
  }, [posting, commentAction]);
  const kindError = commentAction?.errors.kind;
  const chosenKind = commentAction?.values.kind ?? "public";

  return (
    <Form
      method="post"
      className="space-y-3 rounded-2xl border border-stone-200 bg-white p-5 shadow-sm"
      noValidate
    >
      <h3 className="font-semibold">{t("comments.add")}</h3>
      <input type="hidden" name="intent" value="comment" />
      {/* A new key mounts the fields afresh: after an error with what was typed, after a post empty. */}
      <div key={commentAction ? "retry" : `fresh-${posted}`} className="space-y-3">
        <MarkdownField
          name="bodyMd"
          id="comment-body"
          label={t("comments.label")}
          defaultValue={commentAction?.values.bodyMd}
          error={commentAction?.errors.bodyMd ?? commentAction?.errors.form}
          previewHtml={commentAction?.preview ?? null}
          rows={4}
        />
        {viewer.isStaff ? (
          <fieldset
            className="space-y-1 text-sm"
            aria-describedby={kindError ? "comment-kind-error" : undefined}
          >
            <legend className="mb-1 font-medium text-stone-800">{t("comments.kind.label")}</legend>
            <div className="flex flex-wrap gap-x-4 gap-y-2">
              {(Object.keys(KIND_LABELS) as CommentKind[]).map((kind) => (
                <label key={kind} className="flex items-center gap-2">
                  <input
                    type="radio"
                    name="kind"
                    value={kind}
                    defaultChecked={chosenKind === kind}
                    className="h-4 w-4"
                  />
                  {t(KIND_LABELS[kind])}
                </label>
              ))}
            </div>
            {kindError ? <FieldError id="comment-kind-error">{t(kindError)}</FieldError> : null}
          </fieldset>
        ) : null}
      </div>
      <Button type="submit" disabled={busy}>
        {t("comments.submit")}
      </Button>
    </Form>
  );
}
