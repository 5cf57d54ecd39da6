export { isUuid } from "./ids.ts";
export { enqueue, type EnqueueInput } from "./enqueue.ts";
export { getJob } from "./get.ts";
export { listEvents, MAX_EVENTS_PAGE } from "./events.ts";
export { cancelJob, type CancelOutcome } from "./cancel.ts";
export { cancelLatest } from "./cancel-latest.ts";
export { listJobs, BadCursorError, type ListJobsInput } from "./list.ts";
