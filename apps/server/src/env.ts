import { z } from "zod";
import { parseEnv, workerSettings } from "@moneyprinter/worker";

const bool = (dflt: boolean) =>
  z
    .enum(["1", "0", "true", "false", "yes", "no", ""])
    .optional()
    .transform((v) => (v === undefined || v === "" ? dflt : ["1", "true", "yes"].includes(v)));

/** Every setting the server reads, parsed once; nothing else reads process.env. */
export const serverEnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default("127.0.0.1"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, { error: "DATABASE_URL must be a postgres:// URL." })
    .optional()
    .or(z.literal("").transform(() => undefined)),
  DATA_DIR: z.string().min(1).default("./.data"),
  /** the in-process worker: WORKER_CONCURRENCY (default 1; 0 = serve the API only), leases, retries, PIPELINE */
  ...workerSettings,
  /** attempts each new job gets before a transient failure becomes final */
  MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(3),
  /** comma-separated origins, or "*"; default: any http://localhost:* and http://127.0.0.1:* */
  CORS_ORIGINS: z.string().optional(),
  /** JSON bodies larger than this are refused with 413 */
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1024 * 1024),
  SONG_MAX_BYTES: z.coerce.number().int().min(1024).default(50 * 1024 * 1024),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  LOG_REQUESTS: bool(false),
  // provider settings (LLM_PROVIDER, OLLAMA_HOST, PEXELS_API_KEY, ...) come with workerSettings
});

export type ServerEnv = z.infer<typeof serverEnvSchema>;

export function parseServerEnv(env: NodeJS.ProcessEnv = process.env): ServerEnv {
  return parseEnv(serverEnvSchema, env);
}
