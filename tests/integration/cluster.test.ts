// `npm start` with WEB_CONCURRENCY=2, the production build against a real SMTP server in this
// process: two worker processes serve, one killed is replaced while the other keeps answering,
// and the outbox, whose lease one worker holds, delivers every queued e-mail exactly once, also
// when that worker is killed and the other takes the lease over. Needs `npm run build` first.
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, getDb } from "~/db.server";
import { resetEnv } from "~/env.server";
import { enqueueEmail } from "~/services/outbox.server";
import { deliverDueMessages } from "~/services/worker.server";
import { OUTBOX_WORKER_LEASE } from "~/services/worker-lease.server";
import {
  actorOf,
  addMember,
  countersAndCounts,
  insertOrg,
  makeUser,
  proposeRequest,
} from "../support/factories";
import { sessionCookieFor } from "../support/requests";
import { startServer, useServerDatabase, type TestServer } from "../support/server";
import { startSmtpServer, type TestSmtp } from "../support/smtp";

const SERVER_SESSION_SECRET = "browser-test-secret-0123456789abcdef";
let server: TestServer;
let smtp: TestSmtp;

beforeAll(async () => {
  smtp = await startSmtpServer();
  server = await startServer({
    env: {
      WEB_CONCURRENCY: "2",
      SMTP_URL: smtp.url,
      OUTBOX_POLL_MS: "100",
      WORKER_LEASE_MS: "1000",
      NOTIFY_GROUP_MS: "0",
    },
  });
  // This process enqueues into the server's database, signs sessions with its secret and,
  // as a second outbox worker outside the lease, sends through the same SMTP server.
  useServerDatabase(server);
  process.env.SESSION_SECRET = SERVER_SESSION_SECRET;
  process.env.SMTP_URL = smtp.url;
  resetEnv();
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await closeDb();
  await smtp?.close();
});

/** The pids of the workers that said they listen, in the order they started. */
const workerPids = () =>
  [...server.log().matchAll(/Worker (\d+) is listening/g)].map((match) => Number(match[1]));

/** Polls `check` until it gives a value, or fails saying what did not happen. */
async function until<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`${what} did not happen:\n${server.log()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A vote through the button's fetch, on a connection of its own (so either worker may take it). */
function postVote(requestId: number, cookie: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${server.baseUrl}/requests/${requestId}/vote`,
      {
        method: "POST",
        agent: false,
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          Origin: server.baseUrl,
          Cookie: cookie,
        },
      },
      (response) => {
        response.resume();
        response.on("end", () => resolve(response.statusCode ?? 0));
      },
    );
    request.on("error", reject);
    request.end("via=fetch");
  });
}

/** The status of a GET on a connection of its own, so the cluster hands each to a worker. */
function get(path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(`${server.baseUrl}${path}`, { agent: false }, (response) => {
        response.resume();
        response.on("end", () => resolve(response.statusCode ?? 0));
      })
      .on("error", reject);
  });
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function leaseHolderPid(): Promise<number | undefined> {
  const row = await getDb()
    .selectFrom("leases")
    .select("holder")
    .where("name", "=", OUTBOX_WORKER_LEASE)
    .executeTakeFirst();
  // "<host>/<pid>/<random>" (leaseHolderId).
  return row ? Number(row.holder.split("/")[1]) : undefined;
}

async function enqueueResets(tag: string, count: number): Promise<string[]> {
  const recipients = Array.from({ length: count }, (_, i) => `${tag}-${i}@example.test`);
  for (const [i, recipient] of recipients.entries()) {
    await enqueueEmail(getDb(), recipient, {
      template: "password_reset",
      locale: i % 2 ? "en" : "he",
      name: `Person ${i}`,
      url: `${server.baseUrl}/reset-password/${tag}-${i}`,
    });
  }
  return recipients;
}

async function allSent(recipients: string[]): Promise<boolean> {
  const rows = await getDb()
    .selectFrom("outbox")
    .select("sent_at")
    .where("recipient", "in", recipients)
    .execute();
  return rows.length === recipients.length && rows.every((row) => row.sent_at !== null);
}

