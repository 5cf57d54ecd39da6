import { createServer } from "node:http";
import { pino } from "pino";
import { createDatabase, DataDirLockedError } from "@moneyprinter/db";
import { parseWorkerEnv } from "./env.ts";
import { survivePostgresJsOrphanedRejections } from "./guard.ts";
import { createMetricsRegistry, createWorkerMetrics } from "./metrics.ts";
import { backoffFrom, pipelineFor } from "./settings.ts";
import { createWorker } from "./worker.ts";

/** Name the connections, so an operator (or a test) can find this worker's in pg_stat_activity. */
function withApplicationName(url: string, name: string): string {
  const u = new URL(url);
  if (!u.searchParams.has("application_name")) u.searchParams.set("application_name", name.slice(0, 63));
  return u.toString();
}

async function main() {
  const env = parseWorkerEnv();
  const log = pino({ level: env.LOG_LEVEL, base: { pid: process.pid } });
  survivePostgresJsOrphanedRejections(log);
  if (!env.DATABASE_URL && !env.DATA_DIR) {
    throw new Error(
      "Invalid setting DATABASE_URL: a stand-alone worker needs DATABASE_URL (the Postgres server the API uses). " +
        "The embedded database (PGlite) serves one process only, so `npm start` already runs a worker inside the server; " +
        "set DATA_DIR only to point this worker at an embedded database that no server holds.",
    );
  }
  const concurrency = env.WORKER_CONCURRENCY;
  const workerName = env.WORKER_ID ?? `mp-worker:${process.pid}`;
  const database = await createDatabase(
    env.DATABASE_URL
      ? { url: withApplicationName(env.DATABASE_URL, workerName), max: env.DB_POOL_MAX ?? Math.min(10, concurrency + 2) }
      : { dataDir: env.DATA_DIR! },
  );
  const registry = createMetricsRegistry(database.db);
  const worker = createWorker({
    database,
    runner: pipelineFor(env),
    concurrency,
    id: env.WORKER_ID,
    leaseSeconds: env.LEASE_SECONDS,
    pollSeconds: env.POLL_SECONDS,
    backoff: backoffFrom(env),
    dataDir: env.DATA_DIR ?? "./.data",
    outputDir: env.OUTPUT_DIR,
    metrics: createWorkerMetrics(registry),
    log,
  });

  const metricsServer =
    env.METRICS_PORT === undefined
      ? undefined
      : createServer((req, res) => {
          if (req.url !== "/metrics") return void res.writeHead(404).end();
          registry.metrics().then(
            (text) => res.writeHead(200, { "content-type": registry.contentType }).end(text),
            () => res.writeHead(500).end(),
          );
        }).listen(env.METRICS_PORT, env.METRICS_HOST);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      // a second signal: the operator wants out now; leases run out and the sweeper recovers the jobs
      log.warn(`${signal} again: exiting now`);
      process.exit(130);
    }
    stopping = true;
    log.info({ graceSeconds: env.SHUTDOWN_GRACE_SECONDS }, `${signal}: no new jobs; letting running ones finish`);
    let code = 0;
    try {
      await worker.stop({ graceMs: env.SHUTDOWN_GRACE_SECONDS * 1000 });
      metricsServer?.close();
      await database.close();
    } catch (err) {
      log.error({ err }, "shutdown failed");
      code = 1;
    } finally {
      process.exit(code);
    }
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));

  await worker.start();
  log.info({ worker: worker.id, database: database.kind, concurrency, pipeline: env.PIPELINE }, "MoneyPrinter worker running");
}

main().catch((err: unknown) => {
  if (err instanceof DataDirLockedError || (err instanceof Error && err.message.startsWith("Invalid setting"))) {
    console.error(err.message);
  } else {
    console.error("MoneyPrinter worker failed to start:", err);
  }
  process.exit(1);
});
