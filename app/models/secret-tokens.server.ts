// The secrets that travel in links and cookies (invitations, sessions, password resets, e-mail
// verification): 32 random bytes, and the SHA-256 the database keeps instead of the secret, so
// a copy of the database opens nothing.
import crypto from "node:crypto";

export function newSecretToken(): string {
  return crypto.randomBytes(32).toString("base64url");
}

export function hashToken(token: string): string {
  return crypto.createHash("sha256").update(token).digest("hex");
}
