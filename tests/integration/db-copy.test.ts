// Issue 14, point 7: `npm run db:copy` moves a board from its SQLite file into PostgreSQL, and
// the copy shows the same board, request pages, counts and search results.
//
// Skipped when no PostgreSQL server can be had: it needs one to copy into, TEST_POSTGRES_URL
// (the PostgreSQL run) or else a throwaway cluster of the installed PostgreSQL (the SQLite run).
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { copyBoard, CopyMismatch, CopyRefused, type CopyReport } from "../../db/copy-board";
import { migrateDatabaseFile } from "../../db/migrator.js";
import { closeDb, getDb } from "~/db.server";
import { resetEnv } from "~/env.server";
import {
  createAnnouncement,
  getPublishedAnnouncement,
  publishAnnouncement,
} from "~/models/announcements.server";
import { addComment, deleteComment, listComments } from "~/models/comments.server";
import { getDemand } from "~/models/demand.server";
import { followRequest } from "~/models/follows.server";
import { acceptQuote, getRequestQuote, israelDay, saveQuote } from "~/models/quotes.server";
import { createRequest, getRequest, listRequests, type BoardSort } from "~/models/requests.server";
import { countIndexedRequests, listSearchHits, matchRequests } from "~/models/search.server";
import { changeStatus, decideRequest, mergeRequest } from "~/models/triage.server";
import { toggleVote } from "~/models/votes.server";
import type { Actor } from "~/models/errors";
import {
  createDatabase,
  adminQuery,
  findPostgresBinaries,
  startThrowawayCluster,
} from "../support/postgres.js";
import {
  actorOf,
  hebrewToken,
  latinToken,
  makeCategory,
  makeOrg,
  makeStaffAdmin,
  proposeRequest,
} from "../support/factories";

const givenServer = process.env.TEST_POSTGRES_URL;
const bin = givenServer ? null : findPostgresBinaries();
const DAY = 86_400_000;
const root = path.resolve(import.meta.dirname, "../..");
const tsx = path.join(root, "node_modules/.bin/tsx");

/** Points the app's models at another database (getDb() opens DATABASE_URL anew). */
async function useDatabase(url: string) {
  await closeDb();
  process.env.DATABASE_URL = url;
  resetEnv();
}

type Org = Awaited<ReturnType<typeof makeOrg>>;
const testDatabaseUrl = process.env.DATABASE_URL!;
let cluster: Awaited<ReturnType<typeof startThrowawayCluster>> | null = null;
let serverUrl: string;
let sourceFile: string;
const targets: string[] = [];

