// "Forgot your password?": an e-mailed single-use link (1 hour) to choose a new password. The
// answer to a request never tells whether the address has an account, in words or in time.
import { setTimeout as sleep } from "node:timers/promises";
import { getDb, now, type Locale, inTransaction } from "~/db.server";
import { nudgeOutbox } from "~/services/outbox.server";
import {
  mailUserLink,
  userTokenState,
  useUserToken,
  type TokenState,
} from "./account-tokens.server";
import { recordAudit } from "./audit.server";
import { markEmailVerified } from "./email-verification.server";
import { hashPassword } from "./passwords.server";
import { endSessionsOfUser } from "./sessions.server";
import { normalizeEmail, type PublicUser } from "./users.server";

export const RESET_TTL_MS = 60 * 60_000;

// Both answers (address known or not) take at least this long, which hides the few
// milliseconds that writing the token and the e-mail cost.
const ANSWER_FLOOR_MS = 250;

/**
 * Sends a reset link when an account has this address, and does nothing otherwise; the caller
 * answers the same either way. A new link makes the earlier ones stop working. The e-mail is
 * in the account's language, else in `locale` (the page's).
 */
export async function requestPasswordReset({
  email,
  locale,
}: {
  email: string;
  locale: Locale;
}): Promise<void> {
  const started = Date.now();
  const sent = await inTransaction(async (trx) => {
    const user = await trx
      .selectFrom("users")
      .select(["id", "email", "name", "locale"])
      .where("email", "=", normalizeEmail(email))
      .executeTakeFirst();
    if (!user) return false;
    await mailUserLink(trx, user, {
      purpose: "password_reset",
      ttlMs: RESET_TTL_MS,
      path: "/reset-password/",
      locale,
    });
    await recordAudit(trx, {
      actorId: user.id,
      action: "user.password_reset_requested",
      subjectType: "user",
      subjectId: user.id,
    });
    return true;
  });
  if (sent) nudgeOutbox();
  await sleep(Math.max(0, started + ANSWER_FLOOR_MS - Date.now()));
}

/** Whether a reset link can still be used (the page shows the form or explains why not). */
export async function resetLinkState(token: string): Promise<TokenState> {
  return (await userTokenState(getDb(), token, "password_reset")).state;
}

/**
 * Sets the new password through a reset link and uses the link up. Every session of the user
 * ends (whoever knew the old password is signed out); the address counts as verified, since
 * the link reached its inbox. Returns the user to sign in, or why the link is unusable.
 */
export async function resetPassword({
  token,
  newPassword,
}: {
  token: string;
  newPassword: string;
}): Promise<{ user: PublicUser } | { state: Exclude<TokenState, "valid"> }> {
  const passwordHash = await hashPassword(newPassword);
  return inTransaction(async (trx) => {
    const result = await useUserToken(trx, token, "password_reset");
    if (!("userId" in result)) return result;
    const { userId } = result;
    await trx
      .updateTable("users")
      .set({ password_hash: passwordHash, updated_at: now() })
      .where("id", "=", userId)
      .execute();
    await endSessionsOfUser(trx, userId);
    await markEmailVerified(trx, userId);
    await recordAudit(trx, {
      actorId: userId,
      action: "user.password_reset",
      subjectType: "user",
      subjectId: userId,
    });
    const { password_hash: _hash, ...user } = await trx
      .selectFrom("users")
      .selectAll()
      .where("id", "=", userId)
      .executeTakeFirstOrThrow();
    return { user };
  });
}
