// "Preview": the announcement as readers will see it, the Hebrew and the English side by side
// (on a phone, one under the other). An English reader of an announcement without English gets
// the Hebrew, marked as such: the preview shows that too. The page's own words (the sponsors'
// thanks, the counts) are in the staff member's language: a page loads one catalog.
import { useEffect, useRef } from "react";
import { CoveredRequestItem } from "~/components/AnnouncementEntry";
import { useT } from "~/i18n/useT";
import type { Locale } from "~/i18n/messages";
import type { PickerRequest } from "~/models/announcements.server";
import type { AnnouncementPreviewData } from "./form.server";

const COLUMNS: {
  locale: Locale;
  heading: "staffAnnouncements.preview.he" | "staffAnnouncements.preview.en";
}[] = [
  { locale: "he", heading: "staffAnnouncements.preview.he" },
  { locale: "en", heading: "staffAnnouncements.preview.en" },
];

export function AnnouncementPreview({
  preview,
  requests,
}: {
  preview: AnnouncementPreviewData;
  requests: PickerRequest[];
}) {
  const t = useT();
  const section = useRef<HTMLElement>(null);
  // With JavaScript the preview appears in place, below the form's fields: bring it into view
  // (and the focus to it, so a screen reader reads it) each time one is asked for.
  useEffect(() => {
    section.current?.focus({ preventScroll: true });
    section.current?.scrollIntoView({ block: "start", behavior: "smooth" });
  }, [preview]);
  return (
    <section
      ref={section}
      aria-labelledby="announcement-preview-heading"
      className="space-y-3 rounded-2xl border border-accent-200 bg-accent-50/40 p-4 sm:p-5"
      data-testid="announcement-preview"
      tabIndex={-1}
      id="announcement-preview"
    >
      <div>
        <h2 id="announcement-preview-heading" className="text-lg font-semibold">
          {t("staffAnnouncements.preview.title")}
        </h2>
        <p className="text-sm text-stone-700">{t("staffAnnouncements.preview.lead")}</p>
      </div>
      <div className="grid gap-4 md:grid-cols-2">
        {COLUMNS.map(({ locale, heading }) => {
          const shown = preview[locale];
          return (
            <article
              key={locale}
              className="space-y-3 rounded-xl border border-stone-200 bg-white p-4 shadow-sm"
              aria-label={t(heading)}
              data-testid={`announcement-preview-${locale}`}
            >
              <p className="text-xs font-semibold uppercase tracking-wide text-stone-600">
                {t(heading)}
              </p>
              <div
                lang={shown.lang}
                dir={shown.lang === "he" ? "rtl" : "ltr"}
                className="space-y-2"
              >
                <h3 className="text-xl font-bold">
                  {shown.title || (
                    <span className="text-stone-600">
                      {t("staffAnnouncements.preview.noTitle")}
                    </span>
                  )}
                </h3>
                {shown.html.trim() ? (
                  <div
                    className="prose-content text-start"
                    dangerouslySetInnerHTML={{ __html: shown.html }}
                  />
                ) : (
                  <p className="text-stone-600">{t("staffAnnouncements.preview.noBody")}</p>
                )}
              </div>
              {shown.fallback ? (
                <p className="rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900">
                  {t("staffAnnouncements.preview.fallback")}
                </p>
              ) : null}
              {requests.length > 0 ? (
                <ul className="space-y-2 border-t border-stone-100 pt-3 text-sm">
                  {requests.map((request) => (
                    <CoveredRequestItem key={request.id} request={request} />
                  ))}
                </ul>
              ) : null}
            </article>
          );
        })}
      </div>
    </section>
  );
}
