import { createDatabase, DataDirLockedError } from "@moneyprinter/db";
import {
  backoffFrom,
  createMetricsRegistry,
  createWorker,
  createWorkerMetrics,
  pipelineFor,
  survivePostgresJsOrphanedRejections,
  type Worker,
} from "@moneyprinter/worker";
import { buildServer } from "./app.ts";
import { parseServerEnv } from "./env.ts";

async function main() {
  const env = parseServerEnv();
  const database = await createDatabase(env.DATABASE_URL ? { url: env.DATABASE_URL } : { dataDir: env.DATA_DIR });
  const metrics = createMetricsRegistry(database.db);
  const app = await buildServer({ env, database, metrics });
  // a dropped Postgres connection must not end the process (see the worker's guard.ts)
  if (database.kind === "postgres") survivePostgresJsOrphanedRejections(app.log);
  // the embedded worker shares the server's Database: PGlite serves one process, and one pool is enough
  const worker: Worker | undefined =
    env.WORKER_CONCURRENCY > 0
      ? createWorker({
          database,
          runner: pipelineFor(env),
          concurrency: env.WORKER_CONCURRENCY,
          id: env.WORKER_ID,
          leaseSeconds: env.LEASE_SECONDS,
          pollSeconds: env.POLL_SECONDS,
          backoff: backoffFrom(env),
          dataDir: env.DATA_DIR,
          outputDir: env.OUTPUT_DIR,
          metrics: createWorkerMetrics(metrics),
          log: app.log,
        })
      : undefined;

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      app.log.warn(`${signal} again: exiting now`);
      process.exit(1);
    }
    stopping = true;
    app.log.info(`${signal}: shutting down`);
    try {
      await app.close();
      // no new jobs; running ones get SHUTDOWN_GRACE_SECONDS, then go back to the queue
      await worker?.stop({ graceMs: env.SHUTDOWN_GRACE_SECONDS * 1000 });
      await database.close();
    } finally {
      process.exit(0);
    }
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));

  await app.listen({ port: env.PORT, host: env.HOST });
  await worker?.start();
  app.log.info(
    { database: database.kind, dataDir: database.kind === "pglite" ? env.DATA_DIR : undefined, worker: worker ? { id: worker.id, concurrency: env.WORKER_CONCURRENCY, pipeline: env.PIPELINE } : "none" },
    `MoneyPrinter API on http://${env.HOST}:${env.PORT} (docs: /api/docs)`,
  );
}

main().catch((err: unknown) => {
  // configuration mistakes get their sentence, not a stack trace
  if (err instanceof DataDirLockedError || (err instanceof Error && /^(Invalid setting|[A-Z0-9_]+ is required when)/.test(err.message))) {
    console.error(err.message);
  } else {
    console.error("MoneyPrinter failed to start:", err);
  }
  process.exit(1);
});
