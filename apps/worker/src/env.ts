import { z } from "zod";
import { providerSettingsSchema } from "@moneyprinter/providers";

/**
 * Settings of the worker, whether it runs stand-alone (`npm run worker`) or inside the server
 * (`npm start`, whose env.ts spreads this shape into its own).
 */
export const workerSettings = {
  /** LLM, footage, voice, subtitle and upload providers (see packages/providers/README.md) */
  ...providerSettingsSchema.shape,
  /** jobs the worker runs at once */
  WORKER_CONCURRENCY: z.coerce.number().int().min(0).max(64).default(1),
  /** lease owner id shown in events; default host:pid:random */
  WORKER_ID: z.string().min(1).max(200).optional(),
  /** a job whose worker stops renewing for this long is taken back by another worker */
  LEASE_SECONDS: z.coerce.number().min(1).max(3600).default(30),
  /** slow poll behind LISTEN/NOTIFY */
  POLL_SECONDS: z.coerce.number().min(0.05).max(600).default(5),
  /** on SIGTERM, how long running jobs may finish before they are handed back to the queue */
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().min(0).max(3600).default(20),
  /** retry delay after attempt n: min(RETRY_MAX_SECONDS, RETRY_BASE_SECONDS · 2^(n−1)) ± 20 % */
  RETRY_BASE_SECONDS: z.coerce.number().min(0).max(3600).default(5),
  RETRY_MAX_SECONDS: z.coerce.number().min(0).max(86_400).default(300),
  /** video: the real pipeline; noop: progress events and completion without media (queue overhead) */
  PIPELINE: z.enum(["video", "noop"], { error: 'PIPELINE must be "video" or "noop".' }).default("video"),
  /** noop only: how long each noop step takes */
  NOOP_STEP_MS: z.coerce.number().int().min(0).max(600_000).default(0),
  /** noop only: how many progress reports a noop job makes (each is one fenced write) */
  NOOP_STEPS: z.coerce.number().int().min(0).max(8).default(3),
  /** where finished videos go; default DATA_DIR/output */
  OUTPUT_DIR: z.string().min(1).optional(),
};

export const workerEnvSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, { error: "DATABASE_URL must be a postgres:// URL." })
    .optional()
    .or(z.literal("").transform(() => undefined)),
  /** no default here: without DATABASE_URL the worker only opens an embedded database it was pointed at */
  DATA_DIR: z.string().min(1).optional(),
  ...workerSettings,
  WORKER_CONCURRENCY: workerSettings.WORKER_CONCURRENCY.refine((n) => n >= 1, { error: "WORKER_CONCURRENCY must be at least 1 for a stand-alone worker." }),
  /** connections in the pool; default concurrency + 2, at most 10 */
  DB_POOL_MAX: z.coerce.number().int().min(1).max(100).optional(),
  /** serve /metrics on this port (a stand-alone worker has no HTTP server otherwise) */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  METRICS_HOST: z.string().min(1).default("127.0.0.1"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type WorkerEnv = z.infer<typeof workerEnvSchema>;

/** Parse an app's settings once; a bad value stops the start with a sentence naming the variable. */
export function parseEnv<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv): z.output<S> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`Invalid setting ${issue.path.join(".")}: ${issue.message}`);
  }
  return parsed.data;
}

export function parseWorkerEnv(env: NodeJS.ProcessEnv = process.env): WorkerEnv {
  return parseEnv(workerEnvSchema, env);
}
