// Server-side sessions: what the cookie carries, expiry, the account page's list of sessions and
// its sign-outs, the events that end sessions, housekeeping, and two app processes sharing them.
import { describe, expect, it, vi } from "vitest";
import { getSessionUser, takeToast } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { removeMember } from "~/models/orgs.server";
import { SESSION_TOUCH_INTERVAL_MS } from "~/models/sessions.server";
import { hitRateLimit } from "~/models/rate-limits.server";
import { action as accountAction, loader as accountLoader } from "~/routes/account";
import { action as languageAction } from "~/routes/language";
import { action as signOutAction } from "~/routes/signout";
import { runInRequestScope } from "~/request-scope.server";
import { runHousekeeping } from "~/services/worker.server";
import {
  actorOf,
  addMember,
  insertOrg,
  makeOrg,
  makeUser,
  TEST_PASSWORD,
} from "../support/factories";
import {
  cookieFrom,
  formRequest,
  getRequest,
  run,
  sessionCookieFor,
  testContext,
  unwrap,
} from "../support/requests";

const FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
const SAFARI_IPHONE =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";

const whoIs = (cookie: string) => getSessionUser(getRequest("/", { cookie }));

async function postAccount(cookie: string, fields: Record<string, string>) {
  const request = formRequest("/account", fields, { cookie });
  return unwrap(await run(() => accountAction({ request, params: {}, context: testContext() })));
}

async function sessionsPage(cookie: string) {
  const page = unwrap(
    await accountLoader({
      request: getRequest("/account", { cookie }),
      params: {},
      context: testContext(),
    }),
  );
  return page.data.sessions as {
    id: string;
    device: { browser: string | null; os: string | null };
    ip: string | null;
    isCurrent: boolean;
  }[];
}

async function toastOf(response: Response) {
  return (await takeToast(getRequest("/", { cookie: cookieFrom(response) }))).toast;
}

async function sessionRowsOf(userId: number) {
  return getDb().selectFrom("sessions").selectAll().where("user_id", "=", userId).execute();
}

/** The value inside the signed cookie, as Remix encodes it (base64 of JSON). */
function cookiePayload(cookie: string): unknown {
  const value = decodeURIComponent(cookie.split("=")[1].split(";")[0]);
  const payload = value.slice(0, value.lastIndexOf("."));
  return JSON.parse(Buffer.from(payload, "base64").toString("utf8"));
}

describe("the session cookie", () => {
  it("carries only a long random token, and the database keeps only its hash", async () => {
    const user = await makeUser();
    const cookie = await sessionCookieFor(user);

    const token = cookiePayload(cookie);
    expect(typeof token).toBe("string");
    expect(Buffer.from(token as string, "base64url").length).toBeGreaterThanOrEqual(32);
    const [row] = await sessionRowsOf(user.id);
    expect(row.id).toMatch(/^[0-9a-f]{64}$/);
    expect(row.id).not.toContain(token as string);
    expect(JSON.stringify(row)).not.toContain(token as string);
  });

  it("stops working when its session expires", async () => {
    const user = await makeUser();
    const cookie = await sessionCookieFor(user);
    expect((await whoIs(cookie))?.id).toBe(user.id);

    await getDb()
      .updateTable("sessions")
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where("user_id", "=", user.id)
      .execute();
    expect(await whoIs(cookie)).toBeNull();
  });

  it("notes the last activity at most every few minutes, not on every request", async () => {
    const user = await makeUser();
    const cookie = await sessionCookieFor(user);
    const setLastSeen = (msAgo: number) =>
      getDb()
        .updateTable("sessions")
        .set({ last_seen_at: new Date(Date.now() - msAgo).toISOString() })
        .where("user_id", "=", user.id)
        .execute();
    const lastSeen = async () => (await sessionRowsOf(user.id))[0].last_seen_at;

    await setLastSeen(60_000);
    const recent = await lastSeen();
    await whoIs(cookie);
    expect(await lastSeen()).toBe(recent);

    await setLastSeen(SESSION_TOUCH_INTERVAL_MS + 60_000);
    const stale = await lastSeen();
    await whoIs(cookie);
    expect(new Date(await lastSeen()).getTime()).toBeGreaterThan(new Date(stale).getTime());
    expect(Date.now() - new Date(await lastSeen()).getTime()).toBeLessThan(10_000);
  });

  it("stores nothing for a visitor who is not signed in, even with a message to show", async () => {
    const before = await getDb()
      .selectFrom("sessions")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    const result = unwrap(
      await run(() =>
        languageAction({
          request: formRequest("/language", { locale: "en" }),
          params: {},
          context: testContext(),
        }),
      ),
    );

    expect(await toastOf(result.response!)).toEqual({ key: "toast.languageChanged" });
    expect(result.headers.get("Set-Cookie")).not.toMatch(/__session=/);
    const after = await getDb()
      .selectFrom("sessions")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });
});

