// Verified e-mail addresses. The rule: an unverified account can read, follow and browse, but
// voting, proposing, commenting and creating an organization need a verified address, so a
// throwaway or mistyped address cannot add demand or content. Sign-up sends a single-use link
// (48 hours); opening it, resetting the password through an e-mailed link, or accepting an
// invitation sent to the account's address verifies it (each proves the mail reached that
// inbox). Accounts made by the seed, the CLI and staff tooling are verified from the start.
import type { Kysely, Transaction } from "kysely";
import { now, type Database, inTransaction } from "~/db.server";
import type { Locale } from "~/i18n/messages";
import { nudgeOutbox } from "~/services/outbox.server";
import { mailUserLink, useUserToken, type TokenState } from "./account-tokens.server";
import { recordAudit } from "./audit.server";
import { ActionRefused, type Actor } from "./errors";

type Executor = Kysely<Database> | Transaction<Database>;

export const VERIFICATION_TTL_MS = 48 * 60 * 60_000;

/**
 * Refuses when the actor's address is not verified yet; `field` puts the refusal next to the
 * form field it concerns. Read inside the caller's transaction, like every other permission.
 */
export async function requireVerifiedEmail(db: Executor, actor: Actor, field?: string) {
  const user = await db
    .selectFrom("users")
    .select("email_verified_at")
    .where("id", "=", actor.id)
    .executeTakeFirst();
  refuseUnverified(user?.email_verified_at != null, field);
}

/** The refusal of requireVerifiedEmail, for a caller that read the address's state already. */
export function refuseUnverified(verified: boolean, field?: string): void {
  if (!verified) throw new ActionRefused("verify.error.required", 403, field);
}

/** Marks the address verified (once: the first time stays recorded). */
export async function markEmailVerified(trx: Executor, userId: number) {
  await trx
    .updateTable("users")
    .set({ email_verified_at: now() })
    .where("id", "=", userId)
    .where("email_verified_at", "is", null)
    .execute();
}

/** Issues a new link (earlier ones stop working) and enqueues the e-mail that carries it. */
export async function enqueueVerificationEmail(
  trx: Transaction<Database>,
  user: { id: number; email: string; name: string; locale: Locale | null },
  fallbackLocale: Locale,
) {
  await mailUserLink(trx, user, {
    purpose: "email_verification",
    ttlMs: VERIFICATION_TTL_MS,
    path: "/verify-email/",
    locale: fallbackLocale,
  });
}

/** "Send the link again": false when the address is verified already (nothing is sent). */
export async function resendVerificationEmail({
  actor,
  locale,
}: {
  actor: Actor;
  locale: Locale;
}): Promise<boolean> {
  const sent = await inTransaction(async (trx) => {
    const user = await trx
      .selectFrom("users")
      .select(["id", "email", "name", "locale", "email_verified_at"])
      .where("id", "=", actor.id)
      .executeTakeFirstOrThrow();
    if (user.email_verified_at) return false;
    await enqueueVerificationEmail(trx, user, locale);
    return true;
  });
  if (sent) nudgeOutbox();
  return sent;
}

/** Opens a verification link: verifies its user's address, or says why the link is unusable. */
export async function verifyEmail(
  token: string,
): Promise<{ userId: number } | { state: Exclude<TokenState, "valid"> }> {
  return inTransaction(async (trx) => {
    const result = await useUserToken(trx, token, "email_verification");
    if (!("userId" in result)) return result;
    await markEmailVerified(trx, result.userId);
    await recordAudit(trx, {
      actorId: result.userId,
      action: "user.email_verified",
      subjectType: "user",
      subjectId: result.userId,
    });
    return result;
  });
}
