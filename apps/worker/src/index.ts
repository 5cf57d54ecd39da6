export { createWorker, type Worker, type WorkerOptions, type Logger } from "./worker.ts";
export { noopRunner } from "./noop.ts";
export { isTransientError, describeError } from "./classify.ts";
export { LeaseLostError } from "./context.ts";
export { createWorkerMetrics, createMetricsRegistry, Registry, type WorkerMetrics } from "./metrics.ts";
export { workerSettings, parseEnv, parseWorkerEnv, type WorkerEnv } from "./env.ts";
export { pipelineFor, backoffFrom } from "./settings.ts";
export * from "./runner.ts";
export { survivePostgresJsOrphanedRejections } from "./guard.ts";