describe("one HTTP request's loaders", () => {
  // app/server.js runs each HTTP request in runInRequestScope; Remix hands each loader a
  // Request object of its own, so these are separate objects with the same cookie.
  it("share one read of who is signed in on a GET, and no other request shares it", async () => {
    const cookie = await sessionCookieFor(await makeUser());
    const [first, second] = runInRequestScope(() => [
      getSessionUser(getRequest("/", { cookie })),
      getSessionUser(getRequest("/requests/1", { cookie })),
    ]);
    expect(second).toBe(first);
    expect((await first)?.email).toBeTruthy();
    // Read with its session in one join, the user still comes without the password's hash.
    expect(await first).not.toHaveProperty("password_hash");
    const other = runInRequestScope(() => getSessionUser(getRequest("/", { cookie })));
    expect(other).not.toBe(first);
    // Outside any scope (a loader called directly) every call reads.
    expect(whoIs(cookie)).not.toBe(whoIs(cookie));
  });

  it("read afresh on a POST, whose action may sign out before the loaders run", async () => {
    const user = await makeUser();
    const cookie = await sessionCookieFor(user);
    await runInRequestScope(async () => {
      expect(await getSessionUser(formRequest("/signout", {}, { cookie }))).not.toBeNull();
      await run(() =>
        signOutAction({
          request: formRequest("/signout", {}, { cookie }),
          params: {},
          context: testContext(),
        }),
      );
      expect(await getSessionUser(formRequest("/", {}, { cookie }))).toBeNull();
    });
  });
});

describe("the account page's active sessions", () => {
  it("lists each signed-in browser with its device and address, marking this one", async () => {
    const user = await makeUser();
    const laptop = await sessionCookieFor(user, { ip: "198.51.100.20", userAgent: FIREFOX_LINUX });
    await sessionCookieFor(user, { ip: "2001:db8::7", userAgent: SAFARI_IPHONE });
    await sessionCookieFor(await makeUser());

    const sessions = await sessionsPage(laptop);

    expect(sessions).toHaveLength(2);
    expect(sessions).toContainEqual(
      expect.objectContaining({
        device: { browser: "Firefox", os: "Linux" },
        ip: "198.51.100.20",
        isCurrent: true,
      }),
    );
    expect(sessions).toContainEqual(
      expect.objectContaining({
        device: { browser: "Safari", os: "iOS" },
        ip: "2001:db8::7",
        isCurrent: false,
      }),
    );
  });

  it("signs out one other session, leaving this one and the rest signed in", async () => {
    const user = await makeUser();
    const laptop = await sessionCookieFor(user);
    const phone = await sessionCookieFor(user, { userAgent: SAFARI_IPHONE });
    const tablet = await sessionCookieFor(user);
    const phoneSession = (await sessionsPage(laptop)).find((s) => s.device.os === "iOS")!;

    const result = await postAccount(laptop, { intent: "endSession", sessionId: phoneSession.id });

    expect(result.status).toBe(302);
    expect(result.headers.get("Location")).toBe("/account");
    expect(await toastOf(result.response!)).toEqual({ key: "toast.sessionEnded" });
    expect(await whoIs(phone)).toBeNull();
    expect((await whoIs(laptop))?.id).toBe(user.id);
    expect((await whoIs(tablet))?.id).toBe(user.id);
  });

  it("signs out of all other sessions at once, but not this one", async () => {
    const user = await makeUser();
    const laptop = await sessionCookieFor(user);
    const others = [await sessionCookieFor(user), await sessionCookieFor(user)];
    const stranger = await sessionCookieFor(await makeUser());

    const result = await postAccount(laptop, { intent: "endOtherSessions" });

    expect(result.status).toBe(302);
    expect(await toastOf(result.response!)).toEqual({ key: "toast.otherSessionsEnded" });
    for (const cookie of others) expect(await whoIs(cookie)).toBeNull();
    expect((await whoIs(laptop))?.id).toBe(user.id);
    expect(await whoIs(stranger)).not.toBeNull();
    expect(await sessionsPage(laptop)).toHaveLength(1);
  });

  it("cannot end someone else's session, even knowing its id", async () => {
    const attacker = await makeUser();
    const victim = await makeUser();
    const victimCookie = await sessionCookieFor(victim);
    const [victimSession] = await sessionsPage(victimCookie);

    const result = await postAccount(await sessionCookieFor(attacker), {
      intent: "endSession",
      sessionId: victimSession.id,
    });

    expect(await toastOf(result.response!)).toEqual({
      key: "account.sessions.error.notFound",
      tone: "error",
    });
    expect((await whoIs(victimCookie))?.id).toBe(victim.id);
  });

  it("refuses a session id that is not one", async () => {
    const user = await makeUser();
    const result = await postAccount(await sessionCookieFor(user), {
      intent: "endSession",
      sessionId: "' or 1=1 --",
    });
    expect(result.status).toBe(400);
  });
});

