import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fakeServer, sendJson } from "../__tests__/fake-server.ts";
import { ffmpegPath, sampleMp3, tempDir } from "../__tests__/helpers.ts";
import { describeVendorFailures } from "../__tests__/vendor-failures.ts";
import { probeMedia } from "../ffmpeg/probe.ts";
import { createTikTok } from "./index.ts";

const PATH = "/media/api/text/speech/invoke/";

describe("tiktok tts", () => {
  it("POSTs the invoke endpoint with voice and text in the query, the app UA and the session cookie; writes the MP3", async () => {
    const mp3 = await sampleMp3(1);
    const server = await fakeServer((_req, res) =>
      sendJson(res, 200, {
        data: { s_key: "x", v_str: mp3.toString("base64"), duration: "1.0", speaker: "en_us_001" },
        extra: { log_id: "1" },
        message: "success",
        status_code: 0,
        status_msg: "",
      }),
    );
    const tts = createTikTok({ sessionId: "sess123", endpoint: server.url + PATH });
    const dest = join(await tempDir(), "s.mp3");
    expect(await tts.synthesize("Hello & welcome + more", dest, { voice: "en_us_001" })).toEqual({ format: "mp3" });
    const [req] = server.requests;
    expect(req).toMatchObject({ method: "POST" });
    expect(req!.url.pathname).toBe(PATH);
    expect(Object.fromEntries(req!.url.searchParams)).toEqual({
      text_speaker: "en_us_001",
      req_text: "Hello & welcome + more",
      speaker_map_type: "0",
      aid: "1233",
    });
    expect(req!.headers.cookie).toBe("sessionid=sess123");
    expect(req!.headers["user-agent"]).toMatch(/^com\.zhiliaoapp\.musically\/2022600030/);
    expect(await readFile(dest)).toEqual(mp3);
    expect((await probeMedia(ffmpegPath, dest)).audio?.codec).toBe("mp3");
  });

  it("maps TikTok's status codes: 1 = bad session (TIKTOK_SESSION_ID), 2/4/5 permanent, others transient", async () => {
    let code = 1;
    const server = await fakeServer((_req, res) => sendJson(res, 200, { status_code: code, status_msg: "fake", data: null }));
    const tts = createTikTok({ sessionId: "bad", endpoint: server.url + PATH });
    const dest = join(await tempDir(), "x.mp3");
    await expect(tts.synthesize("hi", dest, { voice: "en_us_001" })).rejects.toMatchObject({
      transient: false,
      envVar: "TIKTOK_SESSION_ID",
      message: expect.stringContaining("invalid session id"),
    });
    for (const c of [2, 4, 5]) {
      code = c;
      await expect(tts.synthesize("hi", dest, { voice: "xx" })).rejects.toMatchObject({ transient: false, envVar: undefined });
    }
    code = 3;
    await expect(tts.synthesize("hi", dest, { voice: "en_us_001" })).rejects.toMatchObject({ transient: true });
    await expect(stat(dest)).rejects.toThrow();
  });

  it("refuses text over its 300-character limit before calling", async () => {
    const server = await fakeServer((_req, res) => sendJson(res, 200, {}));
    const tts = createTikTok({ sessionId: "s", endpoint: server.url + PATH });
    expect(tts.maxChars).toBe(300);
    await expect(tts.synthesize("a".repeat(301), join(await tempDir(), "x.mp3"), { voice: "en_us_001" })).rejects.toMatchObject({ transient: false });
    expect(server.requests).toHaveLength(0);
    expect(tts.voices().map((v) => v.id)).toEqual(expect.arrayContaining(["en_us_ghostface", "en_us_001", "br_001", "jp_001"]));
  });
});

describeVendorFailures("tiktok", {
  envVar: "TIKTOK_SESSION_ID",
  call: async (url, signal) =>
    createTikTok({ sessionId: "s", endpoint: url + PATH }).synthesize("hi", join(await tempDir(), "f.mp3"), { voice: "en_us_001", signal }),
});
