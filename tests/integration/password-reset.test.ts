// "Forgot your password?" through the routes: one answer for every address, a single-use link
// that expires, only the newest link working, and every old session ended by the reset.
import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { getSessionUser } from "~/auth/session.server";
import { getDb, now } from "~/db.server";
import { translate } from "~/i18n/messages";
import { RATE_LIMITS } from "~/models/rate-limits.server";
import { verifyLogin } from "~/models/users.server";
import { action as forgotAction } from "~/routes/forgot-password";
import { action as resetAction, loader as resetLoader } from "~/routes/reset-password.$token";
import { makeUser, TEST_PASSWORD, uniqueEmail } from "../support/factories";
import {
  cookieFrom,
  formRequest,
  getRequest,
  run,
  sessionCookieFor,
  testContext,
  unwrap,
} from "../support/requests";
import { deliverAllDue, linkTokenIn, mailsTo } from "../support/mail";

const NEW_PASSWORD = "a brand new passphrase";

let addressCounter = 0;
const freshIp = () => `192.0.2.${++addressCounter}`;

async function askForLink(email: string, { ip = freshIp(), lang = "en" } = {}) {
  const request = formRequest(
    "/forgot-password",
    { email },
    { headers: { "Accept-Language": lang } },
  );
  const started = Date.now();
  const result = unwrap(
    await run(() => forgotAction({ request, params: {}, context: testContext(ip) })),
  );
  return { ...result, ms: Date.now() - started };
}

async function latestResetToken(email: string) {
  await deliverAllDue();
  // Newest last: file names carry the outbox id, which sorts as a number, not as text.
  const outboxId = (file: string) => Number(/outbox-(\d+)/.exec(file)?.[1]);
  const mails = mailsTo(email)
    .filter((mail) => mail.text.includes("/reset-password/"))
    .sort((a, b) => outboxId(a.file) - outboxId(b.file));
  return linkTokenIn(mails[mails.length - 1], "/reset-password/");
}

async function openLink(token: string) {
  const request = getRequest(`/reset-password/${token}`);
  return unwrap(
    await run(() => resetLoader({ request, params: { token }, context: testContext() })),
  );
}

async function setPassword(token: string, newPassword = NEW_PASSWORD) {
  const request = formRequest(`/reset-password/${token}`, { newPassword });
  return unwrap(
    await run(() => resetAction({ request, params: { token }, context: testContext() })),
  );
}

describe("asking for a reset link", () => {
  it("answers an existing and an unknown address the same way, and mails only the existing one", async () => {
    const user = await makeUser();
    const stranger = uniqueEmail("nobody");

    const known = await askForLink(user.email);
    const unknown = await askForLink(stranger);

    expect(known.status).toBe(200);
    expect(unknown.status).toBe(known.status);
    expect({ ...known.data, sentTo: "…" }).toEqual({ ...unknown.data, sentTo: "…" });
    expect(known.data.sentTo).toBe(user.email);
    expect(unknown.data.sentTo).toBe(stranger);
    // Neither answer comes back faster than the floor that hides the cost of writing the link.
    expect(known.ms).toBeGreaterThanOrEqual(240);
    expect(unknown.ms).toBeGreaterThanOrEqual(240);

    await deliverAllDue();
    expect(mailsTo(user.email)).toHaveLength(1);
    expect(mailsTo(stranger)).toHaveLength(0);
  });

  it("mails a link in the account's language, and stores only the token's SHA-256", async () => {
    const user = await makeUser({ locale: "he" });
    await askForLink(user.email, { lang: "en" });
    await deliverAllDue();
    const [mail] = mailsTo(user.email);
    expect(mail.subject).toBe(translate("he", "mail.reset.subject"));
    expect(mail.text).toContain(translate("he", "mail.reset.action"));
    const token = linkTokenIn(mail, "/reset-password/");

    const rows = await getDb()
      .selectFrom("user_tokens")
      .selectAll()
      .where("user_id", "=", user.id)
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0].purpose).toBe("password_reset");
    expect(rows[0].token_hash).toBe(crypto.createHash("sha256").update(token).digest("hex"));
    expect(JSON.stringify(rows)).not.toContain(token);
    // One hour to use it.
    const ttl = Date.parse(rows[0].expires_at) - Date.parse(rows[0].created_at);
    expect(ttl).toBe(60 * 60_000);
  });

  it("validates the address, keeping what was typed", async () => {
    const result = await askForLink("not-an-address");
    expect(result.status).toBe(400);
    expect(result.data.errors.email).toBe("error.emailInvalid");
    expect(result.data.values.email).toBe("not-an-address");
  });

  it(`sends at most ${RATE_LIMITS.passwordResetPerEmail.limit} links an hour to one address, known or not`, async () => {
    const user = await makeUser();
    const stranger = uniqueEmail("nobody");
    for (let i = 0; i < RATE_LIMITS.passwordResetPerEmail.limit; i++) {
      expect((await askForLink(user.email)).status).toBe(200);
      expect((await askForLink(stranger)).status).toBe(200);
    }
    const limited = await askForLink(user.email);
    const limitedStranger = await askForLink(stranger);
    expect(limited.status).toBe(429);
    expect(limited.data.errors.form).toBe("error.resetLimited");
    expect(limitedStranger.status).toBe(429);
    expect(limitedStranger.data.errors).toEqual(limited.data.errors);
    await deliverAllDue();
    expect(mailsTo(user.email)).toHaveLength(RATE_LIMITS.passwordResetPerEmail.limit);
  });

  it(`takes at most ${RATE_LIMITS.passwordResetPerAddress.limit} requests an hour from one network address`, async () => {
    const ip = freshIp();
    for (let i = 0; i < RATE_LIMITS.passwordResetPerAddress.limit; i++)
      expect((await askForLink(uniqueEmail("spray"), { ip })).status).toBe(200);
    expect((await askForLink(uniqueEmail("spray"), { ip })).status).toBe(429);
  });
});

