import { bigint, doublePrecision, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { generationJobs } from "./jobs.ts";

const tsz = (name: string) => timestamp(name, { withTimezone: true, mode: "date", precision: 3 });

/** What the language model wrote for a job: kept so a retry does not ask it again. */
export const scripts = pgTable("scripts", {
  jobId: uuid("job_id")
    .primaryKey()
    .references(() => generationJobs.id, { onDelete: "cascade" }),
  script: text("script"),
  searchTerms: jsonb("search_terms").$type<string[] | null>(),
  title: text("title"),
  description: text("description"),
  keywords: jsonb("keywords").$type<string[] | null>(),
  updatedAt: tsz("updated_at").notNull().defaultNow(),
});

/** Files a job produced (clips, voice, subtitles, the video), with what proves them intact. */
export const artifacts = pgTable(
  "artifacts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    jobId: uuid("job_id")
      .notNull()
      .references(() => generationJobs.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    path: text("path").notNull(),
    sizeBytes: bigint("size_bytes", { mode: "number" }).notNull(),
    sha256: text("sha256").notNull(),
    durationSeconds: doublePrecision("duration_seconds"),
    createdAt: tsz("created_at").notNull().defaultNow(),
  },
  (t) => [index("artifacts_job_idx").on(t.jobId), uniqueIndex("artifacts_job_path_idx").on(t.jobId, t.path)],
);

export type ScriptRow = typeof scripts.$inferSelect;
export type ArtifactRow = typeof artifacts.$inferSelect;
