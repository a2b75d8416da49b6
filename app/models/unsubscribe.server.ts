// Unsubscribe links: a signed token naming a user and one preference, so the link in an e-mail
// (and the one-click POST a mail client makes from its List-Unsubscribe header, RFC 8058) works
// without signing in. The signature is the only authority the link carries: HMAC-SHA256 under
// SESSION_SECRET, compared in constant time. It never expires: an old e-mail's link must still
// stop the mail, and all it can do is switch one preference of one user off (or back on).
import crypto from "node:crypto";
import type { NotificationTopic } from "~/db.server";
import { getEnv } from "~/env.server";

export const NOTIFICATION_TOPICS = [
  "status",
  "news",
  "digest",
] as const satisfies readonly NotificationTopic[];

export function isNotificationTopic(value: unknown): value is NotificationTopic {
  return (NOTIFICATION_TOPICS as readonly unknown[]).includes(value);
}

function signature(subject: string, secret: string): Buffer {
  // A purpose prefix, so this MAC can never be mistaken for another one made with the same key.
  return crypto.createHmac("sha256", secret).update(`unsubscribe:${subject}`).digest();
}

/** `<userId>.<topic>.<signature>`: readable ids, a base64url MAC over both. */
export function unsubscribeToken(
  userId: number,
  topic: NotificationTopic,
  secret = getEnv().SESSION_SECRET,
): string {
  const subject = `${userId}.${topic}`;
  return `${subject}.${signature(subject, secret).toString("base64url")}`;
}

/** The user and preference a token names, or null when it is malformed or not ours. */
export function readUnsubscribeToken(
  token: string,
  secret = getEnv().SESSION_SECRET,
): { userId: number; topic: NotificationTopic } | null {
  const match = /^([1-9][0-9]{0,15})\.([a-z]+)\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return null;
  const [, id, topic, mac] = match;
  if (!isNotificationTopic(topic)) return null;
  const expected = signature(`${id}.${topic}`, secret);
  const given = Buffer.from(mac, "base64url");
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return null;
  return { userId: Number(id), topic };
}

/** The absolute link an e-mail carries (body and List-Unsubscribe header). */
export function unsubscribeUrl(userId: number, topic: NotificationTopic): string {
  return `${getEnv().BASE_URL}/unsubscribe/${unsubscribeToken(userId, topic)}`;
}
