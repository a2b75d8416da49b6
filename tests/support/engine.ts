// Which engine this run's integration tests use: `npm test` runs them on SQLite, then again on
// PostgreSQL (tests/run-postgres.js sets TEST_ENGINE).
export const testEngine: "sqlite" | "postgres" =
  process.env.TEST_ENGINE === "postgres" ? "postgres" : "sqlite";

/**
 * For the tests that read SQLite's query plans (EXPLAIN QUERY PLAN: which index a page walks).
 * They do not run on PostgreSQL, whose planner chooses by the statistics of the data at hand, so
 * a test file's few rows say nothing of the bench data's plans: there the same pages are held
 * to their targets by `npm run bench -- --engine=postgres` instead.
 */
export const skipOnPostgres = testEngine === "postgres";

/**
 * For the tests of what only PostgreSQL does: transactions that really overlap (row locks,
 * deadlocks, SKIP LOCKED). SQLite runs write transactions one at a time, so there is nothing of
 * the kind to see there.
 */
export const skipOnSqlite = testEngine === "sqlite";
