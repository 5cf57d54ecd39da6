import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { runFfmpeg, wavDurationSeconds } from "../ffmpeg.ts";
import { splitSentences, splitToLimit } from "../text.ts";
import { savedArtifact, type StepEnv } from "./common.ts";

export interface VoiceTimeline {
  path: string;
  durationSeconds: number;
  /** one entry per synthesized chunk, back to back from 0 */
  sentences: { text: string; startSeconds: number; endSeconds: number }[];
}

// every part is normalised to one PCM format so the concat demuxer can copy without re-encoding
// and each part's duration is exact (from the WAV header, not an MP3 estimate)
const PCM_ARGS = ["-vn", "-ac", "1", "-ar", "44100", "-c:a", "pcm_s16le", "-f", "wav"];

/** Step 4: text-to-speech per sentence, concatenated. Output: "voice" (WAV) + "voice-timeline" (JSON) artifacts. */
export async function voiceStep({ ctx, providers, ffmpegPath }: StepEnv, script: string): Promise<VoiceTimeline> {
  const savedTimeline = await savedArtifact(ctx, "voice-timeline");
  const savedVoice = await savedArtifact(ctx, "voice");
  if (savedTimeline && savedVoice) {
    const timeline = JSON.parse(await readFile(savedTimeline.path, "utf8")) as VoiceTimeline;
    if (timeline.path === savedVoice.path) {
      await ctx.progress("voice", 1, "Voice already recorded (retry): reusing it.");
      return timeline;
    }
  }
  const { voice } = providers;
  const chunks = splitSentences(script).flatMap((s) => splitToLimit(s, voice.maxChars));
  if (chunks.length === 0) throw new Error("voice: the script has no sentence to read");
  const dir = join(ctx.workDir, "voice");
  await mkdir(dir, { recursive: true });

  const sentences: VoiceTimeline["sentences"] = [];
  const listLines: string[] = [];
  let t = 0;
  for (const [i, text] of chunks.entries()) {
    ctx.signal.throwIfAborted();
    await ctx.progress("voice", (i / chunks.length) * 0.95, `Reading sentence ${i + 1} of ${chunks.length}.`);
    const name = `part-${String(i).padStart(3, "0")}`;
    const raw = join(dir, `${name}.audio`); // the provider writes mp3 or wav; ffmpeg probes the content
    try {
      await voice.synthesize(text, raw, { voice: ctx.options.voice, signal: ctx.signal });
    } catch (err) {
      if (ctx.signal.aborted || isProviderError(err)) throw err;
      throw new Error(`voice: sentence ${i + 1} failed (${voice.provider})`, { cause: err });
    }
    const wav = join(dir, `${name}.wav`);
    await runFfmpeg(ffmpegPath, ["-i", raw, ...PCM_ARGS, wav], { signal: ctx.signal });
    const d = await wavDurationSeconds(wav);
    sentences.push({ text, startSeconds: t, endSeconds: t + d });
    t += d;
    listLines.push(`file '${name}.wav'`);
  }
  const listPath = join(dir, "concat.txt");
  await writeFile(listPath, `${listLines.join("\n")}\n`);
  const voicePath = join(ctx.workDir, "voice.wav");
  await runFfmpeg(ffmpegPath, ["-f", "concat", "-safe", "0", "-i", "concat.txt", "-c", "copy", voicePath], {
    signal: ctx.signal,
    cwd: dir,
  });
  const durationSeconds = await wavDurationSeconds(voicePath);
  const timeline: VoiceTimeline = { path: voicePath, durationSeconds, sentences };
  const timelinePath = join(ctx.workDir, "voice-timeline.json");
  await writeFile(timelinePath, JSON.stringify(timeline, null, 2));
  await ctx.saveArtifact({ kind: "voice", path: voicePath, durationSeconds });
  await ctx.saveArtifact({ kind: "voice-timeline", path: timelinePath });
  await ctx.emit({
    level: "info",
    message: `Voice recorded: ${chunks.length} part(s), ${durationSeconds.toFixed(2)} s.`,
    payload: { step: "voice", parts: chunks.length, durationSeconds, provider: voice.provider },
  });
  await ctx.progress("voice", 1);
  return timeline;
}

/** Provider errors carry `transient` for the worker's retry decision: pass them through unwrapped. */
export function isProviderError(err: unknown): boolean {
  return typeof err === "object" && err !== null && typeof (err as { transient?: unknown }).transient === "boolean";
}
