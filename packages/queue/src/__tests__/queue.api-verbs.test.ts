import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generationJobs, type Database } from "@moneyprinter/db";
import { testDatabases } from "@moneyprinter/db/testing";
import { cancelJob, cancelLatest, enqueue, getJob, listEvents, listJobs, BadCursorError } from "../index.ts";

for (const target of testDatabases()) {
  describe(`queue verbs on ${target.name}`, () => {
    let database: Database;
    beforeAll(async () => {
      database = await target.open();
    });
    afterAll(() => database.close());
    const db = () => database.db;
    const setState = (id: string, state: "running" | "completed") =>
      db().update(generationJobs).set({ state }).where(eq(generationJobs.id, id));

    it("enqueue writes a queued job and its queued event", async () => {
      const job = await enqueue(db(), { options: { videoSubject: "cats" } });
      expect(job.state).toBe("queued");
      const events = await listEvents(db(), job.id);
      expect(events.map((e) => [e.type, e.message])).toEqual([["queued", "Job queued."]]);
    });

    it("getJob reads the same row Drizzle does, every column, timestamps as Dates", async () => {
      const job = await enqueue(db(), { options: { videoSubject: "same" } });
      await db()
        .update(generationJobs)
        .set({ state: "running", startedAt: new Date("2026-01-02T03:04:05.678Z"), leaseOwner: "w", leaseToken: "00000000-0000-4000-8000-000000000001", progress: { step: "voice", stepFraction: 0.5, progress: 0.3 } })
        .where(eq(generationJobs.id, job.id));
      const [viaDrizzle] = await db().select().from(generationJobs).where(eq(generationJobs.id, job.id));
      const row = await getJob(db(), job.id);
      expect(row).toEqual(viaDrizzle);
      expect(row!.startedAt).toBeInstanceOf(Date);
      expect(row!.startedAt!.toISOString()).toBe("2026-01-02T03:04:05.678Z");
    });

    it("getJob returns null for unknown and non-uuid ids", async () => {
      expect(await getJob(db(), "missing-id")).toBeNull();
      expect(await getJob(db(), "00000000-0000-4000-8000-000000000000")).toBeNull();
      expect(await getJob(db(), "'; drop table generation_jobs; --")).toBeNull();
    });

    it("cancels a queued job at once, flags a running one, leaves a finished one alone", async () => {
      const q = await enqueue(db(), { options: {} });
      expect(await cancelJob(db(), q.id)).toBe("cancelled");
      const qj = (await getJob(db(), q.id))!;
      expect([qj.state, qj.cancelRequested, qj.completedAt !== null]).toEqual(["cancelled", true, true]);
      expect((await listEvents(db(), q.id)).map((e) => e.type)).toEqual(["queued", "cancel_requested", "cancelled"]);

      const r = await enqueue(db(), { options: {} });
      await setState(r.id, "running");
      expect(await cancelJob(db(), r.id)).toBe("requested");
      const rj = (await getJob(db(), r.id))!;
      expect([rj.state, rj.cancelRequested]).toEqual(["running", true]);
      expect(await cancelJob(db(), r.id)).toBe("unchanged"); // a second request adds nothing

      const c = await enqueue(db(), { options: {} });
      await setState(c.id, "completed");
      expect(await cancelJob(db(), c.id)).toBe("unchanged");
      const cj = (await getJob(db(), c.id))!;
      expect([cj.state, cj.cancelRequested]).toEqual(["completed", false]);
      expect(await cancelJob(db(), "missing-id")).toBeNull();
    });

    it("cancelLatest prefers running jobs, newest first, and reports none", async () => {
      // finish everything left by earlier tests
      await db().update(generationJobs).set({ state: "completed" });
      expect(await cancelLatest(db())).toBeNull();
      const oldRunning = await enqueue(db(), { options: {} });
      const newRunning = await enqueue(db(), { options: {} });
      const newestQueued = await enqueue(db(), { options: {} });
      await setState(oldRunning.id, "running");
      await setState(newRunning.id, "running");
      expect(await cancelLatest(db())).toEqual({ jobId: newRunning.id });
      // pressing cancel twice names the same job again rather than cancelling a second one
      expect(await cancelLatest(db())).toEqual({ jobId: newRunning.id });
      expect((await getJob(db(), oldRunning.id))!.cancelRequested).toBe(false);
      await setState(oldRunning.id, "completed");
      await setState(newRunning.id, "completed");
      expect(await cancelLatest(db())).toEqual({ jobId: newestQueued.id });
      expect((await getJob(db(), newestQueued.id))!.state).toBe("cancelled");
    });

    it("lists newest first with a keyset cursor and a state filter", async () => {
      const made = [];
      for (let i = 0; i < 5; i++) made.push(await enqueue(db(), { options: { i } }));
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: Awaited<ReturnType<typeof listJobs>> = await listJobs(db(), { state: "queued", limit: 2, cursor });
        seen.push(...page.jobs.map((j) => j.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(made.map((j) => j.id).reverse());
      await expect(listJobs(db(), { cursor: "bm9wZQ" })).rejects.toBeInstanceOf(BadCursorError);
    });

    it("pages events 200 at a time with strictly increasing ids", async () => {
      const job = await enqueue(db(), { options: {} });
      const { generationEvents } = await import("@moneyprinter/db");
      await db()
        .insert(generationEvents)
        .values(Array.from({ length: 250 }, (_, i) => ({ jobId: job.id, type: "log", message: `m${i}` })));
      const first = await listEvents(db(), job.id, 0, 500);
      expect(first).toHaveLength(200);
      const second = await listEvents(db(), job.id, first.at(-1)!.id);
      expect(second).toHaveLength(51);
      const ids = [...first, ...second].map((e) => e.id);
      expect(ids.every((id, i) => i === 0 || id > ids[i - 1]!)).toBe(true);
    });
  });
}
