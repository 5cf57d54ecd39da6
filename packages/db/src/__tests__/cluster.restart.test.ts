import { existsSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, rowsOf } from "../index.ts";
import { privateClusterTools, startPrivateCluster, type PrivateCluster } from "../testing.ts";

const support = privateClusterTools();
if (!support.ok) console.warn(`skipping the private-cluster tests: ${support.reason}`);

/** whether the process has exited (pg_ctl returns once the pid file is gone, a moment before the exit) */
const exits = async (pid: number, ms = 5_000) => {
  const end = Date.now() + ms;
  for (;;) {
    try {
      process.kill(pid, 0);
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
