// Renders outbox payloads into localized e-mails (plain text and HTML) at send time: one
// registry of templates keyed by the payload's `template`, all text from the catalogs, every
// interpolated value escaped in the HTML part, every link absolute (a path is resolved against
// BASE_URL).
import { registerServerCatalogs } from "~/i18n/catalogs.server";
import type { DemandSource, RequestStatus } from "~/db.server";
import { getEnv } from "~/env.server";
import {
  directionOf,
  formatNumber,
  translate,
  type Locale,
  type MessageKey,
} from "~/i18n/messages";
import { formatDate } from "~/i18n/format";
import { formatMoney } from "~/models/money";

registerServerCatalogs();

export type EmailPayload =
  | {
      template: "invitation";
      locale: Locale;
      orgName: string;
      inviterName: string;
      role: "member" | "admin";
      url: string;
      expiresAt: string;
    }
  | {
      /** A single-use link to choose a new password (app/models/password-reset.server.ts). */
      template: "password_reset";
      locale: Locale;
      name: string;
      url: string;
    }
  | {
      /** A single-use link that confirms the address (app/models/email-verification.server.ts). */
      template: "email_verification";
      locale: Locale;
      name: string;
      url: string;
    }
  | {
      /** Staff recorded a vote for a customer from what they said (e-mail, WhatsApp…). */
      template: "vote_recorded";
      locale: Locale;
      name: string;
      requestTitle: string;
      requestUrl: string;
      orgName: string;
      staffName: string;
      source: DemandSource;
      withdrawUrl: string;
    }
  | {
      /** Staff proposed a request on a customer's behalf. */
      template: "proposed_on_behalf";
      locale: Locale;
      name: string;
      requestTitle: string;
      requestUrl: string;
      orgName: string;
      staffName: string;
      source: DemandSource;
    }
  | {
      /** A followed request was decided (app/models/triage.server.ts). */
      template: "request_decided";
      locale: Locale;
      name: string;
      requestTitle: string;
      requestUrl: string;
      decision: "broad" | "sponsored" | "declined" | "already_exists";
      /** The staff note, the reason of a decline, or the explanation of "already possible". */
      note: string | null;
      targetQuarter?: string | null;
      helpUrl?: string | null;
    }
  | {
      /** A followed request moved along: work started, funded, or shipped. */
      template: "request_status_changed";
      locale: Locale;
      name: string;
      requestTitle: string;
      requestUrl: string;
      status: "in_progress" | "shipped" | "funded";
      note: string | null;
    }
  | {
      /** A request the reader proposed, voted on or followed was merged into another one. */
      template: "request_merged";
      locale: Locale;
      name: string;
      requestTitle: string;
      targetTitle: string;
      targetUrl: string;
      note: string | null;
    }
  | {
      /**
       * A quote for sponsored development: offered or revised (to an organization's admins),
       * accepted, declined or funded (to staff; funded also to the sponsors), its pledges lapsed
       * (to the pledgers), or a member asking their admins to accept it (orgName: the member).
       */
      template: "quote_event";
      kind: QuoteMailKind;
      locale: Locale;
      name: string;
      requestTitle: string;
      requestUrl: string;
      grossMinor: number;
      currency: string;
      version: number;
      orgName: string | null;
      reason: string | null;
    }
  | {
      /** A staff admin reopened a decision: the request is under review again. */
      template: "request_reopened";
      locale: Locale;
      name: string;
      requestTitle: string;
      requestUrl: string;
      reason: string;
    }
  | {
      /** Staff answered officially on a followed request (app/models/comments.server.ts). */
      template: "official_answer";
      locale: Locale;
      name: string;
      requestTitle: string;
      requestUrl: string;
      staffName: string;
      /** The answer's text (Markdown source, shortened), quoted as the staff member wrote it. */
      excerpt: string;
    }
  | AnnouncementEmail
  | DigestEmail;

/**
 * An announcement as its e-mail shows it: built at send time (worker's prepare step) from the
 * announcement as it is then, in the recipient's language, so a correction made after the
 * fan-out enqueued a million rows is what they read.
 */
