import { createPipelineRunner } from "@moneyprinter/pipeline";
import { createProviders, type ProviderSettings } from "@moneyprinter/providers";
import type { BackoffPolicy } from "@moneyprinter/queue";
import { noopRunner } from "./noop.ts";
import type { JobRunner } from "./runner.ts";

/**
 * The runner PIPELINE names: `video` (default) makes real videos with the providers the settings
 * choose — offline ones when nothing is configured; `noop` measures the queue alone.
 * Provider choices are checked here, at start, so a missing key stops the process with a
 * sentence naming it instead of failing every job.
 */
export function pipelineFor(env: ProviderSettings & { PIPELINE: "video" | "noop"; NOOP_STEP_MS: number; NOOP_STEPS: number }): JobRunner {
  switch (env.PIPELINE) {
    case "noop":
      return noopRunner({ stepMs: env.NOOP_STEP_MS, steps: env.NOOP_STEPS });
    case "video": {
      const providers = createProviders(env);
      return createPipelineRunner({ providers, ffmpegPath: providers.ffmpegPath });
    }
  }
}

export function backoffFrom(env: { RETRY_BASE_SECONDS: number; RETRY_MAX_SECONDS: number }): BackoffPolicy {
  return { baseSeconds: env.RETRY_BASE_SECONDS, maxSeconds: env.RETRY_MAX_SECONDS, jitter: 0.2 };
}
