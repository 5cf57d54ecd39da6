import { stat } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ffmpegPath, tempDir } from "../__tests__/helpers.ts";
import { probeMedia } from "../ffmpeg/probe.ts";
import { createProcedural } from "./index.ts";

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
    }
  }, 60_000);

  it("gives different terms different pictures", async () => {
    const dir = await tempDir();
    const [a] = await source.search("forest", { minDurationSeconds: 1, perPage: 1 });
    const [b] = await source.search("spaceship", { minDurationSeconds: 1, perPage: 1 });
    await source.fetchClip({ ...a!, durationSeconds: 1 }, join(dir, "a.mp4"), {});
    await source.fetchClip({ ...b!, durationSeconds: 1 }, join(dir, "b.mp4"), {});
    const [sa, sb] = await Promise.all([stat(join(dir, "a.mp4")), stat(join(dir, "b.mp4"))]);
    expect(sa.size).not.toBe(sb.size);
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
