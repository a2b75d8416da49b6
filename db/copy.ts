// `npm run db:copy -- --from ./data/broadly.sqlite --to postgres://…`: moves a board from its
// SQLite file into an empty PostgreSQL database (db/copy-board.ts). Exit codes: 0 copied,
// 1 refused or not faithful (nothing written), 2 bad arguments.
import { parseArgs } from "node:util";
import { copyBoard, CopyMismatch, CopyRefused, describeReport } from "./copy-board";

const USAGE =
  "Usage: npm run db:copy -- --from <SQLite file> --to postgres://user:password@host:5432/database";

function parse() {
  try {
    const { values } = parseArgs({
      options: { from: { type: "string" }, to: { type: "string" } },
    });
    return values;
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

const args = parse();
if ("error" in args || !args.from || !args.to) {
  console.error("error" in args ? `${args.error}\n${USAGE}` : USAGE);
  process.exit(2);
}

try {
  const report = await copyBoard({ from: args.from, to: args.to });
  for (const line of describeReport(report)) console.log(line);
  console.log(
    `Copied ${report.rows} rows in ${report.tables.length} tables to ${report.target}; ` +
      `counts and counters match (${report.indexed} requests in the search index).`,
  );
} catch (error) {
  if (error instanceof CopyRefused) {
    console.error(error.usage ? `${error.message}\n${USAGE}` : error.message);
    process.exitCode = error.usage ? 2 : 1;
  } else if (error instanceof CopyMismatch) {
    for (const line of describeReport(error.report)) console.error(line);
    console.error(error.message);
    process.exitCode = 1;
  } else {
    throw error;
  }
}
