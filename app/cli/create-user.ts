// `npm run user:create -- --email a@b.c --name "Name" [--password …] [--staff] [--staff-admin]`
// Creates an account from the command line; staff accounts are made this way or by the seed.
import crypto from "node:crypto";
import { parseArgs } from "node:util";
import { migrateDatabaseFile } from "../../db/migrator.js";

const { values } = parseArgs({
  options: {
    email: { type: "string" },
    name: { type: "string" },
    password: { type: "string" },
    staff: { type: "boolean", default: false },
    "staff-admin": { type: "boolean", default: false },
    locale: { type: "string", default: "he" },
  },
});

if (!values.email || !values.name) {
  console.error(
    'Usage: npm run user:create -- --email someone@example.com --name "Full Name" [--password …] [--staff] [--staff-admin]',
  );
  process.exit(2);
}
if (values.password !== undefined && values.password.length < 10) {
  console.error("The password needs at least 10 characters.");
  process.exit(2);
}

await migrateDatabaseFile(process.env.DATABASE_URL);
const { createUser, EmailTakenError } = await import("~/models/users.server");
const { getDb } = await import("~/db.server");

const password = values.password ?? crypto.randomBytes(12).toString("base64url");
const isStaff = values.staff || values["staff-admin"];
try {
  const user = await createUser({
    name: values.name,
    email: values.email,
    password,
    locale: values.locale === "en" ? "en" : "he",
    isStaff,
    staffRole: values["staff-admin"] ? "admin" : isStaff ? "member" : null,
  });
  console.log(
    `Created ${isStaff ? (values["staff-admin"] ? "staff admin" : "staff member") : "user"} #${user.id} <${user.email}>.`,
  );
  if (!values.password) console.log(`Generated password: ${password}`);
} catch (error) {
  if (error instanceof EmailTakenError) {
    console.error(`An account with ${values.email} already exists.`);
    process.exitCode = 1;
  } else {
    throw error;
  }
} finally {
  await getDb().destroy();
}
