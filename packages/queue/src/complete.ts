import { sql } from "drizzle-orm";
import type { Db } from "@moneyprinter/db";
import { rows, type Lease } from "./sql.ts";

/**
 * running → completed, by the lease holder only, with its `complete` event (payload {path}).
 * False when the lease is gone: the job was taken over, cancelled or swept, and stays as it is.
 */
export async function completeJob(db: Db, lease: Lease, resultPath: string): Promise<boolean> {
  const done = await rows<{ id: string }>(
    db,
    sql`with j as (
          update generation_jobs
             set state = 'completed', result_path = ${resultPath}::text, error_message = null, completed_at = now(),
                 updated_at = now(), lease_owner = null, lease_token = null, lease_expires_at = null
           where id = ${lease.jobId}::uuid and state = 'running' and lease_token = ${lease.token}::uuid
          returning id, result_path
        )
        insert into generation_events (job_id, type, level, message, payload)
        select id, 'complete', 'success', 'Job completed.', jsonb_build_object('path', result_path) from j
        returning job_id as id`,
  );
  return done.length > 0;
}
