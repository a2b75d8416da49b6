// Issue 13's e-mail acceptance, against a real SMTP server in this process (tests/support/smtp.ts):
// what it receives (recipients, language, both parts, List-Unsubscribe headers), one-click
// unsubscribe through the header's link, nothing for users who opted out (also after
// enqueueing), a burst of status updates as one e-mail, a retry after a refused delivery, an
// announcement's fan-out to followers and news readers, and exactly-once delivery across a
// worker process killed in the middle of a batch.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { createAnnouncement, publishAnnouncement } from "~/models/announcements.server";
import { addComment } from "~/models/comments.server";
import type { Actor } from "~/models/errors";
import { followRequest } from "~/models/follows.server";
import { getPreferences, savePreferences } from "~/models/notification-prefs.server";
import { changeStatus, decideRequest } from "~/models/triage.server";
import { action as unsubscribeAction } from "~/routes/unsubscribe.$token";
import { fanOutAnnouncements } from "~/services/announcement-mail.server";
import { enqueueEmail } from "~/services/outbox.server";
import { deliverDueMessages } from "~/services/worker.server";
import { insertUser, makeCustomer, makeStaff, proposeRequest } from "../support/factories";
import { deliverAllDue } from "../support/mail";
import { testContext, unwrap } from "../support/requests";
import { startSmtpServer, useSmtp, type TestSmtp } from "../support/smtp";

let smtp: TestSmtp;
let staff: Actor;

beforeAll(async () => {
  smtp = await startSmtpServer();
  useSmtp(smtp.url);
});

afterAll(async () => {
  useSmtp(undefined);
  await smtp.close();
});

beforeEach(async () => {
  smtp.setOnMessage(undefined);
  smtp.received.length = 0;
  // Each test sees only its own rows: earlier tests' leftovers are settled.
  await getDb()
    .updateTable("outbox")
    .set({ failed_at: new Date().toISOString(), last_error: "earlier test" })
    .where("sent_at", "is", null)
    .where("failed_at", "is", null)
    .execute();
  staff = await makeStaff("Noa Staff");
});

const to = (email: string) => smtp.received.filter((m) => m.envelopeTo.includes(email));

/** A request proposed by a customer, followed by `followers`. */
async function requestFollowedBy(...followers: Actor[]) {
  const author = await makeCustomer({ name: "Author" });
  const title = `Dark mode ${Math.random().toString(36).slice(2, 8)}`;
  const { id } = await proposeRequest(author, { title });
  for (const follower of followers) await followRequest({ requestId: id, actor: follower });
  return { request: { id, title }, author };
}

async function rowsFor(email: string) {
  return getDb()
    .selectFrom("outbox")
    .selectAll()
    .where("recipient", "=", email)
    .orderBy("id")
    .execute();
}

