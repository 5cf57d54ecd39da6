import type { TRPCRouterRecord } from "@trpc/server";
import { tracked, TRPCError } from "@trpc/server";
import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import { artifacts, JOB_STATES, scripts } from "@moneyprinter/db";
import { BadCursorError, cancelJob, cancelLatest, getJob, listEvents, listJobs, MAX_EVENTS_PAGE } from "@moneyprinter/queue";
import { intField, jobIdInput } from "../inputs.ts";
import { followEvents, followJob } from "../follow.ts";
import { jobDetail, restEvent, restJob, toJobDetail, toJobStatus, toRestEvent, toRestJob } from "../serialize.ts";
import { notFound, publicProcedure, requireLive } from "../trpc.ts";

const tags = ["jobs"];
const cancelOutput = z.object({ status: z.literal("success"), message: z.literal("Cancellation requested.") });

export const jobRouter = {
  get: publicProcedure
    .meta({ openapi: { method: "GET", path: "/jobs/{id}", tags, summary: "A job's state and result", errorResponses: { 404: "Job not found." } } })
    .input(jobIdInput)
    .output(z.object({ status: z.literal("success"), job: restJob }))
    .query(async ({ ctx, input }) => {
      const job = await getJob(ctx.db, input.id);
      if (!job) throw notFound();
      return { status: "success" as const, job: toRestJob(job) };
    }),

  events: publicProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/jobs/{id}/events",
        tags,
        summary: "A job's events with id > after, oldest first (at most 200 a call)",
        errorResponses: { 404: "Job not found." },
      },
    })
    .input(
      jobIdInput.extend({
        after: intField("after", { min: 0, max: Number.MAX_SAFE_INTEGER, default: 0 }),
        limit: intField("limit", { min: 1, max: MAX_EVENTS_PAGE, default: MAX_EVENTS_PAGE }),
      }),
    )
    .output(z.object({ status: z.literal("success"), events: z.array(restEvent) }))
    .query(async ({ ctx, input }) => {
      const job = await getJob(ctx.db, input.id);
      if (!job) throw notFound();
      const events = await listEvents(ctx.db, job.id, input.after, input.limit);
      return { status: "success" as const, events: events.map(toRestEvent) };
    }),

  cancel: publicProcedure
    .meta({ openapi: { method: "POST", path: "/jobs/{id}/cancel", tags, summary: "Cancel one job", errorResponses: { 404: "Job not found." } } })
    .input(jobIdInput)
    .output(cancelOutput)
    .mutation(async ({ ctx, input }) => {
      const outcome = await cancelJob(ctx.db, input.id);
      if (!outcome) throw notFound();
      return { status: "success" as const, message: "Cancellation requested." as const };
    }),

  cancelLatest: publicProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/cancel",
        tags,
        summary: "Cancel the latest active job (running before queued, newest first)",
        errorResponses: { 404: "No active job found." },
      },
    })
    .input(z.object({}).optional())
    .output(cancelOutput.extend({ jobId: z.uuid() }))
    .mutation(async ({ ctx }) => {
      const res = await cancelLatest(ctx.db);
      if (!res) throw notFound("No active job found.");
      return { status: "success" as const, message: "Cancellation requested." as const, jobId: res.jobId };
    }),

  list: publicProcedure
    .meta({ openapi: { method: "GET", path: "/jobs", tags, summary: "Jobs, newest first, with cursor pagination (extension)" } })
    .input(
      z
        .object({
          state: z
            .union([z.enum(JOB_STATES), z.literal(""), z.null()], { error: `state must be one of ${JOB_STATES.join(", ")}.` })
            .transform((v) => v || undefined)
            .optional(),
          limit: intField("limit", { min: 1, max: 100, default: 20 }),
          cursor: z
            .union([z.string().max(200), z.null()], { error: "cursor must be a string." })
            .transform((v) => v || undefined)
            .optional(),
        })
        .optional(),
    )
    .output(z.object({ status: z.literal("success"), jobs: z.array(restJob), nextCursor: z.string().nullable() }))
    .query(async ({ ctx, input }) => {
      try {
        const page = await listJobs(ctx.db, { state: input?.state, limit: input?.limit, cursor: input?.cursor });
        return { status: "success" as const, jobs: page.jobs.map(toRestJob), nextCursor: page.nextCursor };
      } catch (err) {
        if (err instanceof BadCursorError) throw new TRPCError({ code: "BAD_REQUEST", message: err.message });
        throw err;
      }
    }),

  /*
   * Below: not part of the REST contract, so no OpenAPI meta — trpc-to-openapi skips them and the
   * REST document stays the seed's. They serve the typed client (/trpc) and GraphQL.
   */

  /** The REST job plus attempts, progress, options, script and artifacts. */
  detail: publicProcedure
    .input(jobIdInput)
    .output(z.object({ status: z.literal("success"), job: jobDetail }))
    .query(async ({ ctx, input }) => {
      const job = await getJob(ctx.db, input.id);
      if (!job) throw notFound();
      const [script] = await ctx.db.select().from(scripts).where(eq(scripts.jobId, job.id)).limit(1);
      const files = await ctx.db.select().from(artifacts).where(eq(artifacts.jobId, job.id)).orderBy(asc(artifacts.createdAt), asc(artifacts.path));
      return { status: "success" as const, job: toJobDetail(job, script ?? null, files) };
    }),

  /**
   * Stored events with id > after, then new ones as they are written; ends after the job's
   * terminal event. Each event is `tracked` by its id, so an SSE client that reconnects resumes
   * after the last event it received (tRPC sends it back as lastEventId).
   */
  onEvents: publicProcedure
    .input(
      jobIdInput.extend({
        // a plain number is safe here: no OpenAPI route, so trpc-to-openapi never coerces it
        after: z.number({ error: "after must be a number." }).int({ error: "after must be a whole number." }).min(0, { error: "after must be at least 0." }).default(0),
        lastEventId: z.string().nullish(),
      }),
    )
    .subscription(async function* ({ ctx, input, signal }) {
      const live = requireLive(ctx);
      const resumed = input.lastEventId ? Number.parseInt(input.lastEventId, 10) : Number.NaN;
      const after = Number.isSafeInteger(resumed) ? Math.max(resumed, input.after) : input.after;
      for await (const event of followEvents(ctx.db, live, input.id, after, signal)) {
        yield tracked(String(event.id), toRestEvent(event));
      }
    }),

  /** The job now, then whenever its state, progress or cancel flag change; ends at a terminal state. */
  onUpdated: publicProcedure.input(jobIdInput).subscription(async function* ({ ctx, input, signal }) {
    const live = requireLive(ctx);
    for await (const job of followJob(ctx.db, live, input.id, signal)) yield toJobStatus(job);
  }),
} satisfies TRPCRouterRecord;
