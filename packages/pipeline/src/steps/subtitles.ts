import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { buildAss, toLines, type Cue } from "../ass.ts";
import { languageOfVoice } from "../text.ts";
import { savedArtifact, type StepEnv } from "./common.ts";
import { isProviderError, type VoiceTimeline } from "./voice.ts";

// 4 words at 96 px bold fit one line of a 1080 px frame and can be read in the ~1 s they show
export const MAX_WORDS_PER_LINE = 4;

/** Step 5: ASS subtitles, timed locally from the voice parts or by the Transcriber. Output: "subtitles" artifact. */
export async function subtitlesStep({ ctx, providers }: StepEnv, timeline: VoiceTimeline): Promise<string> {
  const saved = await savedArtifact(ctx, "subtitles");
  if (saved) {
    await ctx.progress("subtitles", 1, "Subtitles already written (retry): reusing them.");
    return saved.path;
  }
  await ctx.progress("subtitles", 0, "Timing the subtitles.");
  let cues: Cue[] = timeline.sentences;
  let source = "local";
  if (providers.transcriber) {
    try {
      cues = await providers.transcriber.transcribe(timeline.path, {
        language: languageOfVoice(ctx.options.voice),
        signal: ctx.signal,
      });
      source = providers.transcriber.provider;
    } catch (err) {
      if (ctx.signal.aborted || isProviderError(err)) throw err;
      throw new Error(`subtitles: transcription failed (${providers.transcriber.provider})`, { cause: err });
    }
  }
  const lines = toLines(cues, MAX_WORDS_PER_LINE);
  const ass = buildAss(lines, { position: ctx.options.subtitlesPosition, color: ctx.options.color });
  const path = join(ctx.workDir, "subtitles.ass");
  await writeFile(path, ass);
  await ctx.saveArtifact({ kind: "subtitles", path });
  await ctx.emit({ level: "info", message: `Subtitles: ${lines.length} line(s), timed by ${source}.`, payload: { step: "subtitles", lines: lines.length, source } });
  await ctx.progress("subtitles", 1);
  return path;
}
