// `tsx db/bench-models.ts <file>`: times the request models against a bench data file made by
// db/bench-data.ts: the board (every sort, with and without filters, first and later pages),
// the request page, search as you type, and vote toggles. Prints p50/p95 per case. Every vote
// it casts it withdraws again, so the file's data is left as it was.
import path from "node:path";

const file = process.argv.slice(2).find((a) => !a.startsWith("--"));
if (!file) {
  console.error(
    "usage: tsx db/bench-models.ts <bench.sqlite> [--cache-mib=N] [--wal-autocheckpoint=PAGES] [--only=board,page,search,votes]",
  );
  process.exit(2);
}
const option = (name: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
const cacheMib = option("cache-mib");
const walAutocheckpoint = option("wal-autocheckpoint");
const only = option("only")?.split(",");
const runs = (part: string) => !only || only.includes(part);
process.env.DATABASE_URL = path.resolve(file);

const { getDb } = await import("~/db.server");
const { listRequests, getRequest, listStatusEvents, findSimilarRequests } =
  await import("~/models/requests.server");
const { listComments } = await import("~/models/comments.server");
const { toggleVote } = await import("~/models/votes.server");
const { sql } = await import("kysely");
type BoardArgs = Parameters<typeof listRequests>[0];

const db = getDb();
// The app's connection keeps SQLite's default page cache (2 MiB) unless told otherwise.
if (cacheMib) await sql.raw(`pragma cache_size = -${Number(cacheMib) * 1024}`).execute(db);
// SQLite checkpoints the WAL into the database every 1,000 pages by default, inside a commit.
if (walAutocheckpoint)
  await sql.raw(`pragma wal_autocheckpoint = ${Number(walAutocheckpoint)}`).execute(db);
const counts = await db
  .selectFrom("requests")
  .select((eb) => [eb.fn.max("id").as("maxId")])
  .executeTakeFirstOrThrow();
const maxRequestId = Number(counts.maxId);
const customers = await db
  .selectFrom("memberships")
  .innerJoin("users", "users.id", "memberships.user_id")
  .select([
    "users.id as id",
    "users.name as name",
    "users.email as email",
    "memberships.org_id as orgId",
  ])
  .where("users.is_staff", "=", 0)
  .limit(20_000)
  .execute();

let seed = 42;
function random() {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
}
const int = (n: number) => Math.floor(random() * n);

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function measure(label: string, runs: number, fn: (i: number) => Promise<unknown>) {
  for (let i = 0; i < Math.min(20, runs); i++) await fn(i);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn(i);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  console.log(
    `${label.padEnd(58)} p50 ${percentile(times, 50).toFixed(2).padStart(6)} ms   p95 ${percentile(times, 95).toFixed(2).padStart(6)} ms   max ${times[times.length - 1].toFixed(1).padStart(6)} ms`,
  );
}

const viewerId = customers[0].id;
// A signed-in customer: the board's visibility condition checks their memberships.
const viewer = { id: viewerId, isStaff: false, staffRole: null, email: "", name: "" };
const filters: [string, Partial<BoardArgs>][] = [
  ["no filter", {}],
  ["status=open", { status: "open" }],
  ["status=shipped", { status: "shipped" }],
  ["category=3", { categoryId: 3 }],
  ["status=planned & category=5", { status: "planned", categoryId: 5 }],
  ["status=funded & category=8", { status: "funded", categoryId: 8 }],
  // Worst case for the counters' indexes: nothing matches, so one whole index is read.
  ["status=funded & an empty category", { status: "funded", categoryId: 999 }],
];

if (runs("board")) {
  console.log("\nBoard: first page of 25, signed-in viewer");
  for (const sort of ["orgs", "votes", "trending", "newest"] as const) {
    for (const [name, filter] of filters) {
      await measure(`${sort}, ${name}`, 200, () =>
        listRequests({ sort, limit: 25, viewer, ...filter }),
      );
    }
  }

  console.log("\nBoard: pages 2-10 by cursor");
  for (const sort of ["orgs", "votes", "trending", "newest"] as const) {
    const cursors: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 10; page++) {
      const result: Awaited<ReturnType<typeof listRequests>> = await listRequests({
        sort,
        limit: 25,
        cursor,
      });
      if (!result.nextCursor) break;
      cursors.push(result.nextCursor);
      cursor = result.nextCursor;
    }
    await measure(`${sort}, later pages`, 200, (i) =>
      listRequests({ sort, limit: 25, viewer, cursor: cursors[i % cursors.length] }),
    );
  }
}

