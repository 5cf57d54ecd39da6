import { queryRows, type Db } from "@moneyprinter/db";

export interface ClaimedJob {
  id: string;
  options: Record<string, unknown>;
  /** this attempt's number, 1-based */
  attempt: number;
  maxAttempts: number;
  leaseToken: string;
  leaseExpiresAt: Date;
  /** seconds the job waited since it became claimable (created, or its retry delay ran out) */
  waitSeconds: number;
}

interface Row {
  id: string;
  options: Record<string, unknown>;
  attempts: number;
  max_attempts: number;
  lease_token: string;
  lease_expires_at: Date | string;
  wait_seconds: number | string;
}

/**
 * Claim up to `limit` claimable jobs in one statement: highest priority first, then run-at, then
 * age. SKIP LOCKED lets any number of workers claim at once without waiting on each other or
 * taking the same row; each claim gets a fresh lease token and its `running` event.
 */
export async function claimJobs(db: Db, opts: { owner: string; leaseSeconds: number; limit: number }): Promise<ClaimedJob[]> {
  if (opts.limit < 1) return [];
  const claimed = await queryRows<Row>(db, CLAIM, [opts.limit, opts.owner, opts.leaseSeconds]);
  return claimed.map((r) => ({
    id: r.id,
    options: r.options,
    attempt: Number(r.attempts),
    maxAttempts: Number(r.max_attempts),
    leaseToken: r.lease_token,
    leaseExpiresAt: new Date(r.lease_expires_at),
    waitSeconds: Math.max(0, Number(r.wait_seconds)),
  }));
}

/** When the next queued job becomes claimable (a retry waiting out its delay), or null if none waits. */
export async function nextRunAt(db: Db): Promise<Date | null> {
  const [row] = await queryRows<{ next: Date | string | null }>(db, "select min(run_at) as next from generation_jobs where state = 'queued'", []);
  return row?.next ? new Date(row.next) : null;
}

// prepared once per connection (queryRows): the claim runs every time a job finishes
const CLAIM = `
with picked as (
  select id from generation_jobs
   where state = 'queued' and run_at <= now()
   order by priority desc, run_at, created_at
   limit $1::int
   for update skip locked
), claimed as (
  update generation_jobs j
     set state = 'running',
         attempts = j.attempts + 1,
         started_at = coalesce(j.started_at, now()),
         lease_owner = $2::text,
         lease_token = gen_random_uuid(),
         lease_expires_at = now() + make_interval(secs => $3::float8),
         updated_at = now()
    from picked
   where j.id = picked.id
  returning j.id, j.options, j.attempts, j.max_attempts, j.lease_token, j.lease_expires_at,
            extract(epoch from now() - j.run_at)::float8 as wait_seconds
), started as (
  insert into generation_events (job_id, type, level, message, payload)
  select id, 'running', 'info', 'Job started.',
         jsonb_build_object('attempt', attempts, 'maxAttempts', max_attempts, 'worker', $2::text)
    from claimed
)
select * from claimed`;
