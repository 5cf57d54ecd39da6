import { sql } from "drizzle-orm";
import type { Db } from "@moneyprinter/db";
import { jsonb, rows, type Lease } from "./sql.ts";

export interface Progress {
  step: string;
  /** 0..1 within the step */
  stepFraction: number;
  /** 0..1 overall */
  progress: number;
}

/**
 * Record progress on the job row (clients draw it as a bar) and as a `log` event carrying the
 * same payload, in one statement guarded by the lease. False when the lease is gone.
 */
export async function reportProgress(db: Db, lease: Lease, p: Progress, message: string): Promise<boolean> {
  const payload = jsonb(p);
  const written = await rows<{ id: number | string }>(
    db,
    sql`with j as (
          update generation_jobs set progress = ${payload}, updated_at = now()
           where id = ${lease.jobId}::uuid and state = 'running' and lease_token = ${lease.token}::uuid
          returning id
        )
        insert into generation_events (job_id, type, level, message, payload)
        select id, 'log', 'info', ${message}::text, ${payload} from j
        returning id`,
  );
  return written.length > 0;
}
