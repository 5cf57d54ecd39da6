import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach } from "vitest";

export interface RecordedRequest {
  method: string;
  path: string; // with query string
  url: URL;
  headers: IncomingMessage["headers"];
  body: Buffer;
  json<T = unknown>(): T;
}

export type Handler = (req: RecordedRequest, res: ServerResponse) => unknown;

export interface FakeServer {
  url: string; // http://127.0.0.1:<port>
  requests: RecordedRequest[];
  close(): Promise<void>;
}

const open: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

/** A real HTTP server on 127.0.0.1:<random> that records every request. Closed after each test. */
export async function fakeServer(handler: Handler): Promise<FakeServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    try {
      for await (const c of req) chunks.push(c as Buffer);
    } catch {
      return; // client went away mid-body (abort tests)
    }
    const body = Buffer.concat(chunks);
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const rec: RecordedRequest = {
      method: req.method ?? "GET",
      path: req.url ?? "/",
      url,
      headers: req.headers,
      body,
      json: <T,>() => JSON.parse(body.toString("utf8")) as T,
    };
    requests.push(rec);
    try {
      await handler(rec, res);
    } catch (err) {
      if (!res.headersSent) res.writeHead(599);
      res.end(String(err));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const fake: FakeServer = {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  open.push(fake);
  return fake;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

/** A URL where nothing listens: a server bound then closed. */
export async function refusedUrl(): Promise<string> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
