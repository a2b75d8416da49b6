// Password hashing with argon2id (OWASP's recommended parameters: 19 MiB, 2 passes).
import argon2 from "argon2";

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 200;

const options = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, options);
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

// Checked when the e-mail is unknown, so a wrong address costs as long as a wrong password.
let decoyHash: Promise<string> | undefined;
export async function spendPasswordCheckTime(password: string) {
  decoyHash ??= hashPassword("decoy-password-for-timing");
  await verifyPassword(await decoyHash, password);
}
