import { createServer, type Server } from "node:http";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import type { FastifyInstance } from "fastify";
import { expect } from "vitest";
import type { Database } from "@moneyprinter/db";
import type { TestDatabaseTarget } from "@moneyprinter/db/testing";
import { buildServer } from "../app.ts";
import { parseServerEnv } from "../env.ts";

export interface TestServer {
  app: FastifyInstance;
  database: Database;
  url: string;
  dataDir: string;
  close(): Promise<void>;
}

/** A real server on a random port with a fresh database; env overrides as the operator would set them. */
export async function startServer(target: TestDatabaseTarget, env: Record<string, string> = {}): Promise<TestServer> {
  const database = await target.open();
  const dataDir = mkdtempSync(join(tmpdir(), "mp-server-"));
  const app = await buildServer({
    env: parseServerEnv({ DATA_DIR: dataDir, PORT: "0", LOG_LEVEL: "silent", ...env }),
    database,
    logger: false,
  });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const { port } = app.server.address() as AddressInfo;
  return {
    app,
    database,
    dataDir,
    url: `http://127.0.0.1:${port}`,
    async close() {
      await app.close();
      await database.close();
    },
  };
}

/** Assert the contract's error envelope: exactly {status: "error", message}. */
export function expectEnvelope(body: unknown, message?: string | RegExp) {
  expect(Object.keys(body as object).sort()).toEqual(["message", "status"]);
  const b = body as { status: string; message: string };
  expect(b.status).toBe("error");
  expect(b.message).toMatch(/\S/);
  expect(b.message).not.toMatch(/at .*\.ts:\d+|node_modules|ZodError|\{"/); // no stack traces or raw JSON
  if (typeof message === "string") expect(b.message).toBe(message);
  else if (message) expect(b.message).toMatch(message);
}

export async function json(res: Response): Promise<any> {
  const text = await res.text();
  expect(res.headers.get("content-type") ?? "").toMatch(/^application\/json/);
  return JSON.parse(text);
}

export const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

/** A fake Ollama speaking its real GET /api/tags format. */
export async function fakeOllama(models: string[]): Promise<{ url: string; close(): Promise<void>; calls: number }> {
  const state = { calls: 0 };
  const server: Server = createServer((req, res) => {
    state.calls++;
    if (req.method === "GET" && req.url === "/api/tags") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          models: models.map((name) => ({
            name,
            model: name,
            modified_at: "2026-11-01T10:00:00.000Z",
            size: 4_920_753_328,
            digest: "46e0c10c039e019119339687c3c1757cc81b9da49709a3b3924863ba87ca666e",
            details: { format: "gguf", family: "llama", parameter_size: "8.0B", quantization_level: "Q4_K_M" },
          })),
        }),
      );
      return;
    }
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("404 page not found");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get calls() {
      return state.calls;
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/**
 * Real MPEG-1 Layer III audio: silent 128 kb/s 44.1 kHz frames (417 bytes each), optionally behind an
 * ID3v2 tag. Silent frames carry all-zero side information, which decoders play as silence.
 */
export function silentMp3(frames = 40, id3 = false): Buffer {
  const frame = Buffer.alloc(417);
  frame.set([0xff, 0xfb, 0x90, 0x00]);
  const body = Buffer.concat(Array.from({ length: frames }, () => frame));
  if (!id3) return body;
  const tagBody = Buffer.from("TIT2\x00\x00\x00\x06\x00\x00\x03Song\x00", "latin1");
  const header = Buffer.from([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, tagBody.length]);
  return Buffer.concat([header, tagBody, body]);
}
