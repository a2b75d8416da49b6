// Three suites: unit (pure functions), integration (models and routes on a temporary SQLite
// file per test file) and browser (Chromium against the production build).
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const resolve = { alias: { "~": path.join(root, "app") } };

export default defineConfig({
  root,
  resolve,
  test: {
    projects: [
      {
        resolve,
        test: {
          name: "unit",
          root,
          include: ["tests/unit/**/*.test.ts"],
          environment: "node",
          setupFiles: ["tests/support/catalogs.ts"],
        },
      },
      {
        resolve,
        test: {
          name: "integration",
          root,
          include: ["tests/integration/**/*.test.ts"],
          environment: "node",
          setupFiles: ["tests/support/catalogs.ts", "tests/support/setup-db.ts"],
          testTimeout: 30_000,
        },
      },
      {
        resolve,
        test: {
          name: "browser",
          root,
          include: ["tests/browser/**/*.test.ts"],
          environment: "node",
          setupFiles: ["tests/support/catalogs.ts", "tests/support/browser-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // A read after a client-side navigation polls until React has rendered the new page;
          // a loaded CI machine can take longer than the default second.
          expect: { poll: { timeout: 5_000 } },
          // Each file starts its own server and browser; two cores run them one at a time.
          fileParallelism: false,
        },
      },
    ],
  },
});
