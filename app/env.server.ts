// Configuration, read once from the environment and validated, so a bad value fails at start-up.
import { z } from "zod";

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z.string().default("./data/broadly.sqlite"),
  SESSION_SECRET: z.string().optional(),
  BASE_URL: z.string().url().optional(),
  PORT: z.coerce.number().int().positive().default(3000),
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default("Broadly <no-reply@broadly.test>"),
  /** Where users write to us (the "write to us" links); MAIL_FROM is a no-reply address. */
  SUPPORT_EMAIL: z.email().default("support@broadly.test"),
  MAIL_DIR: z.string().default("./data/mail"),
  OUTBOX_WORKER: z.enum(["on", "off"]).default("on"),
  OUTBOX_POLL_MS: z.coerce.number().int().positive().default(2000),
  // The first wait for an e-mail that many sign-in attempts have tried; it doubles from there.
  SIGN_IN_DELAY_MS: z.coerce.number().int().nonnegative().default(250),
});

export type Env = z.infer<typeof EnvSchema> & { SESSION_SECRET: string; BASE_URL: string };

function readEnv(): Env {
  const parsed = EnvSchema.parse(process.env);
  let secret = parsed.SESSION_SECRET;
  if (!secret || secret.length < 16) {
    if (parsed.NODE_ENV === "production") {
      throw new Error(
        "SESSION_SECRET must be set (at least 16 characters) when NODE_ENV=production. " +
          "`npm run demo` generates one for you.",
      );
    }
    // Development and tests only: a fixed, well-known secret is fine there.
    secret = "development-only-session-secret";
  }
  return {
    ...parsed,
    SESSION_SECRET: secret,
    BASE_URL: (parsed.BASE_URL ?? `http://localhost:${parsed.PORT}`).replace(/\/+$/, ""),
  };
}

let cached: Env | undefined;

export function getEnv(): Env {
  cached ??= readEnv();
  return cached;
}
