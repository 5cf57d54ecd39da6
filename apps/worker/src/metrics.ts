import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import { JOB_STATES, type Db } from "@moneyprinter/db";
import { queueStats } from "@moneyprinter/queue";

export { Registry };

export interface WorkerMetrics {
  claims: Counter;
  retries: Counter;
  leaseLosses: Counter;
  cancellations: Counter;
  finished: Counter<"outcome">;
  queueWait: Histogram;
  runTime: Histogram<"outcome">;
  active: Gauge;
}

/** The worker's own counters and histograms, registered on `registry` (one per process). */
export function createWorkerMetrics(registry: Registry): WorkerMetrics {
  const registers = [registry];
  return {
    claims: new Counter({ name: "moneyprinter_worker_claims_total", help: "Jobs claimed by this process's workers.", registers }),
    retries: new Counter({ name: "moneyprinter_worker_retries_total", help: "Attempts that failed with a transient error and were scheduled again.", registers }),
    leaseLosses: new Counter({ name: "moneyprinter_worker_lease_losses_total", help: "Jobs this process stopped because its lease was taken away or ran out.", registers }),
    cancellations: new Counter({ name: "moneyprinter_worker_cancellations_total", help: "Running jobs stopped by a cancel request.", registers }),
    finished: new Counter({
      name: "moneyprinter_worker_attempts_finished_total",
      help: "Attempts ended by this process, by outcome (completed, failed, retry, cancelled, requeued, lost).",
      labelNames: ["outcome"],
      registers,
    }),
    // enqueue→start spans milliseconds (idle workers) to many minutes (a backlog)
    queueWait: new Histogram({
      name: "moneyprinter_queue_wait_seconds",
      help: "Time from a job becoming claimable (created, or its retry delay over) to its claim.",
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900],
      registers,
    }),
    // a real video takes minutes; noop attempts take milliseconds
    runTime: new Histogram({
      name: "moneyprinter_job_run_seconds",
      help: "Time one attempt ran, by outcome.",
      labelNames: ["outcome"],
      buckets: [0.01, 0.05, 0.25, 1, 5, 15, 30, 60, 120, 300, 600, 1200, 3600],
      registers,
    }),
    active: new Gauge({ name: "moneyprinter_worker_active_jobs", help: "Jobs running in this process now.", registers }),
  };
}

/**
 * A registry for /metrics: process defaults plus `moneyprinter_jobs{state}`, read from the
 * database at scrape time so it counts the jobs of every worker, not only this process's.
 */
export function createMetricsRegistry(db: Db, opts: { defaults?: boolean } = {}): Registry {
  const registry = new Registry();
  if (opts.defaults !== false) collectDefaultMetrics({ register: registry });
  new Gauge({
    name: "moneyprinter_jobs",
    help: "Jobs in the queue table by state.",
    labelNames: ["state"],
    registers: [registry],
    async collect() {
      const stats = await queueStats(db);
      for (const state of JOB_STATES) this.set({ state }, stats.counts[state]);
    },
  });
  new Gauge({
    name: "moneyprinter_queue_oldest_queued_age_seconds",
    help: "Age of the oldest queued job (0 when none is queued).",
    registers: [registry],
    async collect() {
      this.set((await queueStats(db)).oldestQueuedAgeSeconds ?? 0);
    },
  });
  return registry;
}
