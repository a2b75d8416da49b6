// The announcement form, for a new one and for editing one: the Hebrew (required) and the
// English (optional) text, the covered requests, a preview, and the buttons its state allows. A
// published announcement opens as a correction. The buttons are submits of one plain form
// (`intent`), so everything works without JavaScript; with it, <Form> re-renders in place.
import { Form, useNavigation } from "@remix-run/react";
import { Button } from "~/components/Button";
import { Field, FormAlert } from "~/components/Field";
import { MarkdownField } from "~/components/MarkdownField";
import type { FieldErrors, FormValues } from "~/forms.server";
import { useT } from "~/i18n/useT";
import type { AnnouncementState } from "~/models/announcements.server";
import { AnnouncementPreview } from "./AnnouncementPreview";
import { CoveredRequests } from "./CoveredRequests";
import type { AnnouncementPreviewData, Picker } from "./form.server";

const fieldsetClass = "space-y-4 rounded-xl border border-stone-200 p-4";
const legendClass = "px-1 text-base font-semibold";

export function AnnouncementForm({
  state,
  values,
  errors,
  picker,
  preview,
  minPublishAt,
}: {
  /** null: a new announcement. */
  state: AnnouncementState | null;
  values: FormValues;
  errors: FieldErrors;
  picker: Picker;
  preview?: AnnouncementPreviewData;
  /** The datetime-local input's minimum (now, Israel time). */
  minPublishAt: string;
}) {
  const t = useT();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle";
  const err = (field: string) => errors[field];
  const published = state === "published";
  const errorCount = Object.keys(errors).length;

  return (
    <Form
      method="post"
      noValidate
      className="space-y-5 rounded-2xl border border-stone-200 bg-white p-4 shadow-sm sm:p-5"
      aria-labelledby="announcement-form-heading"
    >
      <h2 id="announcement-form-heading" className="sr-only">
        {t(published ? "staffAnnouncements.form.correctTitle" : "staffAnnouncements.form.title")}
      </h2>
      {errorCount > 0 ? (
        <FormAlert>
          {err("form") ? t(err("form")!) : t("staffAnnouncements.form.fixErrors")}
        </FormAlert>
      ) : null}
      {published ? (
        <p
          className="rounded-lg border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900"
          data-testid="correction-note"
        >
          {t("staffAnnouncements.form.correctionNote")}
        </p>
      ) : null}

      <fieldset className={fieldsetClass}>
        <legend className={legendClass}>{t("staffAnnouncements.form.hebrew")}</legend>
        <Field
          id="announcement-title-he"
          name="titleHe"
          label={t("staffAnnouncements.field.titleHe")}
          dir="rtl"
          autoComplete="off"
          required
          aria-required
          defaultValue={values.titleHe}
          error={err("titleHe")}
        />
        <MarkdownField
          id="announcement-body-he"
          name="bodyHe"
          label={t("staffAnnouncements.field.bodyHe")}
          rows={8}
          required
          defaultValue={values.bodyHe}
          error={err("bodyHe")}
        />
      </fieldset>

      <fieldset className={fieldsetClass}>
        <legend className={legendClass}>{t("staffAnnouncements.form.english")}</legend>
        <p className="text-sm text-stone-600">{t("staffAnnouncements.form.englishHint")}</p>
        <Field
          id="announcement-title-en"
          name="titleEn"
          label={t("staffAnnouncements.field.titleEn")}
          dir="ltr"
          autoComplete="off"
          defaultValue={values.titleEn}
          error={err("titleEn")}
        />
        <MarkdownField
          id="announcement-body-en"
          name="bodyEn"
          label={t("staffAnnouncements.field.bodyEn")}
          rows={8}
          defaultValue={values.bodyEn}
          error={err("bodyEn")}
        />
      </fieldset>

      <CoveredRequests picker={picker} error={err("requestIds")} busy={busy} />

      {preview ? <AnnouncementPreview preview={preview} requests={picker.chosen} /> : null}

      <div className="flex flex-wrap gap-3">
        <Button type="submit" name="intent" value="preview" variant="secondary" disabled={busy}>
          {t("staffAnnouncements.submit.preview")}
        </Button>
        <Button
          type="submit"
          name="intent"
          value="save"
          variant={published ? "primary" : "secondary"}
          disabled={busy}
        >
          {t(
            published
              ? "staffAnnouncements.submit.correct"
              : state === null || state === "draft"
                ? "staffAnnouncements.submit.saveDraft"
                : "staffAnnouncements.submit.save",
          )}
        </Button>
        {!published ? (
          <Button type="submit" name="intent" value="publish" disabled={busy}>
            {t("staffAnnouncements.submit.publish")}
          </Button>
        ) : null}
      </div>

      {!published ? (
        <fieldset className={fieldsetClass}>
          <legend className={legendClass}>{t("staffAnnouncements.schedule.legend")}</legend>
          <div className="flex flex-col gap-3 sm:flex-row sm:items-start">
            <div className="w-full sm:max-w-xs">
              <Field
                id="announcement-publish-at"
                name="publishAt"
                type="datetime-local"
                label={t("staffAnnouncements.field.publishAt")}
                hint={t("staffAnnouncements.field.publishAtHint")}
                dir="ltr"
                min={minPublishAt}
                defaultValue={values.publishAt}
                error={err("publishAt")}
              />
            </div>
            <Button
              type="submit"
              name="intent"
              value="schedule"
              variant="secondary"
              className="self-start sm:mt-6"
              disabled={busy}
            >
              {t(
                state === "scheduled"
                  ? "staffAnnouncements.submit.reschedule"
                  : "staffAnnouncements.submit.schedule",
              )}
            </Button>
          </div>
        </fieldset>
      ) : null}
    </Form>
  );
}
