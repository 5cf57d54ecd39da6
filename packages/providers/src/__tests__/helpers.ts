import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach } from "vitest";
import { resolveFfmpeg } from "../ffmpeg/resolve.ts";

/** The ffmpeg the tests use: FFMPEG_PATH when CI sets it, else PATH, else the bundled 2018 build. */
export const ffmpegPath = resolveFfmpeg({ ffmpegPath: process.env.FFMPEG_PATH });

const dirs: string[] = [];
/** A fresh temp dir, removed after the test. */
export async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), "mp-providers-"));
  dirs.push(d);
  return d;
}
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

import { readFile } from "node:fs/promises";
import { runProcess } from "../ffmpeg/run.ts";

/** A real MP3 (1 s sine) made with ffmpeg, for fakes that return audio. */
export async function sampleMp3(seconds = 1): Promise<Buffer> {
  const out = join(await tempDir(), "sample.mp3");
  const res = await runProcess(ffmpegPath, [
    "-v", "error", "-y", "-f", "lavfi", "-i", `sine=frequency=330:sample_rate=44100:duration=${seconds}`,
    "-c:a", "libmp3lame", "-b:a", "64k", out,
  ]);
  if (res.code !== 0) throw new Error(`sample mp3: ${res.stderr}`);
  return readFile(out);
}

/** A real small MP4 made with ffmpeg, for fakes that serve video. */
export async function sampleMp4(seconds = 1): Promise<Buffer> {
  const out = join(await tempDir(), "sample.mp4");
  const res = await runProcess(ffmpegPath, [
    "-v", "error", "-y", "-f", "lavfi", "-i", `testsrc2=s=108x192:r=10:duration=${seconds}`,
    "-c:v", "libx264", "-preset", "ultrafast", out,
  ]);
  if (res.code !== 0) throw new Error(`sample mp4: ${res.stderr}`);
  return readFile(out);
}
