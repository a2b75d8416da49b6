// What the announcement form's two routes share (/staff/announcements/new and /:id): the
// form's first values, the picker of covered requests, and the one action behind its buttons.
// Each button is an `intent`: save, publish, schedule (all through saveAnnouncement, one
// transaction), preview and search (nothing saved: the page comes back with what was typed),
// unschedule and delete (their own small forms).
import { data } from "@remix-run/node";
import { requireStaffOr404, refusalOfStaffAction } from "~/auth/staff-actions.server";
import { redirectWithToast } from "~/auth/session.server";
import { readForm, validateForm, type FieldErrors, type FormValues } from "~/forms.server";
import type { Locale } from "~/i18n/messages";
import { renderMarkdown } from "~/markdown.server";
import {
  announcementText,
  deleteDraft,
  getAnnouncementPicker,
  saveAnnouncement,
  unscheduleAnnouncement,
  type AnnouncementView,
  type PickerRequest,
} from "~/models/announcements.server";
import type { Actor } from "~/models/errors";
import { AnnouncementFormSchema, AnnouncementScheduleSchema, parseId } from "~/schemas.server";

export type Picker = { chosen: PickerRequest[]; choices: PickerRequest[]; search: string };

/** The announcement as readers will see it, in each language (English may fall back). */
export type AnnouncementPreviewData = Record<
  Locale,
  { title: string; html: string; lang: Locale; fallback: boolean }
>;

export type AnnouncementFormResult = {
  errors: FieldErrors;
  values: FormValues;
  picker: Picker;
  preview?: AnnouncementPreviewData;
};

/** The chosen ids of a form's values ("3,7"), as the picker lists them. */
export function chosenIds(values: FormValues): number[] {
  return (values.requestIds ?? "")
    .split(",")
    .map((part) => parseId(part))
    .filter((id): id is number => id !== null);
}

export function valuesOfAnnouncement(view: AnnouncementView): FormValues {
  return {
    titleHe: view.titleHe,
    bodyHe: view.bodyHe,
    titleEn: view.titleEn ?? "",
    bodyEn: view.bodyEn ?? "",
    requestIds: view.requests.map((r) => r.id).join(","),
  };
}

export function loadPicker(actor: Actor, values: FormValues, search = ""): Promise<Picker> {
  return getAnnouncementPicker({ actor, chosen: chosenIds(values), search });
}

function previewOf(values: FormValues): AnnouncementPreviewData {
  const text = {
    titleHe: values.titleHe?.trim() ?? "",
    bodyHe: values.bodyHe ?? "",
    titleEn: values.titleEn?.trim() || null,
    bodyEn: values.bodyEn?.trim() ? values.bodyEn : null,
  };
  const inLocale = (locale: Locale) => {
    const shown = announcementText(text, locale);
    return {
      title: shown.title,
      html: renderMarkdown(shown.bodyMd),
      lang: shown.lang,
      fallback: shown.fallback,
    };
  };
  return { he: inLocale("he"), en: inLocale("en") };
}

/**
 * The form's action. `id` null: the new-announcement page (nothing to unschedule or delete).
 */
export async function announcementFormAction(request: Request, id: number | null) {
  const user = await requireStaffOr404(request);
  const formData = await readForm(request);
  const intent = String(formData.get("intent") ?? "");
  const here = id === null ? null : `/staff/announcements/${id}`;

  if (id !== null && (intent === "unschedule" || intent === "delete")) {
    try {
      if (intent === "unschedule") await unscheduleAnnouncement({ actor: user.actor, id });
      else await deleteDraft({ actor: user.actor, id });
    } catch (error) {
      const refusal = refusalOfStaffAction(error);
      return redirectWithToast(request, here!, {
        key: refusal.errors.form ?? "error.invalid",
        tone: "error",
      });
    }
    return intent === "delete"
      ? redirectWithToast(request, "/staff/announcements", {
          key: "staffAnnouncements.toast.deleted",
        })
      : redirectWithToast(request, here!, { key: "staffAnnouncements.toast.unscheduled" });
  }

  // The checked requests come as repeated fields; the schema reads them as one "3,7".
  const checked = formData.getAll("requestIds").filter((v): v is string => typeof v === "string");
  formData.set("requestIds", checked.join(","));
  const form = validateForm(
    formData,
    intent === "schedule" ? AnnouncementScheduleSchema : AnnouncementFormSchema,
  );
  const values: FormValues = { ...form.values, requestIds: checked.join(",") };
  delete values.intent;
  delete values.preview;
  const search = values.requestSearch ?? "";
  const answer = async (errors: FieldErrors, status = 200, preview?: AnnouncementPreviewData) =>
    data<AnnouncementFormResult>(
      { errors, values, picker: await loadPicker(user.actor, values, search), preview },
      { status },
    );

  // Searching for requests to cover, or previewing (also a Markdown field's own no-JS
  // preview): what was typed comes back, nothing is saved; a preview shows the errors too.
  if (intent === "search") return answer({});
  if (intent === "preview" || formData.get("preview"))
    return answer(form.errors ?? {}, 200, previewOf(values));
  if (intent !== "save" && intent !== "publish" && intent !== "schedule")
    throw new Response("Bad request", { status: 400 });
  if (form.errors) return answer(form.errors, 400);

  const { publishAt, ...input } = form.data as typeof form.data & { publishAt?: string };
  let saved: Awaited<ReturnType<typeof saveAnnouncement>>;
  try {
    saved = await saveAnnouncement({
      actor: user.actor,
      id,
      input,
      publish: intent === "save" ? undefined : { at: publishAt },
    });
  } catch (error) {
    const refusal = refusalOfStaffAction(error);
    return answer(refusal.errors, refusal.status);
  }
  const key =
    intent === "publish"
      ? "staffAnnouncements.toast.published"
      : intent === "schedule"
        ? "staffAnnouncements.toast.scheduled"
        : saved.corrected
          ? "staffAnnouncements.toast.corrected"
          : saved.created
            ? "staffAnnouncements.toast.created"
            : "staffAnnouncements.toast.saved";
  return redirectWithToast(request, `/staff/announcements/${saved.id}`, { key });
}