/** A new empty PostgreSQL database on the server, dropped after the file. */
async function emptyTarget(): Promise<string> {
  const name = `broadly_test_copy_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  targets.push(name);
  return createDatabase(serverUrl, name);
}

// The board: three organizations voting, a Hebrew and an English request, an older request
// merged into a newer one (its reference points forward), public, official, internal and
// deleted comments, follows, a private request, a quote with two pledges, an announcement.
let staff: Actor;
let acme: Org;
let globex: Org;
let initech: Org;
let hebrewWord: string;
let latinWord: string;
/** The English request gets the quote; the Hebrew one ships and is announced. */
const ids = { hebrew: 0, english: 0, merged: 0, mergeTarget: 0, private: 0 };

async function seedBoard() {
  staff = await makeStaffAdmin("Copy Staff");
  acme = await makeOrg("Acme", ["member", "member"]);
  globex = await makeOrg("גלובקס בע״מ", ["member"]);
  initech = await makeOrg("Initech", ["admin"]);
  const invoices = (await makeCategory("Invoices")).id;
  const reports = (await makeCategory("Reports")).id;
  hebrewWord = hebrewToken();
  latinWord = latinToken();
  const author = (org: Org) => ({ actor: actorOf(org.admin), orgId: org.org.id });

  ids.merged = (
    await proposeRequest(author(initech), {
      title: `ייצוא חשבוניות ${hebrewWord} לאקסל`,
      bodyMd: "כפילות של בקשה אחרת.",
      categoryId: invoices,
    })
  ).id;
  ids.hebrew = (
    await proposeRequest(author(acme), {
      title: `ייצוא דוחות מע"מ ${hebrewWord}`,
      bodyMd: "נשמח **לייצא** את הדוחות החודשיים.",
      categoryId: reports,
    })
  ).id;
  ids.english = (
    await proposeRequest(author(globex), {
      title: `Export invoices to Excel ${latinWord}`,
      bodyMd: "Monthly invoices, exported as a spreadsheet.",
      categoryId: invoices,
    })
  ).id;
  ids.mergeTarget = (
    await proposeRequest(author(globex), {
      title: `ייצוא חשבונית ${hebrewWord} ל-CSV`,
      bodyMd: `Also CSV, for ${latinWord}s.`,
      categoryId: invoices,
    })
  ).id;
  ids.private = (
    await createRequest({
      actor: actorOf(acme.members[0]),
      orgId: acme.org.id,
      title: `Internal ${latinWord} approvals`,
      bodyMd: "Only Acme sees this.",
      categoryId: reports,
      visibility: "organization",
    })
  ).id;

  const voters: [Org, number][] = [
    [acme, ids.hebrew],
    [acme, ids.english],
    [globex, ids.hebrew],
    [initech, ids.hebrew],
    [initech, ids.mergeTarget],
    [acme, ids.merged],
  ];
  for (const [org, requestId] of voters) {
    for (const member of [org.admin, ...org.members])
      await toggleVote({ requestId, actor: actorOf(member), orgId: org.org.id });
  }
  await followRequest({ requestId: ids.english, actor: actorOf(initech.admin) });
  await addComment({
    requestId: ids.hebrew,
    actor: actorOf(globex.admin),
    orgId: globex.org.id,
    bodyMd: "גם אצלנו, בכל סוף חודש.",
  });
  await addComment({ requestId: ids.hebrew, actor: staff, bodyMd: "Planned.", kind: "official" });
  await addComment({
    requestId: ids.hebrew,
    actor: staff,
    bodyMd: "Ask finance.",
    kind: "internal",
  });
  const regret = await addComment({
    requestId: ids.english,
    actor: actorOf(acme.admin),
    orgId: acme.org.id,
    bodyMd: "Oops, wrong request.",
  });
  await deleteComment({ requestId: ids.english, commentId: regret.id, actor: actorOf(acme.admin) });
  await mergeRequest({
    actor: staff,
    sourceId: ids.merged,
    targetId: ids.mergeTarget,
    note: "Same",
  });

  await decideRequest({ actor: staff, requestId: ids.english, decision: { kind: "sponsored" } });
  const { quoteId } = await saveQuote({
    actor: staff,
    requestId: ids.english,
    input: {
      pricing: "fixed",
      fixedMinor: 1_000_000,
      validUntil: israelDay(Date.now() + 30 * DAY),
      deliveryWeeks: 4,
      termsMd: "Delivered as described.",
      audience: "open",
    },
  });
  const quote = await getDb()
    .selectFrom("quotes")
    .selectAll()
    .where("id", "=", quoteId)
    .executeTakeFirstOrThrow();
  for (const [org, shareMinor] of [
    [acme, 300_000],
    [initech, 250_050],
  ] as const) {
    await acceptQuote({
      actor: actorOf(org.admin),
      quoteId,
      version: quote.version,
      orgId: org.org.id,
      shareMinor,
      termsSha256: quote.terms_sha256,
      signerName: `${org.org.name} Signer`,
      creditByName: true,
      agreed: true,
    });
  }

  await decideRequest({ actor: staff, requestId: ids.hebrew, decision: { kind: "broad" } });
  await changeStatus({ actor: staff, requestId: ids.hebrew, to: "in_progress" });
  await changeStatus({ actor: staff, requestId: ids.hebrew, to: "shipped" });
  const announcement = await createAnnouncement({
    actor: staff,
    input: {
      titleHe: "ייצוא דוחות",
      bodyHe: "אפשר עכשיו **לייצא** כל דוח.",
      titleEn: "Report exports",
      bodyEn: "Every report can be exported now.",
      requestIds: [ids.hebrew],
    },
  });
  await publishAnnouncement({ actor: staff, id: announcement.id });
  return announcement.id;
}

let announcementId: number;
/** The moment both databases are read at: just after the seed. */
let AT: Date;

