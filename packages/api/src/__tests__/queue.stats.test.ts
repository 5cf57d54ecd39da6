import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@moneyprinter/db";
import { testDatabases } from "@moneyprinter/db/testing";
import { getJob } from "@moneyprinter/queue";
import { createCaller, type ApiContext } from "../index.ts";

// preprocess-based fields type their input as unknown-but-present; the REST body omits them
const body = (videoSubject: string) => ({ videoSubject }) as Parameters<ReturnType<typeof createCaller>["generate"]>[0];
const models: ApiContext["models"] = { backend: "Ollama", defaultModel: "m", list: async () => ["m"] };

for (const target of testDatabases()) {
  describe(`queue.stats and MAX_ATTEMPTS on ${target.name}`, () => {
    let database: Database;
    beforeAll(async () => {
      database = await target.open();
    });
    afterAll(() => database.close());

    it("counts jobs by state; new jobs carry the context's maxAttempts", async () => {
      const api = createCaller({ db: database.db, models, maxAttempts: 7 });
      expect(await api.queue.stats()).toEqual({
        status: "success",
        counts: { queued: 0, running: 0, completed: 0, failed: 0, cancelled: 0 },
        delayed: 0,
        oldestQueuedAgeSeconds: null,
      });
      const { jobId } = await api.generate(body("owls"));
      expect((await getJob(database.db, jobId))!.maxAttempts).toBe(7);
      const stats = await api.queue.stats();
      expect(stats.counts.queued).toBe(1);
      expect(stats.oldestQueuedAgeSeconds).toBeGreaterThanOrEqual(0);
      // without a setting the column default (3) applies
      const { jobId: other } = await createCaller({ db: database.db, models }).generate(body("bats"));
      expect((await getJob(database.db, other))!.maxAttempts).toBe(3);
    });
  });
}
