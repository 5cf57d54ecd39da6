import { describe, expect, it } from "vitest";
import { createDatabase } from "@moneyprinter/db";
import { json, post, startServer } from "./helpers.ts";
import { sseSubscribe, wsSubscribe } from "./live.ts";

describe("server shutdown with open subscriptions", () => {
  it("app.close() ends SSE and WebSocket streams instead of waiting for them", async () => {
    const s = await startServer({ name: "pglite", open: () => createDatabase({ dataDir: "memory" }) });
    const { jobId } = await json(await post(`${s.url}/api/generate`, { videoSubject: "shutdown" }));
    const q = `subscription($id: ID!) { jobEvents(jobId: $id) { id type } }`;
    const streams = [sseSubscribe(s.url, q, { id: jobId }), wsSubscribe(s.url, q, { id: jobId })].map((it) => it[Symbol.asyncIterator]());
    // each has received the replayed `queued` event: both are live
    for (const it of streams) expect((await it.next()).value.data.jobEvents.type).toBe("queued");
    expect(s.app.live.size).toBe(2);
    const t0 = Date.now();
    const rest = streams.map(async (it) => {
      try {
        while (!(await it.next()).done);
      } catch {
        /* a closed socket is an end too */
      }
    });
    await s.close();
    await Promise.all(rest);
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(s.app.live.closed).toBe(true);
  });
});
