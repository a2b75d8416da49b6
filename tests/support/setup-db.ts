// Runs before every integration test file: a fresh SQLite file (or, in the PostgreSQL run,
// a database copied from the migrated template) and a mail folder of its own, so no test ever
// touches the demo database or another file's data.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { migrateDatabaseFile } from "../../db/migrator.js";
import { createTestDatabase } from "./postgres.js";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "broadly-test-"));
process.env.NODE_ENV = "test";
process.env.DATABASE_URL =
  process.env.TEST_ENGINE === "postgres"
    ? await createTestDatabase(process.env.TEST_POSTGRES_URL!)
    : path.join(dir, "test.sqlite");
process.env.MAIL_DIR = path.join(dir, "mail");
process.env.BASE_URL = "http://broadly.test";
// Sign-in delays stay real but tiny, so throttling tests take milliseconds.
process.env.SIGN_IN_DELAY_MS = "1";
delete process.env.SMTP_URL;
// Followers' status updates are due at once: a test that wants a burst grouped delivers after
// the burst (the grouping happens when the worker claims), one that wants the wait sets it.
process.env.NOTIFY_GROUP_MS = "0";

if (process.env.TEST_ENGINE !== "postgres") await migrateDatabaseFile(process.env.DATABASE_URL);
