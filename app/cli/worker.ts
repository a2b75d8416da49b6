// `npm run worker`: the outbox worker in its own process. It shares the work with the app's
// processes through the lease in the database (only its holder delivers), so running it beside
// them is safe; run the app with OUTBOX_WORKER=off to leave the outbox to this process alone.
import { migrateDatabaseFile } from "../../db/migrator.js";

await migrateDatabaseFile(process.env.DATABASE_URL);
const { startOutboxWorker } = await import("~/services/worker.server");
const stop = startOutboxWorker();
console.log("Outbox worker started.");
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    void stop()
      .catch((error) => console.error("outbox worker:", error))
      .finally(() => {
        console.log("Outbox worker stopped.");
        process.exit(0);
      });
  });
}
