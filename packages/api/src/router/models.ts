import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { publicProcedure } from "../trpc.ts";

// the original page shows the list while the user waits: a slow backend must not hang it
const LIST_TIMEOUT_MS = 3_000;

export const modelsRouter = {
  list: publicProcedure
    .meta({ openapi: { method: "GET", path: "/models", tags: ["models"], summary: "Models the configured LLM backend offers" } })
    .input(z.void())
    .output(
      z.object({
        status: z.enum(["success", "error"]),
        message: z.string().optional(),
        models: z.array(z.string()),
        default: z.string(),
      }),
    )
    .query(async ({ ctx }) => {
      const { models } = ctx;
      try {
        const names = await models.list({ signal: AbortSignal.timeout(LIST_TIMEOUT_MS) });
        return { status: "success" as const, models: names.length ? names : [models.defaultModel], default: models.defaultModel };
      } catch {
        // the contract's fallback: still 200, the configured default as the only choice
        return {
          status: "error" as const,
          message: `Could not fetch ${models.backend} models. Is ${models.backend} running?`,
          models: [models.defaultModel],
          default: models.defaultModel,
        };
      }
    }),
} satisfies TRPCRouterRecord;
