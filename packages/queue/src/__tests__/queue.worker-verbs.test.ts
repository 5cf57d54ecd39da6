import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { generationJobs, type Database } from "@moneyprinter/db";
import { testDatabases } from "@moneyprinter/db/testing";
import {
  appendEvent,
  backoffSeconds,
  cancelJob,
  claimJobs,
  completeJob,
  enqueue,
  failJob,
  getJob,
  getScript,
  listArtifacts,
  listEvents,
  markCancelled,
  nextRunAt,
  nominalBackoffSeconds,
  queueStats,
  releaseJob,
  renewLeases,
  reportProgress,
  retryJob,
  saveArtifact,
  saveScript,
  sweepExpiredLeases,
  writeGuarded,
  type ClaimedJob,
} from "../index.ts";

const lease = (j: ClaimedJob) => ({ jobId: j.id, token: j.leaseToken });

for (const target of testDatabases()) {
  describe(`worker verbs on ${target.name}`, () => {
    let database: Database;
    beforeAll(async () => {
      database = await target.open();
    });
    afterAll(() => database.close());
    const db = () => database.db;
    // every test starts from an empty queue
    beforeEach(async () => {
      await db().delete(generationJobs);
    });
    const expireLease = (id: string) =>
      db().update(generationJobs).set({ leaseExpiresAt: sql`now() - interval '1 second'` }).where(eq(generationJobs.id, id));

    it("claims by priority, then run-at, then age, and writes the running event", async () => {
      const low = await enqueue(db(), { options: { n: "low" } });
      const high = await enqueue(db(), { options: { n: "high" }, priority: 5 });
      const later = await enqueue(db(), { options: { n: "later" }, runAt: new Date(Date.now() + 60_000), priority: 9 });
      const [first] = await claimJobs(db(), { owner: "w1", leaseSeconds: 30, limit: 1 });
      expect(first!.id).toBe(high.id);
      expect(first!.attempt).toBe(1);
      const [second] = await claimJobs(db(), { owner: "w1", leaseSeconds: 30, limit: 5 });
      expect(second!.id).toBe(low.id);
      expect(await claimJobs(db(), { owner: "w1", leaseSeconds: 30, limit: 5 })).toEqual([]); // `later` is not due
      expect((await nextRunAt(db()))!.getTime()).toBe(later.runAt.getTime());
      const row = (await getJob(db(), high.id))!;
      expect([row.state, row.attempts, row.leaseOwner, row.startedAt !== null]).toEqual(["running", 1, "w1", true]);
      expect(row.leaseExpiresAt!.getTime() - Date.now()).toBeGreaterThan(25_000);
      const events = await listEvents(db(), high.id);
      expect(events.map((e) => [e.type, e.message])).toEqual([["queued", "Job queued."], ["running", "Job started."]]);
    });

    it("two claimers never take the same job", async () => {
      for (let i = 0; i < 40; i++) await enqueue(db(), { options: { i } });
      const claims = await Promise.all(
        Array.from({ length: 8 }, (_, k) => claimJobs(db(), { owner: `w${k}`, leaseSeconds: 30, limit: 7 })),
      );
      const ids = claims.flat().map((c) => c.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.length).toBe(40);
    });

    it("a zombie whose lease was swept and re-claimed can neither write events, progress, outputs nor complete", async () => {
      const job = await enqueue(db(), { options: {} });
      const [zombie] = await claimJobs(db(), { owner: "zombie", leaseSeconds: 30, limit: 1 });
      expect(await appendEvent(db(), lease(zombie!), { level: "info", message: "still mine" })).toBeTypeOf("number");
      await expireLease(job.id);
      const swept = await sweepExpiredLeases(db(), { backoff: { baseSeconds: 0, maxSeconds: 0, jitter: 0 } });
      expect(swept).toEqual([{ jobId: job.id, state: "queued", lostOwner: "zombie" }]);
      const [heir] = await claimJobs(db(), { owner: "heir", leaseSeconds: 30, limit: 1 });
      expect(heir!.attempt).toBe(2);
      const before = (await listEvents(db(), job.id)).length;

      expect(await appendEvent(db(), lease(zombie!), { level: "info", message: "zombie" })).toBeNull();
      expect(await reportProgress(db(), lease(zombie!), { step: "render", stepFraction: 1, progress: 1 }, "zombie")).toBe(false);
      expect(await saveArtifact(db(), lease(zombie!), { kind: "video", path: "/z.mp4", sizeBytes: 1, sha256: "x", durationSeconds: null })).toBe(false);
      expect(await saveScript(db(), lease(zombie!), { script: "zombie" })).toBe(false);
      expect(await completeJob(db(), lease(zombie!), "/z.mp4")).toBe(false);
      expect(await failJob(db(), lease(zombie!), "zombie")).toBe(false);
      expect(await renewLeases(db(), [lease(zombie!)], 30)).toEqual([]);
      expect((await listEvents(db(), job.id)).length).toBe(before);
      expect(await listArtifacts(db(), job.id)).toEqual([]);
      expect(await getScript(db(), job.id)).toBeNull();

      expect(await completeJob(db(), lease(heir!), "/out.mp4")).toBe(true);
      const done = (await getJob(db(), job.id))!;
      expect([done.state, done.resultPath, done.attempts, done.leaseToken]).toEqual(["completed", "/out.mp4", 2, null]);
      expect((await listEvents(db(), job.id)).map((e) => e.type)).toEqual(["queued", "running", "log", "retry", "running", "complete"]);
    });

    it("one batch of guarded writes for several jobs: each fenced on its own, events in order, latest progress kept", async () => {
      for (let i = 0; i < 3; i++) await enqueue(db(), { options: { i } });
      const [a, b, z] = await claimJobs(db(), { owner: "w", leaseSeconds: 30, limit: 3 });
      // z's lease is taken over before the batch: none of its writes may land
      await expireLease(z!.id);
      await sweepExpiredLeases(db(), { backoff: { baseSeconds: 0, maxSeconds: 0, jitter: 0 } });
      const before = { z: (await listEvents(db(), z!.id)).length };
      const p = (step: string, progress: number) => ({ step, stepFraction: 1, progress });

      const ids = await writeGuarded(
        db(),
        [
          { kind: "progress", lease: lease(a!), progress: p("script", 0.1), message: "a script" },
          { kind: "event", lease: lease(z!), event: { level: "info", message: "zombie" } },
          { kind: "event", lease: lease(b!), event: { type: "log", level: "warning", message: "b warns", payload: { n: 1 } } },
          { kind: "progress", lease: lease(a!), progress: p("voice", 0.3), message: "a voice" },
          { kind: "progress", lease: lease(b!), progress: p("script", 0.1), message: "b script" },
          { kind: "complete", lease: lease(a!), resultPath: "/a.mp4" },
          { kind: "progress", lease: lease(z!), progress: p("render", 0.9), message: "zombie progress" },
        ],
        { durable: false },
      );
      expect(ids.map((id) => id === null)).toEqual([false, true, false, false, false, false, true]);
      const written = ids.filter((id): id is number => id !== null);
      expect([...written].sort((x, y) => x - y)).toEqual(written); // ids follow the order the writes were given

      const ja = (await getJob(db(), a!.id))!;
      expect([ja.state, ja.resultPath, ja.leaseToken, ja.progress]).toEqual(["completed", "/a.mp4", null, p("voice", 0.3)]);
      const ea = await listEvents(db(), a!.id);
      expect(ea.slice(-3).map((e) => [e.id, e.type, e.message])).toEqual([
        [ids[0], "log", "a script"],
        [ids[3], "log", "a voice"],
        [ids[5], "complete", "Job completed."],
      ]);
      expect(ea.at(-1)!.payload).toEqual({ path: "/a.mp4" });

      const jb = (await getJob(db(), b!.id))!;
      expect([jb.state, jb.progress]).toEqual(["running", p("script", 0.1)]);
      expect((await listEvents(db(), b!.id)).slice(-2).map((e) => [e.type, e.level, e.message, e.payload])).toEqual([
        ["log", "warning", "b warns", { n: 1 }],
        ["log", "info", "b script", p("script", 0.1)],
      ]);

      expect((await getJob(db(), z!.id))!.state).toBe("queued");
      expect((await listEvents(db(), z!.id)).length).toBe(before.z);
      // a completion in a batch makes the batch durable whatever was asked; and a second completion is refused
      expect(await writeGuarded(db(), [{ kind: "complete", lease: lease(a!), resultPath: "/again.mp4" }])).toEqual([null]);
    });

    it("progress, artifacts and scripts are written under the lease", async () => {
      await enqueue(db(), { options: {} });
      const [c] = await claimJobs(db(), { owner: "w", leaseSeconds: 30, limit: 1 });
      expect(await reportProgress(db(), lease(c!), { step: "voice", stepFraction: 0.5, progress: 0.4 }, "voice 50%")).toBe(true);
      expect((await getJob(db(), c!.id))!.progress).toEqual({ step: "voice", stepFraction: 0.5, progress: 0.4 });
      const [, , log] = await listEvents(db(), c!.id);
      expect([log!.type, log!.message, log!.payload]).toEqual(["log", "voice 50%", { step: "voice", stepFraction: 0.5, progress: 0.4 }]);
      expect(await saveArtifact(db(), lease(c!), { kind: "voice", path: "/a.mp3", sizeBytes: 10, sha256: "ab", durationSeconds: 2.5 })).toBe(true);
      expect(await saveArtifact(db(), lease(c!), { kind: "voice", path: "/a.mp3", sizeBytes: 11, sha256: "cd", durationSeconds: 2.5 })).toBe(true);
      expect(await listArtifacts(db(), c!.id)).toEqual([{ kind: "voice", path: "/a.mp3", sizeBytes: 11, sha256: "cd", durationSeconds: 2.5 }]);
      expect(await saveScript(db(), lease(c!), { script: "hello", searchTerms: ["a", "b"] })).toBe(true);
      expect(await saveScript(db(), lease(c!), { title: "T" })).toBe(true);
      expect(await getScript(db(), c!.id)).toEqual({ script: "hello", searchTerms: ["a", "b"], title: "T", description: null, keywords: null });
    });

    it("renewal extends only held leases and reports cancel requests", async () => {
      await enqueue(db(), { options: {} });
      await enqueue(db(), { options: {} });
      const [a, b] = await claimJobs(db(), { owner: "w", leaseSeconds: 2, limit: 2 });
      await cancelJob(db(), b!.id);
      const held = await renewLeases(db(), [lease(a!), lease(b!), { jobId: a!.id, token: b!.leaseToken }], 60);
      expect(held.map((h) => [h.jobId, h.cancelRequested]).sort()).toEqual([[a!.id, false], [b!.id, true]].sort());
      expect(held[0]!.leaseExpiresAt.getTime() - Date.now()).toBeGreaterThan(50_000);
      expect(await markCancelled(db(), lease(a!))).toBe(false); // no cancel was requested for a
      expect(await markCancelled(db(), lease(b!))).toBe(true);
      expect((await getJob(db(), b!.id))!.state).toBe("cancelled");
    });

    it("retry waits out its delay as queued; release gives the attempt back", async () => {
      const job = await enqueue(db(), { options: {} });
      const [c] = await claimJobs(db(), { owner: "w", leaseSeconds: 30, limit: 1 });
      expect(await retryJob(db(), lease(c!), { reason: "fetch failed", delaySeconds: 30 })).toBe(true);
      let row = (await getJob(db(), job.id))!;
      expect(row.state).toBe("queued");
      expect(row.runAt.getTime() - Date.now()).toBeGreaterThan(25_000);
      const retry = (await listEvents(db(), job.id)).at(-1)!;
      expect(retry.type).toBe("retry");
      expect(retry.message).toBe("Attempt 1 of 3 failed: fetch failed. Retrying in 30.0 s.");
      expect(retry.payload).toMatchObject({ reason: "fetch failed.", delaySeconds: 30, attempt: 1, maxAttempts: 3 });
      expect(await claimJobs(db(), { owner: "w", leaseSeconds: 30, limit: 1 })).toEqual([]);
      const stats = await queueStats(db());
      expect([stats.counts.queued, stats.delayed]).toEqual([1, 1]);

      await db().update(generationJobs).set({ runAt: sql`now()` }).where(eq(generationJobs.id, job.id));
      const [c2] = await claimJobs(db(), { owner: "w", leaseSeconds: 30, limit: 1 });
      expect(c2!.attempt).toBe(2);
      expect(await releaseJob(db(), lease(c2!), "w")).toBe(true);
      row = (await getJob(db(), job.id))!;
      expect([row.state, row.attempts, row.leaseToken]).toEqual(["queued", 1, null]);
      const [c3] = await claimJobs(db(), { owner: "w2", leaseSeconds: 30, limit: 1 });
      expect(c3!.attempt).toBe(2);
    });

    it("the sweeper fails a lost job with no attempts left and cancels one with a cancel request", async () => {
      const last = await enqueue(db(), { options: {}, maxAttempts: 1 });
      const cancelled = await enqueue(db(), { options: {} });
      const [a, b] = await claimJobs(db(), { owner: "gone", leaseSeconds: 30, limit: 2 });
      expect(new Set([a!.id, b!.id])).toEqual(new Set([last.id, cancelled.id]));
      await cancelJob(db(), cancelled.id);
      await expireLease(last.id);
      await expireLease(cancelled.id);
      const swept = await sweepExpiredLeases(db());
      expect(Object.fromEntries(swept.map((s) => [s.jobId, s.state]))).toEqual({ [last.id]: "failed", [cancelled.id]: "cancelled" });
      const failed = (await getJob(db(), last.id))!;
      expect(failed.state).toBe("failed");
      expect(failed.errorMessage).toMatch(/^Worker lost: gone stopped renewing its lease while running attempt 1 of 1\.$/);
      expect(failed.completedAt).not.toBeNull();
      expect((await listEvents(db(), last.id)).at(-1)!.type).toBe("error");
      expect((await getJob(db(), cancelled.id))!.state).toBe("cancelled");
      expect((await listEvents(db(), cancelled.id)).map((e) => e.type)).toEqual(["queued", "running", "cancel_requested", "cancelled"]);
      expect(await sweepExpiredLeases(db())).toEqual([]); // nothing twice
    });

    it("queue stats count by state and age the oldest queued job", async () => {
      await enqueue(db(), { options: {} });
      await db().update(generationJobs).set({ createdAt: sql`now() - interval '90 seconds'` });
      await enqueue(db(), { options: {} });
      const s = await queueStats(db());
      expect(s.counts).toEqual({ queued: 2, running: 0, completed: 0, failed: 0, cancelled: 0 });
      expect(s.oldestQueuedAgeSeconds).toBeGreaterThanOrEqual(89);
      expect(s.oldestQueuedAgeSeconds).toBeLessThan(120);
      await db().delete(generationJobs);
      expect((await queueStats(db())).oldestQueuedAgeSeconds).toBeNull();
    });
  });
}

describe("backoff", () => {
  const p = { baseSeconds: 2, maxSeconds: 60, jitter: 0.2 };
  it("doubles per attempt from the base, capped, within ±jitter", () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((a) => nominalBackoffSeconds(a, p))).toEqual([2, 4, 8, 16, 32, 60, 60]);
    expect(backoffSeconds(3, p, () => 0)).toBeCloseTo(6.4);
    expect(backoffSeconds(3, p, () => 1)).toBeCloseTo(9.6);
    for (let i = 0; i < 200; i++) {
      const d = backoffSeconds(2, p);
      expect(d).toBeGreaterThanOrEqual(3.2);
      expect(d).toBeLessThanOrEqual(4.8);
    }
  });
});
