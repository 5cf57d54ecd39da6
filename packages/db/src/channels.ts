/** NOTIFY channels written by the triggers in drizzle/0001_notify_triggers.sql and 0002_notify_cancel_channel.sql. */
export const CHANNELS = {
  /** payload `<jobId>:<eventId>` for every event inserted */
  events: "mp_events",
  /** payload `<jobId>:<state>:<cancelRequested>` when state, progress or the cancel flag change */
  jobs: "mp_jobs",
  /** payload `<jobId>` when jobs become claimable: once per inserting statement (naming one of them), once per job re-queued */
  queued: "mp_jobs_queued",
  /** payload `<jobId>` when a cancel is requested for a running job: what workers listen to */
  cancel: "mp_cancel",
} as const;
