import { randomUUID } from "node:crypto";
import { mkdir, rm } from "node:fs/promises";
import { setImmediate as tick } from "node:timers/promises";
import { hostname } from "node:os";
import { join, resolve } from "node:path";
import { CHANNELS, type Database } from "@moneyprinter/db";
import {
  backoffSeconds,
  cancelRequestedAmong,
  claimJobs,
  DEFAULT_BACKOFF,
  failJob,
  markCancelled,
  nextRunAt,
  releaseJob,
  renewLeases,
  retryJob,
  sweepExpiredLeases,
  type BackoffPolicy,
  type ClaimedJob,
  type Lease,
} from "@moneyprinter/queue";
import { WriteBatcher } from "./batcher.ts";
import { describeError, isTransientError } from "./classify.ts";
import { createRunContext } from "./context.ts";
import type { WorkerMetrics } from "./metrics.ts";
import type { JobRunner } from "./runner.ts";

/** pino-compatible, so the server can pass `app.log`. */
export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

const silent: Logger = { info() {}, warn() {}, error() {}, debug() {} };

export interface WorkerOptions {
  database: Database;
  runner: JobRunner;
  /** jobs run at once */
  concurrency: number;
  /** lease owner id, shown in events and used by the sweeper's message; default host:pid:random */
  id?: string;
  /** LEASE_SECONDS: a job whose worker stops renewing for this long is taken back */
  leaseSeconds?: number;
  /** POLL_SECONDS: the slow poll behind LISTEN, in case a NOTIFY was missed */
  pollSeconds?: number;
  /** how often running jobs' cancel flags are polled, behind LISTEN mp_cancel (ms) */
  cancelPollMs?: number;
  /** how often expired leases are swept (seconds); default a third of the lease */
  sweepSeconds?: number;
  backoff?: BackoffPolicy;
  /** DATA_DIR: work dirs under work/, songs under songs/, output under output/ unless outputDir */
  dataDir: string;
  outputDir?: string;
  metrics?: WorkerMetrics;
  log?: Logger;
  /** after aborting a runner, how long to wait for it to stop before cleaning up anyway (ms) */
  settleMs?: number;
}

export interface Worker {
  readonly id: string;
  /** jobs running now */
  readonly activeJobs: number;
  start(): Promise<void>;
  /**
   * Stop claiming; let running jobs finish for `graceMs`; then abort the rest and hand them back
   * to the queue (attempt not counted). Resolves when every job has been dealt with.
   */
  stop(opts?: { graceMs?: number }): Promise<void>;
}

type StopReason = "cancel" | "lease-lost" | "shutdown";

interface Active {
  job: ClaimedJob;
  lease: Lease;
  controller: AbortController;
  reason?: StopReason;
  /** local clock: past this the lease may have expired in the database and the job must stop */
  deadline: number;
  done?: Promise<void>;
}

