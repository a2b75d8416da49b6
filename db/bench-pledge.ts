// A worker of `npm run bench`'s pledge scenario (db/bench.ts starts two of them, never run by
// hand): against the scratch copy of the bench data named by DATABASE_URL, each of its signers
// (an admin of their own organization) pledges on every quote of the plan, all of them at once
// per quote, through acceptQuote as the site does. Prints one line of JSON: each pledge's time,
// how many were taken and refused, and the CPU time spent.
import fs from "node:fs";

type Plan = {
  quotes: { id: number; version: number; termsSha256: string; shareMinor: number }[];
  signers: { userId: number; orgId: number }[];
};

const plan = JSON.parse(fs.readFileSync(process.argv[2], "utf8")) as Plan;
const { getDb } = await import("~/db.server");
const { actorOf, ActionRefused } = await import("~/models/errors");
const { acceptQuote } = await import("~/models/quotes.server");

const users = await getDb()
  .selectFrom("users")
  .select(["id", "email", "name", "is_staff", "staff_role"])
  .where(
    "id",
    "in",
    plan.signers.map((s) => s.userId),
  )
  .execute();
const actors = new Map(users.map((u) => [u.id, actorOf(u)]));

const times: number[] = [];
const refusals: Record<string, number> = {};
let taken = 0;
const cpuBefore = process.cpuUsage();
const started = performance.now();
for (const quote of plan.quotes) {
  await Promise.all(
    plan.signers.map(async (signer) => {
      const t = performance.now();
      try {
        await acceptQuote({
          actor: actors.get(signer.userId)!,
          quoteId: quote.id,
          version: quote.version,
          orgId: signer.orgId,
          shareMinor: quote.shareMinor,
          capToRemaining: false,
          termsSha256: quote.termsSha256,
          signerName: "Bench Signer",
          creditByName: false,
          agreed: true,
          ip: "127.0.0.1",
        });
        taken++;
      } catch (error) {
        // Over what remains, or funded already: the refusals the race must produce.
        if (!(error instanceof ActionRefused)) throw error;
        refusals[error.messageKey] = (refusals[error.messageKey] ?? 0) + 1;
      }
      times.push(performance.now() - t);
    }),
  );
}
const wallMs = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
console.log(
  JSON.stringify({ times, taken, refusals, wallMs, cpuMs: (cpu.user + cpu.system) / 1000 }),
);
await getDb().destroy();
process.exit(0);
