import { sql } from "drizzle-orm";
import type { Db } from "@moneyprinter/db";
import { DEFAULT_BACKOFF, type BackoffPolicy } from "./backoff.ts";
import { rows } from "./sql.ts";

export interface SweptJob {
  jobId: string;
  /** what the job became: queued again (retry), failed (attempts used up) or cancelled (cancel was requested) */
  state: "queued" | "failed" | "cancelled";
  lostOwner: string | null;
}

/**
 * Recover jobs whose worker stopped renewing its lease (crashed, killed, partitioned). Each goes
 * back to `queued` after a backoff with a `retry` event, or to `failed` when its attempts are used
 * up ("worker lost"), or to `cancelled` when a cancel was requested meanwhile. Taking the lease
 * token away fences the lost worker: if it was only slow, none of its later writes land.
 * Any number of workers may sweep at once (SKIP LOCKED).
 */
export async function sweepExpiredLeases(db: Db, opts: { backoff?: BackoffPolicy; limit?: number } = {}): Promise<SweptJob[]> {
  const b = opts.backoff ?? DEFAULT_BACKOFF;
  // the backoff formula of backoff.ts, in SQL: min(max, base · 2^(attempt−1)) · (1 − j + 2j · random())
  const delay = sql`least(${b.maxSeconds}::float8, ${b.baseSeconds}::float8 * power(2, greatest(j.attempts - 1, 0)))
                    * (1 - ${b.jitter}::float8 + 2 * ${b.jitter}::float8 * random())`;
  const swept = await rows<{ job_id: string; type: "retry" | "error" | "cancelled"; lost_owner: string | null }>(
    db,
    sql`with expired as (
          select id, lease_owner as lost_owner from generation_jobs
           where state = 'running' and lease_expires_at < now()
           order by lease_expires_at
           limit ${opts.limit ?? 100}::int
           for update skip locked
        ), moved as (
          update generation_jobs j
             set state = case when j.cancel_requested then 'cancelled'
                              when j.attempts >= j.max_attempts then 'failed'
                              else 'queued' end,
                 error_message = case when j.cancel_requested then j.error_message
                                      else 'Worker lost: ' || coalesce(e.lost_owner, 'the worker') || ' stopped renewing its lease while running attempt '
                                           || j.attempts || ' of ' || j.max_attempts || '.' end,
                 run_at = case when not j.cancel_requested and j.attempts < j.max_attempts
                               then now() + make_interval(secs => ${delay}) else j.run_at end,
                 completed_at = case when j.cancel_requested or j.attempts >= j.max_attempts then now() else null end,
                 updated_at = now(), lease_owner = null, lease_token = null, lease_expires_at = null
            from expired e
           where j.id = e.id
          returning j.id, j.state, j.attempts, j.max_attempts, j.run_at, j.error_message, e.lost_owner
        )
        insert into generation_events (job_id, type, level, message, payload)
        select id,
               case state when 'queued' then 'retry' when 'failed' then 'error' else 'cancelled' end,
               case state when 'failed' then 'error' else 'warning' end,
               case state
                 when 'queued' then error_message || ' Retrying in ' || round(extract(epoch from run_at - now())::numeric, 1) || ' s.'
                 when 'failed' then error_message || ' No attempts left.'
                 else 'Job cancelled.' end,
               case state
                 when 'queued' then jsonb_build_object('reason', 'worker lost', 'worker', lost_owner,
                                      'delaySeconds', extract(epoch from run_at - now())::float8,
                                      'attempt', attempts, 'maxAttempts', max_attempts)
                 when 'failed' then jsonb_build_object('reason', 'worker lost', 'worker', lost_owner, 'attempt', attempts)
                 else null end
          from moved
        returning job_id, type, payload->>'worker' as lost_owner`,
  );
  const stateOf = { retry: "queued", error: "failed", cancelled: "cancelled" } as const;
  return swept.map((r) => ({ jobId: r.job_id, state: stateOf[r.type], lostOwner: r.lost_owner }));
}