describe("what ends sessions", () => {
  it("signing out deletes the session row", async () => {
    const user = await makeUser();
    const cookie = await sessionCookieFor(user);
    await run(() =>
      signOutAction({
        request: formRequest("/signout", {}, { cookie }),
        params: {},
        context: testContext(),
      }),
    );
    expect(await sessionRowsOf(user.id)).toHaveLength(0);
    expect(await whoIs(cookie)).toBeNull();
  });

  it("a password change ends the user's other sessions, and no one else's", async () => {
    const user = await makeUser();
    const here = await sessionCookieFor(user);
    const elsewhere = await sessionCookieFor(user);
    const someoneElse = await sessionCookieFor(await makeUser());

    const result = await postAccount(here, {
      intent: "password",
      currentPassword: TEST_PASSWORD,
      newPassword: "a brand new password",
    });

    expect(result.status).toBe(302);
    expect((await whoIs(here))?.id).toBe(user.id);
    expect(await whoIs(elsewhere)).toBeNull();
    expect(await whoIs(someoneElse)).not.toBeNull();
  });

  it("an admin removing a member signs the member out everywhere", async () => {
    const { org, admin, members } = await makeOrg("Removal Ltd", ["member"]);
    const [member] = members;
    const memberCookies = [await sessionCookieFor(member), await sessionCookieFor(member)];
    const adminCookie = await sessionCookieFor(admin);

    await removeMember({ actor: actorOf(admin), orgId: org.id, userId: member.id });

    for (const cookie of memberCookies) expect(await whoIs(cookie)).toBeNull();
    expect((await whoIs(adminCookie))?.id).toBe(admin.id);
  });

  it("knows the user's organizations, by name, with their roles, in the same read as the user", async () => {
    const user = await makeUser({ name: "Member of three" });
    const [gamma, alpha, beta] = [
      await insertOrg("Gamma Ltd"),
      await insertOrg("Alpha Ltd"),
      await insertOrg("Beta Ltd"),
    ];
    await addMember(gamma.id, user.id);
    await addMember(alpha.id, user.id, "admin");
    await addMember(beta.id, user.id);
    const loner = await makeUser({ name: "Member of none" });

    const signedIn = await whoIs(await sessionCookieFor(user));
    expect(signedIn?.memberships).toEqual([
      { orgId: alpha.id, slug: alpha.slug, name: "Alpha Ltd", role: "admin" },
      { orgId: beta.id, slug: beta.slug, name: "Beta Ltd", role: "member" },
      { orgId: gamma.id, slug: gamma.slug, name: "Gamma Ltd", role: "member" },
    ]);
    // With no organization chosen yet, the first one is the one they act for.
    expect(signedIn?.currentOrg?.orgId).toBe(alpha.id);
    const alone = await whoIs(await sessionCookieFor(loner));
    expect(alone?.id).toBe(loner.id);
    expect(alone?.memberships).toEqual([]);
    expect(alone?.currentOrg).toBeNull();
  });

  it("a member who leaves stays signed in", async () => {
    const { org, members } = await makeOrg("Leaving Ltd", ["member"]);
    const [member] = members;
    const cookie = await sessionCookieFor(member);

    await removeMember({ actor: actorOf(member), orgId: org.id, userId: member.id });

    expect((await whoIs(cookie))?.id).toBe(member.id);
  });
});

describe("housekeeping", () => {
  it("deletes expired sessions and rate-limit windows and keeps live ones", async () => {
    const user = await makeUser();
    const live = await sessionCookieFor(user);
    await sessionCookieFor(user);
    const [, expiredSession] = await sessionRowsOf(user.id);
    await getDb()
      .updateTable("sessions")
      .set({ expires_at: new Date(Date.now() - 60_000).toISOString() })
      .where("id", "=", expiredSession.id)
      .execute();
    await hitRateLimit("test:live", { limit: 5, windowMs: 60_000 });
    await getDb()
      .insertInto("rate_limits")
      .values({ key: "test:expired", count: 3, reset_at: new Date(Date.now() - 1).toISOString() })
      .execute();

    const pruned = await runHousekeeping();

    expect(pruned.sessions).toBeGreaterThanOrEqual(1);
    expect(pruned.rateLimits).toBeGreaterThanOrEqual(1);
    const keys = (await getDb().selectFrom("rate_limits").select("key").execute()).map(
      (row) => row.key,
    );
    expect(keys).toContain("test:live");
    expect(keys).not.toContain("test:expired");
    const ids = (await sessionRowsOf(user.id)).map((row) => row.id);
    expect(ids).not.toContain(expiredSession.id);
    expect(ids).toHaveLength(1);
    expect((await whoIs(live))?.id).toBe(user.id);
  });
});

describe("several app processes", () => {
  it("share sessions through the database: a sign-out in one ends the session in the other", async () => {
    const user = await makeUser();
    const cookie = await sessionCookieFor(user);
    // A second copy of the app's modules: its own Kysely instance and connection to the file,
    // as a second process would have.
    vi.resetModules();
    const other = await import("~/auth/session.server");
    const otherDb = (await import("~/db.server")).getDb();
    expect(otherDb).not.toBe(getDb());

    expect((await other.getSessionUser(getRequest("/", { cookie })))?.id).toBe(user.id);
    await other.endUserSession(formRequest("/signout", {}, { cookie }));

    expect(await whoIs(cookie)).toBeNull();
    await otherDb.destroy();
  });
});
