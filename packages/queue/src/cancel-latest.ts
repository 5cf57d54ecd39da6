import { desc, inArray, sql } from "drizzle-orm";
import { generationJobs, type Db } from "@moneyprinter/db";
import { cancelJob } from "./cancel.ts";

/** Cancel the latest active job: running before queued, newest first. Null when none is active. */
export async function cancelLatest(db: Db): Promise<{ jobId: string } | null> {
  // a job may finish between the pick and the cancel: pick again (bounded)
  for (let i = 0; i < 5; i++) {
    const [job] = await db
      .select({ id: generationJobs.id })
      .from(generationJobs)
      .where(inArray(generationJobs.state, ["running", "queued"]))
      .orderBy(sql`(${generationJobs.state} = 'running') desc`, desc(generationJobs.createdAt))
      .limit(1);
    if (!job) return null;
    const outcome = await cancelJob(db, job.id);
    if (outcome === "cancelled" || outcome === "requested") return { jobId: job.id };
    if (outcome === "unchanged") {
      // already requested and still running: report it, that is still "the latest active job"
      const [again] = await db
        .select({ state: generationJobs.state })
        .from(generationJobs)
        .where(sql`${generationJobs.id} = ${job.id}`);
      if (again && (again.state === "running" || again.state === "queued")) return { jobId: job.id };
    }
  }
  return null;
}
