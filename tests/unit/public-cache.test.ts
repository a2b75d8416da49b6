import { beforeAll, describe, expect, it } from "vitest";
import { resetEnv } from "~/env.server";
import {
  answerFromPublicCache,
  ByteBudgetLru,
  encodingFor,
  resetPublicCache,
  type PublicCacheLookup,
} from "~/services/public-cache.server";

beforeAll(() => {
  // Vitest sets BASE_URL to Vite's base ("/"), which the app's configuration refuses.
  process.env.BASE_URL = "http://localhost:3000";
  resetEnv();
  resetPublicCache();
});

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

describe("what the visitors' cache keeps of a rendered answer", () => {
  const lookup = (key: string): PublicCacheLookup => ({
    key,
    version: "1..",
    encoding: "identity",
    nonce: "nonce",
    etag: `"${key}"`,
  });
  /** Renders `response()` each time it is asked, counting how often it was. */
  const renderer = (response: () => Response) => {
    const counted = {
      calls: 0,
      render: () => {
        counted.calls++;
        return Promise.resolve(response());
      },
    };
    return counted;
  };
  const ask = (key: string, render: () => Promise<Response>) =>
    answerFromPublicCache(new Request(`http://localhost:3000/${key}`), lookup(key), render);

  it("keeps a whole 200 that sets no cookie, and answers the next visitor from it", async () => {
    const page = renderer(() => new Response("<p>board</p>", { status: 200 }));
    expect((await ask("kept", page.render)).headers.get("X-Cache")).toBe("miss");
    const second = await ask("kept", page.render);
    expect(second.headers.get("X-Cache")).toBe("hit");
    expect(await second.text()).toBe("<p>board</p>");
    expect(page.calls).toBe(1);
  });

  it("never keeps an answer that sets a cookie, nor one that is not a 200", async () => {
    const withCookie = renderer(
      () => new Response("<p>yours</p>", { headers: { "Set-Cookie": "__flash=; Max-Age=0" } }),
    );
    const notFound = renderer(() => new Response("missing", { status: 404 }));
    for (let i = 0; i < 2; i++) {
      const answer = await ask("cookie", withCookie.render);
      expect(answer.headers.get("Set-Cookie")).toContain("__flash");
      expect(answer.headers.get("X-Cache")).toBeNull();
      expect((await ask("missing", notFound.render)).status).toBe(404);
    }
    expect(withCookie.calls).toBe(2);
    expect(notFound.calls).toBe(2);
  });
});
