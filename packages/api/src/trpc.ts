import { initTRPC, TRPCError } from "@trpc/server";
import type { OpenApiMeta } from "trpc-to-openapi";
import { ZodError } from "zod";
import type { Db } from "@moneyprinter/db";
import { describeIssues } from "./errors.ts";

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
}

const t = initTRPC
  .context<ApiContext>()
  .meta<OpenApiMeta>()
  .create({
    // never ship stack traces to clients, whatever NODE_ENV says
    isDev: false,
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

export const notFound = (message = "Job not found.") => new TRPCError({ code: "NOT_FOUND", message });