describe("status updates to followers", () => {
  it("reach each follower in their language, with both parts and one-click unsubscribe headers", async () => {
    const hebrew = await insertUser({ name: "דנה", locale: "he" });
    const english = await insertUser({ name: "Dana", locale: "en" });
    const { request } = await requestFollowedBy(hebrew, english);

    await decideRequest({
      actor: staff,
      requestId: request.id,
      decision: { kind: "broad", targetQuarter: "2027-Q1", note: "For everyone." },
    });
    await deliverAllDue();

    const [he] = to(hebrew.email);
    const [en] = to(english.email);
    expect(to(hebrew.email)).toHaveLength(1);
    expect(to(english.email)).toHaveLength(1);
    expect(he.subject).toMatch(/[\u0590-\u05FF]/);
    expect(he.html).toContain('lang="he" dir="rtl"');
    expect(he.text).toContain("דנה");
    expect(en.subject).not.toMatch(/[\u0590-\u05FF]/);
    expect(en.html).toContain('lang="en" dir="ltr"');
    expect(en.text).toContain("Hello Dana");
    for (const mail of [he, en]) {
      expect(mail.text).toContain("For everyone.");
      expect(mail.html).toContain("For everyone.");
      expect(mail.headers["list-unsubscribe"]).toMatch(
        /^<http:\/\/broadly\.test\/unsubscribe\/[0-9]+\.status\.[A-Za-z0-9_-]{43}>$/,
      );
      expect(mail.headers["list-unsubscribe-post"]).toBe("List-Unsubscribe=One-Click");
      // The footer says why, and links the same unsubscribe page.
      const link = mail.headers["list-unsubscribe"].slice(1, -1);
      expect(mail.text).toContain(link);
      expect(mail.html).toContain(link);
    }
    expect(en.text).toContain("because you follow this request");
    // The staff member acting hears nothing of their own decision.
    expect(to(staff.email)).toHaveLength(0);
  });

  it("groups a burst of three decisions into one e-mail listing each change", async () => {
    const follower = await insertUser({ name: "Dana", locale: "en" });
    const requests = [];
    for (let i = 0; i < 3; i++) requests.push((await requestFollowedBy(follower)).request);

    await decideRequest({
      actor: staff,
      requestId: requests[0].id,
      decision: { kind: "broad", targetQuarter: null, note: "First note" },
    });
    await decideRequest({
      actor: staff,
      requestId: requests[1].id,
      decision: { kind: "declined", reason: "Second note" },
    });
    await decideRequest({
      actor: staff,
      requestId: requests[2].id,
      decision: { kind: "sponsored", note: "Third note" },
    });
    const rows = await rowsFor(follower.email);
    expect(rows).toHaveLength(3);
    expect(new Set(rows.map((r) => r.group_key))).toEqual(new Set([`updates:${follower.id}`]));

    await deliverAllDue();

    const mails = to(follower.email);
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toBe("3 updates on requests you follow");
    for (const [i, request] of requests.entries()) {
      expect(mails[0].text).toContain(request.title);
      expect(mails[0].text).toContain(["First note", "Second note", "Third note"][i]);
      expect(mails[0].text).toContain(`http://broadly.test/requests/${request.id}`);
    }
    // The group's Message-ID is its first row's, and every row is settled as sent.
    expect(mails[0].headers["message-id"]).toBe(`<outbox-${rows[0].id}@broadly.test>`);
    const after = await rowsFor(follower.email);
    expect(after.every((r) => r.sent_at !== null && r.lease_id !== null)).toBe(true);
  });

  it("sends a group once when two workers claim it at the same moment", async () => {
    const follower = await insertUser({ name: "Dana", locale: "en" });
    for (let i = 0; i < 3; i++) {
      const { request } = await requestFollowedBy(follower);
      await decideRequest({
        actor: staff,
        requestId: request.id,
        decision: { kind: "declined", reason: `Reason ${i}` },
      });
    }
    const results = await Promise.all([deliverDueMessages(), deliverDueMessages()]);
    expect(results.reduce((sum, r) => sum + r.sent, 0)).toBeGreaterThanOrEqual(1);
    await deliverAllDue();
    const mails = to(follower.email);
    // However the claims interleaved, each update reached the follower exactly once.
    const mentions = [0, 1, 2].map(
      (i) => mails.filter((m) => m.text.includes(`Reason ${i}`)).length,
    );
    expect(mentions).toEqual([1, 1, 1]);
    const rows = await rowsFor(follower.email);
    expect(rows.every((r) => r.sent_at !== null)).toBe(true);
  });

  it("waits NOTIFY_GROUP_MS before a status update is due, so the burst can gather", async () => {
    const follower = await insertUser({ name: "Dana", locale: "en" });
    const { request } = await requestFollowedBy(follower);
    process.env.NOTIFY_GROUP_MS = "60000";
    const { resetEnv } = await import("~/env.server");
    resetEnv();
    try {
      await decideRequest({
        actor: staff,
        requestId: request.id,
        decision: { kind: "declined", reason: "Not now" },
      });
    } finally {
      process.env.NOTIFY_GROUP_MS = "0";
      resetEnv();
      useSmtp(smtp.url);
    }
    expect(await deliverDueMessages()).toEqual({ sent: 0, failed: 0 });
    const [row] = await rowsFor(follower.email);
    expect(Date.parse(row.next_attempt_at) - Date.parse(row.created_at)).toBe(60000);
  });

  it("tells followers of an official answer, but not its author", async () => {
    const follower = await insertUser({ name: "Dana", locale: "en" });
    const { request } = await requestFollowedBy(follower, staff);
    await addComment({
      requestId: request.id,
      actor: staff,
      bodyMd: "We will **build** this.",
      kind: "official",
    });
    await addComment({
      requestId: request.id,
      actor: staff,
      bodyMd: "Internal.",
      kind: "internal",
    });
    await deliverAllDue();
    const mails = to(follower.email);
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toBe(`An official answer on “${request.title}”`);
    expect(mails[0].text).toContain("We will **build** this.");
    expect(mails[0].text).not.toContain("Internal.");
    expect(to(staff.email)).toHaveLength(0);
  });
});