/** A request's page as a customer, a visitor and staff see it. */
async function pageOf(id: number) {
  const customer = actorOf(acme.members[0]);
  return {
    visitor: await getRequest({ id, viewer: null }),
    customer: await getRequest({ id, viewer: customer }),
    comments: await listComments({ requestId: id, viewer: staff }),
    quote: await getRequestQuote({ requestId: id, viewer: customer }),
    demand: await getDemand({ actor: staff, requestId: id }),
  };
}

/**
 * What the site shows, read through the models from whichever database the app is on, at one
 * moment (a comment's remaining edit time, the demand's weeks are counted from "now").
 */
async function whatTheBoardShows() {
  vi.useFakeTimers({ toFake: ["Date"], now: AT });
  try {
    return await readTheBoard();
  } finally {
    vi.useRealTimers();
  }
}

async function readTheBoard() {
  const customer = actorOf(acme.members[0]);
  const board: Record<string, unknown> = {};
  for (const sort of ["orgs", "votes", "trending", "newest"] satisfies BoardSort[]) {
    board[`visitor ${sort}`] = await listRequests({ sort, viewer: null });
    board[`customer ${sort} all`] = await listRequests({ sort, status: "all", viewer: customer });
  }
  board["staff waiting"] = await listRequests({ sort: "waiting", viewer: staff });
  board["merged"] = await listRequests({ status: "merged", viewer: staff });
  board["page 2"] = await listRequests({
    sort: "newest",
    status: "all",
    limit: 2,
    cursor: (await listRequests({ sort: "newest", status: "all", limit: 2, viewer: staff }))
      .nextCursor,
    viewer: staff,
  });
  for (const q of [hebrewWord, `חשבוניות ${hebrewWord}`, latinWord, "invoice", "exp"]) {
    board[`search ${q}`] = await listRequests({
      q,
      sort: "newest",
      status: "all",
      viewer: customer,
    });
    board[`relevance ${q}`] = await listRequests({ q, viewer: customer });
    board[`search hits ${q}`] = await listSearchHits(q, {
      statuses: ["open", "quoted", "shipped", "planned"],
      categoryId: null,
      limit: 50,
      scored: false,
      viewer: customer,
    });
    const matches = await matchRequests(q, 100);
    board[`matches ${q}`] =
      matches.kind === "ids" ? [...matches.ids].sort((a, b) => a - b) : matches;
  }
  const pages: Partial<Record<keyof typeof ids, Awaited<ReturnType<typeof pageOf>>>> = {};
  for (const [name, id] of Object.entries(ids)) pages[name as keyof typeof ids] = await pageOf(id);
  return {
    board,
    pages,
    announcement: await getPublishedAnnouncement(announcementId),
    indexed: await countIndexedRequests(),
  };
}

