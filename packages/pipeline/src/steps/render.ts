import { copyFile, mkdir, readdir, rename, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { basename, dirname, join, resolve } from "node:path";
import { probeDuration, runFfmpeg } from "../ffmpeg.ts";
import { savedArtifact, type StepEnv } from "./common.ts";

export const WIDTH = 1080;
export const HEIGHT = 1920;
export const FPS = 30;
// under the voice, not over it: the original mixed songs at 0.1
export const MUSIC_VOLUME = 0.1;
export const MUSIC_FADE_SECONDS = 2;
// out_time advances several times a second on any machine that can render at all; two minutes
// without it is a hang, not a slow machine
export const RENDER_STALL_SECONDS = 120;

export interface RenderPlan {
  clips: string[];
  voicePath: string;
  voiceSeconds: number;
  /** file name of the .ass, relative to the ffmpeg cwd (keeps filtergraph escaping out of the picture) */
  subtitlesFile: string;
  /** folder of fonts for libass, relative to the ffmpeg cwd */
  fontsDir?: string | null;
  musicPath?: string | null;
  threads: number;
  preset: string;
  outPath: string;
}

/** Frames per clip: the voice's length split evenly, so every clip gets screen time and the total is exact. */
export function framesPerClip(clipCount: number, voiceSeconds: number): number[] {
  const total = Math.ceil(voiceSeconds * FPS);
  const base = Math.floor(total / clipCount);
  return Array.from({ length: clipCount }, (_, i) => base + (i < total % clipCount ? 1 : 0));
}

/** The single ffmpeg invocation that makes the video (exported for the bench and the README). */
export function buildRenderArgs(p: RenderPlan): string[] {
  const frames = framesPerClip(p.clips.length, p.voiceSeconds);
  const inputs: string[] = [];
  const graph: string[] = [];
  p.clips.forEach((clip, i) => {
    // -stream_loop -1: a clip shorter than its share loops instead of freezing
    inputs.push("-stream_loop", "-1", "-i", clip);
    // fps+trim first, so only frames that reach the screen are processed; crop to 9:16 at the
    // source size before scaling (a 1280×720 clip is scaled to 1080×1920, not to 3413×1920 and
    // then cut); bilinear is visually equal here at a fraction of bicubic's cost
    graph.push(
      `[${i}:v]fps=${FPS},trim=end_frame=${frames[i]},setpts=PTS-STARTPTS,` +
        `crop='min(iw,ih*${WIDTH}/${HEIGHT})':'min(ih,iw*${HEIGHT}/${WIDTH})',` +
        `scale=${WIDTH}:${HEIGHT}:flags=bilinear,setsar=1,format=yuv420p[v${i}]`,
    );
  });
  const voiceIdx = p.clips.length;
  inputs.push("-i", p.voicePath);
  const concatIn = p.clips.map((_, i) => `[v${i}]`).join("");
  const fonts = p.fontsDir ? `:fontsdir=${p.fontsDir}` : "";
  graph.push(`${concatIn}concat=n=${p.clips.length}:v=1:a=0,ass=filename=${p.subtitlesFile}${fonts}[vout]`);
  const stereo = "aformat=sample_fmts=fltp:sample_rates=44100:channel_layouts=stereo";
  if (p.musicPath) {
    inputs.push("-stream_loop", "-1", "-i", p.musicPath);
    const d = p.voiceSeconds.toFixed(3);
    const fade = Math.min(MUSIC_FADE_SECONDS, p.voiceSeconds / 4);
    graph.push(`[${voiceIdx}:a]${stereo}[voice]`);
    graph.push(
      `[${voiceIdx + 1}:a]${stereo},atrim=0:${d},asetpts=PTS-STARTPTS,volume=${MUSIC_VOLUME},` +
        `afade=t=out:st=${(p.voiceSeconds - fade).toFixed(3)}:d=${fade.toFixed(3)}[music]`,
    );
    // amix divides each input by the input count; volume=2 restores the voice to full level
    graph.push(`[voice][music]amix=inputs=2:duration=first:dropout_transition=0,volume=2[aout]`);
  } else {
    graph.push(`[${voiceIdx}:a]${stereo}[aout]`);
  }
  return [
    "-progress", "pipe:1", "-nostats",
    ...inputs,
    "-filter_complex", graph.join(";"),
    "-map", "[vout]", "-map", "[aout]",
    "-c:v", "libx264", "-preset", p.preset, "-crf", "23", "-pix_fmt", "yuv420p", "-r", String(FPS),
    "-c:a", "aac", "-b:a", "128k", "-ar", "44100",
    "-t", p.voiceSeconds.toFixed(3),
    "-movflags", "+faststart",
    "-threads", String(Math.max(1, Math.floor(p.threads))),
    "-f", "mp4", p.outPath,
  ];
}

const require = createRequire(import.meta.url);
const BUNDLED_FONTS = ["dejavu-sans-latin-700-normal.woff", "dejavu-sans-latin-400-normal.woff"];

/**
 * Copies the bundled DejaVu Sans (OFL, from @fontsource/dejavu-sans) next to the subtitles:
 * the npm ffmpeg has no embedded font, and on a machine without system fonts libass would
 * render nothing at all. Returns the folder's name, or null when the package is missing.
 */
async function bundleFonts(dir: string): Promise<string | null> {
  try {
    const fontsDir = join(dir, "fonts");
    await mkdir(fontsDir, { recursive: true });
    for (const name of BUNDLED_FONTS) {
      await copyFile(require.resolve(`@fontsource/dejavu-sans/files/${name}`), join(fontsDir, name));
    }
    return "fonts";
  } catch {
    return null;
  }
}

async function pickSong(songsDir: string): Promise<string | null> {
  let names: string[];
  try {
    names = await readdir(songsDir);
  } catch {
    return null;
  }
  const songs = names.filter((n) => /\.mp3$/i.test(n)).sort();
  if (songs.length === 0) return null;
  return join(songsDir, songs[Math.floor(Math.random() * songs.length)]!);
}

/** Moves the finished file into place; across filesystems via a side name, so the output path never holds half a file. */
async function moveIntoPlace(tmp: string, dest: string, jobId: string): Promise<void> {
  await mkdir(dirname(dest), { recursive: true });
  try {
    await rename(tmp, dest);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EXDEV") throw err;
    const side = `${dest}.${jobId}.part`;
    try {
      await copyFile(tmp, side);
      await rename(side, dest);
    } catch (copyErr) {
      await rm(side, { force: true });
      throw copyErr;
    }
    await rm(tmp, { force: true });
  }
}

/** Step 6: one ffmpeg run → ctx.outputPath. Output: "video" artifact. */
export async function renderStep(
  env: StepEnv,
  input: { clips: string[]; voicePath: string; voiceSeconds: number; subtitlesPath: string },
): Promise<string> {
  const { ctx, ffmpegPath, preset } = env;
  const outputPath = resolve(ctx.outputPath);
  const saved = await savedArtifact(ctx, "video");
  if (saved && resolve(saved.path) === outputPath) {
    await ctx.progress("render", 1, "Video already rendered (retry): reusing it.");
    return outputPath;
  }
  let musicPath: string | null = null;
  if (ctx.options.useMusic) {
    musicPath = await pickSong(ctx.songsDir);
    if (musicPath) await ctx.emit({ level: "info", message: `Background music: ${basename(musicPath)}.`, payload: { step: "render", song: basename(musicPath) } });
    else await ctx.emit({ level: "warning", message: "useMusic is set but no songs are uploaded; rendering without music.", payload: { step: "render" } });
  }
  const tmp = join(ctx.workDir, "render.tmp.mp4");
  const fontsDir = await bundleFonts(dirname(input.subtitlesPath));
  const args = buildRenderArgs({
    clips: input.clips,
    voicePath: input.voicePath,
    voiceSeconds: input.voiceSeconds,
    subtitlesFile: basename(input.subtitlesPath),
    fontsDir,
    musicPath,
    threads: ctx.options.threads,
    preset,
    outPath: tmp,
  });

  // progress events are written to the database: one per whole percent is plenty
  let lastPct = -1;
  // a failed progress write must not fail the render (a lost lease aborts the signal instead)
  let chain: Promise<unknown> = Promise.resolve();
  const queue = (fn: () => Promise<unknown>) => {
    chain = chain.then(fn).catch(() => undefined);
  };
  queue(() => ctx.progress("render", 0, "Rendering the video."));
  // watchdog: a render whose out_time stops moving (a broken input looped forever, a stuck
  // filesystem) would otherwise hold the job's lease for ever
  const stall = new AbortController();
  const stallMs = (env.renderStallSeconds ?? RENDER_STALL_SECONDS) * 1000;
  let stallTimer = setTimeout(() => stall.abort(new Error(`ffmpeg made no progress for ${stallMs / 1000} s`)), stallMs);
  let lastOutTime = -1;
  try {
    await runFfmpeg(ffmpegPath, args, {
      signal: AbortSignal.any([ctx.signal, stall.signal]),
      cwd: dirname(input.subtitlesPath),
      onSpawn: (pid) =>
        queue(() =>
          ctx.emit({
            level: "info",
            message: `ffmpeg started (pid ${pid}).`,
            payload: { step: "render", pid, clips: input.clips.length, durationSeconds: input.voiceSeconds, music: musicPath !== null, preset },
          }),
        ),
      onProgress: (t) => {
        if (t > lastOutTime) {
          lastOutTime = t;
          clearTimeout(stallTimer);
          stallTimer = setTimeout(() => stall.abort(new Error(`ffmpeg made no progress for ${stallMs / 1000} s`)), stallMs);
        }
        const pct = Math.min(99, Math.floor((t / input.voiceSeconds) * 100));
        if (pct > lastPct) {
          lastPct = pct;
          queue(() => ctx.progress("render", pct / 100));
        }
      },
    });
    clearTimeout(stallTimer);
    await chain;
    await moveIntoPlace(tmp, outputPath, ctx.jobId);
  } catch (err) {
    clearTimeout(stallTimer);
    await chain;
    await rm(tmp, { force: true });
    if (stall.signal.aborted && !ctx.signal.aborted) throw new Error(`render: ${(stall.signal.reason as Error).message}`, { cause: err });
    if (ctx.signal.aborted) throw err;
    throw new Error(`render: ${(err as Error).message}`, { cause: err });
  }
  const durationSeconds = await probeDuration(ffmpegPath, outputPath, ctx.signal);
  await ctx.saveArtifact({ kind: "video", path: outputPath, durationSeconds });
  await ctx.progress("render", 1, "Video rendered.");
  return outputPath;
}
