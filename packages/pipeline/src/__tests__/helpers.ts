import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdtemp, stat } from "node:fs/promises";
import { pipeline } from "node:stream/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveFfmpeg } from "@moneyprinter/providers";
import { runFfmpeg } from "../ffmpeg.ts";
import { overallProgress } from "../pipeline.ts";
import type { FootageClip, FootageSource, LanguageModel, PipelineProviders, VoiceSynth } from "../provider-types.ts";
import type { ArtifactRecord, JobOptions, RunContext, ScriptRecord, StepName } from "../types.ts";

export const FFMPEG: string = resolveFfmpeg();

export interface TestEvent {
  type: string;
  level: string;
  message: string;
  payload: Record<string, unknown> | null;
}

/** An in-memory RunContext: the worker's real one stores the same records in Postgres. */
export class MemoryContext implements RunContext {
  jobId: string;
  attempt = 1;
  options: JobOptions;
  signal: AbortSignal;
  workDir: string;
  outputPath: string;
  songsDir: string;
  events: TestEvent[] = [];
  artifacts: ArtifactRecord[] = [];
  script: ScriptRecord | null = null;
  /** test hook: sees every event as it is written */
  onEvent: ((e: TestEvent) => void) | null = null;

  constructor(init: { jobId: string; options: JobOptions; signal?: AbortSignal; workDir: string; outputPath: string; songsDir: string }) {
    this.jobId = init.jobId;
    this.options = init.options;
    this.signal = init.signal ?? new AbortController().signal;
    this.workDir = init.workDir;
    this.outputPath = init.outputPath;
    this.songsDir = init.songsDir;
  }

  /** the next attempt of the same job: same workDir and saved records, new signal */
  retry(signal?: AbortSignal): this {
    this.attempt += 1;
    this.signal = signal ?? new AbortController().signal;
    return this;
  }

  async emit(e: { type?: string; level: "info" | "success" | "warning" | "error"; message: string; payload?: Record<string, unknown> | null }) {
    const ev: TestEvent = { type: e.type ?? "log", level: e.level, message: e.message, payload: e.payload ?? null };
    this.events.push(ev);
    this.onEvent?.(ev);
  }
  async progress(step: StepName, fraction: number, message?: string) {
    await this.emit({
      level: "info",
      message: message ?? `${step} ${Math.round(fraction * 100)}%`,
      payload: { step, stepFraction: fraction, progress: overallProgress(step, fraction) },
    });
  }
  async saveArtifact(a: { kind: string; path: string; durationSeconds?: number | null }) {
    const hash = createHash("sha256");
    await pipeline(createReadStream(a.path), hash);
    const rec: ArtifactRecord = {
      kind: a.kind,
      path: a.path,
      sizeBytes: (await stat(a.path)).size,
      sha256: hash.digest("hex"),
      durationSeconds: a.durationSeconds ?? null,
    };
    this.artifacts.push(rec);
    return rec;
  }
  async getArtifacts() {
    return [...this.artifacts];
  }
  async saveScript(s: Partial<ScriptRecord>) {
    this.script = { script: null, searchTerms: null, title: null, description: null, keywords: null, ...this.script, ...s };
  }
  async getScript() {
    return this.script;
  }
}

export function jobOptions(over: Partial<JobOptions> = {}): JobOptions {
  return {
    videoSubject: "the ocean",
    paragraphNumber: 1,
    voice: "en_us_001",
    customPrompt: "",
    subtitlesPosition: "center,bottom",
    color: "#FF00FF",
    useMusic: false,
    automateYoutubeUpload: false,
    threads: 2,
    ...over,
  };
}

const roots: string[] = [];

/** Removes every directory makeContext created (called after each test file, see setup.ts). */
export async function removeContexts(): Promise<void> {
  const { rm } = await import("node:fs/promises");
  await Promise.all(roots.splice(0).map((r) => rm(r, { recursive: true, force: true })));
}

export async function makeContext(name: string, over: Partial<JobOptions> = {}, signal?: AbortSignal): Promise<MemoryContext> {
  const root = await mkdtemp(join(tmpdir(), `mp-pipeline-${name}-`));
  roots.push(root);
  const { mkdir } = await import("node:fs/promises");
  const workDir = join(root, "work");
  await mkdir(workDir);
  return new MemoryContext({
    jobId: `${name}-${Math.random().toString(36).slice(2, 8)}`,
    options: jobOptions(over),
    signal,
    workDir,
    outputPath: join(root, "output", `${name}.mp4`),
    songsDir: join(root, "songs"),
  });
}

export const SCRIPT_REPLY = `# The Ocean

[Music]
Narrator: **The ocean** covers most of our planet. It is deep, dark and full of life.

(pause) Waves carry energy across thousands of kilometres.`;

