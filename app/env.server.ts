// Configuration, read once from the environment and validated, so a bad value fails at start-up.
import { z } from "zod";

/** The largest request body the server reads; forms are a few kilobytes, and there are no uploads. */
export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;
// The longest form (a 20,000-character Hebrew description) is about 120 kB url-encoded; a
// smaller limit would refuse forms the app itself accepts.
const MIN_BODY_LIMIT_BYTES = 256 * 1024;

/** `https://a.example, https://b.example` → their origins; anything with a path is a mistake. */
const OriginListSchema = z
  .string()
  .default("")
  .transform((list) =>
    list
      .split(",")
      .map((entry) => entry.trim())
      .filter(Boolean),
  )
  .pipe(
    z.array(
      z
        .string()
        .refine(
          isOrigin,
          "must be a comma-separated list of origins such as https://feedback.example.com (scheme, host and port, no path)",
        )
        .transform((entry) => new URL(entry).origin),
    ),
  );

function isOrigin(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return (
    (url.protocol === "https:" || url.protocol === "http:") &&
    url.pathname === "/" &&
    !url.search &&
    !url.hash &&
    !url.username &&
    !url.password
  );
}

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** A SQLite file (or `file:` URL), or `postgres://…` for PostgreSQL. */
  DATABASE_URL: z.string().default("./data/broadly.sqlite"),
  /** PostgreSQL: connections in each app process's pool. */
  DATABASE_POOL_SIZE: z.coerce.number().int().positive().default(10),
  SESSION_SECRET: z.string().optional(),
  BASE_URL: z.string().url().optional(),
  /** Other origins whose pages may post to this app (BASE_URL's origin always may). */
  TRUSTED_ORIGINS: OriginListSchema,
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(MIN_BODY_LIMIT_BYTES)
    .default(DEFAULT_BODY_LIMIT_BYTES),
  PORT: z.coerce.number().int().positive().default(3000),
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default("Broadly <no-reply@broadly.test>"),
  /** Where users write to us (the "write to us" links); MAIL_FROM is a no-reply address. */
  SUPPORT_EMAIL: z.email().default("support@broadly.test"),
  MAIL_DIR: z.string().default("./data/mail"),
  OUTBOX_WORKER: z.enum(["on", "off"]).default("on"),
  OUTBOX_POLL_MS: z.coerce.number().int().positive().default(2000),
  /** How long a worker holds a claimed message before another may take it over. */
  OUTBOX_LEASE_MS: z.coerce.number().int().positive().default(60_000),
  /**
   * How long the outbox worker's lease lasts without a renewal (the holder renews it every
   * poll): how soon another process takes over from one that died. Three polls by default.
   */
  WORKER_LEASE_MS: z.coerce.number().int().positive().optional(),
  /** `npm start`: how many HTTP server processes (node:cluster workers); 1 is no cluster. */
  WEB_CONCURRENCY: z.coerce
    .number({ error: "must be a number of processes, from 1 to 64" })
    .int({ error: "must be a whole number of processes, from 1 to 64" })
    .min(1, { error: "must be at least 1" })
    .max(64, { error: "may be at most 64 (one per core is usually right)" })
    .default(1),
  /**
   * How long a follower's status update waits for others, so a burst of changes (a triage
   * session) is one e-mail.
   */
  NOTIFY_GROUP_MS: z.coerce.number().int().nonnegative().default(120_000),
  /**
   * Memory each app process gives its cache of the pages visitors see (rendered responses, see
   * app/services/public-cache.server.ts); 0 turns the cache off.
   */
  PUBLIC_CACHE_BYTES: z.coerce
    .number()
    .int()
    .nonnegative()
    .default(64 * 1024 * 1024),
  /**
   * How long a cached page is served while nothing changed, at most: its relative times ("3
   * minutes ago") are this old at worst.
   */
  PUBLIC_CACHE_MAX_AGE_MS: z.coerce.number().int().positive().default(30_000),
  // The first wait for an e-mail that many sign-in attempts have tried; it doubles from there.
  SIGN_IN_DELAY_MS: z.coerce.number().int().nonnegative().default(250),
});

export type Env = Omit<z.infer<typeof EnvSchema>, "WORKER_LEASE_MS"> & {
  WORKER_LEASE_MS: number;
  SESSION_SECRET: string;
  BASE_URL: string;
  /** The origins whose pages may post here: BASE_URL's, TRUSTED_ORIGINS, and (local) loopback. */
  POST_ORIGINS: string[];
};

/** Validates a set of variables (the process's own unless given); throws on a bad value. */
export function readEnv(source: Record<string, string | undefined> = process.env): Env {
  const parsed = EnvSchema.parse(source);
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
  const workerLeaseMs = parsed.WORKER_LEASE_MS ?? 3 * parsed.OUTBOX_POLL_MS;
  // The holder renews every poll: a lease that ran out between two polls would change hands.
  if (workerLeaseMs <= parsed.OUTBOX_POLL_MS) {
    throw new Error(
      `WORKER_LEASE_MS (${workerLeaseMs}) must be longer than OUTBOX_POLL_MS (${parsed.OUTBOX_POLL_MS}): three polls or more.`,
    );
  }
  const baseUrl = (parsed.BASE_URL ?? `http://localhost:${parsed.PORT}`).replace(/\/+$/, "");
  // Without BASE_URL the app runs as a local demo, which a browser may open by any loopback name.
  const loopback = parsed.BASE_URL
    ? []
    : [`http://127.0.0.1:${parsed.PORT}`, `http://[::1]:${parsed.PORT}`];
  return {
    ...parsed,
    WORKER_LEASE_MS: workerLeaseMs,
    SESSION_SECRET: secret,
    BASE_URL: baseUrl,
    POST_ORIGINS: [new URL(baseUrl).origin, ...loopback, ...parsed.TRUSTED_ORIGINS],
  };
}

let cached: Env | undefined;

export function getEnv(): Env {
  cached ??= readEnv();
  return cached;
}

/** Reads the environment again at the next getEnv() (tests that change a variable mid-file). */
export function resetEnv() {
  cached = undefined;
}
