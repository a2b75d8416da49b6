// Accounts end to end through the routes: signing up, signing in and out, sessions, passwords,
// rate limits, the profile and the interface language.
import { describe, expect, it } from "vitest";
import {
  forgetSignInAttempt,
  RATE_LIMITS,
  signInDelayMs,
  throttleSignIn,
} from "~/models/rate-limits.server";
import { getSessionUser } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { langCookie, resolveLocale } from "~/i18n/locale.server";
import { createOrganization } from "~/models/orgs.server";
import { getUserByEmail, verifyLogin } from "~/models/users.server";
import { action as accountAction, loader as accountLoader } from "~/routes/account";
import { action as languageAction } from "~/routes/language";
import { action as signInAction, loader as signInLoader } from "~/routes/signin";
import { action as signOutAction } from "~/routes/signout";
import { action as signUpAction } from "~/routes/signup";
import { actorOf, makeUser, TEST_PASSWORD, uniqueEmail } from "../support/factories";
import {
  cookieFrom,
  formRequest,
  getRequest,
  run,
  sessionCookieFor,
  testContext,
  unwrap,
} from "../support/requests";

// Every test signs in from its own address, so one test's failures never limit another's.
let addressCounter = 0;
const freshIp = () => `198.51.100.${++addressCounter}`;

type Options = { ip?: string; cookie?: string; headers?: Record<string, string> };

async function signUp(
  fields: Record<string, string>,
  { ip = freshIp(), cookie, headers }: Options = {},
) {
  const request = formRequest("/signup", fields, { cookie, headers });
  return unwrap(await run(() => signUpAction({ request, params: {}, context: testContext(ip) })));
}

async function signIn(
  fields: Record<string, string>,
  { ip = freshIp(), cookie, headers }: Options = {},
) {
  const request = formRequest("/signin", fields, { cookie, headers });
  return unwrap(await run(() => signInAction({ request, params: {}, context: testContext(ip) })));
}

async function postAccount(cookie: string, fields: Record<string, string>) {
  const request = formRequest("/account", fields, { cookie });
  return unwrap(await run(() => accountAction({ request, params: {}, context: testContext() })));
}

const whoIs = (cookie: string) => getSessionUser(getRequest("/", { cookie }));

async function passwordHashOf(email: string) {
  const row = await getDb()
    .selectFrom("users")
    .select("password_hash")
    .where("email", "=", email)
    .executeTakeFirstOrThrow();
  return row.password_hash;
}

