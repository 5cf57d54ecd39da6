import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fakeServer, sendJson, type RecordedRequest } from "../__tests__/fake-server.ts";
import { tempDir } from "../__tests__/helpers.ts";
import { describeVendorFailures } from "../__tests__/vendor-failures.ts";
import { createAssemblyAI } from "./index.ts";

async function audioFile(): Promise<{ path: string; bytes: Buffer }> {
  const bytes = Buffer.from("ID3 fake audio bytes \u0000\u0001\u0002", "latin1");
  const path = join(await tempDir(), "voice.mp3");
  await writeFile(path, bytes);
  return { path, bytes };
}

/** A fake AssemblyAI: upload, create, then `pollsBeforeDone` polls answering "processing". */
async function fakeAssembly(opts: { pollsBeforeDone: number; fail?: string }) {
  let polls = 0;
  const server = await fakeServer((req: RecordedRequest, res) => {
    if (req.method === "POST" && req.path === "/v2/upload") {
      return sendJson(res, 200, { upload_url: "https://cdn.assemblyai.com/upload/abc123" });
    }
    if (req.method === "POST" && req.path === "/v2/transcript") {
      return sendJson(res, 200, { id: "tr_1", status: "queued", audio_url: req.json<{ audio_url: string }>().audio_url });
    }
    if (req.method === "GET" && req.path === "/v2/transcript/tr_1") {
      polls++;
      if (polls <= opts.pollsBeforeDone) return sendJson(res, 200, { id: "tr_1", status: "processing" });
      if (opts.fail) return sendJson(res, 200, { id: "tr_1", status: "error", error: opts.fail });
      return sendJson(res, 200, {
        id: "tr_1",
        status: "completed",
        text: "Hello world.",
        words: [
          { text: "Hello", start: 250, end: 640, confidence: 0.99, speaker: null },
          { text: "world.", start: 700, end: 1180, confidence: 0.98, speaker: null },
        ],
      });
    }
    sendJson(res, 404, { error: "not found" });
  });
  return server;
}

describe("assemblyai", () => {
  it("uploads the bytes, requests a transcript, polls until completed, and returns word timings in seconds", async () => {
    const server = await fakeAssembly({ pollsBeforeDone: 2 });
    const { path, bytes } = await audioFile();
    const t = createAssemblyAI({ apiKey: "aai-key", baseUrl: server.url, pollIntervalMs: 10 });
    const words = await t.transcribe(path, { language: "en" });
    expect(words).toEqual([
      { startSeconds: 0.25, endSeconds: 0.64, text: "Hello" },
      { startSeconds: 0.7, endSeconds: 1.18, text: "world." },
    ]);
    const [upload, create, ...polls] = server.requests;
    expect(upload).toMatchObject({ method: "POST", path: "/v2/upload" });
    expect(upload!.headers.authorization).toBe("aai-key"); // the bare key, no "Bearer"
    expect(upload!.body).toEqual(bytes);
    expect(create!.headers.authorization).toBe("aai-key");
    expect(create!.json()).toEqual({ audio_url: "https://cdn.assemblyai.com/upload/abc123", language_code: "en" });
    expect(polls).toHaveLength(3);
    for (const p of polls) expect(p.headers.authorization).toBe("aai-key");
  });

  it("a transcript that ends in status error is a permanent failure with AssemblyAI's reason", async () => {
    const server = await fakeAssembly({ pollsBeforeDone: 0, fail: "Audio file contains no speech" });
    const { path } = await audioFile();
    const t = createAssemblyAI({ apiKey: "k", baseUrl: server.url, pollIntervalMs: 10 });
    await expect(t.transcribe(path, {})).rejects.toMatchObject({
      transient: false,
      message: expect.stringContaining("no speech"),
    });
    expect(server.requests[1]!.json()).toEqual({ audio_url: "https://cdn.assemblyai.com/upload/abc123" });
  });

  it("gives up after maxWaitMs (transient) and stops polling when aborted", async () => {
    const server = await fakeAssembly({ pollsBeforeDone: 1_000_000 });
    const { path } = await audioFile();
    const slow = createAssemblyAI({ apiKey: "k", baseUrl: server.url, pollIntervalMs: 10, maxWaitMs: 100 });
    await expect(slow.transcribe(path, {})).rejects.toMatchObject({ transient: true, message: expect.stringContaining("not done") });

    const ac = new AbortController();
    const t = createAssemblyAI({ apiKey: "k", baseUrl: server.url, pollIntervalMs: 20 });
    setTimeout(() => ac.abort(), 100);
    await expect(t.transcribe(path, { signal: ac.signal })).rejects.toMatchObject({ name: "AbortError" });
    // a poll already on the wire when the abort fired may still be logged by the server: let it land first
    await new Promise((r) => setTimeout(r, 50));
    const pollsThen = server.requests.length;
    await new Promise((r) => setTimeout(r, 200)); // 10 poll intervals: a loop still running would have polled
    expect(server.requests.length).toBe(pollsThen);
  });
});

describeVendorFailures("assemblyai", {
  envVar: "ASSEMBLYAI_API_KEY",
  errorBody: (s) => ({ error: s === 401 ? "Authentication error, API token missing/invalid" : `fake ${s}` }),
  call: async (url, signal) => {
    const { path } = await audioFile();
    return createAssemblyAI({ apiKey: "bad", baseUrl: url }).transcribe(path, { signal });
  },
});
