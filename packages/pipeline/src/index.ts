export type { ArtifactRecord, JobOptions, JobRunner, PipelineDeps, RunContext, ScriptRecord, StepName } from "./types.ts";
export type { PipelineProviders } from "./provider-types.ts";
export { createNoopRunner, createPipelineRunner, overallProgress, STEP_ORDER, STEP_WEIGHTS } from "./pipeline.ts";
export { buildRenderArgs } from "./steps/render.ts";
export { UPLOAD_SKIPPED_MESSAGE } from "./steps/upload.ts";
