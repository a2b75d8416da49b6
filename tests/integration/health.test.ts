import { describe, expect, it } from "vitest";
import { loader } from "~/routes/healthz";

describe("the health check", () => {
  it("answers 200 {ok: true} while the database answers, and is never cached", async () => {
    const response = await loader();
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    expect(response.headers.get("Content-Type")).toMatch(/^application\/json/);
  });
});
