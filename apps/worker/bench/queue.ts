/*
 * npm run bench:queue — what the queue itself costs, on a real Postgres.
 *
 * For 1, 2 and 4 worker processes (PIPELINE=noop): how many jobs/s they drain from a backlog, and
 * the enqueue→start latency of single jobs arriving at idle workers. Next to it, a pgbench TPC-B
 * style TPS of the same server measured in the same run, so the figures read as a ratio of what
 * this machine's Postgres can commit at all. Medians of BENCH_RUNS runs.
 *
 * Settings: BENCH_DATABASE_URL (default TEST_DATABASE_URL, then postgres://postgres@127.0.0.1:5432/postgres),
 * BENCH_JOBS (2000), BENCH_RUNS (3), BENCH_CONCURRENCY (per process, 32), BENCH_POOL (connections per process, 6), BENCH_NOOP_STEPS (3),
 * BENCH_WORKERS (process counts to measure, "1,2,4"), BENCH_NODE_ARGS (extra node flags for the workers, e.g.
 * "--cpu-prof --cpu-prof-dir=/tmp/prof").
 * Each run uses a throwaway database.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import postgres from "postgres";
import { sql } from "drizzle-orm";
import { createDatabase, rowsOf, type Database } from "@moneyprinter/db";
import { freshPostgresUrl } from "@moneyprinter/db/testing";
import { enqueue, enqueueMany } from "@moneyprinter/queue";

const env = process.env;
const BASE = env.BENCH_DATABASE_URL || env.TEST_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
const JOBS = Number(env.BENCH_JOBS ?? 2000);
const RUNS = Number(env.BENCH_RUNS ?? 3);
const CONCURRENCY = env.BENCH_CONCURRENCY ?? "32";
const NOOP_STEPS = env.BENCH_NOOP_STEPS ?? "3";
const LATENCY_JOBS = 200;
const WORKER_COUNTS = (env.BENCH_WORKERS ?? "1,2,4").split(",").map(Number);
const workerDir = fileURLToPath(new URL("..", import.meta.url));

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
};

function hasPgbench(): boolean {
  try {
    execFileSync("pgbench", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** TPC-B-like TPS of the server: pgbench -c 4 -j 2 -T 5 when installed, else the same transaction from a node loop. */
