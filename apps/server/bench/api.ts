// npm run bench:api — GET /api/jobs/:id through the whole stack (Fastify → REST facade → tRPC
// procedure → Drizzle → postgres.js) next to a bare node:http + postgres.js read of the same row,
// both on the real Postgres, measured in the same run with the same load generator, alternating,
// medians of the rounds.
//
// Load generator: wrk when it is installed (apt-get install wrk), else autocannon. autocannon runs
// in Node on the same cores as the servers and takes CPU from both; wrk is C and far lighter, so
// its figures are the truer ones. BENCH_TOOL=autocannon|wrk forces one.
import { execFile, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import autocannon from "autocannon";
import { createDatabase } from "@moneyprinter/db";
import { freshPostgresUrl } from "@moneyprinter/db/testing";
import { enqueue } from "@moneyprinter/queue";

const BASE = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WRK_THREADS = Number(process.env.BENCH_WRK_THREADS ?? 2);
/** extra node flags for our server only, e.g. BENCH_NODE_ARGS=--cpu-prof */
const OURS_NODE_ARGS = (process.env.BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean);

function hasWrk(): boolean {
  // wrk has no version flag that exits 0; -v prints its banner
  const r = spawnSync("wrk", ["-v"], { encoding: "utf8" });
  return !r.error && /wrk/.test(`${r.stdout}${r.stderr}`);
}
const TOOL: "wrk" | "autocannon" = (process.env.BENCH_TOOL as "wrk" | "autocannon" | undefined) ?? (hasWrk() ? "wrk" : "autocannon");

function start(script: string, env: Record<string, string>, ready: RegExp, nodeArgs: string[] = []): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...nodeArgs, "--import", "tsx", script], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    const onData = (d: Buffer) => {
      out += d.toString();
      if (ready.test(out)) resolve(child);
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.on("exit", (code) => reject(new Error(`${script} exited ${code}: ${out}`)));
  });
}

interface Figures {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  /** the server process's CPU time per request, in µs (Linux /proc; NaN elsewhere) */
  cpuUs: number;
}

async function loadAutocannon(url: string, connections: number, seconds: number): Promise<Figures> {
  const r = await autocannon({ url, connections, duration: seconds, pipelining: 1 });
  if (r.non2xx || r.errors) throw new Error(`${url}: ${r.non2xx} non-2xx, ${r.errors} errors`);
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, requests: r.requests.total, cpuUs: Number.NaN };
}

/** wrk's durations ("635.91us", "1.20ms", "2.01s") in milliseconds */
function wrkMs(text: string): number {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(text.trim());
  if (!m) throw new Error(`wrk: cannot read the duration ${text}`);
  const n = Number(m[1]);
  return m[2] === "us" ? n / 1000 : m[2] === "ms" ? n : m[2] === "s" ? n * 1000 : n * 60_000;
}

function loadWrk(url: string, connections: number, seconds: number): Promise<Figures> {
  const args = [`-t${Math.min(WRK_THREADS, connections)}`, `-c${connections}`, `-d${seconds}s`, "--latency", url];
  return new Promise((resolve, reject) => {
    execFile("wrk", args, { encoding: "utf8" }, (err, out) => {
      if (err) return reject(new Error(`wrk ${args.join(" ")}: ${err.message}\n${out}`));
      const bad = /Non-2xx or 3xx responses: (\d+)/.exec(out);
      const sock = /Socket errors: (.*)/.exec(out);
      if (bad || sock) return reject(new Error(`${url}: ${bad ? `${bad[1]} non-2xx` : ""} ${sock ? `socket errors: ${sock[1]}` : ""}\n${out}`));
      const rps = /Requests\/sec:\s+([\d.]+)/.exec(out);
      const requests = /(\d+) requests in/.exec(out);
      const p50 = /^\s+50%\s+(\S+)/m.exec(out);
      const p99 = /^\s+99%\s+(\S+)/m.exec(out);
      if (!rps || !p50 || !p99 || !requests) return reject(new Error(`wrk: unexpected output\n${out}`));
      resolve({ rps: Number(rps[1]), p50: wrkMs(p50[1]!), p99: wrkMs(p99[1]!), requests: Number(requests[1]), cpuUs: Number.NaN });
    });
  });
}

const load = (url: string, connections = CONNECTIONS, seconds = SECONDS) =>
  TOOL === "wrk" ? loadWrk(url, connections, seconds) : loadAutocannon(url, connections, seconds);

const CLK_TCK = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout?.trim()) || 100;

