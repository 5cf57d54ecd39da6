import { and, eq, sql } from "drizzle-orm";
import { generationEvents, generationJobs, type Db } from "@moneyprinter/db";
import { isUuid } from "./ids.ts";

/**
 * - "cancelled": the job was queued and is now cancelled (it never starts);
 * - "requested": the job is running; the worker stops at its next checkpoint;
 * - "unchanged": already finished, or a cancel was already requested;
 * - null: no such job.
 */
export type CancelOutcome = "cancelled" | "requested" | "unchanged";

export async function cancelJob(db: Db, id: string): Promise<CancelOutcome | null> {
  if (!isUuid(id)) return null;
  return db.transaction(async (tx) => {
    // queued → cancelled in one guarded statement: a worker claiming it at the same moment
    // either claimed first (state is running, this matches nothing) or finds nothing to claim.
    const [queued] = await tx
      .update(generationJobs)
      .set({ state: "cancelled", cancelRequested: true, completedAt: sql`now()`, updatedAt: sql`now()`, leaseOwner: null, leaseToken: null, leaseExpiresAt: null })
      .where(and(eq(generationJobs.id, id), eq(generationJobs.state, "queued")))
      .returning({ id: generationJobs.id });
    if (queued) {
      await tx.insert(generationEvents).values([
        { jobId: id, type: "cancel_requested", level: "warning", message: "Cancellation requested." },
        { jobId: id, type: "cancelled", level: "warning", message: "Job cancelled before it started." },
      ]);
      return "cancelled";
    }
    const [running] = await tx
      .update(generationJobs)
      .set({ cancelRequested: true, updatedAt: sql`now()` })
      .where(and(eq(generationJobs.id, id), eq(generationJobs.state, "running"), eq(generationJobs.cancelRequested, false)))
      .returning({ id: generationJobs.id });
    if (running) {
      // the trigger NOTIFYs mp_jobs with the new flag: the worker aborts the job's signal
      await tx.insert(generationEvents).values({ jobId: id, type: "cancel_requested", level: "warning", message: "Cancellation requested." });
      return "requested";
    }
    const [exists] = await tx.select({ id: generationJobs.id }).from(generationJobs).where(eq(generationJobs.id, id));
    return exists ? "unchanged" : null;
  });
}
