/**
 * The other process of bench/events.ts: writes through its own Postgres connection, as a worker
 * would, stamping each write with the wall-clock time just before it is sent.
 *   node --import tsx bench/writer.ts <url> <jobId|-> <count> <intervalMs> <events|notify>
 */
import postgres from "postgres";

const [url, jobId, countArg, intervalArg, mode] = process.argv.slice(2);
const count = Number(countArg);
const interval = Number(intervalArg);
const now = () => performance.timeOrigin + performance.now();
const sql = postgres(url!, { max: 1, onnotice: () => {}, connection: { application_name: "mp_bench_writer" } });
await sql`select 1`;
process.stdout.write("ready\n");
// parent says go once its subscriber is live
await new Promise<void>((resolve) => process.stdin.once("data", () => resolve()));
process.stdin.destroy();
for (let i = 0; i < count; i++) {
  const sentAt = now();
  if (mode === "notify") {
    await sql`select pg_notify('mp_bench', ${String(sentAt)})`;
  } else {
    await sql`insert into generation_events (job_id, type, level, message, payload)
      values (${jobId!}, 'log', 'info', ${`bench ${i}`}, ${sql.json({ i, sentAt })})`;
  }
  // a steady trickle, like a pipeline logging progress: latency, not throughput
  await new Promise((r) => setTimeout(r, interval * (0.5 + Math.random())));
}
await sql.end();
