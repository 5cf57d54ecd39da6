// npm run bench:api — GET /api/jobs/:id through the whole stack (Fastify → trpc-to-openapi →
// tRPC → Drizzle → postgres.js) next to a bare node:http + postgres.js read of the same row,
// both on the real Postgres, measured in the same run, alternating, medians of the rounds.
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { createDatabase } from "@moneyprinter/db";
import { freshPostgresUrl } from "@moneyprinter/db/testing";
import { enqueue } from "@moneyprinter/queue";

const BASE = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

function start(script: string, env: Record<string, string>, ready: RegExp): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", script], {
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

async function load(url: string) {
  const r = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS, pipelining: 1 });
  if (r.non2xx || r.errors) throw new Error(`${url}: ${r.non2xx} non-2xx, ${r.errors} errors`);
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99 };
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
  // LOG_LEVEL info logs only start-up lines: request logging is off by default
  const ours = await start(`${here}../src/main.ts`, { DATABASE_URL: url, PORT: "18181", WORKER_CONCURRENCY: "0", LOG_LEVEL: "info" }, /MoneyPrinter API on/);
  const bare = await start(`${here}baseline-server.ts`, { DATABASE_URL: url, PORT: "18182" }, /ready/);
  const results = { ours: [] as Awaited<ReturnType<typeof load>>[], bare: [] as Awaited<ReturnType<typeof load>>[] };
  try {
    // warm both (JIT, pools) before measuring
    await autocannon({ url: `http://127.0.0.1:18181/api/jobs/${id}`, connections: 8, duration: 2 });
    await autocannon({ url: `http://127.0.0.1:18182/api/jobs/${id}`, connections: 8, duration: 2 });
    for (let r = 0; r < ROUNDS; r++) {
      results.bare.push(await load(`http://127.0.0.1:18182/api/jobs/${id}`));
      results.ours.push(await load(`http://127.0.0.1:18181/api/jobs/${id}`));
    }
  } finally {
    ours.kill("SIGTERM");
    bare.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 500));
    await drop();
  }
  const m = (k: "ours" | "bare", f: "rps" | "p50" | "p99") => median(results[k].map((x) => x[f]));
  const row = (name: string, k: "ours" | "bare") =>
    `${name.padEnd(34)} ${m(k, "rps").toFixed(0).padStart(8)} req/s   p50 ${String(m(k, "p50")).padStart(4)} ms   p99 ${String(m(k, "p99")).padStart(4)} ms`;
  console.log(`\nGET /api/jobs/:id, real Postgres, ${CONNECTIONS} connections, ${SECONDS}s x ${ROUNDS} rounds (medians)`);
  console.log(row("bare node:http + postgres.js", "bare"));
  console.log(row("MoneyPrinter (full stack)", "ours"));
  const ratio = m("ours", "rps") / m("bare", "rps");
  console.log(`ratio ours/bare throughput: ${ratio.toFixed(2)} (target >= 0.5); p99 ${m("ours", "p99")} ms (target < 25 ms)`);
  console.log(`rounds: ours ${results.ours.map((x) => x.rps.toFixed(0)).join(", ")} | bare ${results.bare.map((x) => x.rps.toFixed(0)).join(", ")}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