/** user + system CPU seconds of a process so far, from /proc (NaN where there is none) */
function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return Number.NaN;
  }
}

/** load one server, and charge it the CPU its process used meanwhile */
async function measure(url: string, server: ChildProcess): Promise<Figures> {
  const before = cpuSeconds(server.pid!);
  const f = await load(url);
  return { ...f, cpuUs: ((cpuSeconds(server.pid!) - before) * 1e6) / f.requests };
}

function stop(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      resolve();
    }, graceMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main() {
  const { url, drop } = await freshPostgresUrl(BASE);
  const database = await createDatabase({ url });
  const jobs = [];
  for (let i = 0; i < 200; i++) jobs.push(await enqueue(database.db, { options: { videoSubject: `bench ${i}` } }));
  const id = jobs[100]!.id;
  await database.close();

  const here = fileURLToPath(new URL(".", import.meta.url));
  const results = { ours: [] as Figures[], bare: [] as Figures[] };
  const loadBefore = loadavg()[0]!;
  try {
    for (let r = 0; r < ROUNDS; r++) {
      // fresh processes every round: postgres.js gets slower the longer a pool stays saturated
      // (see docs/benchmarks.md), so a server that served more earlier rounds would pay for them
      // LOG_LEVEL info logs only start-up lines: request logging is off by default
      const ours = await start(
        `${here}../src/main.ts`,
        { DATABASE_URL: url, PORT: "18181", WORKER_CONCURRENCY: "0", LOG_LEVEL: "info" },
        /MoneyPrinter API on/,
        OURS_NODE_ARGS,
      );
      const bare = await start(`${here}baseline-server.ts`, { DATABASE_URL: url, PORT: "18182" }, /ready/);
      try {
        const servers = { ours: { url: `http://127.0.0.1:18181/api/jobs/${id}`, child: ours }, bare: { url: `http://127.0.0.1:18182/api/jobs/${id}`, child: bare } };
        // warm both (JIT, pools) before measuring
        await load(servers.ours.url, 8, 2);
        await load(servers.bare.url, 8, 2);
        // alternate which goes first
        const order = r % 2 === 0 ? (["bare", "ours"] as const) : (["ours", "bare"] as const);
        for (const k of order) results[k].push(await measure(servers[k].url, servers[k].child));
      } finally {
        // --cpu-prof writes its profile on a clean exit: give it time
        await Promise.all([stop(ours, OURS_NODE_ARGS.length ? 10_000 : 3_000), stop(bare, 3_000)]);
      }
    }
  } finally {
    await drop();
  }
  const m = (k: "ours" | "bare", f: "rps" | "p50" | "p99" | "cpuUs") => median(results[k].map((x) => x[f]));
  const ms = (x: number) => (x < 10 ? x.toFixed(2) : x.toFixed(1)).padStart(5);
  const row = (name: string, k: "ours" | "bare") =>
    `${name.padEnd(34)} ${m(k, "rps").toFixed(0).padStart(8)} req/s   p50 ${ms(m(k, "p50"))} ms   p99 ${ms(m(k, "p99"))} ms   CPU ${m(k, "cpuUs").toFixed(0).padStart(4)} µs/request`;
  const toolName = TOOL === "wrk" ? `wrk -t${Math.min(WRK_THREADS, CONNECTIONS)}` : "autocannon (install wrk for truer figures)";
  console.log(`\nGET /api/jobs/:id, real Postgres, ${CONNECTIONS} connections, ${SECONDS}s x ${ROUNDS} rounds (medians), load generator: ${toolName}`);
  console.log(`load average (1 min) before: ${loadBefore.toFixed(2)}, after: ${loadavg()[0]!.toFixed(2)}`);
  console.log(row("bare node:http + postgres.js", "bare"));
  console.log(row("MoneyPrinter (full stack)", "ours"));
  const ratio = m("ours", "rps") / m("bare", "rps");
  console.log(`ratio ours/bare throughput: ${ratio.toFixed(2)} (target >= 0.5); p99 ${ms(m("ours", "p99")).trim()} ms (target < 25 ms)`);
  console.log(`ratio bare/ours CPU per request: ${(m("bare", "cpuUs") / m("ours", "cpuUs")).toFixed(2)} (less sensitive to other load on the machine)`);
  const each = (k: "ours" | "bare") => results[k].map((x) => `${x.rps.toFixed(0)} (p99 ${ms(x.p99).trim()})`).join(", ");
  console.log(`rounds: ours ${each("ours")} | bare ${each("bare")}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
