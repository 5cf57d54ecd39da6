/* The pipeline interface the worker drives; defined by @moneyprinter/pipeline. */
export type { ArtifactRecord, JobOptions, JobRunner, RunContext, ScriptRecord, StepName } from "@moneyprinter/pipeline";
export { overallProgress, STEP_WEIGHTS } from "@moneyprinter/pipeline";
