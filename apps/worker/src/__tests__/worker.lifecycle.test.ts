import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { generationJobs, type Database } from "@moneyprinter/db";
import { testDatabases } from "@moneyprinter/db/testing";
import { cancelJob, enqueue, getJob, listEvents, nominalBackoffSeconds } from "@moneyprinter/queue";
import { createMetricsRegistry, createWorkerMetrics, type WorkerMetrics } from "../metrics.ts";
import { noopRunner } from "../noop.ts";
import { overallProgress, type JobRunner } from "../runner.ts";
import { createWorker, type Worker } from "../worker.ts";
import { alive, until } from "./helpers.ts";

for (const target of testDatabases()) {
  describe(`worker on ${target.name}`, () => {
    let database: Database;
    let dataDir: string;
    const workers: Worker[] = [];
    beforeAll(async () => {
      database = await target.open();
    });
    afterAll(async () => {
      await Promise.all(workers.map((w) => w.stop({ graceMs: 0 })));
      await database.close();
    });
    beforeEach(async () => {
      await Promise.all(workers.splice(0).map((w) => w.stop({ graceMs: 0 })));
      await database.db.delete(generationJobs);
      dataDir = mkdtempSync(join(tmpdir(), "mp-worker-"));
    });
    const db = () => database.db;
    const backoff = { baseSeconds: 0.2, maxSeconds: 10, jitter: 0.2 };
    async function startWorker(runner: JobRunner, extra: Partial<Parameters<typeof createWorker>[0]> = {}) {
      const w = createWorker({ database, runner, concurrency: 2, dataDir, backoff, pollSeconds: 1, ...extra });
      workers.push(w);
      await w.start();
      return w;
    }
    const types = async (id: string) => (await listEvents(db(), id)).map((e) => e.type);

    it("runs a noop job to completion: events in order, progress recorded, work dir removed", async () => {
      await startWorker(noopRunner());
      const job = await enqueue(db(), { options: { videoSubject: "cats" } });
      const done = await until(async () => {
        const j = await getJob(db(), job.id);
        return j?.state === "completed" && j;
      });
      expect(done.resultPath).toBe(join(dataDir, "output", `${job.id}.mp4`));
      expect([done.attempts, done.leaseToken, done.progress?.step]).toEqual([1, null, "render"]);
      expect(await types(job.id)).toEqual(["queued", "running", "log", "log", "log", "complete"]);
      const events = await listEvents(db(), job.id);
      expect(events.at(-1)!.payload).toEqual({ path: done.resultPath });
      expect(events[2]!.payload).toEqual({ step: "script", stepFraction: 1, progress: overallProgress("script", 1) });
      expect(overallProgress("script", 1)).toBeGreaterThan(0);
      // removed right after the terminal write
      await until(async () => !existsSync(join(dataDir, "work", job.id)), 2_000);
    });

    it("retries transient errors with exponential backoff inside the jitter, then fails with the last error", async () => {
      let calls = 0;
      await startWorker(async () => {
        calls++;
        throw Object.assign(new Error(`pexels answered 503 (call ${calls})`), { transient: true, status: 503 });
      });
      const job = await enqueue(db(), { options: {}, maxAttempts: 3 });
      const failed = await until(async () => {
        const j = await getJob(db(), job.id);
        return j?.state === "failed" && j;
      });
      expect(calls).toBe(3);
      expect(failed.attempts).toBe(3);
      expect(failed.errorMessage).toBe("pexels answered 503 (call 3). Gave up after 3 attempts.");
      const events = await listEvents(db(), job.id);
      const retries = events.filter((e) => e.type === "retry");
      expect(retries.map((r) => r.payload!.attempt)).toEqual([1, 2]);
      for (const r of retries) {
        const nominal = nominalBackoffSeconds(r.payload!.attempt as number, backoff);
        expect(r.payload!.delaySeconds).toBeGreaterThanOrEqual(nominal * 0.8);
        expect(r.payload!.delaySeconds).toBeLessThanOrEqual(nominal * 1.2);
        expect(r.message).toMatch(/^Attempt \d of 3 failed: pexels answered 503 \(call \d\)\. Retrying in [\d.]+ s\.$/);
      }
      // the second attempt did not start before its delay ran out
      const [, run2] = events.filter((e) => e.type === "running");
      expect(run2!.timestamp - retries[0]!.timestamp).toBeGreaterThanOrEqual((retries[0]!.payload!.delaySeconds as number) - 0.05);
      expect(events.at(-1)!.type).toBe("error");
    });

    it("fails a permanent error at once with a message saying what to fix", async () => {
      await startWorker(async () => {
        throw Object.assign(new Error("Pexels rejected the API key (401)"), { transient: false, status: 401, envVar: "PEXELS_API_KEY" });
      });
      const job = await enqueue(db(), { options: {} });
      const failed = await until(async () => {
        const j = await getJob(db(), job.id);
        return j?.state === "failed" && j;
      });
      expect(failed.attempts).toBe(1);
      expect(failed.errorMessage).toBe("Pexels rejected the API key (401). Check PEXELS_API_KEY.");
      expect(await types(job.id)).toEqual(["queued", "running", "error"]);
    });

    it("a cancelled queued job never starts", async () => {
      const job = await enqueue(db(), { options: {} });
      expect(await cancelJob(db(), job.id)).toBe("cancelled");
      let ran = 0;
      await startWorker(async (ctx) => {
        ran++;
        return { resultPath: ctx.outputPath };
      });
      const other = await enqueue(db(), { options: {} });
      await until(async () => (await getJob(db(), other.id))?.state === "completed");
      expect(ran).toBe(1);
      expect((await getJob(db(), job.id))!.startedAt).toBeNull();
      expect(await types(job.id)).toEqual(["queued", "cancel_requested", "cancelled"]);
    });

    it("cancelling a running job kills its child process, removes its files and ends it cancelled within 1 s", async () => {
      const metrics = createWorkerMetrics(createMetricsRegistry(db(), { defaults: false }));
      let pid = 0;
      await startWorker(
        async (ctx) => {
          writeFileSync(join(ctx.workDir, "partial.mp4"), "half a video");
          const child = spawn("sleep", ["30"], { signal: ctx.signal, stdio: "ignore" });
          pid = child.pid!;
          await ctx.emit({ level: "info", message: "encoder started", payload: { pid } });
          await new Promise((resolve, reject) => {
            child.on("exit", resolve);
            child.on("error", reject);
          });
          return { resultPath: ctx.outputPath };
        },
        { metrics, cancelPollMs: 5_000 }, // NOTIFY alone must do it
      );
      const job = await enqueue(db(), { options: {} });
      await until(async () => (await types(job.id)).includes("log"));
      expect(alive(pid)).toBe(true);
      expect(existsSync(join(dataDir, "work", job.id, "partial.mp4"))).toBe(true);
      const t0 = Date.now();
      expect(await cancelJob(db(), job.id)).toBe("requested");
      await until(async () => (await getJob(db(), job.id))?.state === "cancelled", 1_000, 10);
      expect(Date.now() - t0).toBeLessThan(1_000);
      await until(async () => !alive(pid), 1_000, 10);
      await until(async () => !existsSync(join(dataDir, "work", job.id)), 2_000);
      expect(await types(job.id)).toEqual(["queued", "running", "log", "cancel_requested", "cancelled"]);
      expect((await metrics.cancellations.get()).values[0]!.value).toBe(1);
    });

    it("polling catches a cancel when no NOTIFY arrives", async () => {
      await startWorker(noopRunner({ stepMs: 5_000 }), { cancelPollMs: 200 });
      const job = await enqueue(db(), { options: {} });
      await until(async () => (await getJob(db(), job.id))?.state === "running");
      // raise the flag with the NOTIFY trigger off: only the poll can see it
      await db().execute(sql`alter table generation_jobs disable trigger generation_jobs_notify`);
      try {
        await db().update(generationJobs).set({ cancelRequested: true }).where(eq(generationJobs.id, job.id));
        await until(async () => (await getJob(db(), job.id))?.state === "cancelled", 1_000, 10);
      } finally {
        await db().execute(sql`alter table generation_jobs enable trigger generation_jobs_notify`);
      }
    });

    it("cancelling a finished job changes nothing", async () => {
      await startWorker(noopRunner());
      const job = await enqueue(db(), { options: {} });
      const done = await until(async () => {
        const j = await getJob(db(), job.id);
        return j?.state === "completed" && j;
      });
      const before = await types(job.id);
      expect(await cancelJob(db(), job.id)).toBe("unchanged");
      expect(await getJob(db(), job.id)).toEqual(done);
      expect(await types(job.id)).toEqual(before);
    });

    it("a cancel racing completion ends in one consistent state", async () => {
      await startWorker(noopRunner({ steps: ["render"] }), { concurrency: 4 });
      const outcomes = { completed: 0, cancelled: 0 };
      for (let i = 0; i < 30; i++) {
        const job = await enqueue(db(), { options: {} });
        await sleep(Math.random() * 8);
        await cancelJob(db(), job.id);
        const final = await until(async () => {
          const j = await getJob(db(), job.id);
          return j && ["completed", "cancelled"].includes(j.state) && j;
        });
        const t = await types(job.id);
        const terminal = t.filter((x) => ["complete", "cancelled", "error"].includes(x));
        expect(terminal).toHaveLength(1);
        if (final.state === "completed") {
          expect(terminal[0]).toBe("complete");
          expect(final.resultPath).not.toBeNull();
        } else {
          expect(terminal[0]).toBe("cancelled");
          expect(final.resultPath).toBeNull();
          expect(final.cancelRequested).toBe(true);
        }
        expect(final.leaseToken).toBeNull();
        outcomes[final.state as "completed" | "cancelled"]++;
      }
      expect(outcomes.completed + outcomes.cancelled).toBe(30);
    });

    it("a worker whose lease was taken over stops and writes nothing more; the new holder finishes the job", async () => {
      const metrics = createWorkerMetrics(createMetricsRegistry(db(), { defaults: false }));
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      let zombieError: unknown;
      let zombieSettled = false;
      // a long lease, so only our manual expiry (a GC pause, a partition) takes the job away
      await startWorker(
        async (ctx) => {
          await ctx.emit({ level: "info", message: "zombie: before" });
          await gate;
          try {
            await ctx.emit({ level: "info", message: "zombie: after" });
          } catch (err) {
            zombieError = err;
          }
          zombieSettled = true;
          return { resultPath: "/zombie.mp4" };
        },
        { id: "zombie", metrics, leaseSeconds: 60, concurrency: 1 },
      );
      const job = await enqueue(db(), { options: {} });
      await until(async () => (await types(job.id)).includes("log"));
      await db().update(generationJobs).set({ leaseExpiresAt: sql`now() - interval '1 second'` }).where(eq(generationJobs.id, job.id));
      await startWorker(noopRunner(), { id: "heir", sweepSeconds: 0.2, concurrency: 1 });
      const done = await until(async () => {
        const j = await getJob(db(), job.id);
        return j?.state === "completed" && j;
      });
      release();
      await until(async () => zombieSettled);
      await sleep(200);
      expect((zombieError as Error)?.name).toBe("LeaseLostError");
      const after = await getJob(db(), job.id);
      expect(after).toEqual(done);
      expect([done.attempts, done.resultPath]).toEqual([2, join(dataDir, "output", `${job.id}.mp4`)]);
      const events = await listEvents(db(), job.id);
      expect(events.map((e) => e.message)).not.toContain("zombie: after");
      expect(events.filter((e) => e.type === "complete")).toHaveLength(1);
      expect(events.filter((e) => e.type === "retry")[0]!.message).toMatch(/^Worker lost: zombie stopped renewing its lease/);
      expect((await metrics.leaseLosses.get()).values[0]!.value).toBe(1);
    });

    it("renews the lease of a job that runs longer than the lease", async () => {
      await startWorker(noopRunner({ stepMs: 1_000 }), { leaseSeconds: 1, sweepSeconds: 0.2, concurrency: 1 });
      await startWorker(noopRunner(), { leaseSeconds: 1, sweepSeconds: 0.2, concurrency: 0 }); // a sweeper that claims nothing
      const job = await enqueue(db(), { options: {} });
      const done = await until(async () => {
        const j = await getJob(db(), job.id);
        return j && j.state !== "running" && j.state !== "queued" && j;
      });
      expect([done.state, done.attempts]).toEqual(["completed", 1]);
      expect(await types(job.id)).not.toContain("retry");
    });

    it("on stop, a running job past the grace goes back to the queue without using an attempt; another worker completes it", async () => {
      const first = await startWorker(noopRunner({ stepMs: 10_000 }), { id: "leaving", concurrency: 1 });
      const job = await enqueue(db(), { options: {} });
      await until(async () => (await getJob(db(), job.id))?.state === "running");
      const t0 = Date.now();
      await first.stop({ graceMs: 300 });
      expect(Date.now() - t0).toBeLessThan(3_000);
      const handed = (await getJob(db(), job.id))!;
      expect([handed.state, handed.attempts, handed.leaseToken]).toEqual(["queued", 0, null]);
      expect((await types(job.id)).at(-1)).toBe("requeued");
      await startWorker(noopRunner(), { id: "staying", concurrency: 1 });
      const done = await until(async () => {
        const j = await getJob(db(), job.id);
        return j?.state === "completed" && j;
      });
      expect(done.attempts).toBe(1);
    });

    it("on stop, a job that finishes within the grace completes", async () => {
      const w = await startWorker(noopRunner({ stepMs: 150 }), { concurrency: 1 });
      const job = await enqueue(db(), { options: {} });
      await until(async () => (await getJob(db(), job.id))?.state === "running");
      await w.stop({ graceMs: 5_000 });
      const j = (await getJob(db(), job.id))!;
      expect([j.state, j.attempts]).toEqual(["completed", 1]);
    });
  });
}
