import { z } from "zod";
import { JOB_STATES, EVENT_LEVELS, type EventRow, type JobRow } from "@moneyprinter/db";

/** The job exactly as the seed API shows it, no more fields. */
export const restJob = z.object({
  id: z.uuid(),
  state: z.enum(JOB_STATES),
  cancelRequested: z.boolean(),
  resultPath: z.string().nullable().describe("Absolute path of the video; only when completed."),
  errorMessage: z.string().nullable(),
  createdAt: z.string().describe("ISO 8601 UTC with milliseconds"),
  startedAt: z.string().nullable(),
  completedAt: z.string().nullable(),
});
export type RestJob = z.infer<typeof restJob>;

export const restEvent = z.object({
  id: z.number().int(),
  type: z.string(),
  level: z.enum(EVENT_LEVELS),
  message: z.string(),
  payload: z.record(z.string(), z.unknown()).nullable(),
  timestamp: z.number().describe("Unix seconds, with fractions"),
});
export type RestEvent = z.infer<typeof restEvent>;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toRestJob(row: JobRow): RestJob {
  return {
    id: row.id,
    state: row.state,
    cancelRequested: row.cancelRequested,
    resultPath: row.state === "completed" ? row.resultPath : null,
    errorMessage: row.state === "failed" ? row.errorMessage : null,
    createdAt: row.createdAt.toISOString(),
    startedAt: iso(row.startedAt),
    completedAt: iso(row.completedAt),
  };
}

export function toRestEvent(row: EventRow): RestEvent {
  return {
    id: Number(row.id),
    type: row.type,
    level: row.level,
    message: row.message,
    payload: row.payload ?? null,
    timestamp: Number(row.timestamp),
  };
}