export type AnnouncementEmail = {
  template: "announcement";
  locale: Locale;
  /** Why this reader gets it: they follow a covered request, or they opted in to news. */
  reason: "follower" | "news";
  title: string;
  /** The Markdown body rendered by renderMarkdown (raw HTML escaped, links checked). */
  bodyHtml: string;
  bodyText: string;
  /** The English text is missing: the Hebrew is shown, and the e-mail says so. */
  fallback: boolean;
  url: string;
  requests: { title: string; url: string; sponsors: string[] }[];
};

/** What the fan-out enqueues: a constant per batch, rendered at send time (see above). */
export type AnnouncementRef = {
  template: "announcement";
  announcementId: number;
  reason: "follower" | "news";
};

/** The weekly digest: what changed on the requests a user follows, and what was announced. */
export type DigestEmail = {
  template: "digest";
  locale: Locale;
  name: string;
  changes: {
    requestTitle: string;
    requestUrl: string;
    /** A status change (to `status`) or an official answer. */
    kind: "status" | "answer";
    status: RequestStatus | null;
    note: string | null;
    at: string;
  }[];
  announcements: { title: string; url: string }[];
};

/** What an outbox row holds: a full payload, or a reference the worker prepares at send time. */
export type QueuedPayload = EmailPayload | AnnouncementRef;

/** What happened to a quote, for whom: see quotes.server.ts. */
export type QuoteMailKind =
  "offered" | "revised" | "lapsed" | "accepted" | "declined" | "funded" | "wish";

export type EmailTemplate = EmailPayload["template"];
export type RenderedEmail = { subject: string; text: string; html: string };

