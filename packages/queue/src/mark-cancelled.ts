import { sql } from "drizzle-orm";
import type { Db } from "@moneyprinter/db";
import { rows, type Lease } from "./sql.ts";

/**
 * running (cancel requested) → cancelled, by the lease holder once its runner stopped, with the
 * `cancelled` event. False when the lease is gone or no cancel was requested.
 */
export async function markCancelled(db: Db, lease: Lease): Promise<boolean> {
  const done = await rows<{ id: string }>(
    db,
    sql`with j as (
          update generation_jobs
             set state = 'cancelled', completed_at = now(), updated_at = now(),
                 lease_owner = null, lease_token = null, lease_expires_at = null
           where id = ${lease.jobId}::uuid and state = 'running' and lease_token = ${lease.token}::uuid and cancel_requested
          returning id
        )
        insert into generation_events (job_id, type, level, message, payload)
        select id, 'cancelled', 'warning', 'Job cancelled.', null from j
        returning job_id as id`,
  );
  return done.length > 0;
}
