// @ts-check
// WEB_CONCURRENCY=N above 1: the primary process of app/server.js forks N workers that each run
// the HTTP server (node:cluster shares the port among them), replaces a worker that dies, and
// stops them all on SIGTERM or SIGINT. It serves nothing itself.
import cluster from "node:cluster";

// A worker's death is answered with a new one after a wait that doubles with every death in
// the last minute; more deaths than that allows is a crash loop (a bad configuration, the
// database gone), which restarting cannot fix.
const CRASH_WINDOW_MS = 60_000;
const FIRST_RESTART_DELAY_MS = 100;
const MAX_RESTART_DELAY_MS = 10_000;
// How long the workers have to finish their requests and release the outbox lease.
const SHUTDOWN_GRACE_MS = 5_000;

/**
 * @param {{ count: number }} options
 */
export function superviseWorkers({ count }) {
  const maxDeaths = count + 4;
  /** @type {Set<import("node:cluster").Worker>} */
  const alive = new Set();
  /** @type {number[]} */
  const deaths = [];
  let stopping = false;
  let exitCode = 0;

  const fork = () => alive.add(cluster.fork());

  cluster.on("exit", (worker, code, signal) => {
    alive.delete(worker);
    const pid = worker.process.pid;
    if (stopping) {
      if (alive.size === 0) process.exit(exitCode);
      return;
    }
    // A worker exits with 0 only when it was told to stop (a signal of its own): not replaced.
    if (code === 0 && !signal) {
      console.log(`Worker ${pid} stopped.`);
      if (alive.size === 0) process.exit(0);
      return;
    }
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    const at = Date.now();
    deaths.push(at);
    while (deaths[0] <= at - CRASH_WINDOW_MS) deaths.shift();
    if (deaths.length > maxDeaths) {
      console.error(
        `Worker ${pid} ${how}: ${deaths.length} workers died within ${CRASH_WINDOW_MS / 1000} s, ` +
          "so they are not started again. Stopping; the errors above say why they died.",
      );
      stop(1);
      return;
    }
    const delay = Math.min(FIRST_RESTART_DELAY_MS * 2 ** (deaths.length - 1), MAX_RESTART_DELAY_MS);
    console.error(`Worker ${pid} ${how}; starting another in ${delay} ms.`);
    setTimeout(() => {
      if (!stopping) fork();
    }, delay);
  });

  /** @param {number} code */
  function stop(code) {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    if (alive.size === 0) process.exit(code);
    // Each worker stops accepting, finishes what it serves and releases the lease it holds.
    for (const worker of alive) worker.process.kill("SIGTERM");
    setTimeout(() => {
      for (const worker of alive) worker.process.kill("SIGKILL");
      process.exit(code);
    }, SHUTDOWN_GRACE_MS).unref();
  }

  process.on("SIGTERM", () => stop(0));
  process.on("SIGINT", () => stop(0));

  console.log(`Starting ${count} workers (WEB_CONCURRENCY=${count}).`);
  for (let i = 0; i < count; i++) fork();
}
