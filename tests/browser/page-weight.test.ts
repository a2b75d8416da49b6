// What a page makes the browser download before it is interactive. Remix replaces every
// `.server` module a route imports with an empty module, and without app/cli/build.js each
// one shared by two routes arrives as a script of its own: a request per page per module.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type TestServer } from "../support/server";

let server: TestServer;

beforeAll(async () => {
  server = await startServer({ seed: true });
});

afterAll(async () => {
  await server?.stop();
});

async function preloadedScripts(path: string): Promise<string[]> {
  const html = await (await fetch(`${server.baseUrl}${path}`)).text();
  return [...html.matchAll(/<link rel="modulepreload" href="([^"]+)"/g)].map((m) => m[1]);
}

describe("scripts a page loads", () => {
  it.each(["/", "/requests/1", "/signin", "/roadmap"])(
    "%s loads no script that is only an emptied server module",
    async (path) => {
      const scripts = await preloadedScripts(path);
      expect(scripts.length).toBeGreaterThan(3);
      for (const src of scripts) {
        const body = await (await fetch(`${server.baseUrl}${src}`)).text();
        const emptied = body.length < 400 && /exports\s*=\s*\{\s*\}/.test(body);
        expect(emptied, `${src} is an empty module: ${body}`).toBe(false);
      }
    },
  );
});
