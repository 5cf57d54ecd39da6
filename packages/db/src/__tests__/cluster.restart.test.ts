import { existsSync, readFileSync } from "node:fs";
import { connect, createServer, type AddressInfo, type Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, rowsOf } from "../index.ts";
import { privateClusterTools, startPrivateCluster, type PrivateCluster } from "../testing.ts";

const support = privateClusterTools();
const tools = support.ok ? support.tools : undefined;
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

describe.skipIf(!tools)("a private Postgres cluster, stopped and restarted", () => {
  let cluster: PrivateCluster;
  beforeAll(async () => {
    cluster = await startPrivateCluster(tools!);
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

  it("LISTEN survives its connection dying with a LISTEN in flight: no channel is lost, listeners catch up", async () => {
    const proxy = await dropOnNextQuery(cluster.port);
    const database = await createDatabase({ url: `postgres://postgres@127.0.0.1:${proxy.port}/postgres`, migrate: false });
    const admin = await createDatabase({ url: cluster.url, max: 1, migrate: false });
    const heard = new Map<string, number>();
    let catchUps = 0;
    const subscribe = (channel: string) => database.listen(channel, () => heard.set(channel, Date.now()), () => catchUps++);
    const live = ["mp_a", "mp_b"];
    try {
      for (const c of live) await subscribe(c);
      for (let round = 0; round < 3; round++) {
        // the next statement on any proxied connection — this LISTEN — gets a FATAL instead of an answer
        proxy.arm();
        const channel = `mp_c${round}`;
        await expect(subscribe(channel)).rejects.toThrow();
        expect(proxy.dropped).toBe(round + 1);
        // postgres.js 3.4.9 kept that FATAL and rejected the first LISTEN it re-sent after the
        // reconnect with it, leaving that channel deaf on a healthy connection
        const t0 = Date.now();
        for (;;) {
          const sent = Date.now();
          await admin.db.execute(sql.raw(`select ${live.map((c) => `pg_notify('${c}', 'x')`).join(", ")}`));
          await sleep(50);
          const deaf = live.filter((c) => (heard.get(c) ?? 0) < sent);
          if (deaf.length === 0) break;
          if (Date.now() - t0 > 5_000) throw new Error(`round ${round}: ${deaf.join(", ")} no longer notified`);
        }
        await subscribe(channel); // and a channel can be added afterwards
        live.push(channel);
      }
      expect(catchUps).toBeGreaterThanOrEqual(3 * 2); // both first listeners caught up after each drop
    } finally {
      await database.close();
      await admin.close();
      await proxy.close();
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

/**
 * A TCP proxy to Postgres that, once armed, answers the next query message a client sends
 * ('Q' simple or 'P' extended) with FATAL 57P01 and closes both sides: a connection dying with
 * that query in flight, every time, which a real termination only hits by chance.
 */
async function dropOnNextQuery(port: number) {
  let armed = false;
  let dropped = 0;
  const sockets = new Set<Socket>();
  const fatal = (() => {
    const fields = ["SFATAL", "VFATAL", "C57P01", "Mterminating connection due to administrator command"];
    const body = Buffer.concat([...fields.map((f) => Buffer.from(`${f}\0`)), Buffer.from([0])]);
    const head = Buffer.alloc(5);
    head.write("E", 0);
    head.writeInt32BE(body.length + 4, 1);
    return Buffer.concat([head, body]);
  })();
  const server = createServer((client) => {
    const upstream = connect(port, "127.0.0.1");
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => {});
    }
    upstream.on("data", (d) => client.write(d));
    client.on("data", (d) => {
      if (armed && (d[0] === 0x51 || d[0] === 0x50)) {
        armed = false;
        dropped++;
        upstream.destroy();
        client.end(fatal);
        return;
      }
      upstream.write(d);
    });
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    port: (server.address() as AddressInfo).port,
    arm: () => void (armed = true),
    get dropped() {
      return dropped;
    },
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

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
