import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ffmpegPath, tempDir } from "../__tests__/helpers.ts";
import { probeMedia } from "../ffmpeg/probe.ts";
import { runProcess } from "../ffmpeg/run.ts";
import { createProcedural } from "./index.ts";

// an 8x8 RGB thumbnail of the frame at time t
async function thumb(file: string, t: number): Promise<number[]> {
  const out = `${file}.${t}.rgb`;
  const res = await runProcess(ffmpegPath, ["-v", "error", "-y", "-ss", String(t), "-i", file, "-frames:v", "1", "-vf", "scale=8:8", "-f", "rawvideo", "-pix_fmt", "rgb24", out]);
  expect(res.code, res.stderr).toBe(0);
  const px = [...(await readFile(out))];
  expect(px).toHaveLength(8 * 8 * 3);
  return px;
}
const diff = (a: number[], b: number[]) => a.reduce((d, v, i) => d + Math.abs(v - b[i]!), 0) / a.length;

describe("procedural footage", () => {
  const source = createProcedural({ ffmpegPath });

  it("offers distinct, deterministic clips per term, at least the minimum duration", async () => {
    const a = await source.search("ocean waves", { minDurationSeconds: 5, perPage: 3 });
    expect(a).toHaveLength(3);
    expect(new Set(a.map((c) => c.id)).size).toBe(3);
    for (const c of a) expect(c.durationSeconds).toBeGreaterThanOrEqual(5);
    expect(await source.search("ocean waves", { minDurationSeconds: 5, perPage: 3 })).toEqual(a);
    const b = await source.search("city traffic", { minDurationSeconds: 5, perPage: 3 });
    expect(b.map((c) => c.id)).not.toEqual(a.map((c) => c.id));
  });

  it("generates every style as a playable H.264 clip of the promised size and length", async () => {
    const dir = await tempDir();
    // 5 consecutive variants of one term cover all 5 styles (style = (hash + i) mod 5)
    const clips = await source.search("style sweep", { minDurationSeconds: 2, perPage: 5 });
    const styles = new Set(clips.map((c) => c.id.split(":")[1]));
    expect(styles.size).toBe(5);
    for (const clip of clips) {
      clip.durationSeconds = 2; // keep the test fast; fetchClip honours the clip's duration
      const dest = join(dir, `${clip.id.replaceAll(":", "_")}.mp4`);
      await source.fetchClip(clip, dest, {});
      const info = await probeMedia(ffmpegPath, dest);
      expect(info.video, clip.id).toMatchObject({ codec: "h264", width: 360, height: 640 });
      expect(info.durationSeconds!, clip.id).toBeGreaterThan(1.9);
      expect(info.durationSeconds!, clip.id).toBeLessThan(2.2);
      expect(diff(await thumb(dest, 0.2), await thumb(dest, 1.8)), `${clip.id} should move`).toBeGreaterThan(1);
    }
  }, 60_000);

  it("gives different terms different pictures, and the pictures move", async () => {
    const dir = await tempDir();
    const firstFrames: number[][] = [];
    for (const term of ["forest", "spaceship", "ocean"]) {
      const [clip] = await source.search(term, { minDurationSeconds: 1, perPage: 1 });
      const file = join(dir, `${term}.mp4`);
      await source.fetchClip({ ...clip!, durationSeconds: 2 }, file, {});
      const early = await thumb(file, 0.2);
      const late = await thumb(file, 1.8);
      expect(diff(early, late), `${term} (${clip!.id}) should move`).toBeGreaterThan(1);
      firstFrames.push(early);
    }
    expect(diff(firstFrames[0]!, firstFrames[1]!)).toBeGreaterThan(5);
    expect(diff(firstFrames[1]!, firstFrames[2]!)).toBeGreaterThan(5);
    expect(diff(firstFrames[0]!, firstFrames[2]!)).toBeGreaterThan(5);
  }, 30_000);

  it("enforces maxBytes and leaves no file behind", async () => {
    const dir = await tempDir();
    const [clip] = await source.search("tiny cap", { minDurationSeconds: 1, perPage: 1 });
    const dest = join(dir, "capped.mp4");
    await expect(source.fetchClip({ ...clip!, durationSeconds: 1 }, dest, { maxBytes: 100 })).rejects.toMatchObject({
      name: "ProviderError",
      transient: false,
    });
    await expect(stat(dest)).rejects.toThrow();
    await expect(stat(`${dest}.part`)).rejects.toThrow();
  });

  it("stops ffmpeg when the signal fires", async () => {
    const dir = await tempDir();
    const [clip] = await source.search("long one", { minDurationSeconds: 600, perPage: 1 });
    const ac = new AbortController();
    const started = Date.now();
    setTimeout(() => ac.abort(), 200);
    await expect(source.fetchClip(clip!, join(dir, "long.mp4"), { signal: ac.signal })).rejects.toMatchObject({
      name: "AbortError",
    });
    expect(Date.now() - started).toBeLessThan(3000);
    await expect(stat(join(dir, "long.mp4"))).rejects.toThrow();
  });
});
