// `npm run worker`: delivers the outbox in its own process (run the app with OUTBOX_WORKER=off).
import { migrateDatabaseFile } from "../../db/migrator.js";

await migrateDatabaseFile(process.env.DATABASE_URL);
const { startOutboxWorker } = await import("~/services/worker.server");
const stop = startOutboxWorker();
console.log("Outbox worker started.");
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    stop();
    console.log("Outbox worker stopped.");
    process.exit(0);
  });
}
