import { and, asc, eq, gt, sql } from "drizzle-orm";
import { generationEvents, type Db, type EventRow } from "@moneyprinter/db";
import { preparedFor } from "./prepared.ts";

export const MAX_EVENTS_PAGE = 200;

const page = preparedFor((db) =>
  db
    .select()
    .from(generationEvents)
    .where(and(eq(generationEvents.jobId, sql.placeholder("jobId")), gt(generationEvents.id, sql.placeholder("after"))))
    .orderBy(asc(generationEvents.id))
    .limit(sql.placeholder("limit"))
    .prepare("mp_list_events"),
);

/** Events of one job with id > after, oldest first, at most `limit` (≤ 200). */
export async function listEvents(db: Db, jobId: string, after = 0, limit = MAX_EVENTS_PAGE): Promise<EventRow[]> {
  return page(db).execute({ jobId, after, limit: Math.min(Math.max(limit, 1), MAX_EVENTS_PAGE) });
}
