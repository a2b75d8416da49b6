// Fixed-window counters kept in the database, so every app process shares the same limits.
import { getDb, now } from "~/db.server";

export type RateLimitRule = { limit: number; windowMs: number };

export const RATE_LIMITS = {
  signInPerEmail: { limit: 5, windowMs: 15 * 60_000 },
  signInPerAddress: { limit: 50, windowMs: 15 * 60_000 },
  signUpPerAddress: { limit: 10, windowMs: 60 * 60_000 },
  // Reset links: a few per mailbox, so nobody floods someone's inbox; more per network address.
  passwordResetPerEmail: { limit: 3, windowMs: 60 * 60_000 },
  passwordResetPerAddress: { limit: 20, windowMs: 60 * 60_000 },
  verificationResendPerUser: { limit: 3, windowMs: 60 * 60_000 },
  invitePerOrganization: { limit: 50, windowMs: 60 * 60_000 },
  requestsPerUser: { limit: 10, windowMs: 60 * 60_000 },
  commentsPerUser: { limit: 30, windowMs: 10 * 60_000 },
} satisfies Record<string, RateLimitRule>;

export type RateLimitState = { limited: boolean; retryAfterMs: number };

/** Tells whether the key has used up its window, without counting a hit. */
export async function checkRateLimit(key: string, rule: RateLimitRule): Promise<RateLimitState> {
  const row = await getDb()
    .selectFrom("rate_limits")
    .selectAll()
    .where("key", "=", key)
    .executeTakeFirst();
  if (!row) return { limited: false, retryAfterMs: 0 };
  const remaining = new Date(row.reset_at).getTime() - Date.now();
  if (remaining <= 0) return { limited: false, retryAfterMs: 0 };
  return { limited: row.count >= rule.limit, retryAfterMs: remaining };
}

/** Counts one hit against the key, starting a new window when the old one has passed. */
export async function hitRateLimit(key: string, rule: RateLimitRule): Promise<RateLimitState> {
  const resetAt = new Date(Date.now() + rule.windowMs).toISOString();
  const current = now();
  const row = await getDb()
    .insertInto("rate_limits")
    .values({ key, count: 1, reset_at: resetAt })
    .onConflict((oc) =>
      oc.column("key").doUpdateSet((eb) => ({
        count: eb
          .case()
          .when("rate_limits.reset_at", "<=", current)
          .then(1)
          .else(eb("rate_limits.count", "+", 1))
          .end(),
        reset_at: eb
          .case()
          .when("rate_limits.reset_at", "<=", current)
          .then(resetAt)
          .else(eb.ref("rate_limits.reset_at"))
          .end(),
      })),
    )
    .returning(["count", "reset_at"])
    .executeTakeFirstOrThrow();
  return {
    limited: row.count > rule.limit,
    retryAfterMs: Math.max(0, new Date(row.reset_at).getTime() - Date.now()),
  };
}

export async function clearRateLimit(key: string) {
  await getDb().deleteFrom("rate_limits").where("key", "=", key).execute();
}
