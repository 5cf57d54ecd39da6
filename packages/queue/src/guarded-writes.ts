import { queryRows, type Db, type EventLevel } from "@moneyprinter/db";
import type { Lease } from "./sql.ts";

export interface Progress {
  step: string;
  /** 0..1 within the step */
  stepFraction: number;
  /** 0..1 overall */
  progress: number;
}

export interface NewEvent {
  type?: string;
  level: EventLevel;
  message: string;
  payload?: Record<string, unknown> | null;
}

/** One write a worker makes for a job it runs; each is valid only while `lease` still holds the job. */
export type GuardedWrite =
  /** an event in the job's log */
  | { kind: "event"; lease: Lease; event: NewEvent }
  /** progress on the job row (clients draw it as a bar) and a `log` event carrying the same payload */
  | { kind: "progress"; lease: Lease; progress: Progress; message: string }
  /** running → completed with its `complete` event (payload {path}); the lease ends */
  | { kind: "complete"; lease: Lease; resultPath: string };

interface InputRow {
  n: number;
  job: string;
  token: string;
  type: string;
  level: EventLevel;
  message: string;
  payload: unknown;
  progress: Progress | null;
  result_path: string | null;
}

/**
 * Any number of guarded writes, for any number of jobs, as ONE prepared statement (so one
 * transaction, one commit). For every job it takes the row lock by updating the row only where
 * state = 'running' and lease_token = the writer's token: the fence. A job whose lease is gone
 * gets nothing written. For the jobs still held, the row takes the latest progress (and the
 * completion, if any), and every write's event is inserted in the order given, so event ids
 * follow that order.
 *
 * Returns, per write and in the same order, the id of the event it wrote, or null when its lease
 * was gone. `durable: false` commits without waiting for the WAL flush (synchronous_commit off):
 * a Postgres crash may then lose the last moment of progress, never a completion, because a batch
 * holding a completion is always durable.
 */
export async function writeGuarded(db: Db, writes: readonly GuardedWrite[], opts: { durable?: boolean } = {}): Promise<(number | null)[]> {
  if (writes.length === 0) return [];
  const input: InputRow[] = writes.map((w, n) => {
    const base = { n, job: w.lease.jobId, token: w.lease.token, progress: null, result_path: null };
    switch (w.kind) {
      case "event":
        return { ...base, type: w.event.type ?? "log", level: w.event.level, message: w.event.message, payload: w.event.payload ?? null };
      case "progress":
        return { ...base, type: "log", level: "info", message: w.message, payload: w.progress, progress: w.progress };
      case "complete":
        return { ...base, type: "complete", level: "success", message: "Job completed.", payload: { path: w.resultPath }, result_path: w.resultPath };
    }
  });
  const durable = (opts.durable ?? true) || writes.some((w) => w.kind === "complete");
  const written = await queryRows<{ id: number | string; job_id: string }>(db, GUARDED_WRITES, [JSON.stringify(input), durable ? null : "off"]);

  // identity values are handed out in insertion order, which is input order: the k-th smallest id
  // belongs to the k-th write (in input order) whose job was held
  const held = new Set(written.map((r) => r.job_id));
  const ids = written.map((r) => Number(r.id)).sort((a, b) => a - b);
  let k = 0;
  return input.map((row) => (held.has(row.job) ? (ids[k++] ?? null) : null));
}

const GUARDED_WRITES = `
with input as (
  select * from jsonb_to_recordset($1::jsonb)
    as t(n int, job uuid, token uuid, type text, level text, message text, payload jsonb, progress jsonb, result_path text)
), per_job as (
  select job, token,
         (array_agg(progress order by n desc) filter (where progress is not null))[1] as progress,
         (array_agg(result_path) filter (where result_path is not null))[1] as result_path
    from input
   group by job, token
), held as (
  update generation_jobs j
     set updated_at = now(),
         progress = coalesce(p.progress, j.progress),
         state = case when p.result_path is null then j.state else 'completed' end,
         result_path = coalesce(p.result_path, j.result_path),
         error_message = case when p.result_path is null then j.error_message end,
         completed_at = case when p.result_path is null then j.completed_at else now() end,
         lease_owner = case when p.result_path is null then j.lease_owner end,
         lease_token = case when p.result_path is null then j.lease_token end,
         lease_expires_at = case when p.result_path is null then j.lease_expires_at end
    from per_job p
   where j.id = p.job and j.lease_token = p.token and j.state = 'running'
  returning j.id
), written as (
  insert into generation_events (job_id, type, level, message, payload)
  select i.job, i.type, i.level, i.message, i.payload
    from input i join held h on h.id = i.job
   order by i.n
  returning id, job_id
)
select id, job_id, set_config('synchronous_commit', coalesce($2::text, current_setting('synchronous_commit')), true) as commit_mode
  from written`;
