import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ffmpegPath, tempDir } from "../__tests__/helpers.ts";
import { runProcess } from "../ffmpeg/run.ts";
import { createLocalFootage } from "./index.ts";

async function clip(path: string, seconds: number) {
  const res = await runProcess(ffmpegPath, [
    "-v", "error", "-y", "-f", "lavfi", "-i", `testsrc2=s=180x320:r=10`,
    "-t", String(seconds), "-c:v", "libx264", "-preset", "ultrafast", path,
  ]);
  expect(res.code, res.stderr).toBe(0);
}

async function footageDir() {
  const dir = await tempDir();
  await mkdir(join(dir, "animals"));
  await clip(join(dir, "animals", "cat_sleeping.mp4"), 3);
  await clip(join(dir, "ocean-waves.mp4"), 2);
  await clip(join(dir, "city_night.mov"), 1);
  await writeFile(join(dir, "notes.txt"), "not a video");
  await writeFile(join(dir, "broken.mp4"), "not really a video");
  return dir;
}

describe("local footage", () => {
  it("matches terms to file and folder names, with probed durations", async () => {
    const dir = await footageDir();
    const source = createLocalFootage({ dir, ffmpegPath });
    const cats = await source.search("cats", { minDurationSeconds: 1 });
    expect(cats[0]).toMatchObject({ source: "local", path: join(dir, "animals", "cat_sleeping.mp4"), width: 180, height: 320 });
    expect(cats[0]!.durationSeconds).toBeCloseTo(3, 0);
    expect(cats).toHaveLength(1);
    const animals = await source.search("wild animals", { minDurationSeconds: 1 });
    expect(animals.map((c) => c.path)).toEqual([join(dir, "animals", "cat_sleeping.mp4")]);
  });

  it("falls back to all readable clips when nothing matches, order depending on the term", async () => {
    const dir = await footageDir();
    const source = createLocalFootage({ dir, ffmpegPath });
    const a = await source.search("quantum physics", { minDurationSeconds: 0 });
    expect(a).toHaveLength(3); // the broken file and the .txt are skipped
    const orders = new Set<string>();
    for (const term of ["alpha", "beta", "gamma", "delta", "epsilon"]) {
      orders.add((await source.search(term, { minDurationSeconds: 0 })).map((c) => c.id).join());
    }
    expect(orders.size).toBeGreaterThan(1);
  });

  it("filters by minimum duration, keeping short clips only when nothing is long enough", async () => {
    const dir = await footageDir();
    const source = createLocalFootage({ dir, ffmpegPath });
    const long = await source.search("anything", { minDurationSeconds: 2.5 });
    expect(long.map((c) => c.path)).toEqual([join(dir, "animals", "cat_sleeping.mp4")]);
    const none = await source.search("anything", { minDurationSeconds: 60 });
    expect(none).toHaveLength(3);
  });

  it("copies a clip, refusing one over maxBytes", async () => {
    const dir = await footageDir();
    const source = createLocalFootage({ dir, ffmpegPath });
    const [c] = await source.search("ocean", { minDurationSeconds: 0 });
    const dest = join(await tempDir(), "out.mp4");
    await source.fetchClip(c!, dest, { maxBytes: 10_000_000 });
    expect(await readFile(dest)).toEqual(await readFile(c!.path!));
    const dest2 = join(await tempDir(), "out2.mp4");
    await expect(source.fetchClip(c!, dest2, { maxBytes: 10 })).rejects.toMatchObject({ transient: false });
    await expect(stat(dest2)).rejects.toThrow();
  });

  it("names FOOTAGE_DIR when the folder is missing", async () => {
    const source = createLocalFootage({ dir: "/nonexistent/footage", ffmpegPath });
    await expect(source.search("x", { minDurationSeconds: 0 })).rejects.toMatchObject({
      transient: false,
      envVar: "FOOTAGE_DIR",
    });
  });
});
