import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, rowsOf, type Database } from "@moneyprinter/db";
import { privateClusterTools, startPrivateCluster, type PrivateCluster } from "@moneyprinter/db/testing";
import { enqueueMany } from "@moneyprinter/queue";
import { reap, spawnWorker, until, type WorkerProcess } from "./helpers.ts";

// A real restart needs a server of our own: the shared one (TEST_DATABASE_URL) serves other tests.
const support = privateClusterTools();
const tools = support.ok ? support.tools : undefined;
if (!support.ok) console.warn(`skipping the Postgres restart tests: ${support.reason}`);

describe.skipIf(!tools)("worker processes across a real Postgres restart (private cluster)", () => {
  let cluster: PrivateCluster;
  let database: Database | undefined;
  const spawned: WorkerProcess[] = [];
  const dataDirs: string[] = [];
  beforeAll(async () => {
    cluster = await startPrivateCluster(tools!);
    database = await createDatabase({ url: cluster.url, max: 4 });
  });
  afterEach(() => reap(spawned));
  afterAll(async () => {
    await reap(spawned);
    await database?.close().catch(() => {});
    await cluster?.destroy();
    for (const d of dataDirs) rmSync(d, { recursive: true, force: true });
  });

  const db = () => database!.db;
  const q = async <T>(s: ReturnType<typeof sql>) => rowsOf<T>(await db().execute(s));
  const worker = (env: Record<string, string>) => {
    const dataDir = mkdtempSync(join(tmpdir(), "mp-wr-"));
    dataDirs.push(dataDir);
    return spawnWorker({ DATABASE_URL: cluster.url, DATA_DIR: dataDir, RETRY_BASE_SECONDS: "0.1", ...env }, spawned);
  };
  /** what a worker printed that is not a routine info line, for failure messages */
  const unusual = (w: WorkerProcess) =>
    w.output().split("\n").filter((l) => l && !l.includes('"level":30')).join("\n").slice(-4000);
  /** alive, and its claim loop never died (a crash there is only logged) */
  const expectAlive = (w: WorkerProcess) => {
    expect(w.child.exitCode, unusual(w)).toBeNull();
    expect(w.output()).not.toMatch(/worker loop crashed|unhandled rejection/);
  };
  /** on failure: the workers' connections as the server sees them, and what the workers printed */
  const diagnose = async (workers: WorkerProcess[], names: string[]) => {
    console.error(
      await q(
        sql`select application_name, pid, state, backend_start, query from pg_stat_activity
             where application_name in (${sql.join(names.map((n) => sql`${n}`), sql`, `)}) order by 1, 2`,
      ).catch((err: unknown) => err),
    );
    for (const w of workers) console.error(`worker pid ${w.pid} exit ${w.child.exitCode}:\n${unusual(w)}`);
  };
  const orphans = (w: WorkerProcess) => w.output().split("orphaned postgres.js rejection ignored").length - 1;
  /** The test's own connections go down with the server too: close them first, reconnect after. */
  const withServerDown = async (fn: () => Promise<void>) => {
    await database!.close();
    database = undefined;
    await fn();
    database = await createDatabase({ url: cluster.url, max: 4, migrate: false });
  };
  /** the backend serving each worker's LISTEN connection (application_name is the WORKER_ID) */
  const listeners = async (names: string[]) =>
    new Map(
      (
        await q<{ name: string; pid: number }>(
          sql`select application_name as name, pid from pg_stat_activity
               where application_name in (${sql.join(names.map((n) => sql`${n}`), sql`, `)}) and query ilike 'listen %'`,
        )
      ).map((r) => [r.name, r.pid]),
    );
  /** one row per job: its state and what its events say happened */
  const ledger = () =>
    q<{ id: string; state: string; attempts: number; running: number; complete: number; terminal: number; retries: number }>(
      sql`select j.id, j.state, j.attempts,
                 count(*) filter (where e.type = 'running')::int as running,
                 count(*) filter (where e.type = 'complete')::int as complete,
                 count(*) filter (where e.type in ('complete', 'error', 'cancelled'))::int as terminal,
                 count(*) filter (where e.type = 'retry')::int as retries
            from generation_jobs j left join generation_events e on e.job_id = j.id
           group by j.id, j.state, j.attempts`,
    );
  const completedCount = async () =>
    (await q<{ n: number }>(sql`select count(*)::int as n from generation_jobs where state = 'completed'`))[0]!.n;

  it("restarted while workers wait: they re-LISTEN and run the jobs enqueued afterwards exactly once, without the poll", async () => {
    // POLL_SECONDS=60: within the deadlines below only a NOTIFY or the catch-up claim that follows a
    // re-subscription can wake a worker; nothing else runs the claim loop while it is idle
    const env = { POLL_SECONDS: "60", LEASE_SECONDS: "3", WORKER_CONCURRENCY: "4" };
    const names = ["idle1", "idle2"];
    const workers = names.map((n) => worker({ ...env, WORKER_ID: n }));
    await Promise.all(workers.map((w) => w.ready));
    const before = await until(async () => {
      const l = await listeners(names);
      return l.size === 2 && l;
    });

    let restartedAt = 0;
    await withServerDown(async () => {
      const pid = cluster.pid();
      await cluster.restart();
      expect(cluster.pid()).not.toBe(pid);
      restartedAt = Date.now();
    });

    // 1. enqueued at once, most likely before the LISTEN connections are back (their NOTIFYs are
    //    then lost): the claim a worker makes when it re-subscribes picks them up
    const first = await enqueueMany(db(), Array.from({ length: 10 }, (_, i) => ({ videoSubject: `after restart ${i}` })));
    await until(async () => (await completedCount()) === 10, 30_000, 50).catch(async (err) => {
      await diagnose(workers, names);
      throw err;
    });
    const firstDone = Date.now() - restartedAt;

    // 2. both workers LISTEN again, on new backends
    const after = await until(async () => {
      const l = await listeners(names);
      return l.size === 2 && l;
    }, 20_000).catch(async (err) => {
      await diagnose(workers, names);
      throw err;
    });
    for (const n of names) expect(after.get(n)).not.toBe(before.get(n));
    const relistened = Date.now() - restartedAt;

    // 3. with the poll 60 s away, a job enqueued now runs only because its NOTIFY arrives
    const t0 = Date.now();
    const second = await enqueueMany(db(), Array.from({ length: 10 }, (_, i) => ({ videoSubject: `notified ${i}` })));
    await until(async () => (await completedCount()) === 20, 10_000, 20).catch(async (err) => {
      await diagnose(workers, names);
      throw err;
    });
    const notified = Date.now() - t0;

    expect(first.length + second.length).toBe(20);
    const jobs = await ledger();
    expect(jobs).toHaveLength(20);
    for (const j of jobs) expect(j, j.id).toMatchObject({ state: "completed", attempts: 1, running: 1, complete: 1, terminal: 1, retries: 0 });
    workers.forEach(expectAlive);
    console.info(
      `restart while idle: first jobs done ${firstDone} ms after the restart, LISTEN back within ${relistened} ms, ` +
        `notified jobs done ${notified} ms after enqueue; orphaned rejections ignored: ${workers.map(orphans).join(", ")}`,
    );
  }, 60_000);

  it("stopped for 2.5 s while workers run jobs: every job completes exactly once, none stuck, workers alive", async () => {
    await db().execute(sql`delete from generation_jobs`);
    const env = { POLL_SECONDS: "60", LEASE_SECONDS: "2", WORKER_CONCURRENCY: "4", NOOP_STEP_MS: "200", NOOP_STEPS: "3" };
    const workers = [worker({ ...env, WORKER_ID: "busy1" }), worker({ ...env, WORKER_ID: "busy2" })];
    await Promise.all(workers.map((w) => w.ready));
    const total = 60;
    await enqueueMany(db(), Array.from({ length: total }, (_, i) => ({ videoSubject: `busy ${i}` })));
    await until(async () => (await completedCount()) >= 8, 20_000, 50);
    const runningAtStop = (await q<{ id: string }>(sql`select id from generation_jobs where state = 'running'`)).map((r) => r.id);
    expect(runningAtStop.length).toBeGreaterThan(0);

    let startedAt = 0;
    await withServerDown(async () => {
      await cluster.stop("fast");
      await sleep(2_500); // longer than the lease: the workers self-fence, the sweeper must recover the jobs
      await cluster.start();
      startedAt = Date.now();
    });

    await until(async () => {
      const [r] = await q<{ n: number }>(sql`select count(*)::int as n from generation_jobs where state <> 'completed'`);
      return r!.n === 0;
    }, 40_000, 100).catch(async (err) => {
      console.error(await q(sql`select state, attempts, error_message, count(*)::int from generation_jobs group by 1, 2, 3`));
      await diagnose(workers, ["busy1", "busy2"]);
      throw err;
    });
    const drained = Date.now() - startedAt;
    // each worker claimed again soon after the start (the server and the workers share a clock)
    const firstClaims = await q<{ worker: string; ms: number }>(
      sql`select payload->>'worker' as worker, round(min(timestamp) * 1000 - ${startedAt})::int as ms
            from generation_events where type = 'running' and timestamp * 1000 > ${startedAt} group by 1 order by 1`,
    );
    expect(firstClaims.map((r) => r.worker)).toEqual(["busy1", "busy2"]);
    // postgres.js's default reconnect backoff had them wait 8-20 s; ours dials again within a second
    for (const r of firstClaims) expect(r.ms, r.worker).toBeLessThan(5_000);

    const jobs = await ledger();
    expect(jobs).toHaveLength(total);
    for (const j of jobs) {
      // one terminal state, reached once; every claim left its 'running' event
      expect(j, j.id).toMatchObject({ state: "completed", complete: 1, terminal: 1 });
      expect(j.running, j.id).toBe(j.attempts);
    }
    // errors recorded on the way name the cause, not a batch's SQL with other jobs' lease tokens
    const [messages] = await q<{ sql: number; dbErrors: number }>(
      sql`select (select count(*) from generation_events where message like '%Failed query%')::int
               + (select count(*) from generation_jobs where error_message like '%Failed query%')::int as sql,
                 (select count(*) from generation_events where type = 'retry' and message not like '%Worker lost%')::int as "dbErrors"`,
    );
    expect(messages!.sql).toBe(0);
    // the stop really hit jobs mid-run: at least one of them needed another attempt
    const interrupted = jobs.filter((j) => runningAtStop.includes(j.id) && j.attempts > 1);
    expect(interrupted.length).toBeGreaterThan(0);
    workers.forEach(expectAlive);
    console.info(
      `stop mid-job: ${runningAtStop.length} jobs running at the stop, ${interrupted.length} of them retried; ` +
        `first claims ${firstClaims.map((r) => `${r.worker} +${r.ms} ms`).join(", ")}, all ${total} completed ${drained} ms after the start; attempts: ${[...new Set(jobs.map((j) => j.attempts))].sort().join(",")}; ` +
        `retries after a failed write: ${messages!.dbErrors}; ` +
        `orphaned rejections ignored: ${workers.map(orphans).join(", ")}`,
    );
  }, 60_000);
});
