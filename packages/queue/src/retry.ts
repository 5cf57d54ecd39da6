import { sql } from "drizzle-orm";
import type { Db } from "@moneyprinter/db";
import { rows, type Lease } from "./sql.ts";

export interface RetryInput {
  /** the error of the attempt that failed, kept as the job's last error */
  reason: string;
  delaySeconds: number;
}

/**
 * running → queued with run_at = now + delay (the backoff), by the lease holder only, with a
 * `retry` event saying why and how long. Clients see state `queued` while the delay runs.
 * False when the lease is gone.
 */
export async function retryJob(db: Db, lease: Lease, r: RetryInput): Promise<boolean> {
  const reason = /[.!?]$/.test(r.reason.trim()) ? r.reason.trim() : `${r.reason.trim()}.`;
  const done = await rows<{ id: string }>(
    db,
    sql`with j as (
          update generation_jobs
             set state = 'queued', error_message = ${reason}::text,
                 run_at = now() + make_interval(secs => ${r.delaySeconds}::float8), updated_at = now(),
                 lease_owner = null, lease_token = null, lease_expires_at = null
           where id = ${lease.jobId}::uuid and state = 'running' and lease_token = ${lease.token}::uuid
          returning id, attempts, max_attempts
        )
        insert into generation_events (job_id, type, level, message, payload)
        select id, 'retry', 'warning',
               'Attempt ' || attempts || ' of ' || max_attempts || ' failed: ' || ${reason}::text
                 || ' Retrying in ' || round(${r.delaySeconds}::numeric, 1) || ' s.',
               jsonb_build_object('reason', ${reason}::text, 'delaySeconds', ${r.delaySeconds}::float8,
                                  'attempt', attempts, 'maxAttempts', max_attempts)
          from j
        returning job_id as id`,
  );
  return done.length > 0;
}