describe("the reset link", () => {
  it("sets the new password once, signs the user in, and cannot be used again", async () => {
    const user = await makeUser({ name: "Rina Reset" });
    await askForLink(user.email);
    const token = await latestResetToken(user.email);

    expect((await openLink(token)).data.problem).toBeNull();
    const done = await setPassword(token);
    expect(done.status).toBe(302);
    expect(done.headers.get("Location")).toBe("/");
    const signedIn = await getSessionUser(getRequest("/", { cookie: cookieFrom(done.response!) }));
    expect(signedIn?.id).toBe(user.id);
    expect(await verifyLogin(user.email, NEW_PASSWORD)).not.toBeNull();
    expect(await verifyLogin(user.email, TEST_PASSWORD)).toBeNull();

    const reopened = await openLink(token);
    expect(reopened.status).toBe(200);
    expect(reopened.data.problem).toBe("reset.used");
    const again = await setPassword(token, "yet another passphrase");
    expect(again.status).toBe(410);
    expect(await verifyLogin(user.email, NEW_PASSWORD)).not.toBeNull();
  });

  it("ends every session the user had, in the sessions table and in cookies", async () => {
    const user = await makeUser();
    const oldCookie = await sessionCookieFor(user);
    const at = now();
    const otherDevice = crypto.randomBytes(16).toString("hex");
    await getDb()
      .insertInto("sessions")
      .values({
        id: otherDevice,
        user_id: user.id,
        created_at: at,
        last_seen_at: at,
        expires_at: new Date(Date.now() + 86_400_000).toISOString(),
      })
      .execute();
    expect(await getSessionUser(getRequest("/", { cookie: oldCookie }))).not.toBeNull();
    const before = await getDb()
      .selectFrom("sessions")
      .select("id")
      .where("user_id", "=", user.id)
      .execute();
    expect(before).toHaveLength(2);

    await askForLink(user.email);
    await setPassword(await latestResetToken(user.email));

    expect(await getSessionUser(getRequest("/", { cookie: oldCookie }))).toBeNull();
    const sessions = await getDb()
      .selectFrom("sessions")
      .select("id")
      .where("user_id", "=", user.id)
      .execute();
    // Only the session the reset itself signed in with is left.
    expect(sessions).toHaveLength(1);
    expect(before.map((s) => s.id)).not.toContain(sessions[0].id);
  });

  it("stops working after an hour", async () => {
    const user = await makeUser();
    await askForLink(user.email);
    const token = await latestResetToken(user.email);
    await getDb()
      .updateTable("user_tokens")
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where("user_id", "=", user.id)
      .execute();

    const opened = await openLink(token);
    expect(opened.data.problem).toBe("reset.expired");
    expect((await setPassword(token)).data.problem).toBe("reset.expired");
    expect(await verifyLogin(user.email, TEST_PASSWORD)).not.toBeNull();
  });

  it("dies when a newer link is asked for; the newest works", async () => {
    const user = await makeUser();
    await askForLink(user.email);
    const first = await latestResetToken(user.email);
    await askForLink(user.email);
    const second = await latestResetToken(user.email);
    expect(second).not.toBe(first);

    const stale = await openLink(first);
    expect(stale.data.problem).toBe("reset.unknown");
    expect((await setPassword(first)).data.problem).toBe("reset.unknown");
    expect((await setPassword(second)).status).toBe(302);
  });

  it("explains an unknown link", async () => {
    const opened = await openLink("made-up-token");
    expect(opened.data.problem).toBe("reset.unknown");
  });

  it("applies the sign-up password rules, and leaves the link usable after a refusal", async () => {
    const user = await makeUser();
    await askForLink(user.email);
    const token = await latestResetToken(user.email);
    const short = await setPassword(token, "short");
    expect(short.status).toBe(400);
    expect(short.data.errors.newPassword).toBe("error.passwordTooShort");
    expect((await setPassword(token)).status).toBe(302);
  });

  it("confirms the address of an account that was waiting for verification", async () => {
    const user = await makeUser({ verified: false });
    await askForLink(user.email);
    await setPassword(await latestResetToken(user.email));
    const row = await getDb()
      .selectFrom("users")
      .select("email_verified_at")
      .where("id", "=", user.id)
      .executeTakeFirstOrThrow();
    expect(row.email_verified_at).not.toBeNull();
  });
});
