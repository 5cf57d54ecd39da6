import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, rowsOf, type Database } from "@moneyprinter/db";
import { freshPostgresUrl } from "@moneyprinter/db/testing";
import { enqueue, enqueueMany, getJob, listEvents } from "@moneyprinter/queue";
import { reap, spawnWorker, until, type WorkerProcess } from "./helpers.ts";

// real worker processes against a real Postgres: skipped without TEST_DATABASE_URL (PGlite is one process)
const base = process.env.TEST_DATABASE_URL;

describe.skipIf(!base)("worker processes on Postgres", () => {
  let url: string;
  let drop: () => Promise<void>;
  let database: Database;
  const spawned: WorkerProcess[] = [];
  beforeAll(async () => {
    ({ url, drop } = await freshPostgresUrl(base!));
    database = await createDatabase({ url, max: 4 });
  });
  afterEach(() => reap(spawned));
  afterAll(async () => {
    await reap(spawned);
    await database.close();
    await drop();
  });
  const db = () => database.db;
  const q = async <T>(s: ReturnType<typeof sql>) => rowsOf<T>(await db().execute(s));
  const worker = (env: Record<string, string> = {}) =>
    spawnWorker({ DATABASE_URL: url, DATA_DIR: mkdtempSync(join(tmpdir(), "mp-wp-")), RETRY_BASE_SECONDS: "0.1", ...env }, spawned);
  const types = async (id: string) => (await listEvents(db(), id)).map((e) => e.type);

  it("refuses to start without DATABASE_URL, and on an embedded database another process holds", async () => {
    const bare = spawnWorker({}, spawned);
    expect(await bare.exited).toBe(1);
    expect(bare.output()).toMatch(/needs DATABASE_URL/);
    const dir = mkdtempSync(join(tmpdir(), "mp-held-"));
    writeFileSync(join(dir, "pglite.lock"), String(process.pid)); // as a running server leaves it
    const held = spawnWorker({ DATA_DIR: dir }, spawned);
    expect(await held.exited).toBe(1);
    expect(held.output()).toMatch(/already in use by process/);
  });

  it("SIGKILL mid-job: another worker finishes it after the lease expires, one terminal state, attempt 2", async () => {
    const a = worker({ LEASE_SECONDS: "2", NOOP_STEP_MS: "1000", WORKER_ID: "doomed" });
    await a.ready;
    const job = await enqueue(db(), { options: {} });
    await until(async () => (await types(job.id)).includes("log"), 15_000);
    a.child.kill("SIGKILL");
    expect(await a.exited).toBe("SIGKILL");
    expect((await getJob(db(), job.id))!.state).toBe("running"); // nobody has told the database
    const b = worker({ LEASE_SECONDS: "2", NOOP_STEP_MS: "0", WORKER_ID: "heir" });
    await b.ready;
    const done = await until(async () => {
      const j = await getJob(db(), job.id);
      return j && j.state !== "running" && j.state !== "queued" && j;
    }, 20_000);
    expect([done.state, done.attempts]).toEqual(["completed", 2]);
    const events = await listEvents(db(), job.id);
    expect(events.filter((e) => ["complete", "error", "cancelled"].includes(e.type)).map((e) => e.type)).toEqual(["complete"]);
    const retry = events.find((e) => e.type === "retry")!;
    expect(retry.message).toMatch(/^Worker lost: doomed stopped renewing its lease while running attempt 1 of 3\. Retrying in/);
    expect(events.filter((e) => e.type === "running").map((e) => e.payload!.worker)).toEqual(["doomed", "heir"]);
  });

  it("SIGTERM past the grace hands the job back (attempt not used) and another worker completes it", async () => {
    const a = worker({ NOOP_STEP_MS: "3000", SHUTDOWN_GRACE_SECONDS: "0.5" });
    await a.ready;
    const job = await enqueue(db(), { options: {} });
    await until(async () => (await getJob(db(), job.id))?.state === "running", 15_000);
    a.child.kill("SIGTERM");
    expect(await a.exited).toBe(0);
    const back = (await getJob(db(), job.id))!;
    expect([back.state, back.attempts, back.leaseOwner]).toEqual(["queued", 0, null]);
    expect((await types(job.id)).at(-1)).toBe("requeued");
    const b = worker();
    await b.ready;
    const done = await until(async () => {
      const j = await getJob(db(), job.id);
      return j?.state === "completed" && j;
    }, 15_000);
    expect(done.attempts).toBe(1);
  });

  it("SIGTERM within the grace lets the job complete; a second signal exits at once", async () => {
    const a = worker({ NOOP_STEP_MS: "300", SHUTDOWN_GRACE_SECONDS: "20" });
    await a.ready;
    const job = await enqueue(db(), { options: {} });
    await until(async () => (await getJob(db(), job.id))?.state === "running", 15_000);
    a.child.kill("SIGTERM");
    expect(await a.exited).toBe(0);
    expect((await getJob(db(), job.id))!.state).toBe("completed");

    const b = worker({ NOOP_STEP_MS: "5000", SHUTDOWN_GRACE_SECONDS: "60" });
    await b.ready;
    const slow = await enqueue(db(), { options: {} });
    await until(async () => (await getJob(db(), slow.id))?.state === "running", 15_000);
    b.child.kill("SIGTERM");
    await sleep(200);
    const t0 = Date.now();
    b.child.kill("SIGTERM");
    expect(await b.exited).toBe(130);
    expect(Date.now() - t0).toBeLessThan(2_000);
  });

  it("4 worker processes × 1000 noop jobs: each completed exactly once, none claimed twice", async () => {
    await db().execute(sql`delete from generation_jobs`);
    const workers = [1, 2, 3, 4].map((n) => worker({ WORKER_CONCURRENCY: "16", NOOP_STEPS: "0", WORKER_ID: `w${n}`, LOG_LEVEL: "warn" }));
    await Promise.all(workers.map((w) => until(async () => w.output() !== "" || w.child.exitCode !== null, 20_000).catch(() => {})));
    await sleep(1_500); // processes up and listening (LOG_LEVEL=warn hides the ready line)
    const t0 = Date.now();
    for (let i = 0; i < 4; i++) await enqueueMany(db(), Array.from({ length: 1000 }, (_, k) => ({ videoSubject: `job ${i}-${k}` })));
    await until(async () => {
      const [r] = await q<{ n: number }>(sql`select count(*)::int as n from generation_jobs where state = 'completed'`);
      return r!.n === 4000;
    }, 80_000, 100);
    const seconds = (Date.now() - t0) / 1000;
    const [jobs] = await q<{ n: number; once: number }>(
      sql`select count(*)::int as n, count(*) filter (where attempts = 1 and state = 'completed')::int as once from generation_jobs`,
    );
    expect(jobs).toEqual({ n: 4000, once: 4000 });
    const perJob = await q<{ running: number; complete: number; n: number }>(
      sql`select running, complete, count(*)::int as n from (
            select job_id, count(*) filter (where type = 'running')::int as running,
                   count(*) filter (where type = 'complete')::int as complete
              from generation_events group by job_id) t
          group by running, complete`,
    );
    expect(perJob).toEqual([{ running: 1, complete: 1, n: 4000 }]);
    const byWorker = await q<{ worker: string; n: number }>(
      sql`select payload->>'worker' as worker, count(*)::int as n from generation_events where type = 'running' group by 1 order by 1`,
    );
    expect(byWorker.reduce((s, r) => s + r.n, 0)).toBe(4000);
    expect(byWorker.length).toBeGreaterThanOrEqual(2); // the work was shared
    console.info(`4 workers drained 4000 noop jobs in ${seconds.toFixed(1)} s; claims by worker: ${byWorker.map((r) => `${r.worker}=${r.n}`).join(" ")}`);
  }, 90_000);

  it("connections killed while workers wait and while they work: they reconnect and carry on, no job lost or stuck", async () => {
    await db().execute(sql`delete from generation_jobs`);
    const dbName = new URL(url).pathname.slice(1);
    const env = { POLL_SECONDS: "60", LEASE_SECONDS: "2", WORKER_CONCURRENCY: "4", NOOP_STEP_MS: "10" };
    const workers = [worker({ ...env, WORKER_ID: "r1" }), worker({ ...env, WORKER_ID: "r2" })];
    await Promise.all(workers.map((w) => w.ready));
    const kill = async () =>
      (
        await q<{ n: number }>(
          sql`select count(pg_terminate_backend(pid))::int as n from pg_stat_activity
               where datname = ${dbName} and application_name in ('r1', 'r2')`,
        )
      )[0]!.n;
    // idle: every connection, the LISTEN ones included
    expect(await kill()).toBeGreaterThanOrEqual(2);
    await sleep(300);
    // the 60 s poll cannot be what picks these up: the LISTEN connections came back
    const t0 = Date.now();
    await enqueueMany(db(), Array.from({ length: 20 }, () => ({})));
    await until(async () => {
      const [r] = await q<{ n: number }>(sql`select count(*)::int as n from generation_jobs where state = 'completed'`);
      return r!.n === 20;
    }, 15_000);
    expect(Date.now() - t0).toBeLessThan(15_000);

    // busy: kill the connections twice mid-flight
    await enqueueMany(db(), Array.from({ length: 300 }, () => ({})));
    await sleep(300);
    await kill();
    await sleep(500);
    await kill();
    await until(async () => {
      const [r] = await q<{ n: number }>(sql`select count(*)::int as n from generation_jobs where state not in ('completed')`);
      return r!.n === 0;
    }, 40_000, 200).catch(async (err) => {
      console.error(await q(sql`select state, attempts, error_message, count(*)::int from generation_jobs group by 1, 2, 3`));
      for (const w of workers) console.error(w.child.exitCode, w.output().split("\n").filter((l) => !l.includes('"level":30')).join("\n").slice(-3000));
      throw err;
    });
    const dup = await q<{ n: number }>(
      sql`select count(*)::int as n from (select job_id from generation_events where type = 'complete' group by job_id having count(*) <> 1) t`,
    );
    expect(dup[0]!.n).toBe(0);
    const [total] = await q<{ n: number }>(sql`select count(*)::int as n from generation_jobs where state = 'completed'`);
    expect(total!.n).toBe(320);
    // still running (on failure, show what the process printed that is not a routine log line)
    for (const w of workers) expect(w.child.exitCode, w.output().split("\n").filter((l) => !l.startsWith("{")).join("\n")).toBeNull();
  }, 120_000);
});
