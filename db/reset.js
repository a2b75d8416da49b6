// @ts-check
// Deletes the SQLite database named by DATABASE_URL (with its WAL and shared-memory files) and
// the e-mails written under MAIL_DIR, so `npm run db:reset` can seed the demo data afresh.
// Stop the server first: a running server keeps the old file open.
import fs from "node:fs";
import path from "node:path";
import { databaseFileFromUrl } from "./sqlite.js";

const file = path.resolve(databaseFileFromUrl(process.env.DATABASE_URL));
for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(file + suffix, { force: true });
const mailDir = path.resolve(process.env.MAIL_DIR ?? "./data/mail");
fs.rmSync(mailDir, { recursive: true, force: true });
console.log(`Removed ${file} and ${mailDir}.`);
