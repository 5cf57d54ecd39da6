import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { FootageClip } from "../provider-types.ts";
import { savedArtifact, savedArtifacts, withTimeout, type StepEnv } from "./common.ts";

// the original asked Pexels for clips of at least 10 s; 5 s keeps local/procedural folders usable
// while still avoiding flash cuts (clips are looped when the voice is longer)
export const MIN_CLIP_SECONDS = 5;
// a 1080p Pexels clip of 30 s is ~20-60 MB; 200 MB stops a runaway download without refusing real clips
export const MAX_CLIP_BYTES = 200 * 1024 * 1024;
export const CLIP_TIMEOUT_MS = 120_000;

export interface ClipFile {
  path: string;
  term: string;
  clipId: string;
  durationSeconds: number;
}

/** Step 3: one clip per search term, never the same clip twice. Output: "clip" artifacts + a "footage" manifest. */
export async function footageStep({ ctx, providers }: StepEnv, terms: string[]): Promise<ClipFile[]> {
  const manifest = await savedArtifact(ctx, "footage");
  if (manifest) {
    const clips = JSON.parse(await readFile(manifest.path, "utf8")) as ClipFile[];
    const present = new Set((await savedArtifacts(ctx, "clip")).map((a) => a.path));
    if (clips.length > 0 && clips.every((c) => present.has(c.path))) {
      await ctx.progress("footage", 1, "Footage already downloaded (retry): reusing it.");
      return clips;
    }
  }
  const dir = join(ctx.workDir, "clips");
  await mkdir(dir, { recursive: true });
  // a retry keeps clips that a failed attempt already fetched completely
  const already = new Map((await savedArtifacts(ctx, "clip")).map((a) => [a.path, a]));
  const used = new Set<string>();
  const clips: ClipFile[] = [];
  for (const [i, term] of terms.entries()) {
    ctx.signal.throwIfAborted();
    await ctx.progress("footage", i / terms.length, `Finding footage for "${term}".`);
    const dest = join(dir, `clip-${String(i).padStart(2, "0")}.mp4`);
    const kept = already.get(dest);
    if (kept) {
      clips.push({ path: dest, term, clipId: `kept:${i}`, durationSeconds: kept.durationSeconds ?? MIN_CLIP_SECONDS });
      continue;
    }
    const found = await providers.footage.search(term, { minDurationSeconds: MIN_CLIP_SECONDS, perPage: 15, signal: ctx.signal });
    const clip = found.find((c) => c.durationSeconds >= MIN_CLIP_SECONDS && !used.has(clipKey(c)));
    if (!clip) {
      await ctx.emit({ level: "info", message: `No new clip of at least ${MIN_CLIP_SECONDS} s for "${term}".`, payload: { step: "footage", term } });
      continue;
    }
    used.add(clipKey(clip));
    // download to a side name: a half-written clip must never look like a finished one on retry
    const part = `${dest}.part`;
    try {
      await providers.footage.fetchClip(clip, part, { maxBytes: MAX_CLIP_BYTES, signal: withTimeout(ctx.signal, CLIP_TIMEOUT_MS) });
      await rename(part, dest);
    } catch (err) {
      await rm(part, { force: true });
      throw err;
    }
    await ctx.saveArtifact({ kind: "clip", path: dest, durationSeconds: clip.durationSeconds });
    clips.push({ path: dest, term, clipId: clipKey(clip), durationSeconds: clip.durationSeconds });
  }
  if (clips.length === 0) {
    throw new Error(`footage: ${providers.footage.provider} found no clip for any of: ${terms.join(", ")}`);
  }
  const manifestPath = join(ctx.workDir, "footage.json");
  await writeFile(manifestPath, JSON.stringify(clips, null, 2));
  await ctx.saveArtifact({ kind: "footage", path: manifestPath });
  await ctx.emit({
    level: "info",
    message: `Found ${clips.length} clip(s).`,
    payload: { step: "footage", clips: clips.map((c) => ({ term: c.term, clipId: c.clipId, durationSeconds: c.durationSeconds })) },
  });
  await ctx.progress("footage", 1);
  return clips;
}

function clipKey(c: FootageClip): string {
  return `${c.source}:${c.id}`;
}
