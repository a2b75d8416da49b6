// The patches in .patches/ (applied by patch-package after every install, package.json's
// postinstall) are what keeps the server from matching the whole route tree afresh four times
// per page; an install that skipped them would serve correctly but slower, so this says so.
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";

const require = createRequire(import.meta.url);
const root = path.resolve(import.meta.dirname, "../..");

describe("the framework patches", () => {
  it("are applied to the installed files the server loads", () => {
    const patches = fs.readdirSync(path.join(root, ".patches"));
    expect(patches.length).toBeGreaterThan(0);
    for (const patch of patches) {
      const text = fs.readFileSync(path.join(root, ".patches", patch), "utf8");
      for (const [, file] of text.matchAll(/^\+\+\+ b\/node_modules\/(.+)$/gm)) {
        // The file Node resolves, the one the server really runs.
        expect(fs.existsSync(require.resolve(file))).toBe(true);
        expect(fs.readFileSync(require.resolve(file), "utf8")).toContain("Broadly's patch");
      }
    }
  });

  it("keep route matching right: the same matches, asked again and again", async () => {
    const { matchRoutes } = await import("@remix-run/router");
    const routes = [
      {
        id: "root",
        path: "/",
        children: [
          { id: "request", path: "requests/:id" },
          { id: "index", index: true },
        ],
      },
    ];
    for (let i = 0; i < 3; i++) {
      expect(matchRoutes(routes, "/requests/7")?.map((m) => [m.route.id, m.params.id])).toEqual([
        ["root", "7"],
        ["request", "7"],
      ]);
      expect(matchRoutes(routes, "/")?.map((m) => m.route.id)).toEqual(["root", "index"]);
      expect(matchRoutes(routes, "/nowhere")).toBeNull();
    }
  });
});
