import { describe, expect, it } from "vitest";
import { ByteBudgetLru, encodingFor } from "~/services/public-cache.server";

const sized = (bytes: number) => ({ bytes });

describe("the visitors' cache's memory (ByteBudgetLru)", () => {
  it("keeps what fits in its budget and lets the least recently used go first", () => {
    const lru = new ByteBudgetLru<{ bytes: number }>(100);
    lru.set("a", sized(40));
    lru.set("b", sized(40));
    // "a" was read last, so "b" is the one that goes when "c" does not fit beside both.
    expect(lru.get("a")).toEqual(sized(40));
    lru.set("c", sized(40));
    expect(lru.get("b")).toBeUndefined();
    expect(lru.get("a")).toBeDefined();
    expect(lru.get("c")).toBeDefined();
    expect(lru.usedBytes).toBe(80);
    expect(lru.size).toBe(2);
  });

  it("counts a replaced entry once, and a deleted one not at all", () => {
    const lru = new ByteBudgetLru<{ bytes: number }>(100);
    lru.set("a", sized(60));
    lru.set("a", sized(30));
    expect(lru.usedBytes).toBe(30);
    lru.delete("a");
    expect(lru.usedBytes).toBe(0);
    expect(lru.get("a")).toBeUndefined();
  });

  it("never keeps one entry larger than the whole budget (it would push out all the rest)", () => {
    const lru = new ByteBudgetLru<{ bytes: number }>(100);
    lru.set("small", sized(10));
    lru.set("huge", sized(101));
    expect(lru.get("huge")).toBeUndefined();
    expect(lru.get("small")).toBeDefined();
    expect(lru.usedBytes).toBe(10);
  });
});

describe("the encoding a cached answer is kept in", () => {
  it("is gzip when the client takes gzip, and identity otherwise", () => {
    expect(encodingFor("gzip, deflate, br")).toBe("gzip");
    expect(encodingFor("br;q=1.0, GZIP;q=0.5")).toBe("gzip");
    expect(encodingFor("*")).toBe("gzip");
    expect(encodingFor("gzip;q=0")).toBe("identity");
    expect(encodingFor("br")).toBe("identity");
    expect(encodingFor("")).toBe("identity");
    expect(encodingFor(null)).toBe("identity");
  });
});
