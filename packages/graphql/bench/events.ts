/**
 * Write→subscriber latency of job events: a child process inserts events through its own
 * connection to a real Postgres; this process receives them over a GraphQL subscription (SSE and
 * WebSocket) through the server's live hub. Baseline, same run: a raw LISTEN/NOTIFY round trip on
 * postgres.js between the same two processes.
 *
 *   npm run bench:events       (BENCH_DATABASE_URL or TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres)
 *   BENCH_EVENTS=200 BENCH_ROUNDS=3 BENCH_INTERVAL_MS=20
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import Fastify from "fastify";
import { createClient } from "graphql-ws";
import postgres from "postgres";
import WebSocket from "ws";
import { createLiveHub, followEvents } from "@moneyprinter/api";
import { createDatabase } from "@moneyprinter/db";
import { freshPostgresUrl } from "@moneyprinter/db/testing";
import { enqueue } from "@moneyprinter/queue";
import { graphqlFacade } from "../src/index.ts";

const BASE = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
const N = Number(process.env.BENCH_EVENTS ?? 200);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const INTERVAL = Number(process.env.BENCH_INTERVAL_MS ?? 20);
const WARMUP = 10;
const now = () => performance.timeOrigin + performance.now();
const WRITER = fileURLToPath(new URL("./writer.ts", import.meta.url));

function quantile(sorted: number[], q: number) {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
const median = (xs: number[]) => quantile([...xs].sort((a, b) => a - b), 0.5);

/** Start the writer process, wait until it is connected, run `armed` (the subscriber), then let it write. */
async function runWriter(url: string, jobId: string, mode: "events" | "notify", armed: () => Promise<void>): Promise<void> {
  const child = spawn(process.execPath, ["--import", "tsx", WRITER, url, jobId, String(N), String(INTERVAL), mode], { stdio: ["pipe", "pipe", "inherit"] });
  await new Promise<void>((resolve, reject) => {
    child.stdout.once("data", () => resolve());
    child.once("exit", (code) => reject(new Error(`writer exited early (${code})`)));
  });
  await armed();
  child.stdin.end("go\n");
  await new Promise<void>((resolve, reject) => {
    child.removeAllListeners("exit");
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`writer failed (${code})`))));
  });
}

/** Latencies (ms) of one run, warm-up dropped. */
type Run = () => Promise<number[]>;