if (runs("page")) {
  console.log("\nRequest page (request + status timeline + first 100 comments)");
  await measure("getRequest + listStatusEvents + listComments", 300, async () => {
    const id = 1 + int(maxRequestId);
    await Promise.all([
      getRequest({ id, viewer }),
      listStatusEvents({ requestId: id }),
      listComments({ requestId: id, viewer }),
    ]);
  });
}

if (runs("search")) {
  console.log("\nSearch");
  for (const q of [
    "חשב",
    "לקו",
    "הפק",
    "inv",
    "exp",
    "חשבונית מס",
    "בחשבונית",
    "export invoices to ex",
  ]) {
    await measure(`findSimilarRequests("${q}")`, 200, () => findSimilarRequests(q, viewer));
  }
  for (const q of ["חשב", "לקו", "inv", "חשבונית מס"]) {
    await measure(`board, orgs, q="${q}"`, 200, () =>
      listRequests({ sort: "orgs", q, limit: 25, viewer }),
    );
    await measure(`board, newest, status=shipped, q="${q}"`, 100, () =>
      listRequests({ sort: "newest", q, status: "shipped", limit: 25, viewer }),
    );
  }
}

if (runs("votes")) {
  console.log("\nVotes");
  async function voteRound(label: string, total: number, concurrency: number) {
    const pairs = Array.from({ length: total }, () => ({
      voter: customers[int(customers.length)],
      requestId: 1 + int(maxRequestId),
    }));
    const toggle = ({ voter, requestId }: (typeof pairs)[number]) =>
      toggleVote({
        requestId,
        actor: {
          id: voter.id,
          isStaff: false,
          staffRole: null,
          email: voter.email,
          name: voter.name,
        },
        orgId: voter.orgId,
      }).catch((error: { messageKey?: string }) => {
        if (error.messageKey !== "request.error.merged") throw error;
      });
    const t = performance.now();
    for (let i = 0; i < pairs.length; i += concurrency)
      await Promise.all(pairs.slice(i, i + concurrency).map(toggle));
    const elapsed = (performance.now() - t) / 1000;
    // Toggle every pair back, so the data set is left as it was.
    for (let i = 0; i < pairs.length; i += concurrency)
      await Promise.all(pairs.slice(i, i + concurrency).map(toggle));
    console.log(`${label.padEnd(58)} ${(total / elapsed).toFixed(0).padStart(6)} toggles/s`);
  }
  await voteRound("toggleVote, one at a time (5,000)", 5_000, 1);
  await voteRound("toggleVote, 50 concurrent (10,000)", 10_000, 50);
  const popular = await db
    .selectFrom("requests")
    .select("id")
    .orderBy("vote_count", "desc")
    .limit(1)
    .executeTakeFirstOrThrow();
  // 5,000 people who have not voted for the most voted request vote, 50 at a time, then
  // withdraw. (Not all 5,000 at once: Kysely's connection mutex wakes every waiter on each
  // release, which would measure that instead.)
  const alreadyVoted = new Set(
    (
      await db.selectFrom("votes").select("user_id").where("request_id", "=", popular.id).execute()
    ).map((v) => v.user_id),
  );
  const newVoters = customers.filter((c) => !alreadyVoted.has(c.id)).slice(0, 5_000);
  for (const label of ["votes", "withdrawals"]) {
    const t = performance.now();
    for (let i = 0; i < newVoters.length; i += 50) {
      await Promise.all(
        newVoters.slice(i, i + 50).map((v) =>
          toggleVote({
            requestId: popular.id,
            actor: { id: v.id, isStaff: false, staffRole: null, email: v.email, name: v.name },
            orgId: v.orgId,
          }),
        ),
      );
    }
    const elapsed = (performance.now() - t) / 1000;
    console.log(
      `${`${newVoters.length} ${label} on the most voted request, 50 concurrent`.padEnd(58)} ${(newVoters.length / elapsed).toFixed(0).padStart(6)} toggles/s`,
    );
  }
}

await db.destroy();
