import { sql } from "drizzle-orm";
import { JOB_STATES, type Db, type JobState } from "@moneyprinter/db";
import { rows } from "./sql.ts";

export interface QueueStats {
  counts: Record<JobState, number>;
  /** queued jobs still waiting out a retry delay (included in counts.queued) */
  delayed: number;
  /** age in seconds of the oldest queued job (since it was created), null when none is queued */
  oldestQueuedAgeSeconds: number | null;
}

export async function queueStats(db: Db): Promise<QueueStats> {
  const found = await rows<{ state: JobState; n: number | string; delayed: number | string; oldest: number | string | null }>(
    db,
    sql`select state, count(*)::int as n,
               count(*) filter (where run_at > now())::int as delayed,
               extract(epoch from now() - min(created_at))::float8 as oldest
          from generation_jobs group by state`,
  );
  const counts = Object.fromEntries(JOB_STATES.map((s) => [s, 0])) as Record<JobState, number>;
  let delayed = 0;
  let oldest: number | null = null;
  for (const r of found) {
    counts[r.state] = Number(r.n);
    if (r.state === "queued") {
      delayed = Number(r.delayed);
      oldest = r.oldest === null ? null : Math.max(0, Number(r.oldest));
    }
  }
  return { counts, delayed, oldestQueuedAgeSeconds: oldest };
}
