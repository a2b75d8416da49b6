// Accounts: sign-up, credentials, profile, language and the staff flag.
import type { Transaction } from "kysely";
import {
  getDb,
  now,
  type Database,
  type Locale,
  type User,
  inTransaction,
  serializeOn,
} from "~/db.server";
import { DEFAULT_LOCALE } from "~/i18n/messages";
import { nudgeOutbox } from "~/services/outbox.server";
import { cleanLine } from "~/text";
import { recordAudit } from "./audit.server";
import { enqueueVerificationEmail } from "./email-verification.server";
import { endSessionsOfUser } from "./sessions.server";
import { hashPassword, spendPasswordCheckTime, verifyPassword } from "./passwords.server";

export type PublicUser = Omit<User, "password_hash">;

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export class EmailTakenError extends Error {
  constructor() {
    super("email taken");
  }
}

export async function createUser(input: {
  name: string;
  email: string;
  password: string;
  locale?: Locale | null;
  isStaff?: boolean;
  staffRole?: "admin" | "member" | null;
  /**
   * Accounts made by people we know (the seed, the CLI, staff) are verified from the start;
   * sign-up passes false, which also enqueues the verification e-mail in the same transaction.
   */
  emailVerified?: boolean;
  /** The language of that e-mail while the account has no saved language. */
  mailLocale?: Locale;
}): Promise<PublicUser> {
  const email = normalizeEmail(input.email);
  const passwordHash = await hashPassword(input.password);
  const timestamp = now();
  const created = await inTransaction(async (trx) => {
    const user = await insertUserRow(trx, {
      email,
      name: input.name,
      passwordHash,
      locale: input.locale ?? null,
      isStaff: input.isStaff ?? false,
      staffRole: input.staffRole ?? null,
      verifiedAt: input.emailVerified === false ? null : timestamp,
      at: timestamp,
    });
    if (!user.email_verified_at)
      await enqueueVerificationEmail(trx, user, input.mailLocale ?? DEFAULT_LOCALE);
    await recordAudit(trx, {
      actorId: user.id,
      action: "user.signed_up",
      subjectType: "user",
      subjectId: user.id,
    });
    return withoutPassword(user);
  });
  if (!created.email_verified_at) nudgeOutbox();
  return created;
}

/**
 * The password_hash of an account that has none yet: a contact staff added for a customer who
 * wrote to them (app/models/staff-requests.server.ts). No password matches it; the person sets
 * one through "forgot password", which also proves the inbox is theirs.
 */
export const NO_PASSWORD = "";

/** Inserts the users row in the caller's transaction; refuses an address already taken. */
export async function insertUserRow(
  trx: Transaction<Database>,
  input: {
    email: string;
    name: string;
    passwordHash: string;
    locale: Locale | null;
    isStaff: boolean;
    staffRole: "admin" | "member" | null;
    verifiedAt: string | null;
    at: string;
  },
): Promise<User> {
  const email = normalizeEmail(input.email);
  // A double-clicked sign-up: the second is told the address is taken, not shown an error page.
  await serializeOn(trx, `user-email:${email}`);
  const existing = await trx
    .selectFrom("users")
    .select("id")
    .where("email", "=", email)
    .executeTakeFirst();
  if (existing) throw new EmailTakenError();
  return trx
    .insertInto("users")
    .values({
      email,
      name: cleanLine(input.name),
      password_hash: input.passwordHash,
      locale: input.locale,
      is_staff: input.isStaff ? 1 : 0,
      staff_role: input.isStaff ? (input.staffRole ?? "member") : null,
      email_verified_at: input.verifiedAt,
      created_at: input.at,
      updated_at: input.at,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The user whose e-mail and password match, or null; takes as long either way. */
export async function verifyLogin(email: string, password: string): Promise<PublicUser | null> {
  const user = await getDb()
    .selectFrom("users")
    .selectAll()
    .where("email", "=", normalizeEmail(email))
    .executeTakeFirst();
  if (!user || user.password_hash === NO_PASSWORD) {
    await spendPasswordCheckTime(password);
    return null;
  }
  return (await verifyPassword(user.password_hash, password)) ? withoutPassword(user) : null;
}

export async function getUserByEmail(email: string): Promise<PublicUser | null> {
  const user = await getDb()
    .selectFrom("users")
    .selectAll()
    .where("email", "=", normalizeEmail(email))
    .executeTakeFirst();
  return user ? withoutPassword(user) : null;
}

export async function updateProfile({
  userId,
  name,
  locale,
}: {
  userId: number;
  name: string;
  locale: Locale | null;
}) {
  await getDb()
    .updateTable("users")
    .set({ name: cleanLine(name), locale, updated_at: now() })
    .where("id", "=", userId)
    .execute();
}

export async function setUserLocale(userId: number, locale: Locale) {
  await getDb()
    .updateTable("users")
    .set({ locale, updated_at: now() })
    .where("id", "=", userId)
    .execute();
}

/**
 * Changes the password when the current one is right, and ends every other session of the
 * user in the same transaction (someone who knew the old password is signed out at once).
 * Returns false when the current password is wrong.
 */
export async function changePassword({
  userId,
  currentPassword,
  newPassword,
  keepSessionId,
}: {
  userId: number;
  currentPassword: string;
  newPassword: string;
  /** The session the change was made from: it stays signed in. */
  keepSessionId: string;
}): Promise<boolean> {
  const db = getDb();
  const user = await db.selectFrom("users").selectAll().where("id", "=", userId).executeTakeFirst();
  if (!user || !(await verifyPassword(user.password_hash, currentPassword))) return false;
  const passwordHash = await hashPassword(newPassword);
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable("users")
      .set({ password_hash: passwordHash, updated_at: now() })
      .where("id", "=", userId)
      .execute();
    const endedSessions = await endSessionsOfUser(trx, userId, { except: keepSessionId });
    await recordAudit(trx, {
      actorId: userId,
      action: "user.password_changed",
      subjectType: "user",
      subjectId: userId,
      data: { endedSessions },
    });
  });
  return true;
}

function withoutPassword(user: User): PublicUser {
  const { password_hash: _hash, ...rest } = user;
  return rest;
}
