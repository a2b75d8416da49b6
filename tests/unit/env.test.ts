import { describe, expect, it } from "vitest";
import { DEFAULT_BODY_LIMIT_BYTES, readEnv } from "~/env.server";

describe("the server's configuration", () => {
  it("runs one HTTP process unless WEB_CONCURRENCY asks for a whole number from 1 to 64", () => {
    expect(readEnv({}).WEB_CONCURRENCY).toBe(1);
    expect(readEnv({ WEB_CONCURRENCY: "4" }).WEB_CONCURRENCY).toBe(4);
    expect(readEnv({ WEB_CONCURRENCY: "64" }).WEB_CONCURRENCY).toBe(64);
    for (const value of ["0", "-2", "1.5", "65", "four", ""]) {
      expect(() => readEnv({ WEB_CONCURRENCY: value }), value).toThrow(
        /from 1 to 64|at least 1|at most 64/,
      );
    }
  });

  it("gives the outbox worker's lease three polls, and refuses one no longer than a poll", () => {
    expect(readEnv({}).WORKER_LEASE_MS).toBe(3 * readEnv({}).OUTBOX_POLL_MS);
    expect(readEnv({ OUTBOX_POLL_MS: "100" }).WORKER_LEASE_MS).toBe(300);
    expect(readEnv({ WORKER_LEASE_MS: "10000" }).WORKER_LEASE_MS).toBe(10_000);
    expect(() => readEnv({ OUTBOX_POLL_MS: "1000", WORKER_LEASE_MS: "1000" })).toThrow(
      /WORKER_LEASE_MS/,
    );
  });

  it("limits request bodies to 1 MiB unless BODY_LIMIT_BYTES says otherwise", () => {
    expect(readEnv({}).BODY_LIMIT_BYTES).toBe(DEFAULT_BODY_LIMIT_BYTES);
    expect(DEFAULT_BODY_LIMIT_BYTES).toBe(1024 * 1024);
    expect(readEnv({ BODY_LIMIT_BYTES: "2097152" }).BODY_LIMIT_BYTES).toBe(2 * 1024 * 1024);
  });

  it("refuses a body limit too small for the app's own longest form, or not a number", () => {
    expect(() => readEnv({ BODY_LIMIT_BYTES: "1000" })).toThrow();
    expect(() => readEnv({ BODY_LIMIT_BYTES: "1MB" })).toThrow();
  });

  it("reads TRUSTED_ORIGINS as a comma-separated list of origins", () => {
    expect(readEnv({}).TRUSTED_ORIGINS).toEqual([]);
    expect(
      readEnv({ TRUSTED_ORIGINS: " https://Partner.example/ ,http://127.0.0.1:3000,," })
        .TRUSTED_ORIGINS,
    ).toEqual(["https://partner.example", "http://127.0.0.1:3000"]);
  });

  it("refuses a trusted origin with a path, a query, credentials or another scheme", () => {
    for (const value of [
      "https://partner.example/app",
      "https://partner.example?x=1",
      "https://user:pw@partner.example",
      "ftp://partner.example",
      "partner.example",
      "*",
    ]) {
      expect(() => readEnv({ TRUSTED_ORIGINS: value }), value).toThrow(/TRUSTED_ORIGINS|origin/);
    }
  });

  it("lets pages post from BASE_URL's origin and TRUSTED_ORIGINS, and a local demo from loopback", () => {
    expect(
      readEnv({ BASE_URL: "https://feedback.example/", TRUSTED_ORIGINS: "https://b.example" })
        .POST_ORIGINS,
    ).toEqual(["https://feedback.example", "https://b.example"]);
    // No BASE_URL: a demo on this machine, opened as localhost, 127.0.0.1 or [::1].
    expect(readEnv({ PORT: "3100" }).POST_ORIGINS).toEqual([
      "http://localhost:3100",
      "http://127.0.0.1:3100",
      "http://[::1]:3100",
    ]);
  });
});
