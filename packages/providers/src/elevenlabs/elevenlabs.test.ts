import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fakeServer, sendJson } from "../__tests__/fake-server.ts";
import { ffmpegPath, sampleMp3, tempDir } from "../__tests__/helpers.ts";
import { describeVendorFailures } from "../__tests__/vendor-failures.ts";
import { probeMedia } from "../ffmpeg/probe.ts";
import { createElevenLabs, ELEVENLABS_DEFAULT_VOICE } from "./index.ts";

describe("elevenlabs", () => {
  it("POSTs /v1/text-to-speech/{voice} with xi-api-key and {text, model_id}; saves the MP3", async () => {
    const mp3 = await sampleMp3(1);
    const server = await fakeServer((_req, res) => {
      res.writeHead(200, { "content-type": "audio/mpeg" });
      res.end(mp3);
    });
    const tts = createElevenLabs({ apiKey: "xi-key", baseUrl: server.url });
    const dest = join(await tempDir(), "e.mp3");
    expect(await tts.synthesize("Hello there.", dest, { voice: "en_us_001" })).toEqual({ format: "mp3" });
    const [req] = server.requests;
    expect(req).toMatchObject({ method: "POST", path: `/v1/text-to-speech/${ELEVENLABS_DEFAULT_VOICE}` });
    expect(req!.headers["xi-api-key"]).toBe("xi-key");
    expect(req!.json()).toEqual({ text: "Hello there.", model_id: "eleven_multilingual_v2" });
    expect(await readFile(dest)).toEqual(mp3);
    expect((await probeMedia(ffmpegPath, dest)).durationSeconds!).toBeGreaterThan(0.9);
  });

  it("passes a native ElevenLabs voice id through", async () => {
    const server = await fakeServer((_req, res) => {
      res.writeHead(200, { "content-type": "audio/mpeg" });
      res.end(Buffer.from([0xff, 0xfb, 0x90, 0x00]));
    });
    await createElevenLabs({ apiKey: "k", baseUrl: server.url }).synthesize("x", join(await tempDir(), "a.mp3"), { voice: "EXAVITQu4vr4xnSDxMaL" });
    expect(server.requests[0]!.path).toBe("/v1/text-to-speech/EXAVITQu4vr4xnSDxMaL");
  });

  it("a JSON body where audio was expected is an error", async () => {
    const server = await fakeServer((_req, res) => sendJson(res, 200, { detail: "odd" }));
    await expect(
      createElevenLabs({ apiKey: "k", baseUrl: server.url }).synthesize("x", join(await tempDir(), "a.mp3"), { voice: "en_us_001" }),
    ).rejects.toThrow(/expected audio/);
  });
});

describeVendorFailures("elevenlabs", {
  envVar: "ELEVENLABS_API_KEY",
  // ElevenLabs' error shape
  errorBody: (s) => ({ detail: { status: s === 401 ? "invalid_api_key" : "error", message: `fake ${s}` } }),
  call: async (url, signal) =>
    createElevenLabs({ apiKey: "bad", baseUrl: url }).synthesize("hi", join(await tempDir(), "f.mp3"), { voice: "en_us_001", signal }),
});
