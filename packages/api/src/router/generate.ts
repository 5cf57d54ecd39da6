import { z } from "zod";
import { enqueue } from "@moneyprinter/queue";
import { generateInput } from "../inputs.ts";
import { publicProcedure } from "../trpc.ts";

export const generate = publicProcedure
  .meta({
    openapi: {
      method: "POST",
      path: "/generate",
      tags: ["jobs"],
      summary: "Queue a video generation job",
      description: "Numbers and booleans may be sent as strings; unknown fields are ignored.",
      errorResponses: { 400: "videoSubject is required." },
    },
  })
  // the cast is type-only: trpc-to-openapi and tRPC validate with the real schema
  .input(generateInput)
  .output(z.object({ status: z.literal("success"), message: z.literal("Video generation queued."), jobId: z.uuid() }))
  .mutation(async ({ ctx, input }) => {
    const job = await enqueue(ctx.db, { options: input, maxAttempts: ctx.maxAttempts });
    return { status: "success" as const, message: "Video generation queued." as const, jobId: job.id };
  });