describe.skipIf(!givenServer && !bin)("npm run db:copy", () => {
  let onSqlite: Awaited<ReturnType<typeof whatTheBoardShows>>;
  let report: CopyReport;
  let target: string;

  beforeAll(async () => {
    cluster = givenServer ? null : await startThrowawayCluster(bin!);
    serverUrl = givenServer ?? cluster!.url;
    // The SQLite run's file is this test file's own; the PostgreSQL run makes one.
    sourceFile = testDatabaseUrl.startsWith("postgres")
      ? path.join(fs.mkdtempSync(path.join(os.tmpdir(), "broadly-copy-")), "board.sqlite")
      : testDatabaseUrl;
    await migrateDatabaseFile(sourceFile);
    await useDatabase(sourceFile);
    announcementId = await seedBoard();
    AT = new Date();
    onSqlite = await whatTheBoardShows();
    await closeDb();
    target = await emptyTarget();
    report = await copyBoard({ from: sourceFile, to: target });
  }, 120_000);

  afterAll(async () => {
    await useDatabase(testDatabaseUrl);
    for (const name of targets)
      await adminQuery(serverUrl, `drop database if exists "${name}" with (force)`);
    cluster?.stop();
  });

  it("copies every table's rows and finds every counter adding up", () => {
    expect(report.tables.map((t) => t.table)).toEqual(
      expect.arrayContaining([
        "users",
        "requests",
        "votes",
        "quotes",
        "sponsorships",
        "announcements",
      ]),
    );
    for (const table of report.tables) expect(table.target, table.table).toBe(table.source);
    expect(report.tables.find((t) => t.table === "requests")?.target).toBe(5);
    expect(report.counters.every((c) => c.target.length === 0 && c.source.length === 0)).toBe(true);
    expect(report.indexed).toBe(5);
  });

  it("shows the same board, request pages, counts and search results on PostgreSQL", async () => {
    await useDatabase(target);
    try {
      const onPostgres = await whatTheBoardShows();
      expect(onPostgres).toEqual(onSqlite);
      // The comparison is only worth something if the board has what it compares.
      expect(onSqlite.pages.merged?.visitor?.mergedIntoId).toBe(ids.mergeTarget);
      expect(onSqlite.pages.english?.quote?.current?.pledgedMinor).toBe(550_050);
      expect((onSqlite.board[`search ${hebrewWord}`] as { items: unknown[] }).items).toHaveLength(
        2,
      );
      expect((onSqlite.board[`search ${latinWord}`] as { items: unknown[] }).items).toHaveLength(3);
    } finally {
      await useDatabase(sourceFile);
    }
  });

  it("leaves the copy vacuumed and analyzed, for the planner's first queries", async () => {
    const { rows } = await adminQuery(
      target,
      "select relname from pg_stat_user_tables where last_vacuum is null or last_analyze is null",
    );
    expect(rows.map((r: { relname: string }) => r.relname)).toEqual([]);
  });

  it("hands out new ids after the copied ones", async () => {
    await useDatabase(target);
    try {
      const category = await makeCategory("After the copy");
      const before = await getDb()
        .selectFrom("categories")
        .select((eb) => eb.fn.max("id").as("max"))
        .where("id", "<>", category.id)
        .executeTakeFirstOrThrow();
      expect(category.id).toBeGreaterThan(Number(before.max));
    } finally {
      await useDatabase(sourceFile);
    }
  });

  it("refuses a target that already holds a board, and a source behind the latest migration", async () => {
    await expect(copyBoard({ from: sourceFile, to: target })).rejects.toThrow(/already holds data/);
    await expect(copyBoard({ from: sourceFile, to: sourceFile })).rejects.toBeInstanceOf(
      CopyRefused,
    );
    const old = path.join(path.dirname(sourceFile), "old.sqlite");
    await migrateDatabaseFile(old);
    await useDatabase(old);
    await sql`delete from kysely_migration where name like '0014%'`.execute(getDb());
    await useDatabase(sourceFile);
    await expect(copyBoard({ from: old, to: await emptyTarget() })).rejects.toThrow(
      /not at the latest migration.*npm run db:migrate/,
    );
  });

  it("writes nothing when the source's counters do not add up", async () => {
    const broken = path.join(path.dirname(sourceFile), "broken.sqlite");
    // A consistent copy of the source, then one counter off.
    await sql`vacuum into ${broken}`.execute(getDb());
    await useDatabase(broken);
    await getDb()
      .updateTable("requests")
      .set((eb) => ({ vote_count: eb("vote_count", "+", 1) }))
      .where("id", "=", ids.english)
      .execute();
    await useDatabase(sourceFile);
    const into = await emptyTarget();
    const failure = await copyBoard({ from: broken, to: into }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(CopyMismatch);
    expect((failure as CopyMismatch).report.counters).toContainEqual({
      counter: "requests.vote_count",
      target: [String(ids.english)],
      source: [String(ids.english)],
    });
    const { rows } = await adminQuery(into, "select count(*)::int as n from users");
    expect(rows[0].n).toBe(0);
  });

  it("runs from the command line, saying what it copied", { timeout: 90_000 }, async () => {
    const into = await emptyTarget();
    const copied = await runCopy(["--from", sourceFile, "--to", into]);
    expect(copied.code).toBe(0);
    expect(copied.stdout).toContain(
      `Copied ${report.rows} rows in ${report.tables.length} tables to ${into}; counts and counters match`,
    );
    const again = await runCopy(["--from", sourceFile, "--to", into]);
    expect(again).toMatchObject({ code: 1, stderr: expect.stringContaining("already holds data") });
    const usage = await runCopy(["--from", sourceFile]);
    expect(usage).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("Usage: npm run db:copy"),
    });
  });
});

/** `npm run db:copy -- …args`: its exit code and output. */
async function runCopy(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(tsx, ["db/copy.ts", ...args], {
      cwd: root,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
}