/** An LLM that answers each prompt kind like a chatty model would, and counts its calls. */
export function fakeLlm(scriptReply = SCRIPT_REPLY): LanguageModel & { calls: string[] } {
  const calls: string[] = [];
  return {
    provider: "fake-llm",
    defaultModel: "fake",
    calls,
    async generate(req) {
      calls.push(req.prompt);
      if (/search terms/i.test(req.prompt)) return "Sure! Here you go:\n```json\n['ocean waves', 'deep sea', \"coral reef\",]\n```";
      if (/Video Title/i.test(req.prompt)) return '"Ocean Facts You Never Knew #shorts"';
      if (/Video Description/i.test(req.prompt)) return "A quick look at the ocean.";
      if (/keywords/i.test(req.prompt)) return '["ocean", "sea", "waves"]';
      return scriptReply;
    },
    async listModels() {
      return ["fake"];
    },
  };
}

const CLIP_COLORS = ["0x203040", "0x302a20", "0x1e3328", "0x2c2c38"];

/** Footage made by ffmpeg: dark, plain 16:9 clips (so the crop path runs and no subtitle colour appears in them). */
export function fakeFootage(ffmpegPath = FFMPEG, clipSeconds = 6): FootageSource & { fetched: string[] } {
  const fetched: string[] = [];
  return {
    provider: "fake-footage",
    fetched,
    async search(term) {
      // the same clip for every term first: the step must skip duplicates
      return [
        { id: "shared", source: "fake", width: 640, height: 360, durationSeconds: clipSeconds },
        { id: `${term}-1`, source: "fake", width: 640, height: 360, durationSeconds: clipSeconds },
        { id: `${term}-short`, source: "fake", width: 640, height: 360, durationSeconds: 1 },
      ] satisfies FootageClip[];
    },
    async fetchClip(clip, destPath, opts) {
      fetched.push(clip.id);
      const color = CLIP_COLORS[fetched.length % CLIP_COLORS.length];
      await runFfmpeg(
        ffmpegPath,
        ["-f", "lavfi", "-i", `color=c=${color}:s=640x360:r=25:d=${clip.durationSeconds}`, "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-f", "mp4", destPath],
        { signal: opts.signal },
      );
    },
  };
}

/** A voice that reads each text as a 330 Hz tone, 0.05 s per character (so sentence lengths differ), and counts calls. */
export function fakeVoice(ffmpegPath = FFMPEG, secondsPerChar = 0.05): VoiceSynth & { calls: string[] } {
  const calls: string[] = [];
  return {
    provider: "fake-voice",
    maxChars: 60,
    calls,
    voices: () => [{ id: "en_us_001", name: "Test", language: "en" }],
    async synthesize(text, destPath, opts) {
      calls.push(text);
      const d = Math.max(0.4, text.length * secondsPerChar).toFixed(2);
      await runFfmpeg(ffmpegPath, ["-f", "lavfi", "-i", `sine=frequency=330:sample_rate=22050:duration=${d}`, "-c:a", "libmp3lame", "-f", "mp3", destPath], {
        signal: opts.signal,
      });
      return { format: "mp3" };
    },
  };
}

export function fakeProviders() {
  return { llm: fakeLlm(), footage: fakeFootage(), voice: fakeVoice() } satisfies PipelineProviders;
}

/** One frame as raw RGB, scaled down to 270×480 to keep the pixel scan cheap. */
export async function frameRgb(ffmpegPath: string, video: string, atSeconds: number): Promise<Buffer> {
  const { execFile } = await import("node:child_process");
  return new Promise((resolve, reject) => {
    execFile(
      ffmpegPath,
      ["-v", "error", "-ss", String(atSeconds), "-i", video, "-frames:v", "1", "-vf", "scale=270:480", "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"],
      { encoding: "buffer", maxBuffer: 16 * 1024 * 1024 },
      (err, stdout) => (err ? reject(err) : resolve(stdout)),
    );
  });
}

/** Pixels within `tol` of the colour, in rows [y0, y1) of a 270×480 RGB frame. */
export function countNear(rgb: Buffer, color: { r: number; g: number; b: number }, y0: number, y1: number, tol = 60): number {
  let n = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = 0; x < 270; x++) {
      const i = (y * 270 + x) * 3;
      if (Math.abs(rgb[i]! - color.r) + Math.abs(rgb[i + 1]! - color.g) + Math.abs(rgb[i + 2]! - color.b) <= tol) n++;
    }
  }
  return n;
}

/** mean_volume (dB) of the audio after a band-pass around `hz` (volumedetect prints to stderr). */
export async function bandVolume(ffmpegPath: string, file: string, hz: number): Promise<number> {
  const tail = await runFfmpeg(ffmpegPath, ["-i", file, "-vn", "-af", `bandpass=f=${hz}:width_type=q:w=8,volumedetect`, "-f", "null", "-"]);
  const m = /mean_volume: (-?[\d.]+|-inf) dB/.exec(tail);
  if (!m) throw new Error(`no volumedetect output for ${file}`);
  return m[1] === "-inf" ? -200 : Number(m[1]);
}
