import { eq, sql } from "drizzle-orm";
import { generationJobs, type Db, type JobRow } from "@moneyprinter/db";
import { isUuid } from "./ids.ts";
import { preparedFor } from "./prepared.ts";

const byId = preparedFor((db) =>
  db.select().from(generationJobs).where(eq(generationJobs.id, sql.placeholder("id"))).limit(1).prepare("mp_get_job"),
);

export async function getJob(db: Db, id: string): Promise<JobRow | null> {
  if (!isUuid(id)) return null;
  const [job] = await byId(db).execute({ id });
  return job ?? null;
}