describe("WEB_CONCURRENCY=2", () => {
  it("serves from two worker processes, and replaces one that dies while the other answers", async () => {
    const pids = await until("two workers listening", () => {
      const listening = workerPids();
      return listening.length >= 2 && listening;
    });
    expect(new Set(pids).size).toBe(2);
    expect(pids).not.toContain(server.pid);
    expect(server.log()).toContain("Starting 2 workers (WEB_CONCURRENCY=2).");
    const statuses = await Promise.all(Array.from({ length: 20 }, () => get("/healthz")));
    expect(statuses.every((status) => status === 200)).toBe(true);

    process.kill(pids[0], "SIGKILL");
    await until("the primary noticing the death", () =>
      server.log().includes(`Worker ${pids[0]} was killed by SIGKILL; starting another`),
    );
    // Until the replacement listens, the other worker answers everything.
    const meanwhile: number[] = [];
    const replacement = await until("a replacement worker", async () => {
      meanwhile.push(await get("/healthz"));
      return workerPids().find((pid) => !pids.includes(pid));
    });
    expect(meanwhile.length).toBeGreaterThan(0);
    expect(meanwhile.every((status) => status === 200)).toBe(true);
    expect(isRunning(replacement)).toBe(true);
    expect(isRunning(pids[1])).toBe(true);
    const after = await Promise.all(Array.from({ length: 20 }, () => get("/healthz")));
    expect(after.every((status) => status === 200)).toBe(true);
  });

  it("delivers every queued e-mail exactly once, and the other worker takes the outbox over when its holder dies", async () => {
    const before = await enqueueResets("before", 10);
    await until("the first e-mails sent", () => allSent(before));
    // The holder now, alive: the lease row may still name the worker the test before killed,
    // until its lease runs out and the other worker takes it.
    const holder = await until("a live worker holding the outbox lease", async () => {
      const pid = await leaseHolderPid();
      return pid !== undefined && isRunning(pid) && pid;
    });
    expect(workerPids()).toContain(holder);
    // Killed between deliveries (every row sent and recorded), so none is left half-sent.
    process.kill(holder, "SIGKILL");
    const after = await enqueueResets("after", 10);
    const next = await until("another worker taking the lease", async () => {
      const pid = await leaseHolderPid();
      return pid !== holder && pid;
    });
    expect(isRunning(next)).toBe(true);
    await until("the later e-mails sent", () => allSent(after));
    // A while longer, past a lease: a duplicate would arrive now.
    await new Promise((resolve) => setTimeout(resolve, 1500));

    const accepted = smtp.received.flatMap((mail) => mail.envelopeTo);
    expect(accepted.sort()).toEqual([...before, ...after].sort());
  });

  it("keeps every counter exact when both processes take votes at once, and a second outbox worker sends nothing twice", async () => {
    const orgs = [
      await insertOrg("Cluster A"),
      await insertOrg("Cluster B"),
      await insertOrg("Cluster C"),
    ];
    const voters = [];
    for (let i = 0; i < 24; i++) {
      const user = await makeUser({ name: `Voter ${i}` });
      await addMember(orgs[i % 3].id, user.id);
      voters.push(user);
    }
    const author = await makeUser({ name: "Author" });
    await addMember(orgs[0].id, author.id);
    const { id } = await proposeRequest({ actor: actorOf(author), orgId: orgs[0].id });
    const cookies = await Promise.all(voters.map((voter) => sessionCookieFor(voter)));

    // Meanwhile this process runs a second outbox worker, which no lease holds back.
    const mails = await enqueueResets("race", 20);
    let racing = true;
    const secondWorker = (async () => {
      while (racing) {
        await deliverDueMessages();
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const statuses = await Promise.all(cookies.map((cookie) => postVote(id, cookie)));
    expect(statuses.every((status) => status === 200)).toBe(true);
    await until("the e-mails sent", () => allSent(mails));
    racing = false;
    await secondWorker;

    const { stored, expected } = await countersAndCounts(id);
    expect(stored.vote_count).toBe(25);
    expect(stored.org_count).toBe(3);
    expect(stored).toEqual(expected);
    const accepted = smtp.received
      .flatMap((mail) => mail.envelopeTo)
      .filter((to) => mails.includes(to));
    expect(accepted.sort()).toEqual([...mails].sort());
  });
});