async function main() {
  const { url, drop } = await freshPostgresUrl(BASE);

  const database = await createDatabase({ url, max: 10 });
  const live = await createLiveHub(database);
  const app = Fastify({ logger: false });
  const models = { backend: "none", defaultModel: "none", list: async () => [] };
  await graphqlFacade(app, { createContext: () => ({ db: database.db, models, live }) });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const http = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const listener = postgres(url, { max: 1, onnotice: () => {} });

  try {
    const job = await enqueue(database.db, { options: { videoSubject: "bench" } });
    await database.db.execute(`update generation_jobs set state = 'running' where id = '${job.id}'` as never);
    const lastId = async () => {
      const rows = (await listener`select coalesce(max(id), 0)::bigint as id from generation_events`) as unknown as { id: string }[];
      return Number(rows[0]!.id);
    };

    const baseline: Run = async () => {
      const lat: number[] = [];
      const sub = await listener.listen("mp_bench", (p) => lat.push(now() - Number(p)));
      await runWriter(url, job.id, "notify", async () => {});
      await new Promise((r) => setTimeout(r, 100));
      await sub.unlisten();
      return lat.slice(WARMUP);
    };

    // the same write as the subscriptions (an event insert, its trigger, the commit), received by a
    // raw LISTEN on mp_events: what the database alone costs, before the hub and GraphQL
    const rawEvents: Run = async () => {
      const got = new Map<number, number>();
      const sub = await listener.listen("mp_events", (p) => got.set(Number(p.split(":")[1]), now()));
      const from = await lastId();
      await runWriter(url, job.id, "events", async () => {});
      await new Promise((r) => setTimeout(r, 100));
      await sub.unlisten();
      const rows = (await listener`select id, payload from generation_events where id > ${from} order by id`) as unknown as { id: string; payload: { sentAt: number } }[];
      return rows.filter((r) => got.has(Number(r.id))).map((r) => got.get(Number(r.id))! - r.payload.sentAt).slice(WARMUP);
    };

    // the hub without a transport: followEvents in this process
    const hubOnly: Run = async () => {
      const lat: number[] = [];
      const abort = new AbortController();
      let armed!: () => void;
      const ready = new Promise<void>((r) => (armed = r));
      let seen = 0;
      const reading = (async () => {
        for await (const ev of followEvents(database.db, live, job.id, (await lastId()) - 1, abort.signal)) {
          const t = now();
          if (seen++ === 0) armed();
          else lat.push(t - (ev.payload as { sentAt: number }).sentAt);
          if (lat.length >= N) return;
        }
      })();
      await runWriter(url, job.id, "events", () => ready);
      await Promise.race([reading, new Promise((r) => setTimeout(r, 2_000))]);
      abort.abort();
      return lat.slice(WARMUP);
    };

    const query = `subscription($id: ID!, $after: SafeInt) { jobEvents(jobId: $id, after: $after) { id payload } }`;
    const sse: Run = async () => {
      const lat: number[] = [];
      const after = (await lastId()) - 1; // replay one event: receiving it proves the stream is live
      const abort = new AbortController();
      let armed!: () => void;
      const ready = new Promise<void>((r) => (armed = r));
      const reading = (async () => {
        const res = await fetch(`${http}/graphql`, {
          method: "POST",
          headers: { "content-type": "application/json", accept: "text/event-stream" },
          body: JSON.stringify({ query, variables: { id: job.id, after } }),
          signal: abort.signal,
        });
        const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
        let buf = "";
        let seen = 0;
        try {
          for (;;) {
            const { value, done } = await reader.read();
            if (done) return;
            buf += value;
            let i: number;
            while ((i = buf.indexOf("\n\n")) >= 0) {
              const block = buf.slice(0, i);
              buf = buf.slice(i + 2);
              const data = block.split("\n").find((l) => l.startsWith("data: {"));
              if (!data) continue;
              const t = now();
              const ev = JSON.parse(data.slice(6)).data.jobEvents;
              if (seen++ === 0) armed();
              else if (typeof ev.payload?.sentAt === "number") lat.push(t - ev.payload.sentAt);
              if (lat.length >= N) return;
            }
          }
        } catch (err) {
          if (!abort.signal.aborted) throw err;
        }
      })();
      await runWriter(url, job.id, "events", () => ready);
      await Promise.race([reading, new Promise((r) => setTimeout(r, 2_000))]);
      abort.abort();
      return lat.slice(WARMUP);
    };

    const ws: Run = async () => {
      const lat: number[] = [];
      const client = createClient({ url: `${http.replace("http", "ws")}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0 });
      const after = (await lastId()) - 1;
      let armed!: () => void;
      const ready = new Promise<void>((r) => (armed = r));
      let seen = 0;
      let finished!: () => void;
      const done = new Promise<void>((r) => (finished = r));
      const unsubscribe = client.subscribe<{ jobEvents: { payload: { sentAt?: number } } }>(
        { query, variables: { id: job.id, after } },
        {
          next: (r) => {
            const t = now();
            const sentAt = r.data?.jobEvents.payload?.sentAt;
            if (seen++ === 0) armed();
            else if (typeof sentAt === "number") lat.push(t - sentAt);
            if (lat.length >= N) finished();
          },
          error: (e) => console.error("ws error", e),
          complete: () => finished(),
        },
      );
      await runWriter(url, job.id, "events", () => ready);
      await Promise.race([done, new Promise((r) => setTimeout(r, 2_000))]);
      unsubscribe();
      await client.dispose();
      return lat.slice(WARMUP);
    };

    const runs: Record<string, Run> = {
      "LISTEN/NOTIFY baseline (postgres.js)": baseline,
      "event insert → raw LISTEN": rawEvents,
      "event insert → live hub (no transport)": hubOnly,
      "GraphQL subscription over SSE": sse,
      "GraphQL subscription over WebSocket": ws,
    };
    const results: Record<string, { p50: number[]; p99: number[]; n: number[] }> = {};
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, run] of Object.entries(runs)) {
        const lat = (await run()).sort((a, b) => a - b);
        const r = (results[name] ??= { p50: [], p99: [], n: [] });
        r.p50.push(quantile(lat, 0.5));
        r.p99.push(quantile(lat, 0.99));
        r.n.push(lat.length);
      }
      process.stderr.write(`round ${round + 1}/${ROUNDS} done\n`);
    }

    const base = results["LISTEN/NOTIFY baseline (postgres.js)"]!;
    const [b50, b99] = [median(base.p50), median(base.p99)];
    console.log(`\nwrite → subscriber latency, events written by another process through Postgres`);
    console.log(`${N} events per run at ~${INTERVAL} ms intervals, ${WARMUP} warm-up dropped, ${ROUNDS} rounds; figures are medians over rounds\n`);
    console.log(`${"path".padEnd(42)} ${"p50 ms".padStart(8)} ${"p99 ms".padStart(8)} ${"p50 ×base".padStart(10)} ${"p99 ×base".padStart(10)} ${"received".padStart(9)}`);
    for (const [name, r] of Object.entries(results)) {
      const [p50, p99] = [median(r.p50), median(r.p99)];
      console.log(
        `${name.padEnd(42)} ${p50.toFixed(2).padStart(8)} ${p99.toFixed(2).padStart(8)} ${(p50 / b50).toFixed(2).padStart(10)} ${(p99 / b99).toFixed(2).padStart(10)} ${`${Math.min(...r.n)}/${N - WARMUP}`.padStart(9)}`,
      );
    }
    const worst = Object.entries(results).filter(([n]) => n.startsWith("GraphQL"));
    const ok = worst.every(([, r]) => median(r.p50) < 20 && median(r.p99) < 100);
    console.log(`\ntargets p50 < 20 ms, p99 < 100 ms: ${ok ? "met" : "NOT met"}`);
  } finally {
    await listener.end();
    await app.close();
    await live.close();
    await database.close();
    await drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
