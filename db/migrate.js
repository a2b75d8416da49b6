// @ts-check
// `npm run db:migrate`: brings the database at DATABASE_URL up to the latest migration.
import { migrateDatabaseFile } from "./migrator.js";
import { describeDatabaseUrl } from "./engine.js";

const applied = await migrateDatabaseFile(process.env.DATABASE_URL);
const file = describeDatabaseUrl(process.env.DATABASE_URL);
console.log(
  applied.length
    ? `Migrated ${file}: ${applied.join(", ")}`
    : `Database ${file} is already up to date.`,
);
