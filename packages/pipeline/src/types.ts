// The agreed pipeline interface (docs/pipeline-interfaces.md). Change only together with the worker.
import type { PipelineProviders } from "./provider-types.ts";

export interface JobOptions {
  videoSubject: string;
  paragraphNumber: number;
  aiModel?: string;
  voice: string;
  customPrompt: string;
  subtitlesPosition: string;
  color: string;
  useMusic: boolean;
  automateYoutubeUpload: boolean;
  threads: number;
}

export type StepName = "script" | "terms" | "footage" | "voice" | "subtitles" | "render" | "metadata" | "upload";

export interface ArtifactRecord {
  kind: string;
  path: string;
  sizeBytes: number;
  sha256: string;
  durationSeconds: number | null;
}

export interface ScriptRecord {
  script: string | null;
  searchTerms: string[] | null;
  title: string | null;
  description: string | null;
  keywords: string[] | null;
}

export interface RunContext {
  jobId: string;
  /** 1 on the first run */
  attempt: number;
  options: JobOptions;
  /** fires on cancel, lease loss, shutdown */
  signal: AbortSignal;
  /** this job's own directory (the worker creates it; it survives retries; removed when the job ends) */
  workDir: string;
  /** OUTPUT_DIR/<jobId>.mp4 */
  outputPath: string;
  /** uploaded songs (DATA_DIR/songs) */
  songsDir: string;
  emit(e: {
    type?: string;
    level: "info" | "success" | "warning" | "error";
    message: string;
    payload?: Record<string, unknown> | null;
  }): Promise<void>;
  /** fraction of the step, 0..1; writes a `log` event with payload { step, stepFraction, progress } (progress = overall 0..1, see overallProgress) */
  progress(step: StepName, fraction: number, message?: string): Promise<void>;
  /** computes size + sha256 */
  saveArtifact(a: { kind: string; path: string; durationSeconds?: number | null }): Promise<ArtifactRecord>;
  getArtifacts(): Promise<ArtifactRecord[]>;
  saveScript(s: Partial<ScriptRecord>): Promise<void>;
  getScript(): Promise<ScriptRecord | null>;
}

export type JobRunner = (ctx: RunContext) => Promise<{ resultPath: string }>;

export interface PipelineDeps {
  providers: PipelineProviders;
  ffmpegPath: string;
  /** libx264 preset; "veryfast" keeps a 30 s short under a minute on 2 cores */
  preset?: string;
  /** kill the render when ffmpeg's out_time has not moved for this long (default 120) */
  renderStallSeconds?: number;
}
