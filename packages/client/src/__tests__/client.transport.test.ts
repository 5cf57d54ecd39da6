import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMoneyPrinterClient } from "../index.ts";

/** A stand-in /trpc endpoint that records what the client sends (the real server is tested in apps/server). */
describe("createMoneyPrinterClient", () => {
  const seen: { method?: string; url?: string; auth?: string; accept?: string }[] = [];
  let url = "";
  const server = createServer((req: IncomingMessage, res) => {
    seen.push({ method: req.method, url: req.url, auth: req.headers.authorization, accept: req.headers.accept });
    if (req.url?.startsWith("/trpc/job.onEvents")) {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(`event: connected\ndata: {}\n\n`);
      res.write(`id: 7\ndata: ${JSON.stringify({ id: 7, type: "log" })}\n\n`);
      res.end(`event: return\ndata: \n\n`);
      return;
    }
    // a batch of two queries → two results, in order
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify([{ result: { data: { status: "success", models: ["a"], default: "a" } } }, { result: { data: { status: "success", models: ["a"], default: "a" } } }]));
  });
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("batches queries into one request to <url>/trpc and sends the token", async () => {
    const client = createMoneyPrinterClient({ url, token: "s3cret" });
    const [a, b] = await Promise.all([client.models.list.query(), client.models.list.query()]);
    expect(a).toEqual({ status: "success", models: ["a"], default: "a" });
    expect(b).toEqual(a);
    const batch = seen.filter((r) => r.url?.startsWith("/trpc/models.list,models.list?batch=1"));
    expect(batch).toHaveLength(1);
    expect(batch[0]).toMatchObject({ method: "GET", auth: "Bearer s3cret" });
  });

  it("runs subscriptions over SSE (GET, Accept: text/event-stream), token included", async () => {
    const client = createMoneyPrinterClient({ url, token: "s3cret" });
    const got = await new Promise<unknown[]>((resolve, reject) => {
      const data: unknown[] = [];
      client.job.onEvents.subscribe({ id: "j" }, { onData: (d) => data.push(d), onComplete: () => resolve(data), onError: reject });
    });
    expect(got).toEqual([{ id: "7", data: { id: 7, type: "log" } }]);
    const sse = seen.find((r) => r.url?.startsWith("/trpc/job.onEvents"));
    expect(sse).toMatchObject({ method: "GET", auth: "Bearer s3cret", accept: "text/event-stream" });
  });
});
