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
