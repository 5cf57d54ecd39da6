import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRPCClientError } from "@trpc/client";
import { createMoneyPrinterClient, type AppRouter, type RouterOutputs } from "@moneyprinter/client";
import { testDatabases } from "@moneyprinter/db/testing";
import { buildOpenApiDocument } from "@moneyprinter/rest";
import { startServer, type TestServer } from "./helpers.ts";
import { openWriter } from "./live.ts";

type Event = RouterOutputs["job"]["events"]["events"][number];
/** job.onEvents tracks each event by its id: the client gets { id, data } (and resumes after id on reconnect) */
type Tracked = { id: string; data: Event };

/** Follow a subscription to its end through the typed client; resolves with everything it sent. */
function follow<T>(start: (h: { onData: (d: T) => void; onComplete: () => void; onError: (e: unknown) => void }) => { unsubscribe(): void }, onData?: (d: T, n: number) => void) {
  return new Promise<T[]>((resolve, reject) => {
    const got: T[] = [];
    const sub = start({
      onData: (d) => {
        got.push(d);
        onData?.(d, got.length);
      },
      onComplete: () => resolve(got),
      onError: (e) => {
        sub.unsubscribe();
        reject(e);
      },
    });
  });
}

for (const target of testDatabases()) {
  describe(`typed client (tRPC: HTTP batching + SSE) on ${target.name}`, () => {
    let s: TestServer;
    let writer: Awaited<ReturnType<typeof openWriter>>;
    beforeAll(async () => {
      s = await startServer(target);
      writer = await openWriter(s.database);
    });
    afterAll(async () => {
      await writer.close();
      await s.close();
    });

    it("queues a job and follows its events to completion, in order, none lost or repeated", async () => {
      const client = createMoneyPrinterClient({ url: `${s.url}/`, token: "t0ken" });
      const { jobId } = await client.generate.mutate({ videoSubject: "client octopus" });
      const [job, detail] = await Promise.all([client.job.get.query({ id: jobId }), client.job.detail.query({ id: jobId })]);
      expect(job.job.state).toBe("queued");
      expect(detail.job).toMatchObject({ ...job.job, attempts: 0, maxAttempts: 3, progress: null, script: null, artifacts: [] });
      expect(detail.job.options).toMatchObject({ videoSubject: "client octopus", voice: "en_us_001" });

      const tracked = await follow<Tracked>(
        (h) => client.job.onEvents.subscribe({ id: jobId, after: 0 }, h),
        (_e, n) => {
          if (n === 1) void (async () => {
            await writer.start(jobId);
            for (let i = 1; i <= 5; i++) await writer.log(jobId, i);
            await writer.complete(jobId);
          })();
        },
      );
      expect(tracked.every((t) => t.id === String(t.data.id))).toBe(true);
      const events = tracked.map((t) => t.data);
      expect(events.map((e) => e.type)).toEqual(["queued", "running", "log", "log", "log", "log", "log", "complete"]);
      expect(events.map((e) => e.id)).toEqual((await client.job.events.query({ id: jobId })).events.map((e) => e.id));
    });

    it("an SSE client that reconnects with lastEventId resumes after it (what httpSubscriptionLink sends back)", async () => {
      const client = createMoneyPrinterClient({ url: s.url });
      const { jobId } = await client.generate.mutate({ videoSubject: "resume" });
      await client.job.cancel.mutate({ id: jobId }); // queued → cancel_requested, cancelled
      const all = (await client.job.events.query({ id: jobId })).events;
      const input = encodeURIComponent(JSON.stringify({ id: jobId, after: 0, lastEventId: String(all[0]!.id) }));
      const res = await fetch(`${s.url}/trpc/job.onEvents?input=${input}`, { headers: { accept: "text/event-stream" } });
      const text = await res.text(); // the job is final: the stream ends by itself
      const ids = [...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
      expect(ids).toEqual(all.slice(1).map((e) => e.id));
    });

    it("onUpdated pushes the job until it is final; an unknown job is NOT_FOUND", async () => {
      const client = createMoneyPrinterClient({ url: s.url });
      const { jobId } = await client.generate.mutate({ videoSubject: "updates" });
      const states = await follow<RouterOutputs["job"]["detail"]["job"]>(
        (h) => client.job.onUpdated.subscribe({ id: jobId }, h as never),
        (_j, n) => {
          if (n === 1) void client.job.cancel.mutate({ id: jobId });
        },
      );
      expect(states.map((j) => j.state)).toEqual(["queued", "cancelled"]);
      const err = await follow<Tracked>((h) => client.job.onEvents.subscribe({ id: "missing-id" }, h)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TRPCClientError);
      expect((err as TRPCClientError<AppRouter>).message).toBe("Job not found.");
      expect((err as TRPCClientError<AppRouter>).data?.code).toBe("NOT_FOUND");
    });
  });
}

describe("the REST face stays the seed's", () => {
  it("the subscriptions and job.detail do not appear in the OpenAPI document", () => {
    const doc = buildOpenApiDocument({ version: "0.0.0" });
    expect(Object.keys(doc.paths ?? {}).sort()).toEqual(["/cancel", "/generate", "/jobs", "/jobs/{id}", "/jobs/{id}/cancel", "/jobs/{id}/events", "/models", "/queue", "/upload-songs"]);
  });
});
