import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fakeServer, sendJson } from "../__tests__/fake-server.ts";
import { ffmpegPath, sampleMp4, tempDir } from "../__tests__/helpers.ts";
import { describeVendorFailures } from "../__tests__/vendor-failures.ts";
import { probeMedia } from "../ffmpeg/probe.ts";
import { createPexels, pickVideoFile } from "./index.ts";

// the shape of GET /videos/search, trimmed to the fields we read plus a few we don't
function searchBody(base: string) {
  return {
    page: 1,
    per_page: 3,
    total_results: 3,
    url: "https://www.pexels.com/search/videos/bees/",
    videos: [
      {
        id: 101, width: 1080, height: 1920, duration: 12, url: "https://www.pexels.com/video/101/",
        image: "https://images.pexels.com/101.jpg", user: { id: 1, name: "x" },
        video_files: [
          { id: 1, quality: "sd", file_type: "video/mp4", width: 540, height: 960, fps: 25, link: `${base}/files/101-sd.mp4` },
          { id: 2, quality: "hd", file_type: "video/mp4", width: 1080, height: 1920, fps: 25, link: `${base}/files/101-hd.mp4` },
          { id: 3, quality: "uhd", file_type: "video/mp4", width: 2160, height: 3840, fps: 25, link: `${base}/files/101-uhd.mp4` },
        ],
      },
      { id: 102, width: 1080, height: 1920, duration: 3, video_files: [{ id: 4, quality: "hd", file_type: "video/mp4", width: 1080, height: 1920, link: `${base}/files/102.mp4` }] },
      { id: 103, width: 720, height: 1280, duration: 20, video_files: [{ id: 5, quality: "hd", file_type: "video/mp4", width: 720, height: 1280, link: `${base}/files/103.mp4` }] },
    ],
  };
}

describe("pexels", () => {
  it("searches portrait videos with the key as Authorization and keeps long-enough clips", async () => {
    const server = await fakeServer((req, res) => sendJson(res, 200, searchBody("http://cdn.example")));
    const pexels = createPexels({ apiKey: "px-key", baseUrl: server.url });
    const clips = await pexels.search("honey bees", { minDurationSeconds: 5, perPage: 3 });
    const [req] = server.requests;
    expect(req!.url.pathname).toBe("/videos/search");
    expect(Object.fromEntries(req!.url.searchParams)).toEqual({ query: "honey bees", per_page: "3", orientation: "portrait" });
    expect(req!.headers.authorization).toBe("px-key"); // bare key, no "Bearer"
    expect(clips).toEqual([
      { id: "pexels:101", source: "pexels", url: "http://cdn.example/files/101-hd.mp4", width: 1080, height: 1920, durationSeconds: 12 },
      { id: "pexels:103", source: "pexels", url: "http://cdn.example/files/103.mp4", width: 720, height: 1280, durationSeconds: 20 },
    ]);
  });

  it("picks the smallest rendition that is at least full-HD portrait, else the largest", () => {
    const files = searchBody("b").videos[0]!.video_files;
    expect(pickVideoFile(files)?.id).toBe(2);
    expect(pickVideoFile(files.filter((f) => f.id === 1))?.id).toBe(1);
    expect(pickVideoFile([{ id: 9, file_type: "video/mp4", width: null, height: null, link: "x" }])).toBeUndefined();
  });

  it("streams a clip to disk without sending the API key to the file host", async () => {
    const mp4 = await sampleMp4(1);
    const server = await fakeServer((req, res) => {
      res.writeHead(200, { "content-type": "video/mp4", "content-length": String(mp4.length) });
      res.end(mp4);
    });
    const pexels = createPexels({ apiKey: "px-key", baseUrl: "http://unused.invalid" });
    const dest = join(await tempDir(), "clip.mp4");
    await pexels.fetchClip({ id: "pexels:1", source: "pexels", url: `${server.url}/files/1.mp4`, width: 108, height: 192, durationSeconds: 1 }, dest, { maxBytes: 10_000_000 });
    expect(server.requests[0]!.headers.authorization).toBeUndefined();
    expect(await readFile(dest)).toEqual(mp4);
    expect((await probeMedia(ffmpegPath, dest)).video).toMatchObject({ width: 108, height: 192 });
  });

  it("stops a download over maxBytes (declared or streamed) and leaves no file", async () => {
    const big = Buffer.alloc(200_000, 1);
    const server = await fakeServer((req, res) => {
      if (req.path === "/declared") res.writeHead(200, { "content-length": String(big.length) });
      else res.writeHead(200, { "transfer-encoding": "chunked" }); // no length: must count while streaming
      res.end(big);
    });
    const pexels = createPexels({ apiKey: "k" });
    const dir = await tempDir();
    for (const path of ["/declared", "/chunked"]) {
      const dest = join(dir, `${path.slice(1)}.mp4`);
      const clip = { id: "pexels:2", source: "pexels", url: server.url + path, width: 1, height: 1, durationSeconds: 1 };
      await expect(pexels.fetchClip(clip, dest, { maxBytes: 50_000 })).rejects.toMatchObject({ transient: false, message: expect.stringContaining("cap") });
      await expect(stat(dest)).rejects.toThrow();
      await expect(stat(`${dest}.part`)).rejects.toThrow();
    }
  });

  it("a stalled download times out as a transient error", async () => {
    const server = await fakeServer((_req, res) => {
      res.writeHead(200, { "content-type": "video/mp4" });
      res.write(Buffer.alloc(1000)); // then nothing
    });
    const pexels = createPexels({ apiKey: "k", downloadTimeoutMs: 300 });
    const dest = join(await tempDir(), "stall.mp4");
    const clip = { id: "pexels:3", source: "pexels", url: server.url, width: 1, height: 1, durationSeconds: 1 };
    await expect(pexels.fetchClip(clip, dest, {})).rejects.toMatchObject({ transient: true, message: expect.stringContaining("timed out") });
    await expect(stat(dest)).rejects.toThrow();
  });
});

describeVendorFailures("pexels", {
  envVar: "PEXELS_API_KEY",
  errorBody: (s) => ({ error: s === 401 ? "Unauthorized" : `fake ${s}` }),
  call: (url, signal) => createPexels({ apiKey: "bad", baseUrl: url }).search("x", { minDurationSeconds: 1, signal }),
});
