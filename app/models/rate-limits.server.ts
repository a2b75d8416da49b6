// Fixed-window counters kept in the database, so every app process shares the same limits.
import { getDb, now } from "~/db.server";
import { getEnv } from "~/env.server";

export type RateLimitRule = { limit: number; windowMs: number };

export const RATE_LIMITS = {
  // One e-mail tried from one address: a guesser there is refused, the owner elsewhere is not.
  signInPerPair: { limit: 5, windowMs: 15 * 60_000 },
  signInPerAddress: { limit: 50, windowMs: 15 * 60_000 },
  // One e-mail tried from anywhere: past the limit each attempt waits longer, none is refused.
  signInPerEmail: { limit: 5, windowMs: 15 * 60_000 },
  signUpPerAddress: { limit: 10, windowMs: 60 * 60_000 },
  // Reset links: a few per mailbox, so nobody floods someone's inbox; more per network address.
  passwordResetPerEmail: { limit: 3, windowMs: 60 * 60_000 },
  passwordResetPerAddress: { limit: 20, windowMs: 60 * 60_000 },
  verificationResendPerUser: { limit: 3, windowMs: 60 * 60_000 },
  invitePerOrganization: { limit: 50, windowMs: 60 * 60_000 },
  requestsPerUser: { limit: 10, windowMs: 60 * 60_000 },
  commentsPerUser: { limit: 30, windowMs: 10 * 60_000 },
} satisfies Record<string, RateLimitRule>;

/** `count`: hits in the current window, this one included. */
export type RateLimitState = { limited: boolean; retryAfterMs: number; count: number };

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
    count: row.count,
    limited: row.count > rule.limit,
    retryAfterMs: Math.max(0, new Date(row.reset_at).getTime() - Date.now()),
  };
}

export async function clearRateLimit(key: string) {
  await getDb().deleteFrom("rate_limits").where("key", "=", key).execute();
}

/** Takes back one hit, for an attempt that turned out not to be the kind being limited. */
async function refundRateLimit(key: string) {
  await getDb()
    .updateTable("rate_limits")
    .set((eb) => ({ count: eb("count", "-", 1) }))
    .where("key", "=", key)
    .where("count", ">", 0)
    .execute();
}

/** Housekeeping: windows that have passed count for nothing (the next hit starts afresh). */
export async function pruneExpiredRateLimits(): Promise<number> {
  const result = await getDb()
    .deleteFrom("rate_limits")
    .where("reset_at", "<=", now())
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export const SIGN_IN_DELAY_CAP_MS = 4_000;

/**
 * How long the n-th attempt on one e-mail inside the window waits before its password is
 * checked: nothing up to the limit, then the base delay doubling with each attempt, capped.
 */
export function signInDelayMs(
  attempt: number,
  baseMs = getEnv().SIGN_IN_DELAY_MS,
  { limit } = RATE_LIMITS.signInPerEmail,
): number {
  if (attempt <= limit) return 0;
  return Math.min(SIGN_IN_DELAY_CAP_MS, baseMs * 2 ** (attempt - limit - 1));
}

type SignInKeys = { pair: string; address: string; email: string };

function signInKeys(email: string, address: string): SignInKeys {
  return {
    pair: `signin:pair:${address}:${email}`,
    address: `signin:ip:${address}`,
    email: `signin:email:${email}`,
  };
}

export type SignInThrottle =
  { refused: true; retryAfterMs: number } | { refused: false; delayedMs: number };

/**
 * Counts a sign-in attempt before its password is checked (so guesses sent at the same moment
 * count too), refuses it when its (e-mail, address) pair or its address is over the limit, and
 * otherwise waits as long as the e-mail's attempts from everywhere call for. The e-mail is
 * never refused outright, so a stranger guessing elsewhere cannot lock its owner out.
 */
export async function throttleSignIn({
  email,
  address,
}: {
  email: string;
  address: string;
}): Promise<SignInThrottle> {
  const keys = signInKeys(email, address);
  const [pair, fromAddress, forEmail] = await Promise.all([
    hitRateLimit(keys.pair, RATE_LIMITS.signInPerPair),
    hitRateLimit(keys.address, RATE_LIMITS.signInPerAddress),
    hitRateLimit(keys.email, RATE_LIMITS.signInPerEmail),
  ]);
  const refusals = [pair, fromAddress].filter((state) => state.limited);
  if (refusals.length > 0) {
    return { refused: true, retryAfterMs: Math.max(...refusals.map((s) => s.retryAfterMs)) };
  }
  const delayedMs = signInDelayMs(forEmail.count);
  if (delayedMs > 0) await new Promise((resolve) => setTimeout(resolve, delayedMs));
  return { refused: false, delayedMs };
}

/**
 * After a successful sign-in: the pair starts afresh, and the attempt no longer counts as a
 * failure against the address or the e-mail.
 */
export async function forgetSignInAttempt({ email, address }: { email: string; address: string }) {
  const keys = signInKeys(email, address);
  await clearRateLimit(keys.pair);
  await refundRateLimit(keys.address);
  await refundRateLimit(keys.email);
}
