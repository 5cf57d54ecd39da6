import { eq } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, generationEvents, generationJobs, type Database, type EventRow } from "@moneyprinter/db";
import { testDatabases } from "@moneyprinter/db/testing";
import { enqueue } from "@moneyprinter/queue";
import { createLiveHub, followEvents, followJob, type LiveHub } from "../index.ts";

async function collect<T>(it: AsyncIterable<T>, onItem?: (item: T, n: number) => Promise<void> | void): Promise<T[]> {
  const out: T[] = [];
  for await (const item of it) {
    out.push(item);
    await onItem?.(item, out.length);
  }
  return out;
}

for (const target of testDatabases()) {
  describe(`live hub on ${target.name}`, () => {
    let database: Database & { url?: string };
    /** a second connection pool, as another process would have (Postgres only) */
    let writer: Database;
    let live: LiveHub;
    beforeAll(async () => {
      database = await target.open();
      writer = database.url ? await createDatabase({ url: database.url, max: 2, migrate: false }) : database;
      live = await createLiveHub(database, { safetyPollMs: 60_000 });
    });
    afterAll(async () => {
      await live.close();
      if (writer !== database) await writer.close();
      await database.close();
    });

    const log = (jobId: string, n: number) =>
      writer.db.insert(generationEvents).values({ jobId, type: "log", message: `step ${n}`, payload: { n } });
    const finish = (jobId: string) =>
      writer.db.transaction(async (tx) => {
        await tx.update(generationJobs).set({ state: "completed", resultPath: "/v.mp4", completedAt: new Date() }).where(eq(generationJobs.id, jobId));
        await tx.insert(generationEvents).values({ jobId, type: "complete", level: "success", message: "Done.", payload: { path: "/v.mp4" } });
      });

    it("replays stored events, then pushes new ones in order, none lost or repeated, and ends after the terminal event", async () => {
      const job = await enqueue(database.db, { options: { videoSubject: "x" } });
      await writer.db.update(generationJobs).set({ state: "running" }).where(eq(generationJobs.id, job.id));
      for (let i = 1; i <= 5; i++) await log(job.id, i);
      const got = await collect(followEvents(database.db, live, job.id, 0), async (_e, n) => {
        // write while the subscriber is still replaying: the switch to live must not skip these
        if (n === 2) for (let i = 6; i <= 10; i++) await log(job.id, i);
        if (n === 11) await finish(job.id);
      });
      expect(got.map((e) => e.type)).toEqual(["queued", ...Array(10).fill("log"), "complete"]);
      expect(got.slice(1, 11).map((e) => (e.payload as { n: number }).n)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      const ids = got.map((e) => e.id);
      expect([...ids].sort((a, b) => a - b)).toEqual(ids);
      expect(new Set(ids).size).toBe(ids.length);
      expect(live.size).toBe(0);
    });

    it("a finished job replays and ends; after the last id it ends at once", async () => {
      const job = await enqueue(database.db, { options: { videoSubject: "y" } });
      await log(job.id, 1);
      await finish(job.id);
      const all = await collect(followEvents(database.db, live, job.id, 0));
      expect(all.map((e) => e.type)).toEqual(["queued", "log", "complete"]);
      expect(await collect(followEvents(database.db, live, job.id, all.at(-1)!.id))).toEqual([]);
    });

    it("an error event of an attempt that will retry does not end the stream; the failed state does", async () => {
      const job = await enqueue(database.db, { options: { videoSubject: "z" } });
      const got: EventRow[] = [];
      const done = collect(followEvents(database.db, live, job.id, 0), (e) => void got.push(e));
      await writer.db.insert(generationEvents).values({ jobId: job.id, type: "error", level: "error", message: "attempt 1 failed" });
      await writer.db.insert(generationEvents).values({ jobId: job.id, type: "retry", level: "warning", message: "retrying" });
      await writer.db.transaction(async (tx) => {
        await tx.update(generationJobs).set({ state: "failed", errorMessage: "boom" }).where(eq(generationJobs.id, job.id));
        await tx.insert(generationEvents).values({ jobId: job.id, type: "error", level: "error", message: "boom" });
      });
      expect((await done).map((e) => e.type)).toEqual(["queued", "error", "retry", "error"]);
    });

    it("unknown job: NOT_FOUND before anything is sent", async () => {
      await expect(collect(followEvents(database.db, live, "00000000-0000-4000-8000-000000000000", 0))).rejects.toMatchObject({ code: "NOT_FOUND" });
      await expect(collect(followJob(database.db, live, "missing-id"))).rejects.toMatchObject({ code: "NOT_FOUND" });
    });

    it("followJob pushes state, progress and cancel changes and ends at a terminal state", async () => {
      const job = await enqueue(database.db, { options: { videoSubject: "w" } });
      const seen: string[] = [];
      const done = collect(followJob(database.db, live, job.id), (j) => void seen.push(`${j.state}:${j.progress?.progress ?? "-"}:${j.cancelRequested}`));
      const until = async (n: number) => {
        for (let i = 0; i < 200 && seen.length < n; i++) await new Promise((r) => setTimeout(r, 10));
      };
      await until(1);
      await writer.db.update(generationJobs).set({ state: "running" }).where(eq(generationJobs.id, job.id));
      await until(2);
      await writer.db.update(generationJobs).set({ progress: { step: "voice", stepFraction: 0.5, progress: 0.4 } }).where(eq(generationJobs.id, job.id));
      await until(3);
      await writer.db.update(generationJobs).set({ cancelRequested: true }).where(eq(generationJobs.id, job.id));
      await until(4);
      await writer.db.update(generationJobs).set({ state: "cancelled" }).where(eq(generationJobs.id, job.id));
      await done;
      expect(seen).toEqual(["queued:-:false", "running:-:false", "running:0.4:false", "running:0.4:true", "cancelled:0.4:true"]);
    });

    it.runIf(target.name === "postgres")("an event committed after a higher id (two writers) is sent late, not lost", async () => {
      const job = await enqueue(database.db, { options: { videoSubject: "straggler" } });
      const slow = postgres(database.url!, { max: 1, onnotice: () => {} });
      try {
        let release!: () => void;
        const held = new Promise<void>((r) => (release = r));
        let inserted!: () => void;
        const insertedP = new Promise<void>((r) => (inserted = r));
        // writer A takes an id first but commits last
        const a = slow.begin(async (tx) => {
          await tx`insert into generation_events (job_id, type, message) values (${job.id}, 'log', 'slow writer')`;
          inserted();
          await held;
        });
        await insertedP;
        const got = await collect(followEvents(database.db, live, job.id, 0), async (e, n) => {
          if (n === 1) await log(job.id, 1); // writer B: a higher id, committed at once
          if (n === 2) {
            release();
            await a;
          }
          if (n === 3) await finish(job.id);
        });
        expect(got.map((e) => e.message)).toEqual(["Job queued.", "step 1", "slow writer", "Done."]);
        const ids = got.map((e) => e.id);
        expect(ids[2]!).toBeLessThan(ids[1]!); // sent late, out of id order
        expect(new Set(ids).size).toBe(ids.length);
      } finally {
        await slow.end();
      }
    });

    it.runIf(target.name === "postgres")("catches up after the LISTEN connection is killed mid-stream", async () => {
      const job = await enqueue(database.db, { options: { videoSubject: "k" } });
      const admin = postgres(database.url!, { max: 1, onnotice: () => {} });
      try {
        const got = await collect(followEvents(database.db, live, job.id, 0), async (_e, n) => {
          if (n === 1) {
            for (let i = 1; i <= 3; i++) await log(job.id, i);
          }
          if (n === 4) {
            const killed = await admin`select pg_terminate_backend(pid) as ok from pg_stat_activity
              where datname = current_database() and query ilike 'listen%'`;
            expect(killed.length).toBeGreaterThan(0);
            // written while no LISTEN connection exists: no notification will ever arrive for these
            for (let i = 4; i <= 6; i++) await log(job.id, i);
          }
          if (n === 7) await finish(job.id);
        });
        expect(got.map((e) => e.type)).toEqual(["queued", ...Array(6).fill("log"), "complete"]);
        expect(got.slice(1, 7).map((e) => (e.payload as { n: number }).n)).toEqual([1, 2, 3, 4, 5, 6]);
        // the listener is back: a fresh write is pushed, not found by the safety poll (60 s here)
        const again = await enqueue(database.db, { options: { videoSubject: "k2" } });
        const t0 = Date.now();
        const events = await collect(followEvents(database.db, live, again.id, 0), async (_e, n) => {
          if (n === 1) await finish(again.id);
        });
        expect(events.map((e) => e.type)).toEqual(["queued", "complete"]);
        expect(Date.now() - t0).toBeLessThan(5_000);
        const listening = await admin`select count(*)::int as n from pg_stat_activity where datname = current_database() and query ilike 'listen%'`;
        expect(listening[0]!.n).toBeGreaterThan(0);
      } finally {
        await admin.end();
      }
    });
  });
}

