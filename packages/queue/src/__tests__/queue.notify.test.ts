import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHANNELS, generationJobs, type Database } from "@moneyprinter/db";
import { testDatabases } from "@moneyprinter/db/testing";
import { cancelJob, claimJobs, enqueue, enqueueMany, reportProgress } from "../index.ts";

const settle = () => new Promise((r) => setTimeout(r, 300));

for (const target of testDatabases()) {
  describe(`change notifications on ${target.name}`, () => {
    let database: Database;
    const heard: Record<string, string[]> = {};
    const stops: (() => Promise<void>)[] = [];
    beforeAll(async () => {
      database = await target.open();
      for (const channel of Object.values(CHANNELS)) {
        heard[channel] = [];
        stops.push(await database.listen(channel, (p) => heard[channel]!.push(p)));
      }
    });
    afterAll(async () => {
      for (const stop of stops) await stop();
      await database.close();
    });
    const reset = () => Object.values(heard).forEach((list) => list.splice(0));

    it("a statement enqueueing many jobs wakes the workers once, naming one of them", async () => {
      await database.db.delete(generationJobs);
      await settle();
      reset();
      const ids = await enqueueMany(database.db, Array.from({ length: 50 }, (_, i) => ({ videoSubject: `n${i}` })));
      const one = await enqueue(database.db, { options: {} });
      await settle();
      expect(heard[CHANNELS.queued]!.length).toBe(2);
      expect(ids).toContain(heard[CHANNELS.queued]![0]);
      expect(heard[CHANNELS.queued]![1]).toBe(one.id);
      expect(heard[CHANNELS.events]!.length).toBe(51); // every `queued` event is still announced
    });

    it("progress goes to mp_jobs only; a cancel request for a running job also to mp_cancel", async () => {
      await database.db.delete(generationJobs);
      const queuedJob = await enqueue(database.db, { options: {} });
      const runningJob = await enqueue(database.db, { options: {} });
      await cancelJob(database.db, queuedJob.id); // never ran: nothing for workers to stop
      const [claimed] = await claimJobs(database.db, { owner: "w", leaseSeconds: 30, limit: 1 });
      expect(claimed!.id).toBe(runningJob.id);
      await settle();
      reset();
      await reportProgress(database.db, { jobId: claimed!.id, token: claimed!.leaseToken }, { step: "script", stepFraction: 1, progress: 0.1 }, "done");
      await settle();
      expect(heard[CHANNELS.jobs]).toEqual([`${claimed!.id}:running:false`]);
      expect(heard[CHANNELS.cancel]).toEqual([]);
      await cancelJob(database.db, claimed!.id);
      await settle();
      expect(heard[CHANNELS.cancel]).toEqual([claimed!.id]);
      expect(heard[CHANNELS.jobs]).toContain(`${claimed!.id}:running:true`);
    });
  });
}