async function serverTps(): Promise<{ tps: number; how: string }> {
  const { url, drop } = await freshPostgresUrl(BASE);
  try {
    if (hasPgbench()) {
      execFileSync("pgbench", ["-i", "-q", "-s", "1", url], { stdio: "ignore" });
      const out = execFileSync("pgbench", ["-c", "4", "-j", "2", "-T", "5", url], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
      const m = /tps = ([\d.]+)/.exec(out);
      return { tps: Number(m?.[1] ?? 0), how: "pgbench TPC-B -c4 -j2 -T5" };
    }
    // no pgbench: 4 clients running pgbench's TPC-B transaction shape on a small table
    const db = postgres(url, { max: 4, onnotice: () => {} });
    await db`create table acct (id int primary key, balance int not null default 0)`;
    await db`create table hist (id bigint generated always as identity, acct int, delta int, at timestamptz default now())`;
    await db`insert into acct (id) select g from generate_series(1, 100000) g`;
    let n = 0;
    const end = Date.now() + 5_000;
    await Promise.all(
      [0, 1, 2, 3].map(async () => {
        while (Date.now() < end) {
          const id = 1 + Math.floor(Math.random() * 100000);
          const delta = Math.floor(Math.random() * 10000) - 5000;
          await db.begin(async (tx) => {
            await tx`update acct set balance = balance + ${delta} where id = ${id}`;
            await tx`select balance from acct where id = ${id}`;
            await tx`insert into hist (acct, delta) values (${id}, ${delta})`;
          });
          n++;
        }
      }),
    );
    await db.end();
    return { tps: n / 5, how: "node loop, TPC-B-like, 4 clients, 5 s" };
  } finally {
    await drop();
  }
}

function spawnWorkers(n: number, url: string): { kids: ChildProcess[]; ready: Promise<void> } {
  const kids: ChildProcess[] = [];
  const readies: Promise<void>[] = [];
  for (let i = 0; i < n; i++) {
    const child = spawn(process.execPath, [...(env.BENCH_NODE_ARGS ? env.BENCH_NODE_ARGS.split(" ") : []), "--import", "tsx", "src/main.ts"], {
      cwd: workerDir,
      env: {
        PATH: env.PATH,
        HOME: env.HOME,
        DATABASE_URL: url,
        DATA_DIR: mkdtempSync(join(tmpdir(), "mp-bench-")),
        WORKER_CONCURRENCY: CONCURRENCY,
        WORKER_ID: `bench-${i}`,
        PIPELINE: "noop",
        NOOP_STEPS,
        // the server is shared (tests, other workers): 4 × (6 + 1 LISTEN) connections stay far below max_connections
        DB_POOL_MAX: env.BENCH_POOL ?? "6",
        LOG_LEVEL: "info",
      },
      stdio: ["ignore", "pipe", "inherit"],
    });
    kids.push(child);
    readies.push(
      new Promise((resolve, reject) => {
        let out = "";
        child.stdout!.on("data", (d: Buffer) => {
          out += d.toString();
          if (out.includes("MoneyPrinter worker running")) resolve();
        });
        child.on("exit", (code) => reject(new Error(`worker exited with ${code}`)));
      }),
    );
  }
  return { kids, ready: Promise.all(readies).then(() => {}) };
}

async function stopWorkers(kids: ChildProcess[]) {
  await Promise.all(
    kids.map(
      (k) =>
        new Promise<void>((r) => {
          if (k.exitCode !== null) return r();
          k.on("exit", () => r());
          k.kill("SIGTERM");
        }),
    ),
  );
}

async function one<T>(database: Database, q: ReturnType<typeof sql>): Promise<T> {
  return rowsOf<T>(await database.db.execute(q))[0]!;
}

const CLOCK_TICKS = 100; // USER_HZ on Linux

/** CPU ticks (user + system) used so far by each process, from /proc (Linux; both sides run on this machine). */
function ticksOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

/** CPU used by the worker processes and by the Postgres backends serving this database. */
async function cpuOf(database: Database, kids: ChildProcess[]) {
  const backends = rowsOf<{ pid: number }>(
    await database.db.execute(sql`select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`),
  );
  return {
    workers: new Map(kids.map((k) => [k.pid!, ticksOf(k.pid!)])),
    postgres: new Map(backends.map((b) => [b.pid, ticksOf(b.pid)])),
  };
}

interface PerJob {
  workerCpuMs: number;
  postgresCpuMs: number;
}

async function runOnce(workers: number): Promise<{ jobsPerSecond: number; perJob: PerJob; p50: number; p99: number }> {
  const { url, drop } = await freshPostgresUrl(BASE);
  const database = await createDatabase({ url, max: 4 });
  const { kids, ready } = spawnWorkers(workers, url);
  try {
    await ready;
    await sleep(300);
    // latency: single jobs arriving one by one at idle workers
    for (let i = 0; i < LATENCY_JOBS; i++) {
      await enqueue(database.db, { options: { videoSubject: `latency ${i}` } });
      await sleep(10);
    }
    for (;;) {
      const { n } = await one<{ n: number }>(database, sql`select count(*)::int as n from generation_jobs where state = 'completed'`);
      if (n === LATENCY_JOBS) break;
      await sleep(50);
    }
    const lat = rowsOf<{ ms: number }>(
      await database.db.execute(sql`select extract(epoch from started_at - created_at)::float8 * 1000 as ms from generation_jobs`),
    ).map((r) => Number(r.ms));

    // throughput: a backlog drained
    await database.db.execute(sql`delete from generation_jobs`);
    const cpuBefore = await cpuOf(database, kids);
    for (let i = 0; i < JOBS; i += 1000) {
      await enqueueMany(database.db, Array.from({ length: Math.min(1000, JOBS - i) }, (_, k) => ({ videoSubject: `bench ${i + k}` })));
    }
    for (;;) {
      const { n } = await one<{ n: number }>(database, sql`select count(*)::int as n from generation_jobs where state = 'completed'`);
      if (n === JOBS) break;
      await sleep(50);
    }
    const { seconds } = await one<{ seconds: number }>(
      database,
      sql`select extract(epoch from max(completed_at) - min(started_at))::float8 as seconds from generation_jobs`,
    );
    const cpuAfter = await cpuOf(database, kids);
    const used = (side: "workers" | "postgres") => {
      let ticks = 0;
      for (const [pid, t] of cpuAfter[side]) ticks += t - (cpuBefore[side].get(pid) ?? 0);
      return (ticks / CLOCK_TICKS / JOBS) * 1000;
    };
    const perJob = {
      workerCpuMs: used("workers"),
      postgresCpuMs: used("postgres"),
    };
    return { jobsPerSecond: JOBS / Number(seconds), perJob, p50: quantile(lat, 0.5), p99: quantile(lat, 0.99) };
  } finally {
    await stopWorkers(kids);
    await database.close();
    await drop();
  }
}

async function main() {
  console.log(`bench:queue on ${new URL(BASE).host}: ${JOBS} noop jobs (${NOOP_STEPS} progress writes each) per run, ${RUNS} runs, concurrency ${CONCURRENCY} per process`);
  const tpsRuns: number[] = [];
  let how = "";
  const results: Record<number, { jps: number[]; p50: number[]; p99: number[]; wcpu: number[]; pcpu: number[] }> = {};
  for (let run = 0; run < RUNS; run++) {
    const t = await serverTps();
    tpsRuns.push(t.tps);
    how = t.how;
    for (const workers of WORKER_COUNTS) {
      const r = await runOnce(workers);
      const slot = (results[workers] ??= { jps: [], p50: [], p99: [], wcpu: [], pcpu: [] });
      slot.jps.push(r.jobsPerSecond);
      slot.p50.push(r.p50);
      slot.p99.push(r.p99);
      slot.wcpu.push(r.perJob.workerCpuMs);
      slot.pcpu.push(r.perJob.postgresCpuMs);
      console.log(
        `  run ${run + 1}: ${workers} worker(s): ${r.jobsPerSecond.toFixed(0)} jobs/s, enqueue→start p50 ${r.p50.toFixed(1)} ms p99 ${r.p99.toFixed(1)} ms; ` +
          `CPU per job: workers ${r.perJob.workerCpuMs.toFixed(2)} ms, postgres ${r.perJob.postgresCpuMs.toFixed(2)} ms; (server ${t.tps.toFixed(0)} TPS)`,
      );
    }
  }
  const tps = median(tpsRuns);
  console.log(`\nserver: ${tps.toFixed(0)} TPS (${how}; median of ${RUNS})`);
  console.log("workers | jobs/s (median) | jobs/s ÷ TPS | enqueue→start p50 | p99 | CPU/job: workers | postgres");
  for (const workers of WORKER_COUNTS) {
    const r = results[workers]!;
    const jps = median(r.jps);
    console.log(
      `${String(workers).padStart(7)} | ${jps.toFixed(0).padStart(15)} | ${(jps / tps).toFixed(2).padStart(12)} | ${median(r.p50).toFixed(1).padStart(14)} ms | ${median(r.p99).toFixed(1)} ms | ${median(r.wcpu).toFixed(2)} ms | ${median(r.pcpu).toFixed(2)} ms`,
    );
  }
  console.log("targets: ≥ 1000 jobs/s with 4 workers; p50 < 20 ms");
  console.log("CPU per job is user+system time of the worker processes and of the Postgres backends serving the run's database, over the drain, divided by the jobs: it does not move with other load on the machine the way jobs/s does.");
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
