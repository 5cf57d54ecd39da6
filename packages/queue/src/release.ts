import { sql } from "drizzle-orm";
import type { Db } from "@moneyprinter/db";
import { rows, type Lease } from "./sql.ts";

/**
 * running → queued at once, giving the attempt back: a worker shutting down hands its job to the
 * next worker without counting a failure against it. By the lease holder only; false when gone.
 */
export async function releaseJob(db: Db, lease: Lease, worker: string): Promise<boolean> {
  const done = await rows<{ id: string }>(
    db,
    sql`with j as (
          update generation_jobs
             set state = 'queued', attempts = greatest(attempts - 1, 0), run_at = now(), updated_at = now(),
                 lease_owner = null, lease_token = null, lease_expires_at = null
           where id = ${lease.jobId}::uuid and state = 'running' and lease_token = ${lease.token}::uuid
          returning id
        )
        insert into generation_events (job_id, type, level, message, payload)
        select id, 'requeued', 'warning', 'Worker shutting down: job handed back to the queue.',
               jsonb_build_object('worker', ${worker}::text)
          from j
        returning job_id as id`,
  );
  return done.length > 0;
}
