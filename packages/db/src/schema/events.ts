import { bigint, doublePrecision, index, jsonb, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { generationJobs } from "./jobs.ts";

export const EVENT_LEVELS = ["info", "success", "warning", "error"] as const;
export type EventLevel = (typeof EVENT_LEVELS)[number];

export const generationEvents = pgTable(
  "generation_events",
  {
    /** Identity: strictly increasing across the whole table, the cursor clients page with. */
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    jobId: uuid("job_id")
      .notNull()
      .references(() => generationJobs.id, { onDelete: "cascade" }),
    type: text("type").notNull(),
    level: text("level", { enum: EVENT_LEVELS }).notNull().default("info"),
    message: text("message").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown> | null>(),
    /** Unix seconds with sub-second precision, exactly what the REST face returns. */
    timestamp: doublePrecision("timestamp")
      .notNull()
      .default(sql`extract(epoch from clock_timestamp())`),
  },
  (t) => [index("generation_events_job_id_idx").on(t.jobId, t.id)],
);

export type EventRow = typeof generationEvents.$inferSelect;
