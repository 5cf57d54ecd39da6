import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ffmpegPath, tempDir } from "../__tests__/helpers.ts";
import { probeMedia, parseFfmpegInfo } from "./probe.ts";
import { resolveFfmpeg, resolveFfprobe } from "./resolve.ts";
import { runProcess } from "./run.ts";

async function makeClip(dir: string): Promise<string> {
  const out = join(dir, "clip.mp4");
  const res = await runProcess(ffmpegPath, [
    "-v", "error", "-y",
    "-f", "lavfi", "-i", "testsrc2=s=320x240:r=25",
    "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
    "-t", "2.5", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest", out,
  ]);
  expect(res.code, res.stderr).toBe(0);
  return out;
}

describe("resolveFfmpeg", () => {
  it("prefers the explicit FFMPEG_PATH value", () => {
    expect(resolveFfmpeg({ ffmpegPath: "/opt/ff/ffmpeg" })).toBe("/opt/ff/ffmpeg");
  });
  it("finds a runnable ffmpeg without settings", async () => {
    const res = await runProcess(resolveFfmpeg(), ["-hide_banner", "-version"]);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/ffmpeg version/);
  });
});

describe("probeMedia", () => {
  it("reads duration, size and codecs with ffprobe", async () => {
    const file = await makeClip(await tempDir());
    expect(resolveFfprobe({ ffmpegPath })).toBeTruthy();
    const info = await probeMedia(ffmpegPath, file);
    expect(info.durationSeconds).toBeGreaterThan(2.4);
    expect(info.durationSeconds).toBeLessThan(2.7);
    expect(info.video).toMatchObject({ codec: "h264", width: 320, height: 240 });
    expect(info.video?.fps).toBeCloseTo(25, 0);
    expect(info.audio).toMatchObject({ codec: "aac", sampleRate: 44100, channels: 1 });
  });

  it("falls back to parsing `ffmpeg -i` and agrees with ffprobe", async () => {
    const file = await makeClip(await tempDir());
    const viaFfmpeg = await probeMedia(ffmpegPath, file, { ffprobePath: false });
    const viaFfprobe = await probeMedia(ffmpegPath, file);
    expect(viaFfmpeg.durationSeconds).toBeCloseTo(viaFfprobe.durationSeconds!, 1);
    expect(viaFfmpeg.video).toMatchObject({ codec: "h264", width: 320, height: 240 });
    expect(viaFfmpeg.audio).toMatchObject({ codec: "aac", sampleRate: 44100, channels: 1 });
  });

  it("rejects a file that is not media", async () => {
    const dir = await tempDir();
    const bogus = join(dir, "x.mp4");
    await import("node:fs/promises").then((fs) => fs.writeFile(bogus, "not a video"));
    await expect(probeMedia(ffmpegPath, bogus)).rejects.toThrow(/cannot read/);
    await expect(probeMedia(ffmpegPath, bogus, { ffprobePath: false })).rejects.toThrow(/cannot read/);
  });

  it("parses ffmpeg's stream lines", () => {
    const info = parseFfmpegInfo(
      [
        "Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'a.mp4':",
        "  Duration: 00:01:02.50, start: 0.000000, bitrate: 1000 kb/s",
        "    Stream #0:0(und): Video: h264 (High) (avc1 / 0x31637661), yuv420p, 1080x1920 [SAR 1:1 DAR 9:16], 900 kb/s, 30 fps, 30 tbr, 15360 tbn, 60 tbc (default)",
        "    Stream #0:1(und): Audio: aac (LC) (mp4a / 0x6134706D), 48000 Hz, stereo, fltp, 128 kb/s (default)",
      ].join("\n"),
    );
    expect(info).toEqual({
      durationSeconds: 62.5,
      format: "mov,mp4,m4a,3gp,3g2,mj2",
      video: { codec: "h264", width: 1080, height: 1920, fps: 30 },
      audio: { codec: "aac", sampleRate: 48000, channels: 2 },
    });
  });
});
