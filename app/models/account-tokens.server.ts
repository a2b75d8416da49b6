// Single-use links e-mailed to a user (password reset, e-mail verification). The token itself
// only ever exists in the e-mail; user_tokens keeps its SHA-256, so a copy of the database
// opens no account.
import type { Kysely, Transaction } from "kysely";
import { now, type Database, type Locale, type UserTokenPurpose } from "~/db.server";
import { getEnv } from "~/env.server";
import { enqueueEmail } from "~/services/outbox.server";
import { hashToken, newSecretToken } from "./secret-tokens.server";

type Executor = Kysely<Database> | Transaction<Database>;

export type TokenState = "valid" | "used" | "expired" | "unknown";

/**
 * Creates a new token for the user and purpose and returns it (to be put in a link). The
 * user's earlier unused tokens of that purpose are deleted, so only the newest link works.
 */
export async function issueUserToken(
  trx: Transaction<Database>,
  { userId, purpose, ttlMs }: { userId: number; purpose: UserTokenPurpose; ttlMs: number },
): Promise<string> {
  await trx
    .deleteFrom("user_tokens")
    .where("user_id", "=", userId)
    .where("purpose", "=", purpose)
    .where("used_at", "is", null)
    .execute();
  const token = newSecretToken();
  const createdAt = now();
  await trx
    .insertInto("user_tokens")
    .values({
      user_id: userId,
      purpose,
      token_hash: hashToken(token),
      created_at: createdAt,
      expires_at: new Date(Date.parse(createdAt) + ttlMs).toISOString(),
    })
    .execute();
  return token;
}

/**
 * Issues a new link of the purpose (earlier ones stop working) and enqueues the e-mail that
 * carries it, in the same transaction: `<BASE_URL><path><token>`.
 */
export async function mailUserLink(
  trx: Transaction<Database>,
  user: { id: number; email: string; name: string; locale: Locale | null },
  {
    purpose,
    ttlMs,
    path,
    locale,
  }: { purpose: UserTokenPurpose; ttlMs: number; path: string; locale: Locale },
) {
  const token = await issueUserToken(trx, { userId: user.id, purpose, ttlMs });
  await enqueueEmail(trx, user.email, {
    template: purpose,
    locale: user.locale ?? locale,
    name: user.name,
    url: `${getEnv().BASE_URL}${path}${token}`,
  });
}

/** What a link would do if opened now, without using it. */
export async function userTokenState(
  db: Executor,
  token: string,
  purpose: UserTokenPurpose,
): Promise<{ state: TokenState; userId: number | null }> {
  const row = await db
    .selectFrom("user_tokens")
    .select(["user_id", "expires_at", "used_at"])
    .where("token_hash", "=", hashToken(token))
    .where("purpose", "=", purpose)
    .executeTakeFirst();
  if (!row) return { state: "unknown", userId: null };
  if (row.used_at !== null) return { state: "used", userId: row.user_id };
  if (row.expires_at <= now()) return { state: "expired", userId: row.user_id };
  return { state: "valid", userId: row.user_id };
}

/**
 * Marks the token used and returns its user, or says why it cannot be used. The update is
 * conditional, so two requests racing with the same link cannot both use it.
 */
export async function useUserToken(
  trx: Transaction<Database>,
  token: string,
  purpose: UserTokenPurpose,
): Promise<{ userId: number } | { state: Exclude<TokenState, "valid"> }> {
  const at = now();
  const used = await trx
    .updateTable("user_tokens")
    .set({ used_at: at })
    .where("token_hash", "=", hashToken(token))
    .where("purpose", "=", purpose)
    .where("used_at", "is", null)
    .where("expires_at", ">", at)
    .returning("user_id")
    .executeTakeFirst();
  if (used) return { userId: used.user_id };
  const { state } = await userTokenState(trx, token, purpose);
  return { state: state === "valid" ? "used" : state };
}
