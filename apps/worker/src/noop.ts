import { setTimeout as sleep } from "node:timers/promises";
import type { JobRunner, StepName } from "./runner.ts";

/**
 * PIPELINE=noop: a few progress reports, then complete, no media. It measures what the queue
 * itself costs (claim, fenced writes, completion) and keeps the worker runnable without providers.
 * `stepMs` makes each step take that long (kill and shutdown tests, demos).
 */
const NOOP_STEPS: StepName[] = ["script", "voice", "render", "terms", "footage", "subtitles", "metadata", "upload"];

export function noopRunner(opts: { stepMs?: number; steps?: StepName[] | number } = {}): JobRunner {
  const steps = Array.isArray(opts.steps) ? opts.steps : NOOP_STEPS.slice(0, opts.steps ?? 3);
  return async (ctx) => {
    for (const step of steps) {
      if (opts.stepMs) await sleep(opts.stepMs, undefined, { signal: ctx.signal });
      ctx.signal.throwIfAborted();
      await ctx.progress(step, 1, `${step}: done (noop).`);
    }
    return { resultPath: ctx.outputPath };
  };
}
