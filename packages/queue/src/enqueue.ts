import { generationEvents, generationJobs, type Db, type JobRow } from "@moneyprinter/db";

export interface EnqueueInput {
  options: Record<string, unknown>;
  priority?: number;
  maxAttempts?: number;
  runAt?: Date;
  projectId?: string | null;
}

/** Insert a queued job and its `queued` event in one transaction (the trigger wakes the workers). */
export async function enqueue(db: Db, input: EnqueueInput): Promise<JobRow> {
  return db.transaction(async (tx) => {
    const [job] = await tx
      .insert(generationJobs)
      .values({
        options: input.options,
        priority: input.priority ?? 0,
        maxAttempts: input.maxAttempts ?? 3,
        runAt: input.runAt,
        projectId: input.projectId ?? null,
      })
      .returning();
    await tx.insert(generationEvents).values({ jobId: job!.id, type: "queued", level: "info", message: "Job queued." });
    return job!;
  });
}
