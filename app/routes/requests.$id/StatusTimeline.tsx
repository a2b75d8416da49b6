// The request's status history: when it was opened, each change with who, when and the note
// (a decline's reason, an "already possible" answer with its help article).
import { StatusBadge } from "~/components/StatusBadge";
import { formatDate } from "~/i18n/format";
import { useLocale, useT } from "~/i18n/useT";
import type { RequestPageData } from "./route";

export function StatusTimeline({
  timeline,
  helpUrl,
}: {
  timeline: RequestPageData["timeline"];
  /** The help article of an "already possible" answer: shown with that answer. */
  helpUrl?: string | null;
}) {
  const t = useT();
  const locale = useLocale();
  const answerId = [...timeline].reverse().find((event) => event.toStatus === "already_exists")?.id;
  return (
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
                    className="h-4 w-4 fill-stone-500 rtl:-scale-x-100"
                  >
                    <path d="M7.3 14.7a1 1 0 0 1 0-1.4l3.3-3.3-3.3-3.3a1 1 0 0 1 1.4-1.4l4 4a1 1 0 0 1 0 1.4l-4 4a1 1 0 0 1-1.4 0Z" />
                  </svg>
                  <StatusBadge status={event.toStatus} />
                </>
              ) : (
                <span className="font-medium">{t("request.timeline.opened")}</span>
              )}
              {/* Isolated, so a Latin name and a Hebrew date keep their order ("Dana Cohen · 2 באוק׳ 2026"). */}
              <span className="text-stone-600">
                {event.actorName ? (
                  <>
                    <bdi>{event.actorName}</bdi> ·{" "}
                  </>
                ) : null}
                <time dateTime={event.createdAt}>
                  <bdi>{formatDate(locale, event.createdAt)}</bdi>
                </time>
              </span>
            </p>
            {event.note ? (
              <p className="mt-1 text-start text-sm text-stone-800" dir="auto">
                {event.note}
              </p>
            ) : null}
            {helpUrl && event.id === answerId ? (
              <p className="mt-1 text-sm">
                <a
                  href={helpUrl}
                  rel="noopener noreferrer"
                  className="font-medium text-accent-700 underline"
                >
                  {t("staffTriage.outcome.helpArticle")}
                </a>
              </p>
            ) : null}
          </li>
        ))}
      </ol>
    </section>
  );
}
