// The outbox: e-mail is written in the transaction that causes it and delivered later by the
// worker, once, with retries and backoff when delivery fails.
import fs from "node:fs";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import type { Kysely } from "kysely";
import { openDatabase } from "../../db/engine.js";
import { getDb, type Database as Schema } from "~/db.server";
import { ActionRefused } from "~/models/errors";
import { inviteMember } from "~/models/orgs.server";
import type { EmailPayload } from "~/services/emails.server";
import { enqueueEmail } from "~/services/outbox.server";
import {
  backoffMs,
  claimMessage,
  deliverDueMessages,
  MAX_ATTEMPTS,
} from "~/services/worker.server";
import { actorOf, makeOrg, uniqueEmail } from "../support/factories";
import { skipOnSqlite } from "../support/engine";
import { mailDir, mailsTo, readMailbox } from "../support/mail";

const invitation = (
  overrides: Partial<Extract<EmailPayload, { template: "invitation" }>> = {},
): EmailPayload => ({
  template: "invitation",
  locale: "en",
  orgName: "Outbox Ltd",
  inviterName: "Dana",
  role: "member",
  url: "http://broadly.test/invite/token-from-the-test",
  expiresAt: new Date(Date.now() + 14 * 86_400_000).toISOString(),
  ...overrides,
});

async function queueEmail(
  recipient: string,
  payload: EmailPayload = invitation(),
): Promise<number> {
  await enqueueEmail(getDb(), recipient, payload);
  return (await rowFor(recipient)).id;
}

