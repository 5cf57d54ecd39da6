import { sql } from "drizzle-orm";
import type { Db } from "@moneyprinter/db";
import { rows, uuidArray, type Lease } from "./sql.ts";

export interface HeldLease {
  jobId: string;
  cancelRequested: boolean;
  leaseExpiresAt: Date;
}

/**
 * Extend the leases a worker still holds, all in one statement. A job missing from the answer
 * was taken away (swept after an expiry, or finished by someone else): its runner must stop.
 * The cancel flag rides along, as the polling fallback for a missed NOTIFY.
 */
export async function renewLeases(db: Db, leases: readonly Lease[], leaseSeconds: number): Promise<HeldLease[]> {
  if (leases.length === 0) return [];
  const held = await rows<{ id: string; cancel_requested: boolean; lease_expires_at: Date | string }>(
    db,
    sql`update generation_jobs j
           set lease_expires_at = now() + make_interval(secs => ${leaseSeconds}::float8)
          from unnest(${uuidArray(leases.map((l) => l.jobId))}::uuid[], ${uuidArray(leases.map((l) => l.token))}::uuid[]) as l(id, token)
         where j.id = l.id and j.lease_token = l.token and j.state = 'running'
        returning j.id, j.cancel_requested, j.lease_expires_at`,
  );
  return held.map((r) => ({ jobId: r.id, cancelRequested: r.cancel_requested, leaseExpiresAt: new Date(r.lease_expires_at) }));
}

/** Which of these running jobs have a cancel request: the cheap poll behind LISTEN mp_cancel. */
export async function cancelRequestedAmong(db: Db, jobIds: readonly string[]): Promise<string[]> {
  if (jobIds.length === 0) return [];
  const found = await rows<{ id: string }>(
    db,
    sql`select id from generation_jobs where id = any(${uuidArray(jobIds)}::uuid[]) and state = 'running' and cancel_requested`,
  );
  return found.map((r) => r.id);
}