export function createWorker(opts: WorkerOptions): Worker {
  const { database, runner } = opts;
  const db = database.db;
  const id = opts.id ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const leaseSeconds = opts.leaseSeconds ?? 30;
  const pollMs = (opts.pollSeconds ?? 5) * 1000;
  const cancelPollMs = opts.cancelPollMs ?? 500;
  // renew every third of the lease: two missed beats still leave a margin before it expires
  const renewMs = (leaseSeconds * 1000) / 3;
  const sweepMs = (opts.sweepSeconds ?? leaseSeconds / 3) * 1000;
  const backoff = opts.backoff ?? DEFAULT_BACKOFF;
  const settleMs = opts.settleMs ?? 10_000;
  const dataDir = resolve(opts.dataDir);
  const outputDir = resolve(opts.outputDir ?? join(dataDir, "output"));
  const songsDir = join(dataDir, "songs");
  const log = opts.log ?? silent;
  const m = opts.metrics;

  const batch = new WriteBatcher(database);
  const active = new Map<string, Active>();
  let started = false;
  let stopping = false;
  let loopDone: Promise<void> | undefined;
  const timers: NodeJS.Timeout[] = [];
  const unlisteners: (() => Promise<void>)[] = [];

  // ---- wake-ups: a NOTIFY, a finished job, a poll tick or the next retry coming due ----
  let pendingWake = false;
  let waiter: (() => void) | undefined;
  const wake = () => {
    pendingWake = true;
    waiter?.();
  };
  const waitForWake = (ms: number) =>
    new Promise<void>((done) => {
      if (pendingWake || stopping) return done();
      const timer = setTimeout(finish, ms);
      function finish() {
        clearTimeout(timer);
        waiter = undefined;
        done();
      }
      waiter = finish;
    });

  const abort = (a: Active, reason: StopReason) => {
    if (a.controller.signal.aborted) return;
    a.reason = reason;
    a.controller.abort(new Error(`job ${reason === "cancel" ? "cancelled" : reason === "shutdown" ? "stopped for shutdown" : "lease lost"}`));
  };

  async function loop() {
    let failures = 0;
    while (!stopping) {
      let free = opts.concurrency - active.size;
      if (free <= 0) {
        await waitForWake(pollMs);
        pendingWake = false;
        continue;
      }
      pendingWake = false;
      // jobs finishing in one batch wake us one by one: let them all land, then claim their places in one statement
      await tick();
      if (stopping) break;
      free = opts.concurrency - active.size;
      let claimed: ClaimedJob[];
      const before = Date.now();
      try {
        claimed = await claimJobs(db, { owner: id, leaseSeconds, limit: free });
        failures = 0;
      } catch (err) {
        // the database is unreachable or restarting: back off (≤ 5 s) and try again, never spin
        failures++;
        log.warn({ err, worker: id }, "claim failed; retrying");
        await waitForWake(Math.min(5_000, 250 * 2 ** Math.min(failures, 5)));
        continue;
      }
      if (stopping) {
        // claimed while stop() was called: hand them straight back
        for (const job of claimed) await releaseJob(db, { jobId: job.id, token: job.leaseToken }, id).catch(() => {});
        break;
      }
      for (const job of claimed) start(job, before);
      if (claimed.length === free || pendingWake) continue;
      // nothing (more) to claim now: sleep until woken, the poll tick, or the next delayed job is due
      let waitMs = pollMs;
      try {
        const next = await nextRunAt(db);
        // a due job we could not take was locked by another claimer for an instant: look again shortly
        if (next) waitMs = Math.min(pollMs, Math.max(20, next.getTime() - Date.now()));
      } catch {
        /* the claim loop notices a dead database */
      }
      await waitForWake(waitMs);
    }
  }

  function start(job: ClaimedJob, claimedAt: number) {
    const a: Active = {
      job,
      lease: { jobId: job.id, token: job.leaseToken },
      controller: new AbortController(),
      deadline: claimedAt + leaseSeconds * 1000,
    };
    active.set(job.id, a);
    m?.claims.inc();
    m?.queueWait.observe(job.waitSeconds);
    m?.active.set(active.size);
    a.done = run(a)
      .catch((err: unknown) => log.error({ err, jobId: job.id }, "job bookkeeping failed"))
      .finally(() => {
        active.delete(job.id);
        m?.active.set(active.size);
        wake();
      });
  }

  async function run(a: Active) {
    const { job, lease } = a;
    const signal = a.controller.signal;
    const workDir = join(dataDir, "work", job.id);
    const t0 = performance.now();
    let outcome: "completed" | "failed" | "retry" | "cancelled" | "requeued" | "lost" = "lost";
    let settled: Promise<unknown> = Promise.resolve();
    // an earlier attempt on this machine may have left files there even if this one made none
    let hasWorkDir = job.attempt > 1;
    try {
      const ctx = createRunContext({
        db,
        batch,
        lease,
        attempt: job.attempt,
        options: job.options,
        signal,
        onLeaseLost: () => abort(a, "lease-lost"),
        workDir,
        onWorkDir: () => (hasWorkDir = true),
        outputPath: join(outputDir, `${job.id}.mp4`),
        songsDir,
      });
      const result = runner(ctx).then(
        (value) => ({ ok: true as const, value }),
        (error: unknown) => ({ ok: false as const, error }),
      );
      settled = result;
      // an abort (cancel, lease loss, shutdown) is acted on at once, even if the runner is slow to notice
      const aborted = new Promise<"aborted">((r) => {
        if (signal.aborted) r("aborted");
        signal.addEventListener("abort", () => r("aborted"), { once: true });
      });
      const first = await Promise.race([result, aborted]);
      if (first !== "aborted" && first.ok && !signal.aborted) {
        const resultPath = first.value.resultPath;
        outcome = (await batch.write({ kind: "complete", lease, resultPath })) !== null ? "completed" : "lost";
        if (outcome === "lost") abort(a, "lease-lost");
      } else if (signal.aborted) {
        outcome = await onAbort(a);
      } else if (first !== "aborted" && !first.ok) {
        outcome = await onError(a, first.error);
      }
    } catch (err) {
      // a statement of ours failed (database down): the lease runs out and the sweeper retries the job
      log.error({ err, jobId: job.id }, "could not record the job's outcome");
      outcome = "lost";
    } finally {
      // let the runner unwind (its child processes are killed by the signal) before removing its files
      await Promise.race([settled, new Promise((r) => setTimeout(r, settleMs).unref())]);
      if (hasWorkDir && (outcome === "completed" || outcome === "failed" || outcome === "cancelled")) {
        await rm(workDir, { recursive: true, force: true }).catch(() => {});
      }
      m?.finished.inc({ outcome });
      m?.runTime.observe({ outcome }, (performance.now() - t0) / 1000);
      log.debug({ jobId: job.id, attempt: job.attempt, outcome }, "attempt finished");
    }
  }

  async function onAbort(a: Active): Promise<"cancelled" | "requeued" | "lost"> {
    if (a.reason === "cancel") {
      m?.cancellations.inc();
      return (await markCancelled(db, a.lease)) ? "cancelled" : "lost";
    }
    if (a.reason === "shutdown") {
      // a cancel may have been requested while we were shutting down: honour it rather than requeue
      if (await markCancelled(db, a.lease)) return "cancelled";
      return (await releaseJob(db, a.lease, id)) ? "requeued" : "lost";
    }
    m?.leaseLosses.inc();
    log.warn({ jobId: a.job.id, worker: id }, "lease lost: stopped the job and wrote nothing more");
    return "lost";
  }

  async function onError(a: Active, error: unknown): Promise<"failed" | "retry" | "lost" | "cancelled"> {
    const { job, lease } = a;
    const message = describeError(error);
    if (isTransientError(error) && job.attempt < job.maxAttempts) {
      const delay = backoffSeconds(job.attempt, backoff);
      if (!(await retryJob(db, lease, { reason: message, delaySeconds: delay }))) return "lost";
      m?.retries.inc();
      log.info({ jobId: job.id, attempt: job.attempt, delay, reason: message }, "transient failure; retry scheduled");
      return "retry";
    }
    // a cancel requested while the runner was failing wins: the user asked for it to stop
    if (await markCancelled(db, lease)) return "cancelled";
    const final = isTransientError(error) ? `${message} Gave up after ${job.attempt} attempt${job.attempt === 1 ? "" : "s"}.` : message;
    const ok = await failJob(db, lease, final, { attempt: job.attempt, transient: isTransientError(error) });
    log.warn({ jobId: job.id, attempt: job.attempt, error: final }, "job failed");
    return ok ? "failed" : "lost";
  }

  async function renew() {
    const running = [...active.values()].filter((a) => !a.controller.signal.aborted);
    if (running.length === 0) return;
    const sent = Date.now();
    try {
      const leases = running.map((a) => a.lease);
      const held = await batch.run((db) => renewLeases(db, leases, leaseSeconds));
      const byId = new Map(held.map((h) => [h.jobId, h]));
      for (const a of running) {
        const h = byId.get(a.job.id);
        if (!h) {
          // finished meanwhile by ourselves, or taken away: only the latter is still in `active`
          if (active.has(a.job.id)) abort(a, "lease-lost");
          continue;
        }
        a.deadline = sent + leaseSeconds * 1000;
        if (h.cancelRequested) abort(a, "cancel");
      }
    } catch (err) {
      log.warn({ err, worker: id }, "lease renewal failed");
    }
    selfFence();
  }

  /** Without a renewal for a whole lease, another worker may own the job: stop before it does. */
  function selfFence() {
    const now = Date.now();
    for (const a of active.values()) if (now > a.deadline) abort(a, "lease-lost");
  }

  async function pollCancels() {
    const ids = [...active.values()].filter((a) => !a.controller.signal.aborted).map((a) => a.job.id);
    if (ids.length === 0) return;
    try {
      for (const jobId of await cancelRequestedAmong(db, ids)) {
        const a = active.get(jobId);
        if (a) abort(a, "cancel");
      }
    } catch {
      /* renewals and claims report the database being down */
    }
  }

  async function sweep() {
    try {
      const swept = await sweepExpiredLeases(db, { backoff });
      for (const s of swept) log.warn({ jobId: s.jobId, state: s.state, lostWorker: s.lostOwner }, "recovered a job from a lost worker");
      if (swept.some((s) => s.state === "queued")) wake();
    } catch (err) {
      log.warn({ err }, "sweep failed");
    }
  }

  const every = (ms: number, fn: () => Promise<void>) => {
    let busy = false;
    const t = setInterval(() => {
      if (busy) return; // never overlap a slow statement with the next tick
      busy = true;
      void fn().finally(() => (busy = false));
    }, ms);
    timers.push(t);
  };

  return {
    id,
    get activeJobs() {
      return active.size;
    },
    async start() {
      if (started) throw new Error("worker already started");
      started = true;
      await mkdir(join(dataDir, "work"), { recursive: true });
      unlisteners.push(await database.listen(CHANNELS.queued, wake, wake));
      unlisteners.push(
        await database.listen(
          CHANNELS.cancel,
          (jobId) => {
            const a = active.get(jobId);
            if (a) abort(a, "cancel");
          },
          () => void pollCancels(),
        ),
      );
      every(renewMs, renew);
      // on its own timer: a renewal stuck on a dead connection must not keep the job running past its lease
      every(Math.min(renewMs, 1_000), async () => selfFence());
      every(cancelPollMs, pollCancels);
      every(sweepMs, sweep);
      void sweep();
      loopDone = loop().catch((err: unknown) => log.error({ err }, "worker loop crashed"));
      log.info({ worker: id, concurrency: opts.concurrency, leaseSeconds }, "worker started");
    },
    async stop({ graceMs = 30_000 } = {}) {
      if (!started || stopping) return void (await loopDone);
      stopping = true;
      wake();
      await loopDone;
      const all = () => Promise.all([...active.values()].map((a) => a.done));
      if (active.size > 0) {
        log.info({ worker: id, running: active.size, graceMs }, "stopping: letting running jobs finish");
        const timer = new Promise<"grace-over">((r) => setTimeout(() => r("grace-over"), graceMs).unref());
        if ((await Promise.race([all(), timer])) === "grace-over") {
          for (const a of active.values()) abort(a, "shutdown");
        }
        await all();
      }
      for (const t of timers) clearInterval(t);
      await Promise.all(unlisteners.map((u) => u().catch(() => {})));
      log.info({ worker: id }, "worker stopped");
    },
  };
}
