// Reads the .eml files the mailer writes under MAIL_DIR, decoding headers and body parts the way
// a mail client would, so tests of both suites assert on what the recipient actually reads.
import fs from "node:fs";
import path from "node:path";

export type Mail = {
  /** The .eml file's name ("" for a message parsed from text). */
  file: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  raw: string;
};

function decodeQuotedPrintable(body: string): string {
  const soft = body.replace(/=\r?\n/g, "");
  const bytes: number[] = [];
  for (let i = 0; i < soft.length; i++) {
    if (soft[i] === "=" && /^[0-9A-F]{2}$/i.test(soft.slice(i + 1, i + 3))) {
      bytes.push(parseInt(soft.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(soft[i], "utf8"));
    }
  }
  return Buffer.from(bytes).toString("utf8");
}

/** RFC 2047 encoded words (`=?utf-8?B?…?=`, `=?utf-8?Q?…?=`); adjacent ones join without a space. */
function decodeHeader(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, "?==?")
    .replace(/=\?[^?]+\?([BbQq])\?([^?]*)\?=/g, (_, kind: string, text: string) =>
      kind.toUpperCase() === "B"
        ? Buffer.from(text, "base64").toString("utf8")
        : decodeQuotedPrintable(text.replace(/_/g, " ")),
    );
}

function splitHeaders(entity: string): { headers: Record<string, string>; body: string } {
  const normalized = entity.replace(/\r\n/g, "\n");
  const end = normalized.indexOf("\n\n");
  const head = end === -1 ? normalized : normalized.slice(0, end);
  const body = end === -1 ? "" : normalized.slice(end + 2);
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\n[ \t]+/g, " ").split("\n")) {
    const colon = line.indexOf(":");
    if (colon > 0)
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, body };
}

function decodeBody(headers: Record<string, string>, body: string): string {
  const encoding = (headers["content-transfer-encoding"] ?? "7bit").toLowerCase();
  if (encoding === "base64")
    return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
  if (encoding === "quoted-printable") return decodeQuotedPrintable(body);
  return body;
}

/** A raw .eml decoded: its recipient, subject, and the text of its plain and HTML parts. */
export function decodeMail(raw: string, file = ""): Mail {
  const mail: Mail = { file, raw, to: "", subject: "", text: "", html: "" };
  const walk = (entity: string, top: boolean) => {
    const { headers, body } = splitHeaders(entity);
    if (top) {
      mail.to = headers["to"] ?? "";
      mail.subject = decodeHeader(headers["subject"] ?? "");
    }
    const type = headers["content-type"] ?? "text/plain";
    const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
    if (boundary) {
      for (const part of body.split(`--${boundary}`).slice(1)) {
        if (part.startsWith("--")) break;
        // The line breaks around a boundary belong to the boundary, not to the part.
        walk(part.replace(/^\n/, "").replace(/\n$/, ""), false);
      }
      return;
    }
    const decoded = decodeBody(headers, body);
    if (/^text\/html/i.test(type)) mail.html += decoded;
    else if (/^text\//i.test(type)) mail.text += decoded;
  };
  walk(raw, true);
  return mail;
}

export function mailDir(): string {
  return process.env.MAIL_DIR!;
}

/** Every e-mail written so far, oldest file name first. */
export function readMailbox(dir = mailDir()): Mail[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith(".eml"))
    .sort()
    .map((name) => decodeMail(fs.readFileSync(path.join(dir, name), "utf8"), name));
}

/** The e-mails sent to one address. */
export function mailsTo(address: string, dir = mailDir()): Mail[] {
  const wanted = address.trim().toLowerCase();
  return readMailbox(dir).filter((mail) => mail.to.toLowerCase().includes(wanted));
}

/** The absolute /invite/<token> link in an invitation e-mail (decoded, or its raw text). */
export function inviteLinkFrom(mail: Mail | string): string {
  const { text, html, file } = typeof mail === "string" ? decodeMail(mail) : mail;
  const link = /https?:\/\/[^\s"'<>]+\/invite\/[A-Za-z0-9_-]+/;
  const match = link.exec(text) ?? link.exec(html);
  if (!match) throw new Error(`no invitation link in e-mail ${file}:\n${text || html}`);
  return match[0];
}

/** The invitation token in an e-mail's link, as the recipient would click it. */
export function inviteTokenIn(mail: Mail | string): string {
  return inviteLinkFrom(mail).split("/invite/")[1];
}

/** The token of the first `<path><token>` link in an e-mail (e.g. "/reset-password/"). */
export function linkTokenIn(mail: Mail, path: string): string {
  const match = new RegExp(`${path}([A-Za-z0-9_-]+)`).exec(mail.text);
  if (!match) throw new Error(`no ${path} link in ${mail.file}:\n${mail.text}`);
  return match[1];
}

/** Runs the outbox worker until nothing is due, as its polling loop would over a few ticks. */
export async function deliverAllDue(): Promise<{ sent: number; failed: number }> {
  const { deliverDueMessages } = await import("~/services/worker.server");
  const total = { sent: 0, failed: 0 };
  for (;;) {
    const round = await deliverDueMessages();
    total.sent += round.sent;
    total.failed += round.failed;
    if (round.sent + round.failed === 0) return total;
  }
}
