import { sql } from "drizzle-orm";
import type { Db } from "@moneyprinter/db";
import { jsonb, rows, type Lease } from "./sql.ts";

/** running → failed, by the lease holder only, with an `error` event carrying the message. False when the lease is gone. */
export async function failJob(db: Db, lease: Lease, message: string, payload: Record<string, unknown> = {}): Promise<boolean> {
  const done = await rows<{ id: string }>(
    db,
    sql`with j as (
          update generation_jobs
             set state = 'failed', error_message = ${message}::text, completed_at = now(), updated_at = now(),
                 lease_owner = null, lease_token = null, lease_expires_at = null
           where id = ${lease.jobId}::uuid and state = 'running' and lease_token = ${lease.token}::uuid
          returning id
        )
        insert into generation_events (job_id, type, level, message, payload)
        select id, 'error', 'error', ${message}::text, ${jsonb(payload)} from j
        returning job_id as id`,
  );
  return done.length > 0;
}
