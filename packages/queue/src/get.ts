import { eq } from "drizzle-orm";
import { generationJobs, type Db, type JobRow } from "@moneyprinter/db";
import { isUuid } from "./ids.ts";

export async function getJob(db: Db, id: string): Promise<JobRow | null> {
  if (!isUuid(id)) return null;
  const [job] = await db.select().from(generationJobs).where(eq(generationJobs.id, id)).limit(1);
  return job ?? null;
}
