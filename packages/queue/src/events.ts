import { and, asc, eq, gt } from "drizzle-orm";
import { generationEvents, type Db, type EventRow } from "@moneyprinter/db";

export const MAX_EVENTS_PAGE = 200;

/** Events of one job with id > after, oldest first, at most `limit` (≤ 200). */
export async function listEvents(db: Db, jobId: string, after = 0, limit = MAX_EVENTS_PAGE): Promise<EventRow[]> {
  return db
    .select()
    .from(generationEvents)
    .where(and(eq(generationEvents.jobId, jobId), gt(generationEvents.id, after)))
    .orderBy(asc(generationEvents.id))
    .limit(Math.min(Math.max(limit, 1), MAX_EVENTS_PAGE));
}
