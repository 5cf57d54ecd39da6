import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { probe } from "../ffmpeg.ts";
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
export async function footageStep(env: StepEnv, terms: string[]): Promise<ClipFile[]> {
  const { ctx, providers } = env;
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
    const candidates = found.filter((c) => c.durationSeconds >= MIN_CLIP_SECONDS && !used.has(clipKey(c)));
    let got: ClipFile | null = null;
    // at most 3 candidates per term: a vendor serving broken files should fail the job, not loop
    for (const clip of candidates.slice(0, 3)) {
      used.add(clipKey(clip));
      got = await fetchChecked(env, clip, dest, term);
      if (got) break;
    }
    if (!got) {
      await ctx.emit({ level: "info", message: `No usable clip of at least ${MIN_CLIP_SECONDS} s for "${term}".`, payload: { step: "footage", term } });
      continue;
    }
    await ctx.saveArtifact({ kind: "clip", path: dest, durationSeconds: got.durationSeconds });
    clips.push(got);
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

/**
 * Downloads one clip to a side name and checks that ffmpeg sees a video stream in it: a clip
 * without one (an HTML error page, a truncated file) would make the looping render spin forever.
 * Returns null for a clip to skip; rethrows aborts, transient errors and configuration errors.
 */
async function fetchChecked({ ctx, providers, ffmpegPath }: StepEnv, clip: FootageClip, dest: string, term: string): Promise<ClipFile | null> {
  const part = `${dest}.part`;
  try {
    await providers.footage.fetchClip(clip, part, { maxBytes: MAX_CLIP_BYTES, signal: withTimeout(ctx.signal, CLIP_TIMEOUT_MS) });
    const info = await probe(ffmpegPath, part, ctx.signal);
    if (!info.video || (info.durationSeconds ?? 0) < 0.5) {
      await rm(part, { force: true });
      await ctx.emit({ level: "warning", message: `Clip ${clipKey(clip)} for "${term}" has no playable video; trying another.`, payload: { step: "footage", term, clipId: clipKey(clip) } });
      return null;
    }
    await rename(part, dest);
    return { path: dest, term, clipId: clipKey(clip), durationSeconds: info.durationSeconds ?? clip.durationSeconds };
  } catch (err) {
    await rm(part, { force: true });
    const e = err as { transient?: unknown; envVar?: unknown; message?: string };
    // a per-clip refusal (over the size cap, gone from the CDN) skips the clip; anything a retry
    // or a setting could fix, and aborts, end the step
    if (ctx.signal.aborted || e.transient !== false || e.envVar) throw err;
    await ctx.emit({ level: "warning", message: `Clip ${clipKey(clip)} for "${term}" skipped: ${e.message ?? String(err)}`, payload: { step: "footage", term, clipId: clipKey(clip) } });
    return null;
  }
}

function clipKey(c: FootageClip): string {
  return `${c.source}:${c.id}`;
}
