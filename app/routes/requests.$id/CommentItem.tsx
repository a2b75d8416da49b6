// One comment: author, time and badges, its Markdown, and its author's edit and delete controls.
import { Form, Link, useNavigation, useSearchParams } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { Button, buttonClass } from "~/components/Button";
import { MarkdownField } from "~/components/MarkdownField";
import { useHydrated } from "~/components/useHydrated";
import type { FieldErrors, FormValues } from "~/forms.server";
import { formatDateTime, formatRelative } from "~/i18n/format";
import { useRichT } from "~/i18n/rich";
import { useLocale, useT } from "~/i18n/useT";
import type { RequestPageData } from "./route";

type CommentView = RequestPageData["comments"][number];

/**
 * The edit time left: what the loader measured, so the server and the hydrating browser render
 * the same text, then counted down by the browser's own clock (whatever its offset).
 */
function useEditTimeLeft(msAtLoad: number): number {
  const [left, setLeft] = useState(msAtLoad);
  useEffect(() => {
    setLeft(msAtLoad);
    if (msAtLoad <= 0) return;
    const start = Date.now();
    const timer = setInterval(() => {
      const next = Math.max(0, msAtLoad - (Date.now() - start));
      setLeft(next);
      if (next === 0) clearInterval(timer);
    }, 1_000);
    return () => clearInterval(timer);
  }, [msAtLoad]);
  return left;
}

export function CommentItem({
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
  const rt = useRichT();
  const locale = useLocale();
  const hydrated = useHydrated();
  const [searchParams] = useSearchParams();
  const navigation = useNavigation();
  // Without JavaScript, ?edit=<id> opens the editor; with it, a button does.
  const [editingHere, setEditingHere] = useState(Boolean(error));
  // A saved edit comes back as new text: close the editor.
  const shownBody = useRef(comment.bodyHtml);
  useEffect(() => {
    if (shownBody.current === comment.bodyHtml) return;
    shownBody.current = comment.bodyHtml;
    setEditingHere(false);
  }, [comment.bodyHtml]);
  // An editor already open stays open when the time runs out: the save then says it is too late.
  const editing =
    comment.canEdit && (editingHere || searchParams.get("edit") === String(comment.id));
  const editTimeLeft = useEditTimeLeft(comment.editableForMs);
  const canStillEdit = comment.canEdit && editTimeLeft > 0;

  const tone =
    comment.kind === "internal"
      ? "border-amber-300 bg-amber-50"
      : comment.kind === "official"
        ? "border-accent-600 bg-accent-50 border-s-4"
        : "border-stone-200 bg-white";
  return (
    <li id={`comment-${comment.id}`} className={`rounded-2xl border p-4 shadow-sm ${tone}`}>
      <div className="flex flex-wrap items-center gap-x-2 gap-y-1 text-sm">
        <bdi className="font-semibold text-stone-900">
          {comment.authorName ?? t("comments.formerMember")}
        </bdi>
        {comment.authorIsStaff ? (
          <span className="rounded bg-violet-100 px-1.5 py-0.5 text-xs font-medium text-violet-800">
            {t("comments.staff")}
          </span>
        ) : comment.orgName ? (
          <bdi className="text-stone-600">{comment.orgName}</bdi>
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
        {comment.kind === "official" ? (
          <span className="rounded bg-accent-700 px-1.5 py-0.5 text-xs font-medium text-white">
            {t("comments.official")}
          </span>
        ) : null}
        {comment.kind === "internal" ? (
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
            defaultValue={values?.bodyMd ?? comment.bodyMd ?? ""}
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
          className="prose-content mt-2 text-start"
          dir="auto"
          dangerouslySetInnerHTML={{ __html: comment.bodyHtml }}
        />
      )}

      {!editing && (canStillEdit || comment.canDelete) ? (
        <div className="mt-3 flex flex-wrap items-center gap-3 text-sm">
          {canStillEdit ? (
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
                {rt.count("comments.editableFor", Math.ceil(editTimeLeft / 60_000))}
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
