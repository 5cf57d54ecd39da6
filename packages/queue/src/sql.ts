import { sql, type SQL } from "drizzle-orm";
import { rowsOf, type Db } from "@moneyprinter/db";

/** Run one raw statement and return its rows, the same on postgres.js and PGlite. */
export async function rows<T>(db: Db, statement: SQL): Promise<T[]> {
  return rowsOf<T>(await db.execute(statement));
}

/** A Postgres uuid[] literal; the ids come from our own rows, never from a request. */
export function uuidArray(ids: readonly string[]): string {
  return `{${ids.join(",")}}`;
}

/** What a worker presents with every write for a job it runs. */
export interface Lease {
  jobId: string;
  /** the fencing token the claim handed out; a takeover replaces it */
  token: string;
}

/**
 * The fencing guard of worker writes that are not themselves an UPDATE of the job row.
 * FOR SHARE makes a statement racing a takeover wait for it and then re-check the new row,
 * so a zombie's write can never land after the job has moved on.
 */
export function holdsLease(lease: Lease): SQL {
  return sql`exists (select 1 from generation_jobs where id = ${lease.jobId}::uuid and state = 'running' and lease_token = ${lease.token}::uuid for share)`;
}

/** jsonb parameter: serialised here so postgres.js and PGlite see the same text. */
export function jsonb(value: unknown): SQL {
  return sql`${value === null || value === undefined ? null : JSON.stringify(value)}::jsonb`;
}
