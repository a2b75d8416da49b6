// A real SMTP server in the test process (smtp-server), on a free port of the loopback, that
// keeps what it accepts, decoded (tests/support/mail.ts), and lets a test refuse or interfere
// with a delivery from its DATA handler.
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from "smtp-server";
import { resetEnv } from "~/env.server";
import { resetMailTransport } from "~/services/mail.server";
import { decodeMail, type Mail } from "./mail";

export type Received = Mail & {
  /** RCPT TO addresses of the envelope. */
  envelopeTo: string[];
  /** Raw header values by lower-case name (unfolded). */
  headers: Record<string, string>;
};

/**
 * What the server does with a message whose DATA has arrived: undefined accepts it, an Error
 * refuses it (a 5xx/4xx answer), "hold" leaves it unanswered (the test kills the sender).
 */
export type OnMessage = (
  raw: string,
  session: SMTPServerSession,
  index: number,
) => Error | "hold" | undefined | Promise<Error | "hold" | undefined>;

export type TestSmtp = {
  port: number;
  url: string;
  received: Received[];
  /** How many DATA commands arrived, accepted or not. */
  attempts: () => number;
  setOnMessage: (handler: OnMessage | undefined) => void;
  close: () => Promise<void>;
};

function headersOf(raw: string): Record<string, string> {
  const normalized = raw.replace(/\r\n/g, "\n");
  const head = normalized.slice(0, normalized.indexOf("\n\n"));
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\n[ \t]+/g, " ").split("\n")) {
    const colon = line.indexOf(":");
    if (colon > 0)
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

export async function startSmtpServer(onMessage?: OnMessage): Promise<TestSmtp> {
  const received: Received[] = [];
  let handler = onMessage;
  let count = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream: SMTPServerDataStream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        const index = count++;
        void Promise.resolve(handler?.(raw, session, index)).then((verdict) => {
          if (verdict === "hold") return;
          if (verdict instanceof Error) return callback(verdict);
          received.push({
            ...decodeMail(raw),
            envelopeTo: session.envelope.rcptTo.map((r) => r.address),
            headers: headersOf(raw),
          });
          callback(null);
        });
      });
    },
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.server.address();
      resolve(typeof address === "object" && address ? address.port : 0);
    });
  });
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    received,
    attempts: () => count,
    setOnMessage: (next) => {
      handler = next;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Points this process's mailer at the server (SMTP_URL), or back at .eml files (undefined). */
export function useSmtp(url: string | undefined) {
  if (url) process.env.SMTP_URL = url;
  else delete process.env.SMTP_URL;
  resetEnv();
  resetMailTransport();
}
