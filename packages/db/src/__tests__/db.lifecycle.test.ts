import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { createDatabase, DataDirLockedError, generationJobs, migrate, rowsOf } from "../index.ts";
import { freshPostgresUrl, testDatabases } from "../testing.ts";

for (const target of testDatabases()) {
  describe(`schema on ${target.name}`, () => {
    it("migrates, is idempotent, and keeps event ids strictly increasing", async () => {
      const database = await target.open();
      try {
        expect(await migrate(database.db)).toBe(0); // already applied by open()
        const [job] = await database.db.insert(generationJobs).values({ options: { videoSubject: "x" } }).returning();
        expect(job!.state).toBe("queued");
        const res = await database.db.execute(
          sql`insert into generation_events (job_id, type, message) values (${job!.id}, 'log', 'a'), (${job!.id}, 'log', 'b') returning id, timestamp`,
        );
        const rows = rowsOf<{ id: number | string; timestamp: number }>(res);
        expect(Number(rows[1]!.id)).toBeGreaterThan(Number(rows[0]!.id));
        expect(Math.abs(Number(rows[0]!.timestamp) - Date.now() / 1000)).toBeLessThan(60);
      } finally {
        await database.close();
      }
    });

    it("delivers NOTIFY to a listener", async () => {
      const database = await target.open();
      try {
        const got: string[] = [];
        const stop = await database.listen("mp_test", (p) => got.push(p));
        await database.db.execute(sql`select pg_notify('mp_test', 'hello')`);
        for (let i = 0; i < 50 && got.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
        expect(got).toEqual(["hello"]);
        await stop();
      } finally {
        await database.close();
      }
    });
  });
}

describe.runIf(process.env.TEST_DATABASE_URL)("migrations on a real Postgres", () => {
  it("two processes starting together both succeed and apply each migration once", async () => {
    const { url, drop } = await freshPostgresUrl(process.env.TEST_DATABASE_URL!);
    try {
      const [a, b] = await Promise.all([createDatabase({ url, max: 2 }), createDatabase({ url, max: 2 })]);
      const res = await a.db.execute(sql`select count(*)::int as n from moneyprinter_migrations`);
      expect(rowsOf<{ n: number }>(res)[0]!.n).toBeGreaterThan(0);
      const tables = await a.db.execute(sql`select count(*)::int as n from information_schema.tables where table_name = 'generation_jobs'`);
      expect(rowsOf<{ n: number }>(tables)[0]!.n).toBe(1);
      await Promise.all([a.close(), b.close()]);
    } finally {
      await drop();
    }
  });
});

describe("the embedded database lock", () => {
  const dirs: string[] = [];
  afterAll(() => {});

  it("refuses a second process on the same data directory, naming DATABASE_URL", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mp-lock-"));
    dirs.push(dir);
    // a real second process holds the directory
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "-e", `import("${join(import.meta.dirname, "..", "index.ts")}").then(async m => { await m.createDatabase({ dataDir: ${JSON.stringify(dir)} }); console.log("ready"); setInterval(() => {}, 1000); })`],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout!.on("data", (d: Buffer) => d.toString().includes("ready") && resolve());
        child.on("exit", (code) => reject(new Error(`holder exited ${code}`)));
      });
      const err = await createDatabase({ dataDir: dir }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DataDirLockedError);
      expect((err as Error).message).toContain("DATABASE_URL");
      expect((err as Error).message).toContain(String(child.pid));
    } finally {
      child.kill("SIGKILL");
    }
    await new Promise((r) => child.once("exit", r));
    // its owner died without cleaning up: the stale lock is taken over
    expect(existsSync(join(dir, "pglite.lock"))).toBe(true);
    const database = await createDatabase({ dataDir: dir });
    await database.close();
    expect(existsSync(join(dir, "pglite.lock"))).toBe(false);
  });

  it("takes over a lock file naming a dead pid", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mp-lock-"));
    writeFileSync(join(dir, "pglite.lock"), "999999999");
    const database = await createDatabase({ dataDir: dir });
    await database.db.insert(generationJobs).values({ options: {} });
    await database.close();
  });
});