describe("preferences", () => {
  it("sends nothing to a follower who turned status updates off, even after enqueueing", async () => {
    const follower = await insertUser({ name: "Dana", locale: "en" });
    const other = await insertUser({ name: "Omer", locale: "en" });
    const { request } = await requestFollowedBy(follower, other);
    await decideRequest({
      actor: staff,
      requestId: request.id,
      decision: { kind: "declined", reason: "Not now" },
    });
    // The row is already in the outbox; the opt-out comes after.
    expect(await rowsFor(follower.email)).toHaveLength(1);
    await savePreferences({
      actor: follower,
      prefs: { status: false, news: false, digest: false },
    });

    await deliverAllDue();

    expect(to(follower.email)).toHaveLength(0);
    expect(to(other.email)).toHaveLength(1);
    const [row] = await rowsFor(follower.email);
    expect(row.sent_at).toBeNull();
    expect(row.cancelled_at).not.toBeNull();
    expect(row.failed_at).not.toBeNull();
    expect(row.last_error).toMatch(/turned off status/);
  });

  it("cancels a message whose recipient's account is gone", async () => {
    const follower = await insertUser({ name: "Dana", locale: "en" });
    const { request } = await requestFollowedBy(follower);
    await decideRequest({
      actor: staff,
      requestId: request.id,
      decision: { kind: "declined", reason: "Not now" },
    });
    await getDb().deleteFrom("follows").where("user_id", "=", follower.id).execute();
    await getDb().deleteFrom("votes").where("user_id", "=", follower.id).execute();
    await getDb()
      .updateTable("outbox")
      .set({ user_id: 999_999 })
      .where("recipient", "=", follower.email)
      .execute();
    await deliverAllDue();
    expect(to(follower.email)).toHaveLength(0);
    const [row] = await rowsFor(follower.email);
    expect(row.last_error).toMatch(/account is gone/);
  });

  it("one-click unsubscribe through the List-Unsubscribe link stops the next e-mail", async () => {
    const follower = await insertUser({ name: "Dana", locale: "en" });
    const { request } = await requestFollowedBy(follower);
    await decideRequest({
      actor: staff,
      requestId: request.id,
      decision: { kind: "broad", targetQuarter: null, note: null },
    });
    await deliverAllDue();
    const [first] = to(follower.email);
    const link = first.headers["list-unsubscribe"].slice(1, -1);
    const token = link.split("/unsubscribe/")[1];

    // What a mail client sends (RFC 8058): a POST of exactly this body, no cookies, no Origin.
    const response = unwrap(
      await unsubscribeAction({
        request: new Request(link, {
          method: "POST",
          body: "List-Unsubscribe=One-Click",
          headers: { "Content-Type": "application/x-www-form-urlencoded" },
        }),
        params: { token },
        context: testContext(),
      }),
    );
    expect(response.status).toBe(200);
    expect(response.data).toEqual({ state: "unsubscribed" });
    expect((await getPreferences({ actor: follower })).status).toBe(false);
    const audit = await getDb()
      .selectFrom("audit_log")
      .select(["action", "data_json"])
      .where("subject_type", "=", "user")
      .where("subject_id", "=", follower.id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(["user.unsubscribed"]);

    await changeStatus({ actor: staff, requestId: request.id, to: "in_progress" });
    await deliverAllDue();
    expect(to(follower.email)).toHaveLength(1);
  });

  it("refuses a forged or altered unsubscribe token", async () => {
    const follower = await insertUser({ name: "Dana", locale: "en" });
    const { unsubscribeToken } = await import("~/models/unsubscribe.server");
    const good = unsubscribeToken(follower.id, "status");
    const forged = `${follower.id + 1}.status.${good.split(".")[2]}`;
    const response = unwrap(
      await unsubscribeAction({
        request: new Request(`http://broadly.test/unsubscribe/${forged}`, {
          method: "POST",
          body: "List-Unsubscribe=One-Click",
          headers: { "Content-Type": "application/x-www-form-urlencoded" },
        }),
        params: { token: forged },
        context: testContext(),
      }),
    );
    expect(response.status).toBe(404);
    expect((await getPreferences({ actor: follower })).status).toBe(true);
  });
});

describe("delivery", () => {
  it("retries a delivery the server refused, and delivers it once", async () => {
    const email = "retry@example.test";
    let refused = 0;
    smtp.setOnMessage((raw) => {
      if (raw.includes("retry@example.test") && refused === 0) {
        refused++;
        return Object.assign(new Error("Mailbox busy, try later"), { responseCode: 451 });
      }
      return undefined;
    });
    await enqueueEmail(getDb(), email, {
      template: "password_reset",
      locale: "en",
      name: "Retry",
      url: "http://broadly.test/reset-password/abc",
    });
    expect(await deliverDueMessages()).toEqual({ sent: 0, failed: 1 });
    const [failedRow] = await rowsFor(email);
    expect(failedRow.attempts).toBe(1);
    expect(failedRow.last_error).toMatch(/Mailbox busy/);
    expect(failedRow.failed_at).toBeNull();

    await getDb()
      .updateTable("outbox")
      .set({ next_attempt_at: new Date(Date.now() - 1000).toISOString() })
      .where("id", "=", failedRow.id)
      .execute();
    await deliverAllDue();
    await deliverAllDue();

    expect(to(email)).toHaveLength(1);
    const [row] = await rowsFor(email);
    expect(row).toMatchObject({ attempts: 2, last_error: null });
    expect(row.sent_at).not.toBeNull();
    // Transactional: no topic, so no unsubscribe header.
    expect(to(email)[0].headers["list-unsubscribe"]).toBeUndefined();
  });
});

describe("announcements", () => {
  it("reach the covered request's followers and opted-in news readers, nobody who opted out", async () => {
    const follower = await insertUser({ name: "Dana", locale: "en" });
    const optedOutFollower = await insertUser({ name: "Yael", locale: "he" });
    const newsReader = await insertUser({ name: "נועה", locale: "he" });
    const bystander = await insertUser({ name: "Bystander", locale: "en" });
    const { request, author } = await requestFollowedBy(follower, optedOutFollower);
    await savePreferences({
      actor: newsReader,
      prefs: { status: true, news: true, digest: false },
    });
    await savePreferences({
      actor: optedOutFollower,
      prefs: { status: false, news: false, digest: false },
    });
    await decideRequest({
      actor: staff,
      requestId: request.id,
      decision: { kind: "broad", targetQuarter: null, note: null },
    });
    await changeStatus({ actor: staff, requestId: request.id, to: "in_progress" });
    await changeStatus({ actor: staff, requestId: request.id, to: "shipped" });
    await deliverAllDue();
    smtp.received.length = 0;

    const { id } = await createAnnouncement({
      actor: staff,
      input: {
        titleHe: "מצב כהה הגיע",
        bodyHe: "עכשיו **לכולם**.",
        titleEn: "Dark mode is here",
        bodyEn: "Now for **everyone**. <script>x</script>",
        requestIds: [request.id],
      },
    });
    await publishAnnouncement({ actor: staff, id });

    // Small ranges, to walk the users in several transactions as a million would.
    let rounds = 0;
    for (;;) {
      await fanOutAnnouncements({ rangeSize: 3, maxRanges: 1 });
      rounds++;
      const row = await getDb()
        .selectFrom("announcements")
        .select(["mailed_at", "mail_cursor"])
        .where("id", "=", id)
        .executeTakeFirstOrThrow();
      if (row.mailed_at) break;
      expect(rounds).toBeLessThan(10_000);
    }
    expect(rounds).toBeGreaterThan(1);
    // Done: nothing more is enqueued.
    expect(await fanOutAnnouncements()).toEqual({ enqueued: 0 });
    await deliverAllDue();

    const [toFollower] = to(follower.email);
    expect(to(follower.email)).toHaveLength(1);
    expect(toFollower.subject).toBe("New in Broadly: Dark mode is here");
    expect(toFollower.html).toContain("<strong>everyone</strong>");
    expect(toFollower.html).not.toContain("<script>");
    expect(toFollower.text).toContain(`http://broadly.test/announcements/${id}`);
    expect(toFollower.text).toContain(`http://broadly.test/requests/${request.id}`);
    expect(toFollower.text).toContain("follow a request this announcement covers");
    expect(toFollower.headers["list-unsubscribe"]).toMatch(/\.status\./);

    const [toNews] = to(newsReader.email);
    expect(to(newsReader.email)).toHaveLength(1);
    expect(toNews.subject).toBe("חדש ב-Broadly: מצב כהה הגיע");
    expect(toNews.headers["list-unsubscribe"]).toMatch(/\.news\./);
    // The author follows (and voted): they are told too.
    expect(to(author.email)).toHaveLength(1);
    expect(to(optedOutFollower.email)).toHaveLength(0);
    expect(to(bystander.email)).toHaveLength(0);
  });
});

describe("the weekly digest", () => {
  it("lists what changed on followed requests since the last one; nothing changed, no e-mail", async () => {
    const reader = await insertUser({ name: "Dana", locale: "en" });
    const quiet = await insertUser({ name: "Quiet", locale: "en" });
    const { request } = await requestFollowedBy(reader);
    const { request: unchanged } = await requestFollowedBy(quiet);
    await savePreferences({ actor: reader, prefs: { status: false, news: false, digest: true } });
    await savePreferences({ actor: quiet, prefs: { status: false, news: false, digest: true } });
    const weekAgo = new Date(Date.now() - 8 * 86_400_000).toISOString();
    await getDb()
      .updateTable("users")
      .set({ digest_sent_at: weekAgo })
      .where("id", "in", [reader.id, quiet.id])
      .execute();
    await decideRequest({
      actor: staff,
      requestId: request.id,
      decision: { kind: "declined", reason: "Not this year" },
    });
    await addComment({ requestId: request.id, actor: staff, bodyMd: "Sorry!", kind: "official" });
    // Nothing happened to the quiet one's request since long before their last digest.
    await getDb()
      .updateTable("status_events")
      .set({ created_at: new Date(Date.now() - 30 * 86_400_000).toISOString() })
      .where("request_id", "=", unchanged.id)
      .execute();
    // Nor was anything announced (this file's announcement test published one: a month ago).
    await getDb()
      .updateTable("announcements")
      .set({ published_at: new Date(Date.now() - 30 * 86_400_000).toISOString() })
      .execute();

    const { enqueueDigests } = await import("~/services/digest.server");
    const result = await enqueueDigests();
    expect(result.users).toBeGreaterThanOrEqual(2);
    await deliverAllDue();

    const digests = to(reader.email).filter((m) => m.subject === "Your weekly Broadly digest");
    expect(digests).toHaveLength(1);
    expect(digests[0].text).toContain(request.title);
    expect(digests[0].text).toContain("Declined");
    expect(digests[0].text).toContain("Not this year");
    expect(digests[0].text).toContain("Sorry!");
    expect(digests[0].headers["list-unsubscribe"]).toMatch(/\.digest\./);
    // Status updates are off for both: only the digest reaches them.
    expect(to(reader.email)).toHaveLength(1);
    expect(to(quiet.email)).toHaveLength(0);
    const moved = await getDb()
      .selectFrom("users")
      .select("digest_sent_at")
      .where("id", "in", [reader.id, quiet.id])
      .execute();
    expect(moved.every((u) => u.digest_sent_at! > weekAgo)).toBe(true);
    // Not due again for a week.
    expect((await enqueueDigests()).users).toBe(0);
  });
});

describe("a worker process killed in the middle of a batch", () => {
  const root = path.resolve(import.meta.dirname, "../..");
  const children: ChildProcess[] = [];

  function startWorker(): ChildProcess {
    const child = spawn(process.execPath, ["--import", "tsx", "app/cli/worker.ts"], {
      cwd: root,
      env: {
        ...process.env,
        NODE_ENV: "test",
        DATABASE_URL: process.env.DATABASE_URL,
        SMTP_URL: smtp.url,
        OUTBOX_LEASE_MS: "1500",
        OUTBOX_POLL_MS: "100",
        NOTIFY_GROUP_MS: "0",
        SESSION_SECRET: "worker-test-secret-0123456789",
        BASE_URL: "http://broadly.test",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(child);
    return child;
  }

  afterAll(() => {
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  });

  it("delivers every message exactly once after a restart", async () => {
    const recipients = Array.from({ length: 8 }, (_, i) => `exactly-once-${i}@example.test`);
    for (const [i, recipient] of recipients.entries()) {
      await enqueueEmail(getDb(), recipient, {
        template: "password_reset",
        locale: i % 2 ? "en" : "he",
        name: `Person ${i}`,
        url: `http://broadly.test/reset-password/token-${i}`,
      });
    }
    let worker = startWorker();
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      worker.once("exit", (_code, signal) => resolve(signal)),
    );
    // The third message's DATA arrives: the worker dies before the server answers it, so that
    // message was not accepted, and the two before it were.
    let killed = false;
    smtp.setOnMessage((_raw, _session, index) => {
      if (!killed && smtp.received.length === 2 && index >= 2) {
        killed = true;
        worker.kill("SIGKILL");
        return "hold";
      }
      return undefined;
    });
    expect(await exited).toBe("SIGKILL");
    expect(smtp.received).toHaveLength(2);

    worker = startWorker();
    const deadline = Date.now() + 30_000;
    while (smtp.received.length < recipients.length && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // A while longer, past a lease: a duplicate would show up now.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    worker.kill("SIGTERM");

    const accepted = smtp.received.flatMap((m) => m.envelopeTo);
    expect(accepted.sort()).toEqual([...recipients].sort());
    const rows = await getDb()
      .selectFrom("outbox")
      .select(["recipient", "sent_at", "attempts"])
      .where("recipient", "in", recipients)
      .execute();
    expect(rows.every((r) => r.sent_at !== null)).toBe(true);
  }, 60_000);
});
