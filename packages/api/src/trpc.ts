import { initTRPC, TRPCError } from "@trpc/server";
import type { OpenApiMeta } from "trpc-to-openapi";
import { ZodError } from "zod";
import type { Db } from "@moneyprinter/db";
import { describeIssues } from "./errors.ts";
import type { LiveHub } from "./live.ts";

/** What lists the models of the configured LLM backend (GET /api/models). */
export interface ModelCatalog {
  /** The backend as users know it, used in messages: "Ollama", "OpenAI-compatible API", ... */
  readonly backend: string;
  readonly defaultModel: string;
  list(opts: { signal?: AbortSignal }): Promise<string[]>;
}

export interface ApiContext {
  db: Db;
  models: ModelCatalog;
  /** Where uploaded songs live (DATA_DIR/songs); the REST upload route writes there. */
  songsDir?: string;
  /** attempts a new job gets (MAX_ATTEMPTS); recorded on the job so every worker applies the same limit */
  maxAttempts?: number;
  /** Push for subscriptions (job.onEvents, job.onUpdated); the server creates one per process. */
  live?: LiveHub;
}

const t = initTRPC
  .context<ApiContext>()
  .meta<OpenApiMeta>()
  .create({
    // never ship stack traces to clients, whatever NODE_ENV says
    isDev: false,
    // SSE subscriptions: a comment line every 10 s keeps proxies from closing a quiet stream
    sse: { ping: { enabled: true, intervalMs: 10_000 } },
    errorFormatter({ shape, error }) {
      if (error.cause instanceof ZodError) {
        return { ...shape, message: describeIssues(error.cause.issues), data: { ...shape.data, code: "BAD_REQUEST" as const } };
      }
      if (error.code === "INTERNAL_SERVER_ERROR") {
        return { ...shape, message: "Internal error." };
      }
      return shape;
    },
  });

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure;

/** Subscriptions need the server's live hub; a caller without one gets a clear error. */
export function requireLive(ctx: ApiContext): LiveHub {
  if (!ctx.live || ctx.live.closed) {
    throw new TRPCError({ code: "SERVICE_UNAVAILABLE", message: "Live updates are not available on this server." });
  }
  return ctx.live;
}

export const notFound = (message = "Job not found.") => new TRPCError({ code: "NOT_FOUND", message });
