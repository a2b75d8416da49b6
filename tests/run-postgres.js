// @ts-check
// The unit and integration suites again, on PostgreSQL (`npm test` runs this after the SQLite
// run; `npm run test:postgres` alone). The server is TEST_POSTGRES_URL when set (a role that
// may create databases; the URL's database is only used to connect), else a throwaway cluster
// of Debian's PostgreSQL when one is installed, else the run says so and passes.
import { spawnSync } from "node:child_process";
import { migrateDatabaseFile } from "../db/migrator.js";
import {
  TEMPLATE_DATABASE,
  createDatabase,
  dropTestDatabases,
  findPostgresBinaries,
  startThrowawayCluster,
} from "./support/postgres.js";

const given = process.env.TEST_POSTGRES_URL;
const bin = given ? null : findPostgresBinaries();
if (!given && !bin) {
  console.log(
    "\nPostgreSQL suites not run: TEST_POSTGRES_URL is not set and no PostgreSQL is installed " +
      "(apt-get install postgresql, or point TEST_POSTGRES_URL at a server).",
  );
  process.exit(0);
}

const cluster = bin ? await startThrowawayCluster(bin) : null;
const serverUrl = given ?? /** @type {NonNullable<typeof cluster>} */ (cluster).url;
let status = 1;
try {
  await migrateDatabaseFile(await createDatabase(serverUrl, TEMPLATE_DATABASE));
  const where = new URL(serverUrl);
  console.log(
    `\nThe unit and integration suites on PostgreSQL (${cluster ? "a throwaway cluster" : "TEST_POSTGRES_URL"} at ${where.host}):`,
  );
  const run = spawnSync(
    "npx",
    [
      "vitest",
      "run",
      "--config",
      "tests/vitest.config.ts",
      "--project",
      "unit",
      "--project",
      "integration",
      ...process.argv.slice(2),
    ],
    {
      stdio: "inherit",
      env: { ...process.env, TEST_ENGINE: "postgres", TEST_POSTGRES_URL: serverUrl },
    },
  );
  status = run.status ?? 1;
} finally {
  if (cluster) cluster.stop();
  else await dropTestDatabases(serverUrl);
}
process.exit(status);
