import { sql } from "drizzle-orm";
import { boolean, check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

export const JOB_STATES = ["queued", "running", "completed", "failed", "cancelled"] as const;
export type JobState = (typeof JOB_STATES)[number];
export const TERMINAL_STATES = ["completed", "failed", "cancelled"] as const satisfies readonly JobState[];

const tsz = (name: string) => timestamp(name, { withTimezone: true, mode: "date", precision: 3 });

/** A project groups jobs (one per API caller or page session); jobs may have none. */
export const projects = pgTable("projects", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  createdAt: tsz("created_at").notNull().defaultNow(),
});

export const generationJobs = pgTable(
  "generation_jobs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    projectId: uuid("project_id").references(() => projects.id, { onDelete: "set null" }),
    state: text("state", { enum: JOB_STATES }).notNull().default("queued"),
    /** The /api/generate options after validation, as the worker will use them. */
    options: jsonb("options").$type<Record<string, unknown>>().notNull(),
    cancelRequested: boolean("cancel_requested").notNull().default(false),
    resultPath: text("result_path"),
    errorMessage: text("error_message"),
    /** Last progress report: { step, stepFraction, progress } — drawn by clients as a bar. */
    progress: jsonb("progress").$type<{ step: string; stepFraction: number; progress: number } | null>(),
    attempts: integer("attempts").notNull().default(0),
    maxAttempts: integer("max_attempts").notNull().default(3),
    priority: integer("priority").notNull().default(0),
    /** A queued job is not claimed before run_at (retry backoff). */
    runAt: tsz("run_at").notNull().defaultNow(),
    leaseOwner: text("lease_owner"),
    leaseExpiresAt: tsz("lease_expires_at"),
    /** Fencing token: every write a worker makes for a running job must present it. */
    leaseToken: uuid("lease_token"),
    idempotencyKey: text("idempotency_key"),
    createdAt: tsz("created_at").notNull().defaultNow(),
    startedAt: tsz("started_at"),
    completedAt: tsz("completed_at"),
    updatedAt: tsz("updated_at").notNull().defaultNow(),
  },
  (t) => [
    check("generation_jobs_state_check", sql`${t.state} in ('queued','running','completed','failed','cancelled')`),
    // claim order: only queued rows are in it, so the index stays small however long the history grows
    index("generation_jobs_claim_idx")
      .on(t.priority.desc(), t.runAt, t.createdAt)
      .where(sql`${t.state} = 'queued'`),
    // job lists and "latest active job" (cancelLatest), newest first within a state
    index("generation_jobs_state_created_idx").on(t.state, t.createdAt.desc()),
    index("generation_jobs_created_idx").on(t.createdAt.desc(), t.id.desc()),
    // the sweeper looks only at running jobs whose lease has run out
    index("generation_jobs_lease_idx").on(t.leaseExpiresAt).where(sql`${t.state} = 'running'`),
    uniqueIndex("generation_jobs_idempotency_key_idx").on(t.idempotencyKey),
  ],
);

export type JobRow = typeof generationJobs.$inferSelect;
export type NewJobRow = typeof generationJobs.$inferInsert;