async function queueRaw(recipient: string, payloadJson: string): Promise<number> {
  const timestamp = new Date().toISOString();
  const row = await getDb()
    .insertInto("outbox")
    .values({
      kind: "email",
      recipient,
      payload_json: payloadJson,
      next_attempt_at: timestamp,
      created_at: timestamp,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

function rowFor(recipient: string) {
  return getDb()
    .selectFrom("outbox")
    .selectAll()
    .where("recipient", "=", recipient)
    .executeTakeFirstOrThrow();
}

function rowById(id: number) {
  return getDb().selectFrom("outbox").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
}

/** Pretends the retry time has come, as if the worker had waited for the backoff. */
async function makeDueNow(id: number) {
  await getDb()
    .updateTable("outbox")
    .set({ next_attempt_at: new Date(Date.now() - 1000).toISOString() })
    .where("id", "=", id)
    .execute();
}

/** The file the mailer writes for a row: blocking its temporary path makes delivery fail. */
function blockMailFileOf(id: number) {
  const blocker = path.join(mailDir(), `outbox-${id}@broadly.test.eml.tmp`);
  fs.mkdirSync(blocker, { recursive: true });
  return () => fs.rmSync(blocker, { recursive: true, force: true });
}

beforeEach(async () => {
  // Each test starts with an empty outbox and mailbox, so counts are its own.
  await getDb().deleteFrom("outbox").execute();
  fs.rmSync(mailDir(), { recursive: true, force: true });
});

describe("delivering e-mail from the outbox", () => {
  it("sends a queued e-mail as an .eml file and marks it sent", async () => {
    const to = uniqueEmail("omer");
    const id = await queueEmail(to);

    expect(await deliverDueMessages()).toEqual({ sent: 1, failed: 0 });

    const [mail] = mailsTo(to);
    expect(mail.subject).toBe("Dana invited you to join Outbox Ltd on Broadly");
    expect(mail.raw).toContain(`Message-ID: <outbox-${id}@broadly.test>`);
    const row = await rowById(id);
    expect(row.sent_at).not.toBeNull();
    expect(row).toMatchObject({
      attempts: 1,
      last_error: null,
      locked_until: null,
      failed_at: null,
    });
  });

  it("never sends the same message twice", async () => {
    const to = uniqueEmail();
    const id = await queueEmail(to);

    await deliverDueMessages();
    const sentAt = (await rowById(id)).sent_at;
    expect(await deliverDueMessages()).toEqual({ sent: 0, failed: 0 });

    expect(readMailbox()).toHaveLength(1);
    expect(await rowById(id)).toMatchObject({ attempts: 1, sent_at: sentAt });
  });

  it("sends what was queued first, first", async () => {
    const first = uniqueEmail("first");
    const second = uniqueEmail("second");
    await queueEmail(first);
    await queueEmail(second);

    await deliverDueMessages({ limit: 1 });

    expect(mailsTo(first)).toHaveLength(1);
    expect(mailsTo(second)).toHaveLength(0);
  });

  it("leaves alone a message another worker is in the middle of sending", async () => {
    const to = uniqueEmail();
    const id = await queueEmail(to);
    await getDb()
      .updateTable("outbox")
      .set({ locked_until: new Date(Date.now() + 60_000).toISOString() })
      .where("id", "=", id)
      .execute();

    expect(await deliverDueMessages()).toEqual({ sent: 0, failed: 0 });

    // When that worker's lease runs out without it finishing, the message is picked up again.
    await getDb()
      .updateTable("outbox")
      .set({ locked_until: new Date(Date.now() - 1000).toISOString() })
      .where("id", "=", id)
      .execute();
    expect(await deliverDueMessages()).toEqual({ sent: 1, failed: 0 });
    expect(mailsTo(to)).toHaveLength(1);
  });
});

describe("writing to the outbox", () => {
  it("writes nothing when the change that caused the e-mail is rolled back", async () => {
    const to = uniqueEmail();
    await getDb()
      .transaction()
      .execute(async (trx) => {
        await enqueueEmail(trx, to, invitation());
        throw new Error("the change failed");
      })
      .catch(() => undefined);

    expect(
      await getDb().selectFrom("outbox").select("id").where("recipient", "=", to).execute(),
    ).toEqual([]);
    expect(await deliverDueMessages()).toEqual({ sent: 0, failed: 0 });
  });

  it("queues nothing for an invitation that was refused", async () => {
    const { org, admin, members } = await makeOrg("Refusals Ltd", ["member"]);
    await getDb().deleteFrom("outbox").execute();

    const error = await inviteMember({
      actor: actorOf(admin),
      orgId: org.id,
      email: members[0].email,
      role: "admin",
      locale: "en",
    }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ActionRefused);
    expect(await getDb().selectFrom("outbox").select("id").execute()).toEqual([]);
  });
});

describe("when delivery fails", () => {
  it("records the error and schedules a retry 30 seconds later", async () => {
    const to = uniqueEmail();
    const id = await queueEmail(to);
    const unblock = blockMailFileOf(id);

    const before = Date.now();
    expect(await deliverDueMessages()).toEqual({ sent: 0, failed: 1 });
    const after = Date.now();

    const row = await rowById(id);
    expect(row).toMatchObject({ attempts: 1, sent_at: null, failed_at: null, locked_until: null });
    expect(row.last_error).toMatch(/EISDIR|directory/i);
    const retryAt = Date.parse(row.next_attempt_at);
    expect(retryAt).toBeGreaterThanOrEqual(before + 30_000);
    expect(retryAt).toBeLessThanOrEqual(after + 30_000);
    expect(mailsTo(to)).toHaveLength(0);
    unblock();
  });

  it("does not retry before the scheduled time", async () => {
    const id = await queueEmail(uniqueEmail());
    const unblock = blockMailFileOf(id);
    await deliverDueMessages();
    unblock();

    expect(await deliverDueMessages()).toEqual({ sent: 0, failed: 0 });
    expect((await rowById(id)).attempts).toBe(1);
  });

  it("delivers on a later attempt and clears the error", async () => {
    const to = uniqueEmail();
    const id = await queueEmail(to);
    const unblock = blockMailFileOf(id);
    await deliverDueMessages();
    unblock();
    await makeDueNow(id);

    expect(await deliverDueMessages()).toEqual({ sent: 1, failed: 0 });

    expect(await rowById(id)).toMatchObject({ attempts: 2, last_error: null, failed_at: null });
    expect(mailsTo(to)).toHaveLength(1);
  });

  it("waits twice as long after each further failure", async () => {
    const id = await queueRaw(uniqueEmail(), "this is not JSON");
    for (let attempt = 1; attempt <= 4; attempt++) {
      const before = Date.now();
      await deliverDueMessages();
      const after = Date.now();
      const row = await rowById(id);
      expect(row.attempts).toBe(attempt);
      const wait = Date.parse(row.next_attempt_at);
      expect(wait).toBeGreaterThanOrEqual(before + backoffMs(attempt));
      expect(wait).toBeLessThanOrEqual(after + backoffMs(attempt));
      await makeDueNow(id);
    }
    expect(backoffMs(4)).toBe(8 * backoffMs(1));
  });

  it("does not let a broken message hold up the ones behind it", async () => {
    const brokenId = await queueRaw(uniqueEmail("broken"), "{ not json");
    const fine = uniqueEmail("fine");
    await queueEmail(fine);

    expect(await deliverDueMessages()).toEqual({ sent: 1, failed: 1 });

    expect(mailsTo(fine)).toHaveLength(1);
    const broken = await rowById(brokenId);
    expect(broken.last_error).toBeTruthy();
    expect(broken.sent_at).toBeNull();
  });

  it(`gives up after ${MAX_ATTEMPTS} attempts and marks the message failed`, async () => {
    const id = await queueRaw(
      uniqueEmail(),
      JSON.stringify({ template: "invitation", locale: "xx" }),
    );

    for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt++) {
      expect(await deliverDueMessages()).toEqual({ sent: 0, failed: 1 });
      expect((await rowById(id)).failed_at).toBeNull();
      await makeDueNow(id);
    }
    expect(await deliverDueMessages()).toEqual({ sent: 0, failed: 1 });

    const row = await rowById(id);
    expect(row.attempts).toBe(MAX_ATTEMPTS);
    expect(row.failed_at).not.toBeNull();
    expect(row.sent_at).toBeNull();
    expect(row.last_error).toBeTruthy();

    // A failed message stays failed, even when its retry time comes round.
    await makeDueNow(id);
    expect(await deliverDueMessages()).toEqual({ sent: 0, failed: 0 });
    expect((await rowById(id)).attempts).toBe(MAX_ATTEMPTS);
  });
});

describe("claiming a message", () => {
  it("gives each message to exactly one of two workers claiming it at once", async () => {
    // A second worker: its own connection to the same database.
    const other: Kysely<Schema> = openDatabase(process.env.DATABASE_URL);
    try {
      const ids: number[] = [];
      for (let i = 0; i < 20; i++) ids.push(await queueEmail(uniqueEmail(`race${i}`)));
      const at = new Date().toISOString();
      const lease = { at, leaseUntil: new Date(Date.now() + 60_000).toISOString() };
      // Both have read the same due rows; now both try to take each one.
      const outcomes = await Promise.all(
        ids.map((id) =>
          Promise.all([claimMessage(getDb(), id, lease), claimMessage(other, id, lease)]),
        ),
      );
      for (const [mine, theirs] of outcomes) expect(Number(mine) + Number(theirs)).toBe(1);
    } finally {
      await other.destroy();
    }
  });

  it.skipIf(skipOnSqlite)(
    "passes over a message another worker's transaction holds, rather than waiting for it",
    async () => {
      const held = await queueEmail(uniqueEmail("held"));
      const free = await queueEmail(uniqueEmail("free"));
      const other: Kysely<Schema> = openDatabase(process.env.DATABASE_URL);
      let release = () => {};
      const released = new Promise<void>((resolve) => (release = resolve));
      let locked = () => {};
      const isLocked = new Promise<void>((resolve) => (locked = resolve));
      const holding = other.transaction().execute(async (trx) => {
        await trx.selectFrom("outbox").select("id").where("id", "=", held).forUpdate().execute();
        locked();
        await released;
      });
      await isLocked;
      // Without SKIP LOCKED the claim of the older, held row would wait for that transaction.
      const delivering = deliverDueMessages({ limit: 1 });
      try {
        const outcome = await Promise.race([
          delivering,
          new Promise((resolve) => setTimeout(() => resolve("waited"), 3_000)),
        ]);
        expect(outcome).toEqual({ sent: 1, failed: 0 });
        expect((await rowById(free)).sent_at).not.toBeNull();
        expect((await rowById(held)).sent_at).toBeNull();
      } finally {
        release();
        await holding;
        await delivering;
        await other.destroy();
      }
    },
  );

  it("does not take a message that is sent, or leased to another worker until the lease ends", async () => {
    const id = await queueEmail(uniqueEmail());
    const at = new Date().toISOString();
    const lease = { at, leaseUntil: new Date(Date.now() + 60_000).toISOString() };
    expect(await claimMessage(getDb(), id, lease)).toBe(true);
    expect(await claimMessage(getDb(), id, lease)).toBe(false);
    // Once the lease has run out, another worker may take it over.
    const later = new Date(Date.now() + 61_000).toISOString();
    expect(
      await claimMessage(getDb(), id, {
        at: later,
        leaseUntil: new Date(Date.now() + 120_000).toISOString(),
      }),
    ).toBe(true);
    await getDb()
      .updateTable("outbox")
      .set({ sent_at: at, locked_until: null })
      .where("id", "=", id)
      .execute();
    expect(await claimMessage(getDb(), id, { at: later, leaseUntil: later })).toBe(false);
  });

  it("forgets the links of a sent message, whatever its template", async () => {
    const to = uniqueEmail();
    const id = await queueEmail(to, {
      template: "vote_recorded",
      locale: "en",
      name: "Dana",
      requestTitle: "Export",
      requestUrl: "http://broadly.test/requests/1",
      orgName: "Acme",
      staffName: "Shira",
      source: "whatsapp",
      withdrawUrl: "http://broadly.test/votes/withdraw/secret-token",
    });
    await deliverDueMessages();
    const row = await rowById(id);
    expect(row.sent_at).not.toBeNull();
    expect(row.payload_json).not.toContain("secret-token");
    expect(JSON.parse(row.payload_json)).toMatchObject({
      template: "vote_recorded",
      withdrawUrl: "(sent)",
      requestUrl: "(sent)",
    });
    expect(mailsTo(to)[0].text).toContain("secret-token");
  });
});
