import { sql } from "drizzle-orm";
import type { Db } from "@moneyprinter/db";
import { rows } from "./sql.ts";

/**
 * Insert many queued jobs and their `queued` events in one statement (batch submissions,
 * benchmarks). Returns the new ids.
 */
export async function enqueueMany(db: Db, options: readonly Record<string, unknown>[], opts: { maxAttempts?: number; priority?: number } = {}): Promise<string[]> {
  if (options.length === 0) return [];
  const made = await rows<{ job_id: string }>(
    db,
    sql`with input as (
          select value as options, ordinality as n from jsonb_array_elements(${JSON.stringify(options)}::jsonb) with ordinality
        ), jobs as (
          insert into generation_jobs (options, max_attempts, priority)
          select options, ${opts.maxAttempts ?? 3}::int, ${opts.priority ?? 0}::int from input order by n
          returning id, options
        )
        insert into generation_events (job_id, type, level, message)
        select id, 'queued', 'info', 'Job queued.' from jobs
        returning job_id`,
  );
  return made.map((r) => r.job_id);
}
