import { existsSync, readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, rowsOf } from "../index.ts";
import { privateClusterTools, startPrivateCluster, type PrivateCluster } from "../testing.ts";

const support = privateClusterTools();
if (!support.ok) console.warn(`skipping the private-cluster tests: ${support.reason}`);

/** whether the process exits within `ms` (pg_ctl returns once the pid file is gone, a moment before the exit) */
const exits = async (pid: number, ms = 5_000) => {
  const end = Date.now() + ms;
  for (;;) {
    try {
      // a zombie has exited; whoever adopted it (pg_ctl daemonizes the postmaster) reaps it later
      if (readFileSync(`/proc/${pid}/stat`, "utf8").replace(/^.*\) /s, "").startsWith("Z")) return true;
    } catch {
      return true;
    }
    if (Date.now() > end) return false;
    await sleep(20);
  }
};

describe.skipIf(!support.ok)("a private Postgres cluster, stopped and restarted", () => {
  let cluster: PrivateCluster;
  beforeAll(async () => {
    cluster = await startPrivateCluster((support as { tools: Parameters<typeof startPrivateCluster>[0] }).tools);
  });
  afterAll(() => cluster?.destroy());

  it("a pool reconnects within about a second of the server coming back, however long it was down", async () => {
    // no migrations: they run in a transaction, which postgres.js 3.4.9 leaves an orphaned promise behind
    const database = await createDatabase({ url: cluster.url, max: 3, migrate: false });
    const backend = async () => rowsOf<{ pid: number }>(await database.db.execute(sql`select pg_backend_pid() as pid`))[0]!.pid;
    try {
      await backend();
      await cluster.stop("fast");
      // a client that keeps asking while the server is down, as a worker's loops do: every refused
      // connection counts towards postgres.js's reconnect backoff
      const asking = (async () => {
        const end = Date.now() + 3_000;
        let refused = 0;
        while (Date.now() < end) {
          await backend().catch(() => refused++);
          await sleep(50);
        }
        return refused;
      })();
      expect(await asking).toBeGreaterThan(3);
      await cluster.start();
      const t0 = Date.now();
      for (;;) {
        try {
          await backend();
          break;
        } catch {
          if (Date.now() - t0 > 15_000) throw new Error("no connection 15 s after the server started");
          await sleep(20);
        }
      }
      const reconnectMs = Date.now() - t0;
      // postgres.js's own backoff would wait (0.5..1) × 20 s by now; ours is capped at 1 s
      expect(reconnectMs).toBeLessThan(3_000);
      console.info(`pool reconnected ${reconnectMs} ms after a 3 s outage`);
    } finally {
      await database.close();
    }
  });

  it("restart gives a new postmaster; stop refuses connections; destroy kills it and removes its directory", async () => {
    const database = await createDatabase({ url: cluster.url, max: 1, migrate: false });
    const one = async () => rowsOf<{ n: number }>(await database.db.execute(sql`select 1 as n`))[0]!.n;
    try {
      expect(await one()).toBe(1);
      const before = cluster.pid()!;
      await cluster.restart();
      expect(cluster.pid()).toBeGreaterThan(0);
      expect(cluster.pid()).not.toBe(before);
      expect(await exits(before)).toBe(true);
      await until(one);
      await cluster.stop();
      expect(cluster.pid()).toBeUndefined();
      await expect(one()).rejects.toThrow();
      await cluster.start();
      await until(one);
    } finally {
      await database.close();
    }
    const pid = cluster.pid()!;
    await cluster.destroy();
    expect(await exits(pid)).toBe(true);
    expect(existsSync(cluster.dir)).toBe(false);
    await cluster.destroy(); // twice is fine
  });
});

/** the pool may need a moment to notice the old connection is gone */
async function until(fn: () => Promise<unknown>, ms = 10_000) {
  const end = Date.now() + ms;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > end) throw err;
      await sleep(20);
    }
  }
}
