export { isUuid } from "./ids.ts";
export { enqueue, type EnqueueInput } from "./enqueue.ts";
export { enqueueMany } from "./enqueue-many.ts";
export { getJob } from "./get.ts";
export { listEvents, MAX_EVENTS_PAGE } from "./events.ts";
export { cancelJob, type CancelOutcome } from "./cancel.ts";
export { cancelLatest } from "./cancel-latest.ts";
export { listJobs, BadCursorError, type ListJobsInput } from "./list.ts";

// worker-side statements: every write for a running job presents its lease (see sql.ts)
export type { Lease } from "./sql.ts";
export { claimJobs, nextRunAt, type ClaimedJob } from "./claim.ts";
export { renewLeases, cancelRequestedAmong, type HeldLease } from "./heartbeat.ts";
export { appendEvent, type NewEvent } from "./append-event.ts";
export { reportProgress, type Progress } from "./progress.ts";
export { saveArtifact, listArtifacts, saveScript, getScript, type ArtifactInput, type ScriptFields } from "./outputs.ts";
export { completeJob } from "./complete.ts";
export { writeGuarded, type GuardedWrite } from "./guarded-writes.ts";
export { failJob } from "./fail.ts";
export { retryJob, type RetryInput } from "./retry.ts";
export { releaseJob } from "./release.ts";
export { markCancelled } from "./mark-cancelled.ts";
export { sweepExpiredLeases, type SweptJob } from "./sweep.ts";
export { backoffSeconds, nominalBackoffSeconds, DEFAULT_BACKOFF, type BackoffPolicy } from "./backoff.ts";
export { queueStats, type QueueStats } from "./stats.ts";
