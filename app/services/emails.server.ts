// Renders outbox payloads into localized e-mails (plain text and HTML) at send time.
import { directionOf, translate, type Locale } from "~/i18n/messages";
import { formatDate } from "~/i18n/format";

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
  | DemandEmailPayload;

// --- staff-edits: the e-mails of demand staff recorded for a customer (vote_recorded,
// proposed_on_behalf), payloads as in the issue 11 contract; the registry will absorb these.
type DemandSourceName = "email" | "whatsapp" | "call" | "meeting";
export type DemandEmailPayload =
  | {
      template: "vote_recorded";
      locale: Locale;
      name: string;
      requestTitle: string;
      requestUrl: string;
      orgName: string;
      staffName: string;
      source: DemandSourceName;
      withdrawUrl: string;
    }
  | {
      template: "proposed_on_behalf";
      locale: Locale;
      name: string;
      requestTitle: string;
      requestUrl: string;
      orgName: string;
      staffName: string;
      source: DemandSourceName;
    };

const SOURCE_KEYS = {
  email: "staffRequests.source.email",
  whatsapp: "staffRequests.source.whatsapp",
  call: "staffRequests.source.call",
  meeting: "staffRequests.source.meeting",
} as const;

function renderDemandEmail(payload: DemandEmailPayload): RenderedEmail {
  const { locale } = payload;
  const kind = payload.template === "vote_recorded" ? "voteRecorded" : "proposedOnBehalf";
  const params = {
    name: payload.name,
    title: payload.requestTitle,
    org: payload.orgName,
    staff: payload.staffName,
    source: translate(locale, SOURCE_KEYS[payload.source]),
  };
  const subject = translate(locale, `mail.${kind}.subject`, params);
  const intro = translate(locale, `mail.${kind}.intro`, params);
  const view = translate(locale, `mail.${kind}.view`);
  const links: { label: string; url: string }[] = [{ label: view, url: payload.requestUrl }];
  let note = translate(locale, `mail.${kind}.note`);
  if (payload.template === "vote_recorded") {
    links.push({
      label: translate(locale, "mail.voteRecorded.withdraw"),
      url: payload.withdrawUrl,
    });
    note = translate(locale, "mail.voteRecorded.note");
  }
  const text = [intro, "", ...links.map((link) => `${link.label}: ${link.url}`), "", note].join(
    "\n",
  );
  const html = `<!doctype html>
<html lang="${locale}" dir="${directionOf(locale)}">
<body style="font-family: Arial, sans-serif; line-height: 1.5; color: #1f2937;">
<p>${escapeHtml(intro)}</p>
${links.map((link) => `<p><a href="${escapeHtml(link.url)}">${escapeHtml(link.label)}</a></p>`).join("\n")}
<p style="color:#4b5563;">${escapeHtml(note)}</p>
</body>
</html>`;
  return { subject, text, html };
}
// --- end staff-edits

export type RenderedEmail = { subject: string; text: string; html: string };

export function escapeHtml(value: string): string {
  return value
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

type MailText = { subject: string; intro: string; action: string; expiry: string; ignore: string };

function textOf(payload: Exclude<EmailPayload, DemandEmailPayload>): MailText {
  const { locale } = payload;
  switch (payload.template) {
    case "invitation": {
      const params = {
        org: payload.orgName,
        inviter: payload.inviterName,
        role: translate(locale, payload.role === "admin" ? "role.admin" : "role.member"),
        date: formatDate(locale, payload.expiresAt),
      };
      return {
        subject: translate(locale, "mail.invite.subject", params),
        intro: translate(locale, "mail.invite.intro", params),
        action: translate(locale, "mail.invite.action"),
        expiry: translate(locale, "mail.invite.expiry", params),
        ignore: translate(locale, "mail.invite.ignore"),
      };
    }
    case "password_reset":
      return {
        subject: translate(locale, "mail.reset.subject"),
        intro: translate(locale, "mail.reset.intro", { name: payload.name }),
        action: translate(locale, "mail.reset.action"),
        expiry: translate(locale, "mail.reset.expiry"),
        ignore: translate(locale, "mail.reset.ignore"),
      };
    case "email_verification":
      return {
        subject: translate(locale, "mail.verify.subject"),
        intro: translate(locale, "mail.verify.intro", { name: payload.name }),
        action: translate(locale, "mail.verify.action"),
        expiry: translate(locale, "mail.verify.expiry"),
        ignore: translate(locale, "mail.verify.ignore"),
      };
  }
}

export function renderEmail(payload: EmailPayload): RenderedEmail {
  if (payload.template === "vote_recorded" || payload.template === "proposed_on_behalf")
    return renderDemandEmail(payload);
  const { locale } = payload;
  const { subject, intro, action, expiry, ignore } = textOf(payload);
  const text = [intro, "", `${action}: ${payload.url}`, "", expiry, ignore].join("\n");
  const dir = directionOf(locale);
  const html = `<!doctype html>
<html lang="${locale}" dir="${dir}">
<body style="font-family: Arial, sans-serif; line-height: 1.5; color: #1f2937;">
<p>${escapeHtml(intro)}</p>
<p><a href="${escapeHtml(payload.url)}" style="background:#4338ca;color:#ffffff;padding:10px 16px;border-radius:6px;text-decoration:none;display:inline-block;">${escapeHtml(action)}</a></p>
<p style="color:#4b5563;">${escapeHtml(expiry)}<br>${escapeHtml(ignore)}</p>
<p style="color:#4b5563;font-size:12px;" dir="ltr">${escapeHtml(payload.url)}</p>
</body>
</html>`;
  return { subject, text, html };
}
