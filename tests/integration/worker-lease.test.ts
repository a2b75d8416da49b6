// The outbox worker's lease: one holder at a time across processes, renewed by its holder,
// taken over once it runs out, given up on shutdown.
import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { acquireLease, releaseLease } from "~/services/worker-lease.server";

const name = "outbox-worker";
const durationMs = 6_000;
const t0 = new Date("2030-01-01T00:00:00.000Z");
const at = (ms: number) => new Date(t0.getTime() + ms);
const take = (holder: string, ms: number) =>
  acquireLease(getDb(), { name, holder, at: at(ms), durationMs });

async function leaseRow() {
  return getDb().selectFrom("leases").selectAll().where("name", "=", name).executeTakeFirst();
}

beforeEach(async () => {
  await getDb().deleteFrom("leases").execute();
});

describe("the worker lease", () => {
  it("goes to the first process that asks, and is refused to another while it lasts", async () => {
    expect(await take("a", 0)).toBe(true);
    expect(await take("b", 1_000)).toBe(false);
    expect(await take("b", durationMs - 1)).toBe(false);
    expect(await leaseRow()).toEqual({
      name,
      holder: "a",
      expires_at: at(durationMs).toISOString(),
    });
  });

  it("is renewed by its holder, which keeps it past the first period", async () => {
    expect(await take("a", 0)).toBe(true);
    expect(await take("a", 2_000)).toBe(true);
    expect((await leaseRow())?.expires_at).toBe(at(2_000 + durationMs).toISOString());
    // Past where the first grant would have run out, it is still a's.
    expect(await take("b", durationMs + 1_000)).toBe(false);
  });

  it("is taken over once it runs out, and the old holder is refused from then on", async () => {
    expect(await take("a", 0)).toBe(true);
    expect(await take("b", durationMs)).toBe(true);
    expect((await leaseRow())?.holder).toBe("b");
    expect(await take("a", durationMs + 1)).toBe(false);
  });

  it("is released by its holder only, and another takes it at once", async () => {
    expect(await take("a", 0)).toBe(true);
    expect(await releaseLease(getDb(), { name, holder: "b" })).toBe(false);
    expect(await take("b", 1_000)).toBe(false);
    expect(await releaseLease(getDb(), { name, holder: "a" })).toBe(true);
    expect(await leaseRow()).toBeUndefined();
    expect(await take("b", 1_000)).toBe(true);
  });

  it("goes to exactly one of several processes asking at once", async () => {
    const holders = Array.from({ length: 8 }, (_, i) => `p${i}`);
    const granted = await Promise.all(holders.map((holder) => take(holder, 0)));
    expect(granted.filter(Boolean)).toHaveLength(1);
    expect((await leaseRow())?.holder).toBe(holders[granted.indexOf(true)]);
  });
});
