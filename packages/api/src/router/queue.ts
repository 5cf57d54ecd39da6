import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { JOB_STATES } from "@moneyprinter/db";
import { queueStats } from "@moneyprinter/queue";
import { publicProcedure } from "../trpc.ts";

const counts = z.object(Object.fromEntries(JOB_STATES.map((s) => [s, z.number().int()])) as Record<(typeof JOB_STATES)[number], z.ZodNumber>);

export const queueRouter = {
  stats: publicProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/queue",
        tags: ["jobs"],
        summary: "Jobs by state and the oldest queued job's age (extension)",
        description: "`delayed` counts queued jobs still waiting out a retry delay (they are included in `counts.queued`).",
      },
    })
    .input(z.void())
    .output(
      z.object({
        status: z.literal("success"),
        counts,
        delayed: z.number().int(),
        oldestQueuedAgeSeconds: z.number().nullable().describe("Seconds since the oldest queued job was created; null when none is queued."),
      }),
    )
    .query(async ({ ctx }) => {
      const stats = await queueStats(ctx.db);
      return { status: "success" as const, ...stats };
    }),
} satisfies TRPCRouterRecord;
