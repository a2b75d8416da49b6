// Renders outbox payloads into localized e-mails (plain text and HTML) at send time.
import { directionOf, translate, type Locale } from "~/i18n/messages";
import { formatDate } from "~/i18n/format";

export type EmailPayload = {
  template: "invitation";
  locale: Locale;
  orgName: string;
  inviterName: string;
  role: "member" | "admin";
  url: string;
  expiresAt: string;
};

export type RenderedEmail = { subject: string; text: string; html: string };

export function escapeHtml(value: string): string {
  return value
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

export function renderEmail(payload: EmailPayload): RenderedEmail {
  const { locale } = payload;
  const params = {
    org: payload.orgName,
    inviter: payload.inviterName,
    role: translate(locale, payload.role === "admin" ? "role.admin" : "role.member"),
    date: formatDate(locale, payload.expiresAt),
  };
  const subject = translate(locale, "mail.invite.subject", params);
  const intro = translate(locale, "mail.invite.intro", params);
  const action = translate(locale, "mail.invite.action");
  const expiry = translate(locale, "mail.invite.expiry", params);
  const ignore = translate(locale, "mail.invite.ignore");
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
