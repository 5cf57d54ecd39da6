/*
 * The pipeline interface. These types mirror `@moneyprinter/pipeline` (written in parallel);
 * once it is merged they will be imported from there instead of declared here.
 */

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
  attempt: number;
  options: JobOptions;
  /** fires on cancel, lease loss, shutdown */
  signal: AbortSignal;
  /** DATA_DIR/work/<jobId>: created by the worker, survives retries, removed when the job reaches a terminal state */
  workDir: string;
  /** OUTPUT_DIR/<jobId>.mp4 (default DATA_DIR/output) */
  outputPath: string;
  /** DATA_DIR/songs */
  songsDir: string;
  emit(e: { type?: string; level: "info" | "success" | "warning" | "error"; message: string; payload?: Record<string, unknown> | null }): Promise<void>;
  /** writes generation_jobs.progress {step, stepFraction, progress (overall 0..1)} and a `log` event with that payload */
  progress(step: StepName, fraction: number, message?: string): Promise<void>;
  /** computes size + sha256 */
  saveArtifact(a: { kind: string; path: string; durationSeconds?: number | null }): Promise<ArtifactRecord>;
  getArtifacts(): Promise<ArtifactRecord[]>;
  saveScript(s: Partial<ScriptRecord>): Promise<void>;
  getScript(): Promise<ScriptRecord | null>;
}

export type JobRunner = (ctx: RunContext) => Promise<{ resultPath: string }>;

/** Share of the whole job each step stands for, so `progress` can report an overall fraction (render dominates). */
export const STEP_WEIGHTS: Record<StepName, number> = {
  script: 0.1,
  terms: 0.05,
  footage: 0.25,
  voice: 0.15,
  subtitles: 0.05,
  render: 0.3,
  metadata: 0.05,
  upload: 0.05,
};

const ORDER = Object.keys(STEP_WEIGHTS) as StepName[];

/** Overall progress (0..1) when `step` is `fraction` done and every earlier step is complete. */
export function overallProgress(step: StepName, fraction: number): number {
  const f = Math.min(1, Math.max(0, fraction));
  let before = 0;
  for (const s of ORDER) {
    if (s === step) break;
    before += STEP_WEIGHTS[s];
  }
  return Math.round((before + STEP_WEIGHTS[step] * f) * 10_000) / 10_000;
}