describe("signing up", () => {
  it("creates the account, signs the new user in and sends them on to create an organization", async () => {
    const email = uniqueEmail("dana");
    const result = await signUp({ name: "Dana Levi", email, password: "a long password" });

    expect(result.status).toBe(302);
    expect(result.headers.get("Location")).toBe("/orgs/new");
    const user = await whoIs(cookieFrom(result.response!));
    expect(user).toMatchObject({ name: "Dana Levi", email, is_staff: 0 });
  });

  it("stores the password only as an argon2id hash", async () => {
    const email = uniqueEmail();
    await signUp({ name: "Dana", email, password: "a long password" });

    const hash = await passwordHashOf(email);
    expect(hash.startsWith("$argon2id$")).toBe(true);
    expect(hash).not.toContain("a long password");
  });

  it("saves the e-mail address in lower case, without surrounding spaces", async () => {
    const local = uniqueEmail("Mixed").split("@")[0];
    await signUp({ name: "Dana", email: `  ${local}@Example.TEST `, password: "a long password" });

    expect(await getUserByEmail(`${local.toLowerCase()}@example.test`)).not.toBeNull();
  });

  it("requires a name", async () => {
    const result = await signUp({ name: "   ", email: uniqueEmail(), password: "a long password" });
    expect(result.status).toBe(400);
    expect(result.data.errors).toEqual({ name: "error.required" });
  });

  it("explains an e-mail address that is not one", async () => {
    const result = await signUp({
      name: "Dana",
      email: "dana-at-acme",
      password: "a long password",
    });
    expect(result.status).toBe(400);
    expect(result.data.errors).toEqual({ email: "error.emailInvalid" });
  });

  it("refuses a password shorter than 10 characters", async () => {
    const email = uniqueEmail();
    const result = await signUp({ name: "Dana", email, password: "123456789" });
    expect(result.status).toBe(400);
    expect(result.data.errors).toEqual({ password: "error.passwordTooShort" });
    expect(await getUserByEmail(email)).toBeNull();
  });

  it("keeps what was typed for the form to show again, but never the password", async () => {
    const result = await signUp({ name: "Dana", email: "dana@", password: "short-pw" });
    expect(result.data.values).toMatchObject({ name: "Dana", email: "dana@" });
    expect(result.data.values).not.toHaveProperty("password");
    expect(JSON.stringify(result.data)).not.toContain("short-pw");
  });

  it("refuses an e-mail that already has an account, whatever its letter case", async () => {
    const existing = await makeUser();
    const result = await signUp({
      name: "Someone Else",
      email: existing.email.toUpperCase(),
      password: "another long one",
    });

    expect(result.status).toBe(400);
    expect(result.data.errors).toEqual({ email: "error.emailTaken" });
    expect(result.headers.get("Set-Cookie")).toBeNull();
    const rows = await getDb()
      .selectFrom("users")
      .select("id")
      .where("email", "=", existing.email)
      .execute();
    expect(rows).toHaveLength(1);
    // The existing account keeps its own password.
    expect(await verifyLogin(existing.email, TEST_PASSWORD)).not.toBeNull();
  });

  it("leaves the new account's language on automatic, following the browser", async () => {
    const email = uniqueEmail();
    await signUp(
      { name: "Eve", email, password: "a long password" },
      { headers: { "Accept-Language": "en-US,en;q=0.9" } },
    );
    expect((await getUserByEmail(email))?.locale).toBeNull();
  });

  it("brings an invited visitor back to their invitation after signing up", async () => {
    const result = await signUp({
      name: "Omer",
      email: uniqueEmail(),
      password: "a long password",
      redirectTo: "/invite/abc",
    });
    expect(result.headers.get("Location")).toBe("/invite/abc");
  });

  it("never sends a new user to another site", async () => {
    const result = await signUp({
      name: "Omer",
      email: uniqueEmail(),
      password: "a long password",
      redirectTo: "https://evil.com",
    });
    expect(result.headers.get("Location")).toBe("/orgs/new");
  });

  it("allows ten sign-ups an hour from one address, then asks to wait", async () => {
    const ip = freshIp();
    for (let i = 0; i < 10; i++) {
      expect(
        (
          await signUp(
            { name: `Bot ${i}`, email: uniqueEmail("bot"), password: "a long password" },
            { ip },
          )
        ).status,
      ).toBe(302);
    }
    const email = uniqueEmail("bot");
    const limited = await signUp({ name: "Bot 11", email, password: "a long password" }, { ip });

    expect(limited.status).toBe(429);
    expect(limited.data.errors).toEqual({ form: "error.signUpLimited" });
    expect(Number(limited.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(await getUserByEmail(email)).toBeNull();
    // Someone else, from another address, is not affected.
    expect(
      (await signUp({ name: "Neighbour", email: uniqueEmail(), password: "a long password" }))
        .status,
    ).toBe(302);
  });
});

describe("signing in", () => {
  it("accepts the e-mail in any letter case and with spaces around it", async () => {
    const user = await makeUser();
    const result = await signIn({
      email: `  ${user.email.toUpperCase()} `,
      password: TEST_PASSWORD,
    });
    expect(result.status).toBe(302);
    expect((await whoIs(cookieFrom(result.response!)))?.id).toBe(user.id);
  });

  it("gives the same answer for a wrong password and for an unknown e-mail", async () => {
    const user = await makeUser();
    const wrongPassword = await signIn({ email: user.email, password: "not the password" });
    const unknownEmail = await signIn({
      email: uniqueEmail("nobody"),
      password: "not the password",
    });

    for (const result of [wrongPassword, unknownEmail]) {
      expect(result.status).toBe(401);
      expect(result.data.errors).toEqual({ form: "error.invalidCredentials" });
      expect(result.headers.get("Set-Cookie")).toBeNull();
    }
  });

  it("does not echo the password back to the form", async () => {
    const user = await makeUser();
    const result = await signIn({ email: user.email, password: "typo in my password" });
    expect(result.data.values).toEqual({ email: user.email });
  });

  it("takes the user to the local page they asked for", async () => {
    const user = await makeUser();
    const result = await signIn({
      email: user.email,
      password: TEST_PASSWORD,
      redirectTo: "/orgs/acme?tab=members",
    });
    expect(result.headers.get("Location")).toBe("/orgs/acme?tab=members");
  });

  it.each([
    "//evil.com",
    "https://evil.com/signin",
    "/\\evil.com",
    "javascript:alert(1)",
    "/.//evil.com",
  ])(
    "lands on the home page instead of following the off-site redirectTo %j",
    async (redirectTo) => {
      const user = await makeUser();
      const result = await signIn({ email: user.email, password: TEST_PASSWORD, redirectTo });
      expect(result.status).toBe(302);
      expect(result.headers.get("Location")).toBe("/");
    },
  );

  it("sets an HttpOnly, SameSite=Lax session cookie for the whole site", async () => {
    const user = await makeUser();
    const setCookie = (await signIn({ email: user.email, password: TEST_PASSWORD })).headers.get(
      "Set-Cookie",
    )!;
    expect(setCookie).toMatch(/^__session=/);
    expect(setCookie).toMatch(/;\s*HttpOnly/i);
    expect(setCookie).toMatch(/;\s*SameSite=Lax/i);
    expect(setCookie).toMatch(/;\s*Path=\//i);
    expect(setCookie).toMatch(/;\s*Max-Age=\d+/i);
    // Plain HTTP in tests: a Secure cookie would never come back.
    expect(setCookie).not.toMatch(/;\s*Secure/i);
  });

  it("marks the session cookie Secure when the request came over HTTPS", async () => {
    const user = await makeUser();
    const request = new Request("https://broadly.test/signin", {
      method: "POST",
      body: new URLSearchParams({ email: user.email, password: TEST_PASSWORD }),
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
    const result = unwrap(
      await run(() => signInAction({ request, params: {}, context: testContext(freshIp()) })),
    );
    expect(result.headers.get("Set-Cookie")).toMatch(/;\s*Secure/i);
  });

  it("starts a new session with a new token, and ends the one the browser had before", async () => {
    const user = await makeUser();
    const alpha = await createOrganization({ actor: actorOf(user), name: "Alpha Works" });
    await createOrganization({ actor: actorOf(user), name: "Beta Works" });
    // A genuine cookie someone could have planted in this browser before the user signed in.
    const before = await sessionCookieFor(user);

    const result = await signIn({ email: user.email, password: TEST_PASSWORD }, { cookie: before });
    const after = cookieFrom(result.response!);

    expect(after).not.toContain(before);
    expect((await whoIs(after))?.currentOrg?.orgId).toBe(alpha.id);
    expect(await whoIs(before)).toBeNull();
  });

  it("sends someone already signed in straight on from the sign-in page", async () => {
    const user = await makeUser();
    const cookie = await sessionCookieFor(user);
    const result = unwrap(
      await run(() =>
        signInLoader({
          request: getRequest("/signin?redirectTo=/account", { cookie }),
          params: {},
          context: testContext(),
        }),
      ),
    );
    expect(result.status).toBe(302);
    expect(result.headers.get("Location")).toBe("/account");
  });

  it.each(["//evil.com", "https://evil.com", "/.//evil.com", "/..//evil.com"])(
    "does not send someone already signed in off-site through the sign-in link's redirectTo %j",
    async (redirectTo) => {
      const user = await makeUser();
      const cookie = await sessionCookieFor(user);
      const request = getRequest(`/signin?${new URLSearchParams({ redirectTo })}`, { cookie });
      const result = unwrap(
        await run(() => signInLoader({ request, params: {}, context: testContext() })),
      );
      expect(result.status).toBe(302);
      expect(result.headers.get("Location")).toBe("/");
    },
  );
});

describe("sign-in attempts are limited", () => {
  it("after 5 failures for one e-mail from one address, refuses it there even with the right password", async () => {
    const user = await makeUser();
    const ip = freshIp();
    for (let i = 0; i < 5; i++) {
      // Letter case doesn't give an attacker a fresh allowance.
      const email = i % 2 ? user.email.toUpperCase() : user.email;
      expect((await signIn({ email, password: `guess number ${i}` }, { ip })).status).toBe(401);
    }

    const result = await signIn({ email: user.email, password: TEST_PASSWORD }, { ip });

    expect(result.status).toBe(429);
    expect(result.data.errors).toEqual({ form: "error.signInLimited" });
    expect(result.data.values.minutes).toBe("15");
    const retryAfter = Number(result.headers.get("Retry-After"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    expect(result.headers.get("Set-Cookie")).toBeNull();
  });

  it("lets the owner in from an address that has not failed, however many guesses came from elsewhere", async () => {
    const owner = await makeUser();
    const colleague = await makeUser();
    const guesser = freshIp();
    for (let i = 0; i < 5; i++)
      await signIn({ email: owner.email, password: "wrong password" }, { ip: guesser });
    // …and more guesses for the same e-mail from many other addresses.
    for (let i = 0; i < 6; i++)
      expect((await signIn({ email: owner.email, password: `spread guess ${i}` })).status).toBe(
        401,
      );

    expect((await signIn({ email: owner.email, password: TEST_PASSWORD })).status).toBe(302);
    // The guesser's address is refused only for that e-mail: a colleague there signs in.
    expect(
      (await signIn({ email: colleague.email, password: TEST_PASSWORD }, { ip: guesser })).status,
    ).toBe(302);
  });

  it("makes each further attempt on a much-tried e-mail wait longer, up to a few seconds", async () => {
    const email = uniqueEmail("target");
    const delays: number[] = [];
    for (let i = 0; i < 9; i++) {
      const throttle = await throttleSignIn({ email, address: freshIp() });
      expect(throttle.refused).toBe(false);
      if (!throttle.refused) delays.push(throttle.delayedMs);
    }

    // Tests run with a 1 ms base delay (SIGN_IN_DELAY_MS): none for the first five, then doubling.
    expect(delays).toEqual([0, 0, 0, 0, 0, 1, 2, 4, 8]);
    expect(signInDelayMs(6, 250)).toBe(250);
    expect(signInDelayMs(8, 250)).toBe(1000);
    expect(signInDelayMs(50, 250)).toBe(4000);
  });

  // Guesses sent at the same moment must count too, or the limit only slows down a patient attacker.
  it("counts attempts sent at the same time against the same limit", async () => {
    const user = await makeUser();
    const ip = freshIp();
    const guesses = Array.from({ length: 20 }, (_, i) =>
      signIn({ email: user.email, password: `parallel guess ${i}` }, { ip }),
    );
    const statuses = (await Promise.all(guesses)).map((result) => result.status);

    const checked = statuses.filter((status) => status === 401).length;
    expect(checked).toBeLessThanOrEqual(5);
    expect(statuses.filter((status) => status === 429)).toHaveLength(20 - checked);
  });

  it("forgets the failures from an address once the user signs in from it", async () => {
    const user = await makeUser();
    const ip = freshIp();
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 4; i++)
        expect(
          (await signIn({ email: user.email, password: "wrong password" }, { ip })).status,
        ).toBe(401);
      expect((await signIn({ email: user.email, password: TEST_PASSWORD }, { ip })).status).toBe(
        302,
      );
    }
  });

  it("does not count a successful sign-in as a failure against the address or the e-mail", async () => {
    const attempt = { email: uniqueEmail("owner"), address: freshIp() };
    for (let i = 0; i < 3; i++) await throttleSignIn(attempt);
    await throttleSignIn(attempt);
    await forgetSignInAttempt(attempt);

    const counts = Object.fromEntries(
      (
        await getDb()
          .selectFrom("rate_limits")
          .select(["key", "count"])
          .where("key", "like", "signin:%")
          .where((eb) =>
            eb.or([
              eb("key", "like", `%${attempt.email}`),
              eb("key", "=", `signin:ip:${attempt.address}`),
            ]),
          )
          .execute()
      ).map((row) => [row.key.split(":")[1], row.count]),
    );
    // The pair starts afresh; the address and the e-mail keep only the three failures.
    expect(counts).toEqual({ ip: 3, email: 3 });
  });

  it("after the address's allowance of failures, refuses every e-mail from it", async () => {
    const user = await makeUser();
    const ip = freshIp();
    for (let i = 0; i < RATE_LIMITS.signInPerAddress.limit; i++) {
      expect(
        (await signIn({ email: uniqueEmail(`spray${i}`), password: "Winter2026!" }, { ip })).status,
      ).toBe(401);
    }

    const result = await signIn({ email: user.email, password: TEST_PASSWORD }, { ip });
    expect(result.status).toBe(429);
    expect(result.data.errors).toEqual({ form: "error.signInLimited" });
    // The account itself is fine from anywhere else.
    expect((await signIn({ email: user.email, password: TEST_PASSWORD })).status).toBe(302);
  });
});

describe("signing out", () => {
  it("ends the session and goes home", async () => {
    const user = await makeUser();
    const cookie = await sessionCookieFor(user);
    const result = unwrap(
      await run(() =>
        signOutAction({
          request: formRequest("/signout", {}, { cookie }),
          params: {},
          context: testContext(),
        }),
      ),
    );

    expect(result.status).toBe(302);
    expect(result.headers.get("Location")).toBe("/");
    expect(await whoIs(cookieFrom(result.response!))).toBeNull();
    // A copy of the cookie kept from before signing out no longer works either.
    expect(await whoIs(cookie)).toBeNull();
  });
});

describe("changing the password", () => {
  it("signs out every other session but keeps this one", async () => {
    const user = await makeUser();
    const laptop = await sessionCookieFor(user);
    const phone = await sessionCookieFor(user);

    const result = await postAccount(laptop, {
      intent: "password",
      currentPassword: TEST_PASSWORD,
      newPassword: "a brand new password",
    });

    expect(result.status).toBe(302);
    expect(result.headers.get("Location")).toBe("/account");
    expect((await whoIs(laptop))?.id).toBe(user.id);
    expect(await whoIs(phone)).toBeNull();
  });

  it("takes the new password at the next sign-in, and no longer the old one", async () => {
    const user = await makeUser();
    await postAccount(await sessionCookieFor(user), {
      intent: "password",
      currentPassword: TEST_PASSWORD,
      newPassword: "a brand new password",
    });

    expect((await signIn({ email: user.email, password: "a brand new password" })).status).toBe(
      302,
    );
    expect((await signIn({ email: user.email, password: TEST_PASSWORD })).status).toBe(401);
    expect((await passwordHashOf(user.email)).startsWith("$argon2id$")).toBe(true);
  });

  it("refuses when the current password is wrong, and changes nothing", async () => {
    const user = await makeUser();
    const cookie = await sessionCookieFor(user);
    const hashBefore = await passwordHashOf(user.email);

    const result = await postAccount(cookie, {
      intent: "password",
      currentPassword: "not my password",
      newPassword: "a brand new password",
    });

    expect(result.status).toBe(400);
    expect(result.data.errors).toEqual({ currentPassword: "error.wrongPassword" });
    expect(JSON.stringify(result.data)).not.toContain("a brand new password");
    expect(await passwordHashOf(user.email)).toBe(hashBefore);
    expect((await whoIs(cookie))?.id).toBe(user.id);
  });

  it("refuses a new password shorter than 10 characters", async () => {
    const user = await makeUser();
    const result = await postAccount(await sessionCookieFor(user), {
      intent: "password",
      currentPassword: TEST_PASSWORD,
      newPassword: "short",
    });
    expect(result.status).toBe(400);
    expect(result.data.errors).toEqual({ newPassword: "error.passwordTooShort" });
    expect(await verifyLogin(user.email, TEST_PASSWORD)).not.toBeNull();
  });

  it("records the change in the audit log", async () => {
    const user = await makeUser();
    await postAccount(await sessionCookieFor(user), {
      intent: "password",
      currentPassword: TEST_PASSWORD,
      newPassword: "a brand new password",
    });
    const rows = await getDb()
      .selectFrom("audit_log")
      .selectAll()
      .where("action", "=", "user.password_changed")
      .where("subject_id", "=", user.id)
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0].actor_id).toBe(user.id);
    expect(rows[0].data_json).not.toContain('password":');
  });
});

describe("the account page", () => {
  it("shows the signed-in user's profile and organizations", async () => {
    const user = await makeUser({ name: "Dana Levi", locale: "en" });
    const org = await createOrganization({ actor: actorOf(user), name: "Acme Ltd" });
    const page = unwrap(
      await accountLoader({
        request: getRequest("/account", { cookie: await sessionCookieFor(user) }),
        params: {},
        context: testContext(),
      }),
    );
    expect(page.data).toMatchObject({
      name: "Dana Levi",
      email: user.email,
      locale: "en",
      isStaff: false,
    });
    expect(page.data.memberships).toEqual([
      { orgId: org.id, slug: org.slug, name: "Acme Ltd", role: "admin" },
    ]);
  });

  it("saves a new name and language, and remembers the language in a cookie", async () => {
    const user = await makeUser({ name: "Dana" });
    const result = await postAccount(await sessionCookieFor(user), {
      intent: "profile",
      name: "  Dana Levi  ",
      locale: "en",
    });

    expect(result.status).toBe(302);
    expect(await getUserByEmail(user.email)).toMatchObject({ name: "Dana Levi", locale: "en" });
    expect(result.headers.get("Set-Cookie")).toMatch(/(^|,\s*)lang=/);
    const nextRequest = getRequest("/", { cookie: cookieFrom(result.response!) });
    expect(await resolveLocale(nextRequest, null)).toBe("en");
  });

  it("clears the saved language when it is set to automatic", async () => {
    const user = await makeUser({ locale: "en" });
    const result = await postAccount(await sessionCookieFor(user), {
      intent: "profile",
      name: "Dana",
      locale: "",
    });

    expect(result.status).toBe(302);
    expect((await getUserByEmail(user.email))?.locale).toBeNull();
  });

  it("refuses an empty name and keeps the rest of the form", async () => {
    const user = await makeUser({ name: "Dana" });
    const result = await postAccount(await sessionCookieFor(user), {
      intent: "profile",
      name: " ",
      locale: "he",
    });

    expect(result.status).toBe(400);
    expect(result.data).toMatchObject({
      intent: "profile",
      errors: { name: "error.required" },
      values: { locale: "he" },
    });
    expect((await getUserByEmail(user.email))?.name).toBe("Dana");
  });

  it("answers 400 to a form it doesn't know", async () => {
    const user = await makeUser();
    expect(
      (await postAccount(await sessionCookieFor(user), { intent: "delete-everything" })).status,
    ).toBe(400);
  });
});

describe("choosing the interface language", () => {
  async function chooseLanguage(fields: Record<string, string>, cookie?: string) {
    return unwrap(
      await run(() =>
        languageAction({
          request: formRequest("/language", fields, { cookie }),
          params: {},
          context: testContext(),
        }),
      ),
    );
  }

  it("remembers a visitor's choice in a cookie and returns to the same page", async () => {
    const result = await chooseLanguage({ locale: "en", redirectTo: "/roadmap?sort=new" });

    expect(result.status).toBe(302);
    expect(result.headers.get("Location")).toBe("/roadmap?sort=new");
    const next = getRequest("/", {
      cookie: cookieFrom(result.response!),
      headers: { "Accept-Language": "he" },
    });
    expect(await resolveLocale(next, null)).toBe("en");
  });

  it("keeps the account's saved language in step for a user who picked one", async () => {
    const user = await makeUser({ locale: "he" });
    await chooseLanguage({ locale: "en" }, await sessionCookieFor(user));
    expect((await getUserByEmail(user.email))?.locale).toBe("en");
  });

  it("leaves a user on automatic on automatic, following this browser's choice", async () => {
    const user = await makeUser();
    const result = await chooseLanguage({ locale: "en" }, await sessionCookieFor(user));

    expect((await getUserByEmail(user.email))?.locale).toBeNull();
    const next = getRequest("/", {
      cookie: cookieFrom(result.response!),
      headers: { "Accept-Language": "he" },
    });
    expect(await resolveLocale(next, null)).toBe("en");
  });

  it.each(["//evil.com", "https://evil.com", "/.//evil.com"])(
    "does not follow the off-site redirectTo %j",
    async (redirectTo) => {
      const result = await chooseLanguage({ locale: "he", redirectTo });
      expect(result.status).toBe(302);
      expect(result.headers.get("Location")).toBe("/");
    },
  );

  it("refuses a language it doesn't have", async () => {
    const result = await chooseLanguage({ locale: "fr" });
    expect(result.status).toBe(400);
    expect(result.headers.get("Set-Cookie")).toBeNull();
  });
});

describe("which language a page is shown in", () => {
  const langCookieHeader = async (locale: string) =>
    (await langCookie.serialize(locale)).split(";")[0];

  it("follows the user's saved choice over the cookie and the browser", async () => {
    const request = getRequest("/", {
      cookie: await langCookieHeader("he"),
      headers: { "Accept-Language": "he" },
    });
    expect(await resolveLocale(request, "en")).toBe("en");
  });

  it("follows the cookie over the browser when the user has no saved choice", async () => {
    const request = getRequest("/", {
      cookie: await langCookieHeader("en"),
      headers: { "Accept-Language": "he-IL" },
    });
    expect(await resolveLocale(request, null)).toBe("en");
  });

  it("follows the browser's Accept-Language when there is no cookie", async () => {
    expect(
      await resolveLocale(
        getRequest("/", { headers: { "Accept-Language": "en-GB,en;q=0.8" } }),
        null,
      ),
    ).toBe("en");
  });

  it("is Hebrew when nothing else says otherwise", async () => {
    expect(await resolveLocale(getRequest("/"), null)).toBe("he");
    expect(
      await resolveLocale(getRequest("/", { headers: { "Accept-Language": "fr-FR" } }), undefined),
    ).toBe("he");
  });

  it("ignores a saved value or cookie naming a language we don't have", async () => {
    const request = getRequest("/", {
      cookie: await langCookieHeader("fr"),
      headers: { "Accept-Language": "en" },
    });
    expect(await resolveLocale(request, "fr")).toBe("en");
    expect(
      await resolveLocale(
        getRequest("/", { cookie: "lang=garbage%%", headers: { "Accept-Language": "en" } }),
        null,
      ),
    ).toBe("en");
  });
});
