import { sql } from "drizzle-orm";
import type { Db, EventLevel } from "@moneyprinter/db";
import { holdsLease, jsonb, rows, type Lease } from "./sql.ts";

export interface NewEvent {
  type?: string;
  level: EventLevel;
  message: string;
  payload?: Record<string, unknown> | null;
}

/** A running job's event, written only while `lease` still holds it. Returns the event id, or null when the lease is gone. */
export async function appendEvent(db: Db, lease: Lease, e: NewEvent): Promise<number | null> {
  const [row] = await rows<{ id: number | string }>(
    db,
    sql`insert into generation_events (job_id, type, level, message, payload)
        select ${lease.jobId}::uuid, ${e.type ?? "log"}::text, ${e.level}::text, ${e.message}::text, ${jsonb(e.payload)}
         where ${holdsLease(lease)}
        returning id`,
  );
  return row ? Number(row.id) : null;
}
