// Sends one e-mail: over SMTP when SMTP_URL is set, else as an .eml file under MAIL_DIR.
import fs from "node:fs/promises";
import path from "node:path";
import nodemailer, { type Transporter } from "nodemailer";
import { getEnv } from "~/env.server";
import type { RenderedEmail } from "./emails.server";

export type OutgoingEmail = RenderedEmail & {
  to: string;
  messageId: string;
  /** Extra headers: List-Unsubscribe and List-Unsubscribe-Post for messages with a topic. */
  headers?: Record<string, string>;
};

let transport: Transporter | undefined;

function getTransport(): Transporter {
  const { SMTP_URL } = getEnv();
  transport ??= SMTP_URL
    ? nodemailer.createTransport(SMTP_URL)
    : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  return transport;
}

/** Forgets the transport, so the next message reads SMTP_URL again (tests point it at theirs). */
export function resetMailTransport() {
  transport?.close();
  transport = undefined;
}

export async function sendEmail(email: OutgoingEmail): Promise<void> {
  const env = getEnv();
  const info = await getTransport().sendMail({
    from: env.MAIL_FROM,
    to: email.to,
    subject: email.subject,
    text: email.text,
    html: email.html,
    messageId: email.messageId,
    headers: email.headers,
  });
  if (!env.SMTP_URL) {
    const message = (info as unknown as { message: Buffer }).message;
    await fs.mkdir(env.MAIL_DIR, { recursive: true });
    // The message id makes the file name stable, so a retried delivery overwrites, never duplicates.
    const safeId = email.messageId.replace(/^<|>$/g, "").replace(/[^A-Za-z0-9.@-]/g, "_");
    const file = path.join(env.MAIL_DIR, `${safeId}.eml`);
    await fs.writeFile(`${file}.tmp`, message);
    await fs.rename(`${file}.tmp`, file);
  }
}