export function escapeHtml(value: string): string {
  return value
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

/** What a template says; the layout below turns it into the text and HTML parts. */
type MailParts = {
  subject: string;
  /**
   * Paragraphs, in order. A quote is a staff member's own words, set apart. `html`, when given,
   * is the HTML part's version of the paragraph, already safe (an announcement's rendered body).
   */
  paragraphs: { text: string; quote?: boolean; html?: string }[];
  /** Entries of a list (a grouped update's changes, a digest's, an announcement's requests). */
  items?: { heading: string; paragraphs: { text: string; quote?: boolean }[]; link?: MailLink }[];
  /** A secondary link (a help article) shown before the main action. */
  link?: MailLink;
  action: MailLink;
  /** Small print: how long a link works, why the reader gets this. */
  notes: string[];
};

type MailLink = { label: string; url: string };

/** What only the sender knows: the recipient's unsubscribe link (messages with a topic). */
export type RenderContext = { unsubscribeUrl?: string | null };

type Renderers = {
  [K in EmailTemplate]: (payload: Extract<EmailPayload, { template: K }>) => MailParts;
};

const SOURCE_KEYS: Record<DemandSource, MessageKey> = {
  email: "mail.source.email",
  whatsapp: "mail.source.whatsapp",
  call: "mail.source.call",
  meeting: "mail.source.meeting",
};

/** A link as the reader's mail client needs it: absolute, on BASE_URL when given as a path. */
export function absoluteUrl(url: string): string {
  return /^https?:\/\//i.test(url) ? url : new URL(url, `${getEnv().BASE_URL}/`).toString();
}

const quoted = (note: string | null | undefined) =>
  note && note.trim() ? [{ text: note.trim(), quote: true }] : [];

const FOLLOWER_NOTE: MessageKey = "mail.request.followerNote";

/** The registry: one renderer per template, each reading only its own payload. */
const TEMPLATES: Renderers = {
  invitation(p) {
    const params = {
      org: p.orgName,
      inviter: p.inviterName,
      role: translate(p.locale, p.role === "admin" ? "role.admin" : "role.member"),
      date: formatDate(p.locale, p.expiresAt),
    };
    return {
      subject: translate(p.locale, "mail.invite.subject", params),
      paragraphs: [{ text: translate(p.locale, "mail.invite.intro", params) }],
      action: { label: translate(p.locale, "mail.invite.action"), url: p.url },
      notes: [
        translate(p.locale, "mail.invite.expiry", params),
        translate(p.locale, "mail.invite.ignore"),
      ],
    };
  },
  password_reset: (p) => ({
    subject: translate(p.locale, "mail.reset.subject"),
    paragraphs: [{ text: translate(p.locale, "mail.reset.intro", { name: p.name }) }],
    action: { label: translate(p.locale, "mail.reset.action"), url: p.url },
    notes: [translate(p.locale, "mail.reset.expiry"), translate(p.locale, "mail.reset.ignore")],
  }),
  email_verification: (p) => ({
    subject: translate(p.locale, "mail.verify.subject"),
    paragraphs: [{ text: translate(p.locale, "mail.verify.intro", { name: p.name }) }],
    action: { label: translate(p.locale, "mail.verify.action"), url: p.url },
    notes: [translate(p.locale, "mail.verify.expiry"), translate(p.locale, "mail.verify.ignore")],
  }),
  vote_recorded(p) {
    const params = {
      name: p.name,
      title: p.requestTitle,
      org: p.orgName,
      staff: p.staffName,
      source: translate(p.locale, SOURCE_KEYS[p.source]),
    };
    return {
      subject: translate(p.locale, "mail.voteRecorded.subject", params),
      paragraphs: [{ text: translate(p.locale, "mail.voteRecorded.intro", params) }],
      action: { label: translate(p.locale, "mail.request.action"), url: p.requestUrl },
      notes: [
        translate(p.locale, "mail.voteRecorded.withdraw", { url: absoluteUrl(p.withdrawUrl) }),
      ],
    };
  },
  proposed_on_behalf(p) {
    const params = {
      name: p.name,
      title: p.requestTitle,
      org: p.orgName,
      staff: p.staffName,
      source: translate(p.locale, SOURCE_KEYS[p.source]),
    };
    return {
      subject: translate(p.locale, "mail.proposedOnBehalf.subject", params),
      paragraphs: [{ text: translate(p.locale, "mail.proposedOnBehalf.intro", params) }],
      action: { label: translate(p.locale, "mail.request.action"), url: p.requestUrl },
      notes: [translate(p.locale, "mail.proposedOnBehalf.note")],
    };
  },
  request_decided(p) {
    const params = { name: p.name, title: p.requestTitle, quarter: p.targetQuarter ?? "" };
    const intro: Record<typeof p.decision, MessageKey> = {
      broad: p.targetQuarter ? "mail.decided.broadQuarter" : "mail.decided.broad",
      sponsored: "mail.decided.sponsored",
      declined: "mail.decided.declined",
      already_exists: "mail.decided.alreadyExists",
    };
    const subject: Record<typeof p.decision, MessageKey> = {
      broad: "mail.decided.broad.subject",
      sponsored: "mail.decided.sponsored.subject",
      declined: "mail.decided.declined.subject",
      already_exists: "mail.decided.alreadyExists.subject",
    };
    return {
      subject: translate(p.locale, subject[p.decision], params),
      paragraphs: [{ text: translate(p.locale, intro[p.decision], params) }, ...quoted(p.note)],
      ...(p.decision === "already_exists" && p.helpUrl
        ? { link: { label: translate(p.locale, "mail.decided.helpLink"), url: p.helpUrl } }
        : {}),
      action: { label: translate(p.locale, "mail.request.action"), url: p.requestUrl },
      notes: [translate(p.locale, FOLLOWER_NOTE)],
    };
  },
  request_status_changed(p) {
    const params = { name: p.name, title: p.requestTitle };
    const keys = {
      in_progress: ["mail.status.inProgress.subject", "mail.status.inProgress"],
      funded: ["mail.status.funded.subject", "mail.status.funded"],
      shipped: ["mail.status.shipped.subject", "mail.status.shipped"],
    } as const satisfies Record<typeof p.status, readonly [MessageKey, MessageKey]>;
    const [subject, intro] = keys[p.status];
    return {
      subject: translate(p.locale, subject, params),
      paragraphs: [{ text: translate(p.locale, intro, params) }, ...quoted(p.note)],
      action: { label: translate(p.locale, "mail.request.action"), url: p.requestUrl },
      notes: [translate(p.locale, FOLLOWER_NOTE)],
    };
  },
  request_merged(p) {
    const params = { name: p.name, title: p.requestTitle, target: p.targetTitle };
    return {
      subject: translate(p.locale, "mail.merged.subject", params),
      paragraphs: [{ text: translate(p.locale, "mail.merged.intro", params) }, ...quoted(p.note)],
      action: { label: translate(p.locale, "mail.merged.action", params), url: p.targetUrl },
      notes: [translate(p.locale, "mail.merged.note")],
    };
  },
  request_reopened(p) {
    const params = { name: p.name, title: p.requestTitle };
    return {
      subject: translate(p.locale, "mail.reopened.subject", params),
      paragraphs: [
        { text: translate(p.locale, "mail.reopened.intro", params) },
        ...quoted(p.reason),
      ],
      action: { label: translate(p.locale, "mail.request.action"), url: p.requestUrl },
      notes: [translate(p.locale, FOLLOWER_NOTE)],
    };
  },
  quote_event(p) {
    const params = {
      name: p.name,
      title: p.requestTitle,
      amount: formatMoney(p.grossMinor, p.locale, p.currency),
      org: p.orgName ?? "",
      version: String(p.version),
    };
    const reason =
      p.kind === "lapsed" && p.reason
        ? [{ text: translate(p.locale, LAPSE_REASONS[p.reason] ?? "mail.quote.lapsed.expired") }]
        : p.kind === "declined"
          ? quoted(p.reason)
          : [];
    return {
      subject: translate(p.locale, `mail.quote.${p.kind}.subject`, params),
      paragraphs: [{ text: translate(p.locale, `mail.quote.${p.kind}`, params) }, ...reason],
      action: { label: translate(p.locale, "mail.quote.action"), url: p.requestUrl },
      notes: [translate(p.locale, "mail.quote.note")],
    };
  },
  official_answer(p) {
    const params = { name: p.name, title: p.requestTitle, staff: p.staffName };
    return {
      subject: translate(p.locale, "mail.answer.subject", params),
      paragraphs: [
        { text: translate(p.locale, "mail.answer.intro", params) },
        ...quoted(p.excerpt),
      ],
      action: { label: translate(p.locale, "mail.request.action"), url: p.requestUrl },
      notes: [translate(p.locale, FOLLOWER_NOTE)],
    };
  },
  announcement(p) {
    return {
      subject: translate(p.locale, "mail.announcement.subject", { title: p.title }),
      paragraphs: [
        // The title leads the body too: some clients show only the first lines.
        { text: p.title, html: `<h1 style="font-size:20px;">${escapeHtml(p.title)}</h1>` },
        ...(p.fallback ? [{ text: translate(p.locale, "mail.announcement.fallback") }] : []),
        { text: p.bodyText, html: p.bodyHtml },
      ],
      items: p.requests.map((r) => ({
        heading: r.title,
        paragraphs: r.sponsors.length
          ? [
              {
                text: translate(p.locale, "mail.announcement.sponsored", {
                  sponsors: listFormat(p.locale, r.sponsors),
                }),
              },
            ]
          : [],
        link: { label: translate(p.locale, "mail.request.action"), url: r.url },
      })),
      action: { label: translate(p.locale, "mail.announcement.action"), url: p.url },
      notes: [
        translate(
          p.locale,
          p.reason === "follower" ? "mail.footer.announcementFollower" : "mail.footer.news",
        ),
      ],
    };
  },
  digest(p) {
    const statusLabel = (status: RequestStatus | null) =>
      status ? translate(p.locale, `status.${status}` as MessageKey) : "";
    return {
      subject: translate(p.locale, "mail.digest.subject"),
      paragraphs: [{ text: translate(p.locale, "mail.digest.intro", { name: p.name }) }],
      items: [
        ...p.changes.map((c) => ({
          heading: c.requestTitle,
          paragraphs: [
            {
              text:
                c.kind === "answer"
                  ? translate(p.locale, "mail.digest.answer", { date: formatDate(p.locale, c.at) })
                  : translate(p.locale, "mail.digest.status", {
                      status: statusLabel(c.status),
                      date: formatDate(p.locale, c.at),
                    }),
            },
            ...quoted(c.note),
          ],
          link: { label: translate(p.locale, "mail.request.action"), url: c.requestUrl },
        })),
        ...p.announcements.map((a) => ({
          heading: translate(p.locale, "mail.digest.announcement", { title: a.title }),
          paragraphs: [],
          link: { label: translate(p.locale, "mail.announcement.action"), url: a.url },
        })),
      ],
      action: { label: translate(p.locale, "mail.digest.action"), url: "/" },
      notes: [translate(p.locale, "mail.footer.digest")],
    };
  },
};

function listFormat(locale: Locale, names: string[]): string {
  return new Intl.ListFormat(locale, { type: "conjunction" }).format(names);
}

const LAPSE_REASONS: Record<string, MessageKey> = {
  superseded: "mail.quote.lapsed.superseded",
  withdrawn: "mail.quote.lapsed.withdrawn",
  expired: "mail.quote.lapsed.expired",
};

export function isEmailTemplate(value: unknown): value is EmailTemplate {
  return typeof value === "string" && Object.hasOwn(TEMPLATES, value);
}

function partsOf(payload: EmailPayload): MailParts {
  if (!isEmailTemplate(payload.template))
    throw new Error(`unknown e-mail template ${payload.template}`);
  const render = TEMPLATES[payload.template] as (p: EmailPayload) => MailParts;
  return render(payload);
}

/** One message: what its template says, with the unsubscribe footer when it has a topic. */
export function renderEmail(payload: EmailPayload, context: RenderContext = {}): RenderedEmail {
  return layout(payload.locale, partsOf(payload), context);
}

/** Status updates grouped under one key (app/services/worker.server.ts). */
export type GroupedPayload = Extract<
  EmailPayload,
  {
    template:
      | "request_decided"
      | "request_status_changed"
      | "request_merged"
      | "request_reopened"
      | "official_answer";
  }
>;

/**
 * A burst of status updates as one e-mail: one of them reads as it always has; several become
 * "N updates on requests you follow", each change with its request, what happened, the staff
 * note and its link, in the order they happened. The first update's language and name lead.
 */
export function renderGroup(
  payloads: readonly EmailPayload[],
  context: RenderContext = {},
): RenderedEmail {
  if (payloads.length === 0) throw new Error("an empty group has nothing to send");
  if (payloads.length === 1) return renderEmail(payloads[0], context);
  const { locale } = payloads[0];
  const name = "name" in payloads[0] ? payloads[0].name : "";
  const count = payloads.length;
  const items = payloads.map((payload) => {
    // Each change in the reader's language, as its own e-mail would have said it.
    const parts = partsOf({ ...payload, locale } as EmailPayload);
    return { heading: parts.subject, paragraphs: parts.paragraphs, link: parts.action };
  });
  return layout(
    locale,
    {
      subject: translate(locale, "mail.group.subject", { count: formatNumber(locale, count) }),
      paragraphs: [
        {
          text: translate(locale, "mail.group.intro", { name, count: formatNumber(locale, count) }),
        },
      ],
      items,
      action: { label: translate(locale, "mail.group.action"), url: "/" },
      notes: [translate(locale, "mail.group.followerNote")],
    },
    context,
  );
}

function layout(locale: Locale, parts: MailParts, context: RenderContext): RenderedEmail {
  const actionUrl = absoluteUrl(parts.action.url);
  const linkUrl = parts.link ? absoluteUrl(parts.link.url) : null;
  const unsubscribe = context.unsubscribeUrl
    ? {
        text: translate(locale, "mail.footer.unsubscribe"),
        url: absoluteUrl(context.unsubscribeUrl),
        prefs: translate(locale, "mail.footer.preferences"),
        prefsUrl: absoluteUrl("/account#notifications-heading"),
      }
    : null;
  const items = parts.items ?? [];
  const text = [
    ...parts.paragraphs.flatMap((p) => [p.quote ? quoteLines(p.text) : p.text, ""]),
    ...items.flatMap((item) => [
      `* ${item.heading}`,
      ...item.paragraphs.map((p) => (p.quote ? quoteLines(p.text) : p.text)),
      ...(item.link ? [`${item.link.label}: ${absoluteUrl(item.link.url)}`] : []),
      "",
    ]),
    ...(parts.link && linkUrl ? [`${parts.link.label}: ${linkUrl}`, ""] : []),
    `${parts.action.label}: ${actionUrl}`,
    "",
    ...parts.notes,
    ...(unsubscribe
      ? [
          "",
          `${unsubscribe.text}: ${unsubscribe.url}`,
          `${unsubscribe.prefs}: ${unsubscribe.prefsUrl}`,
        ]
      : []),
  ].join("\n");
  const dir = directionOf(locale);
  const paragraph = (p: { text: string; quote?: boolean; html?: string }) =>
    p.html !== undefined
      ? `<div>${p.html}</div>`
      : p.quote
        ? `<blockquote style="margin:0 0 1em;padding:8px 12px;border-inline-start:4px solid #c7d2fe;background:#f5f5ff;white-space:pre-line;">${escapeHtml(p.text)}</blockquote>`
        : `<p>${escapeHtml(p.text)}</p>`;
  const paragraphs = parts.paragraphs.map(paragraph).join("\n");
  const list = items.length
    ? `<ul style="padding-inline-start:20px;">\n${items
        .map(
          (item) =>
            `<li style="margin-block-end:1em;"><strong>${escapeHtml(item.heading)}</strong>\n${item.paragraphs
              .map(paragraph)
              .join("\n")}${
              item.link
                ? `\n<p><a href="${escapeHtml(absoluteUrl(item.link.url))}">${escapeHtml(item.link.label)}</a></p>`
                : ""
            }</li>`,
        )
        .join("\n")}\n</ul>\n`
    : "";
  const link =
    parts.link && linkUrl
      ? `<p><a href="${escapeHtml(linkUrl)}">${escapeHtml(parts.link.label)}</a></p>\n`
      : "";
  const footer = unsubscribe
    ? `\n<p style="color:#4b5563;font-size:12px;"><a href="${escapeHtml(unsubscribe.url)}">${escapeHtml(unsubscribe.text)}</a> · <a href="${escapeHtml(unsubscribe.prefsUrl)}">${escapeHtml(unsubscribe.prefs)}</a></p>`
    : "";
  const html = `<!doctype html>
<html lang="${locale}" dir="${dir}">
<body style="font-family: Arial, sans-serif; line-height: 1.5; color: #1f2937;">
${paragraphs}
${list}${link}<p><a href="${escapeHtml(actionUrl)}" style="background:#4338ca;color:#ffffff;padding:10px 16px;border-radius:6px;text-decoration:none;display:inline-block;">${escapeHtml(parts.action.label)}</a></p>
<p style="color:#4b5563;">${parts.notes.map(escapeHtml).join("<br>")}</p>
<p style="color:#4b5563;font-size:12px;" dir="ltr">${escapeHtml(actionUrl)}</p>${footer}
</body>
</html>`;
  return { subject: parts.subject, text, html };
}

function quoteLines(text: string): string {
  return text
    .split("\n")
    .map((line) => `> ${line}`)
    .join("\n");
}

/**
 * The payload as kept after sending: every link (`url`, `…Url`) replaced, so the outbox does not
 * keep a token (an invitation's, a password reset's, a withdrawal link's) longer than needed.
 */
export function redactPayload(payload: QueuedPayload | EmailPayload): string {
  return JSON.stringify(
    Object.fromEntries(
      Object.entries(payload).map(([key, value]) =>
        (key === "url" || key.endsWith("Url")) && typeof value === "string"
          ? [key, "(sent)"]
          : [key, value],
      ),
    ),
  );
}
