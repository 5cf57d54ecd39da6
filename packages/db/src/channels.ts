/** NOTIFY channels written by the triggers in drizzle/0001_notify_triggers.sql. */
export const CHANNELS = {
  /** payload `<jobId>:<eventId>` for every event inserted */
  events: "mp_events",
  /** payload `<jobId>:<state>:<cancelRequested>` when state, progress or the cancel flag change */
  jobs: "mp_jobs",
  /** payload `<jobId>` when a job becomes claimable */
  queued: "mp_jobs_queued",
} as const;
