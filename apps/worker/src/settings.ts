import type { BackoffPolicy } from "@moneyprinter/queue";
import { noopRunner } from "./noop.ts";
import type { JobRunner } from "./runner.ts";

/** The runner PIPELINE names. */
export function pipelineFor(env: { PIPELINE: "noop"; NOOP_STEP_MS: number; NOOP_STEPS: number }): JobRunner {
  switch (env.PIPELINE) {
    case "noop":
      return noopRunner({ stepMs: env.NOOP_STEP_MS, steps: env.NOOP_STEPS });
  }
}

export function backoffFrom(env: { RETRY_BASE_SECONDS: number; RETRY_MAX_SECONDS: number }): BackoffPolicy {
  return { baseSeconds: env.RETRY_BASE_SECONDS, maxSeconds: env.RETRY_MAX_SECONDS, jitter: 0.2 };
}
