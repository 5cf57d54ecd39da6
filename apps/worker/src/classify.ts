/*
 * Which errors a retry can help: the providers' own verdict (ProviderError.transient, network
 * errors, request timeouts), plus what only the worker sees — its database connection dropping
 * under a job, and a lost worker.
 */
import { DrizzleQueryError } from "drizzle-orm";
import { isTransientError as providerSaysTransient } from "@moneyprinter/providers";

const NETWORK_CODES = new Set([
  "ECONNRESET", "ECONNREFUSED", "ETIMEDOUT", "EPIPE", "EAI_AGAIN", "ENOTFOUND", "UND_ERR_SOCKET", "UND_ERR_CONNECT_TIMEOUT",
  // postgres.js: our own database connection dropped under the job (restart, failover, pg_terminate_backend)
  "CONNECTION_CLOSED", "CONNECTION_ENDED", "CONNECTION_DESTROYED", "CONNECT_TIMEOUT",
]);

/** SQLSTATEs a retry can outlive: connection exceptions (08), admin shutdown/crash (57P01-3), serialization, deadlock. */
const TRANSIENT_SQLSTATE = /^(08...|57P0[123]|40001|40P01|53300)$/;

function chain(err: unknown): unknown[] {
  const seen: unknown[] = [];
  let e: unknown = err;
  while (e && typeof e === "object" && !seen.includes(e) && seen.length < 10) {
    seen.push(e);
    e = (e as { cause?: unknown }).cause;
  }
  return seen;
}

/** Transient: a boolean `transient` says so; fetch/network failures; a lost worker. Everything else is permanent. */
export function isTransientError(err: unknown): boolean {
  if (providerSaysTransient(err)) return true;
  for (const e of chain(err)) {
    const o = e as { transient?: unknown; name?: unknown; message?: unknown; code?: unknown };
    if (typeof o.transient === "boolean") return o.transient;
    if (typeof o.code === "string" && (NETWORK_CODES.has(o.code) || TRANSIENT_SQLSTATE.test(o.code))) return true;
    const message = typeof o.message === "string" ? o.message : "";
    if (o.name === "TypeError" && message === "fetch failed") return true;
    if (/worker lost/i.test(message)) return true;
  }
  return false;
}

/**
 * The job's error message: the error's own sentence, its causes, and — when a provider names the
 * setting behind a rejected credential or option — what to fix.
 */
export function describeError(err: unknown): string {
  const parts: string[] = [];
  let envVar: string | undefined;
  for (const e of chain(err)) {
    const o = e as { message?: unknown; envVar?: unknown };
    // Drizzle wraps a failed statement as "Failed query: <the SQL>\nparams: …": the SQL of a group
    // commit holds other jobs' ids and lease tokens and says nothing the cause does not
    if (e instanceof DrizzleQueryError && e.cause) continue;
    const m = typeof o.message === "string" ? o.message.trim() : "";
    if (m && !parts.some((p) => p.includes(m))) parts.push(m);
    if (!envVar && typeof o.envVar === "string" && o.envVar) envVar = o.envVar;
  }
  if (parts.length === 0) parts.push(typeof err === "string" && err ? err : "The job failed with an unknown error");
  let text = parts.join(": ");
  if (!/[.!?]$/.test(text)) text += ".";
  if (envVar && !text.includes(envVar)) text += ` Check ${envVar}.`;
  return text;
}
