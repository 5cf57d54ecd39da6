/*
 * npm run bench:pool -w @moneyprinter/db — does a saturated postgres.js pool stay as cheap per
 * query after a million queries as after the first hundred thousand?
 *
 * 64 concurrent loops of `select 1` on a pool of 4 keep every connection busy all the time, the
 * state a loaded API server or worker is in. Unpatched postgres.js 3.4.9 grew its busy-connection
 * queue by one slot per hand-off and scanned it on every query: CPU per query rose from ~33 µs to
 * ~111 µs within 21 s here. With patches/postgres+3.4.9.patch it stays flat. Prints CPU per query
 * for each interval and the last/first ratio (≈ 1 when the pool does not degrade).
 * Settings: BENCH_DATABASE_URL (default TEST_DATABASE_URL, then the local server), BENCH_SECONDS (21).
 */
import postgres from "postgres";

const url = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
const seconds = Number(process.env.BENCH_SECONDS ?? 21);
const sql = postgres(url, { max: 4, onnotice: () => {} });

let n = 0;
let stop = false;
const loops = Array.from({ length: 64 }, async () => {
  while (!stop) {
    await sql`select 1`;
    n++;
  }
});

const perQuery: number[] = [];
let lastCpu = process.cpuUsage();
let lastN = 0;
for (let t = 3; t <= seconds; t += 3) {
  await new Promise((r) => setTimeout(r, 3000));
  const cpu = process.cpuUsage(lastCpu);
  lastCpu = process.cpuUsage();
  const us = (cpu.user + cpu.system) / Math.max(1, n - lastN);
  lastN = n;
  perQuery.push(us);
  console.log(`${String(t).padStart(3)} s  ${String(n).padStart(9)} queries  ${us.toFixed(1).padStart(6)} µs CPU/query`);
}
stop = true;
await Promise.all(loops);
await sql.end();
console.log(`last/first interval CPU per query: ${(perQuery.at(-1)! / perQuery[0]!).toFixed(2)} (≈ 1: no degradation)`);
