// Reads the .eml files the mailer writes under MAIL_DIR, decoding headers and body parts the way
// a mail client would, so tests can assert on what the recipient actually reads.
import fs from "node:fs";
import path from "node:path";

export type Mail = {
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

function decodeHeader(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, "?==?")
    .replace(/=\?utf-8\?([qb])\?([^?]*)\?=/gi, (_, encoding: string, text: string) =>
      encoding.toLowerCase() === "b"
        ? Buffer.from(text, "base64").toString("utf8")
        : decodeQuotedPrintable(text.replace(/_/g, " ")),
    );
}

function splitHeaders(part: string): { headers: Record<string, string>; body: string } {
  const normalized = part.replace(/\r\n/g, "\n");
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

export function parseMail(file: string, raw: string): Mail {
  const { headers, body } = splitHeaders(raw);
  const mail: Mail = {
    file,
    raw,
    to: headers["to"] ?? "",
    subject: decodeHeader(headers["subject"] ?? ""),
    text: "",
    html: "",
  };
  const boundary = /boundary="?([^";]+)"?/i.exec(headers["content-type"] ?? "")?.[1];
  const parts = boundary
    ? body
        .split(`--${boundary}`)
        .slice(1)
        .filter((p) => !p.startsWith("--"))
    : [raw.replace(/\r\n/g, "\n")];
  for (const part of parts) {
    const parsed = splitHeaders(part.replace(/^\n/, ""));
    const text = decodeBody(parsed.headers, parsed.body.replace(/\n$/, ""));
    const type = (parsed.headers["content-type"] ?? "text/plain").toLowerCase();
    if (type.startsWith("text/html")) mail.html = text;
    else if (type.startsWith("text/plain")) mail.text = text;
  }
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
    .map((name) => parseMail(name, fs.readFileSync(path.join(dir, name), "utf8")));
}

/** The e-mails sent to one address. */
export function mailsTo(address: string): Mail[] {
  const wanted = address.trim().toLowerCase();
  return readMailbox().filter((mail) => mail.to.toLowerCase().includes(wanted));
}

/** The invitation token in an e-mail's link, as the recipient would click it. */
export function inviteTokenIn(mail: Mail): string {
  const match = /\/invite\/([A-Za-z0-9_-]+)/.exec(mail.text);
  if (!match) throw new Error(`no invitation link in ${mail.file}:\n${mail.text}`);
  return match[1];
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
