import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import type { AppRouter } from "@moneyprinter/api";
import { testDatabases } from "@moneyprinter/db/testing";
import { startServer, type TestServer } from "./helpers.ts";

for (const target of testDatabases()) {
  describe(`typed tRPC client at /trpc (${target.name})`, () => {
    let s: TestServer;
    beforeAll(async () => {
      s = await startServer(target);
    });
    afterAll(() => s.close());
    const client = () => createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: `${s.url}/trpc` })] });

    it("generates, reads, lists and cancels with inferred types", async () => {
      const c = client();
      const { jobId } = await c.generate.mutate({ videoSubject: "typed", paragraphNumber: 2 });
      const [{ job }, { events }] = await Promise.all([c.job.get.query({ id: jobId }), c.job.events.query({ id: jobId })]);
      expectTypeOf(job.state).toEqualTypeOf<"queued" | "running" | "completed" | "failed" | "cancelled">();
      expect(job.id).toBe(jobId);
      expect(events[0]!.type).toBe("queued");
      const list = await c.job.list.query({ state: "queued" });
      expect(list.jobs.some((j) => j.id === jobId)).toBe(true);
      expect(await c.job.cancel.mutate({ id: jobId })).toEqual({ status: "success", message: "Cancellation requested." });
      expect((await c.job.get.query({ id: jobId })).job.state).toBe("cancelled");
    });

    it("surfaces the contract's messages as typed errors", async () => {
      const c = client();
      const err = await c.job.get.query({ id: "missing-id" }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TRPCClientError);
      expect((err as TRPCClientError<AppRouter>).message).toBe("Job not found.");
      expect((err as TRPCClientError<AppRouter>).data?.code).toBe("NOT_FOUND");
      const bad = await c.generate.mutate({ videoSubject: " " }).catch((e: unknown) => e);
      expect((bad as TRPCClientError<AppRouter>).message).toBe("videoSubject is required.");
      expect((bad as TRPCClientError<AppRouter>).data?.code).toBe("BAD_REQUEST");
      expect(JSON.stringify((bad as TRPCClientError<AppRouter>).data)).not.toContain("stack");
    });
  });
}
