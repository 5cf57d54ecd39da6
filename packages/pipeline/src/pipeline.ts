import { metadataStep } from "./steps/metadata.ts";
import { footageStep } from "./steps/footage.ts";
import { renderStep } from "./steps/render.ts";
import { scriptStep } from "./steps/script.ts";
import { subtitlesStep } from "./steps/subtitles.ts";
import { termsStep } from "./steps/terms.ts";
import { uploadStep } from "./steps/upload.ts";
import { voiceStep, isProviderError } from "./steps/voice.ts";
import type { StepEnv } from "./steps/common.ts";
import type { JobRunner, PipelineDeps, RunContext, StepName } from "./types.ts";

/**
 * Execution order. Metadata runs right after the terms because it needs only the script:
 * every LLM call then happens before the media steps, so a retry after a footage, voice or
 * render failure never calls the language model again.
 */
export const STEP_ORDER: readonly StepName[] = ["script", "terms", "metadata", "footage", "voice", "subtitles", "render", "upload"];

/** Share of the overall progress bar per step, roughly their wall time on the offline providers. */
export const STEP_WEIGHTS: Readonly<Record<StepName, number>> = {
  script: 0.05,
  terms: 0.03,
  metadata: 0.04,
  footage: 0.12,
  voice: 0.12,
  subtitles: 0.02,
  render: 0.57,
  upload: 0.05,
};

/** Overall 0..1 for a step's fraction: what RunContext.progress writes as `progress`. */
export function overallProgress(step: StepName, fraction: number): number {
  let before = 0;
  for (const s of STEP_ORDER) {
    if (s === step) break;
    before += STEP_WEIGHTS[s];
  }
  const f = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
  return Math.min(1, before + STEP_WEIGHTS[step] * f);
}

async function runStep<T>(ctx: RunContext, step: StepName, fn: () => Promise<T>): Promise<T> {
  ctx.signal.throwIfAborted();
  try {
    return await fn();
  } catch (err) {
    // aborts and provider errors keep their identity: the worker reads `transient` to decide on a retry
    if (ctx.signal.aborted || isProviderError(err)) throw err;
    const msg = (err as Error)?.message ?? String(err);
    if (msg.startsWith(`${step}:`)) throw err;
    throw new Error(`${step}: ${msg}`, { cause: err });
  }
}

export function createPipelineRunner(deps: PipelineDeps): JobRunner {
  return async (ctx) => {
    const env: StepEnv = { ctx, providers: deps.providers, ffmpegPath: deps.ffmpegPath, preset: deps.preset ?? "veryfast", renderStallSeconds: deps.renderStallSeconds };
    if (ctx.attempt === 1) {
      for (const note of deps.providers.notes ?? []) await ctx.emit({ level: "warning", message: note });
    }
    const script = await runStep(ctx, "script", () => scriptStep(env));
    const terms = await runStep(ctx, "terms", () => termsStep(env, script));
    const meta = await runStep(ctx, "metadata", () => metadataStep(env, script, terms));
    const clips = await runStep(ctx, "footage", () => footageStep(env, terms));
    const voice = await runStep(ctx, "voice", () => voiceStep(env, script));
    const subtitlesPath = await runStep(ctx, "subtitles", () => subtitlesStep(env, voice));
    const video = await runStep(ctx, "render", () =>
      renderStep(env, {
        clips: clips.map((c) => c.path),
        voicePath: voice.path,
        voiceSeconds: voice.durationSeconds,
        subtitlesPath,
      }),
    );
    await runStep(ctx, "upload", () => uploadStep(env, video, meta));
    return { resultPath: video };
  };
}

/** PIPELINE=noop: progress events and a result path, no media; for queue benchmarks. */
export function createNoopRunner(opts: { steps?: number; delayMs?: number } = {}): JobRunner {
  const steps = STEP_ORDER.slice(0, Math.max(1, Math.min(STEP_ORDER.length, opts.steps ?? 3)));
  const delayMs = opts.delayMs ?? 0;
  return async (ctx) => {
    for (const step of steps) {
      ctx.signal.throwIfAborted();
      if (delayMs > 0) await sleep(delayMs, ctx.signal);
      await ctx.progress(step, 1);
    }
    return { resultPath: ctx.outputPath };
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(t);
      reject(signal.reason);
    };
    const t = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
