import { and, desc, eq, lt, or, type SQL } from "drizzle-orm";
import { generationJobs, type Db, type JobRow, type JobState } from "@moneyprinter/db";

export interface ListJobsInput {
  state?: JobState;
  limit?: number;
  /** opaque cursor from a previous page's nextCursor */
  cursor?: string | null;
}

export class BadCursorError extends Error {
  constructor() {
    super("cursor is not one this server returned.");
  }
}

const encode = (job: JobRow) => Buffer.from(`${job.createdAt.toISOString()}|${job.id}`).toString("base64url");

function decode(cursor: string): { createdAt: Date; id: string } {
  const [iso, id] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  const createdAt = new Date(iso ?? "");
  if (!id || Number.isNaN(createdAt.getTime()) || !/^[0-9a-f-]{36}$/i.test(id)) throw new BadCursorError();
  return { createdAt, id };
}

/** Newest first, keyset-paginated on (created_at, id) so pages never skip or repeat rows. */
export async function listJobs(db: Db, input: ListJobsInput = {}): Promise<{ jobs: JobRow[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(input.limit ?? 20, 1), 100);
  const where: SQL[] = [];
  if (input.state) where.push(eq(generationJobs.state, input.state));
  if (input.cursor) {
    const c = decode(input.cursor);
    where.push(
      or(lt(generationJobs.createdAt, c.createdAt), and(eq(generationJobs.createdAt, c.createdAt), lt(generationJobs.id, c.id)))!,
    );
  }
  const rows = await db
    .select()
    .from(generationJobs)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(generationJobs.createdAt), desc(generationJobs.id))
    .limit(limit + 1);
  const jobs = rows.slice(0, limit);
  return { jobs, nextCursor: rows.length > limit ? encode(jobs[jobs.length - 1]!) : null };
}
