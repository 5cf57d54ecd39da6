import { z } from "zod";
import { JOB_STATES, EVENT_LEVELS, type ArtifactRow, type EventRow, type JobRow, type ScriptRow } from "@moneyprinter/db";

/** The job exactly as the seed API shows it, no more fields. */
export const restJob = z.object({
  id: z.uuid(),
  state: z.enum(JOB_STATES),
  cancelRequested: z.boolean(),
  resultPath: z.string().nullable().describe("Absolute path of the video; only when completed."),
  errorMessage: z.string().nullable(),
  createdAt: z.string().describe("ISO 8601 UTC with milliseconds"),
  startedAt: z.string().nullable(),
  completedAt: z.string().nullable(),
});
export type RestJob = z.infer<typeof restJob>;

export const restEvent = z.object({
  id: z.number().int(),
  type: z.string(),
  level: z.enum(EVENT_LEVELS),
  message: z.string(),
  payload: z.record(z.string(), z.unknown()).nullable(),
  timestamp: z.number().describe("Unix seconds, with fractions"),
});
export type RestEvent = z.infer<typeof restEvent>;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toRestJob(row: JobRow): RestJob {
  return {
    id: row.id,
    state: row.state,
    cancelRequested: row.cancelRequested,
    resultPath: row.state === "completed" ? row.resultPath : null,
    errorMessage: row.state === "failed" ? row.errorMessage : null,
    createdAt: row.createdAt.toISOString(),
    startedAt: iso(row.startedAt),
    completedAt: iso(row.completedAt),
  };
}

export function toRestEvent(row: EventRow): RestEvent {
  return {
    id: Number(row.id),
    type: row.type,
    level: row.level,
    message: row.message,
    payload: row.payload ?? null,
    timestamp: Number(row.timestamp),
  };
}

/*
 * Beyond the REST job: what the typed client and GraphQL show. These shapes are not part of the
 * REST contract (the REST job above stays exactly the seed's), so they carry no OpenAPI meta.
 */

/** Overall and current-step progress, both 0..1. */
export const jobProgress = z.object({
  step: z.string(),
  fraction: z.number().describe("overall progress, 0..1"),
  stepFraction: z.number().describe("progress within the current step, 0..1"),
});
export type JobProgress = z.infer<typeof jobProgress>;

/** The REST job plus attempts and progress: what `job.onUpdated` pushes. */
export const jobStatus = restJob.extend({
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  progress: jobProgress.nullable(),
});
export type JobStatus = z.infer<typeof jobStatus>;

export const jobScript = z.object({
  script: z.string().nullable(),
  searchTerms: z.array(z.string()).nullable(),
  title: z.string().nullable(),
  description: z.string().nullable(),
  keywords: z.array(z.string()).nullable(),
});

export const jobArtifact = z.object({
  id: z.uuid(),
  kind: z.string(),
  path: z.string(),
  sizeBytes: z.number().int(),
  sha256: z.string(),
  durationSeconds: z.number().nullable(),
  createdAt: z.string(),
});
export type JobArtifact = z.infer<typeof jobArtifact>;

/** Everything known about a job: `job.detail`. */
export const jobDetail = jobStatus.extend({
  /** the options as validated at submission (defaults filled in) */
  options: z.record(z.string(), z.unknown()),
  script: jobScript.nullable(),
  artifacts: z.array(jobArtifact),
});
export type JobDetail = z.infer<typeof jobDetail>;

export function toJobStatus(row: JobRow): JobStatus {
  const p = row.progress;
  return {
    ...toRestJob(row),
    attempts: row.attempts,
    maxAttempts: row.maxAttempts,
    progress: p ? { step: p.step, fraction: Number(p.progress ?? 0), stepFraction: Number(p.stepFraction ?? 0) } : null,
  };
}

export function toJobDetail(row: JobRow, script: ScriptRow | null, artifacts: ArtifactRow[]): JobDetail {
  return {
    ...toJobStatus(row),
    options: row.options,
    script: script
      ? { script: script.script, searchTerms: script.searchTerms ?? null, title: script.title, description: script.description, keywords: script.keywords ?? null }
      : null,
    artifacts: artifacts.map((a) => ({
      id: a.id,
      kind: a.kind,
      path: a.path,
      sizeBytes: Number(a.sizeBytes),
      sha256: a.sha256,
      durationSeconds: a.durationSeconds === null ? null : Number(a.durationSeconds),
      createdAt: a.createdAt.toISOString(),
    })),
  };
}
