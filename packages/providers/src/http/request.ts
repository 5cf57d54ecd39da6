import { createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { ProviderError, isTransientError } from "../spec/errors.ts";

export interface VendorContext {
  provider: string;
  fetch: typeof fetch;
  /** the setting to fix when the vendor says 401/403 */
  authEnvVar?: string;
  /** default per-request timeout */
  timeoutMs?: number;
}

export interface RequestOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  /** the setting to blame for other permanent statuses, e.g. 404 → OLLAMA_MODEL */
  envVarFor?: (status: number, message: string) => string | undefined;
  /** what the call was, for messages: "chat", "upload" */
  what?: string;
  /** vendor-specific exceptions to the status rules below (e.g. YouTube's 403 quotaExceeded) */
  classify?: (status: number, message: string) => { transient: boolean; envVar?: string } | undefined;
}

/** Seconds from a Retry-After header: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const secs = Number(value);
  if (Number.isFinite(secs) && secs >= 0) return secs;
  const date = Date.parse(value);
  if (Number.isFinite(date)) return Math.max(0, Math.ceil((date - now) / 1000));
  return undefined;
}

/** The human part of a vendor's error body (OpenAI, Ollama, ElevenLabs, AssemblyAI, Google shapes). */
export function vendorMessage(body: string): string {
  try {
    const j = JSON.parse(body) as Record<string, unknown>;
    const err = j.error;
    if (typeof err === "string") {
      // OAuth shape: {"error":"invalid_grant","error_description":"Token has been expired or revoked."}
      return typeof j.error_description === "string" ? `${err}: ${j.error_description}` : err;
    }
    if (err && typeof err === "object" && typeof (err as { message?: unknown }).message === "string") {
      return (err as { message: string }).message;
    }
    const detail = j.detail;
    if (typeof detail === "string") return detail;
    if (detail && typeof detail === "object" && typeof (detail as { message?: unknown }).message === "string") {
      return (detail as { message: string }).message;
    }
    for (const k of ["message", "error_description", "status_msg"]) {
      if (typeof j[k] === "string") return j[k] as string;
    }
  } catch {
    // not JSON: use the text
  }
  return body.trim().slice(0, 300);
}

/** The ProviderError for a non-2xx response. */
export async function errorFromResponse(ctx: VendorContext, res: Response, opts: RequestOptions = {}): Promise<ProviderError> {
  const body = await res.text().catch(() => "");
  const message = vendorMessage(body) || res.statusText;
  const what = opts.what ? ` ${opts.what}` : "";
  const status = res.status;
  const special = opts.classify?.(status, message);
  if (special) {
    return new ProviderError(`${ctx.provider}:${what} HTTP ${status}: ${message}${special.envVar ? ` (check ${special.envVar})` : ""}`, {
      provider: ctx.provider,
      transient: special.transient,
      status,
      envVar: special.envVar,
      retryAfterSeconds: parseRetryAfter(res.headers.get("retry-after")),
    });
  }
  if (status === 401 || status === 403) {
    const env = ctx.authEnvVar;
    return new ProviderError(
      `${ctx.provider}:${what} HTTP ${status}: ${message}${env ? ` (check ${env})` : ""}`,
      { provider: ctx.provider, transient: false, status, envVar: env },
    );
  }
  // 408 request timeout, 425 too early, 429 rate limit, 5xx: the vendor may recover
  if (status === 408 || status === 425 || status === 429 || status >= 500) {
    return new ProviderError(`${ctx.provider}:${what} HTTP ${status}: ${message}`, {
      provider: ctx.provider,
      transient: true,
      status,
      retryAfterSeconds: parseRetryAfter(res.headers.get("retry-after")),
    });
  }
  const env = opts.envVarFor?.(status, message);
  return new ProviderError(`${ctx.provider}:${what} HTTP ${status}: ${message}${env ? ` (check ${env})` : ""}`, {
    provider: ctx.provider,
    transient: false,
    status,
    envVar: env,
  });
}

/**
 * fetch with the job's signal plus a timeout. Throws the job signal's own
 * reason when the job was aborted (never retried), a transient ProviderError
 * for timeouts and network failures, and errorFromResponse for non-2xx.
 */
export async function vendorFetch(
  ctx: VendorContext,
  url: string | URL,
  init: RequestInit,
  opts: RequestOptions = {},
): Promise<Response> {
  opts.signal?.throwIfAborted();
  const timeoutMs = opts.timeoutMs ?? ctx.timeoutMs ?? 60_000;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
  let res: Response;
  try {
    res = await ctx.fetch(url, { ...init, signal });
  } catch (err) {
    throw networkError(ctx, err, opts, timeoutMs);
  }
  if (!res.ok) throw await errorFromResponse(ctx, res, opts);
  return res;
}

/** Map a fetch/body-read failure to what the worker needs to know. */
export function networkError(ctx: VendorContext, err: unknown, opts: RequestOptions, timeoutMs?: number): unknown {
  if (opts.signal?.aborted) return opts.signal.reason;
  if (err instanceof ProviderError) return err;
  const what = opts.what ? ` ${opts.what}` : "";
  if (err instanceof Error && err.name === "TimeoutError") {
    return new ProviderError(`${ctx.provider}:${what} timed out${timeoutMs ? ` after ${timeoutMs} ms` : ""}`, {
      provider: ctx.provider,
      transient: true,
      cause: err,
    });
  }
  if (isTransientError(err)) {
    const code = (err as { cause?: { code?: string } }).cause?.code;
    return new ProviderError(`${ctx.provider}:${what} network error${code ? ` (${code})` : ""}`, {
      provider: ctx.provider,
      transient: true,
      cause: err,
    });
  }
  return new Error(`${ctx.provider}:${what} request failed`, { cause: err });
}

/** Parse a JSON body; a body that isn't JSON is a permanent vendor error. */
export async function readJson<T>(ctx: VendorContext, res: Response, opts: RequestOptions = {}): Promise<T> {
  let text: string;
  try {
    text = await res.text();
  } catch (err) {
    throw networkError(ctx, err, opts);
  }
  try {
    return JSON.parse(text) as T;
  } catch (cause) {
    throw new ProviderError(`${ctx.provider}: expected JSON, got ${JSON.stringify(text.slice(0, 120))}`, {
      provider: ctx.provider,
      transient: false,
      status: res.status,
      cause,
    });
  }
}

/**
 * Stream a response body to `destPath` through `<dest>.part` (renamed when
 * complete, removed on failure), stopping at `maxBytes`.
 */
export async function streamToFile(
  ctx: VendorContext,
  res: Response,
  destPath: string,
  opts: RequestOptions & { maxBytes?: number },
): Promise<number> {
  const max = opts.maxBytes ?? Number.POSITIVE_INFINITY;
  const declared = Number(res.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > max) {
    await res.body?.cancel().catch(() => {});
    throw tooBig(ctx, declared, max);
  }
  if (!res.body) throw new ProviderError(`${ctx.provider}: empty response body`, { provider: ctx.provider, transient: true });
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      bytes += chunk.length;
      if (bytes > max) cb(tooBig(ctx, bytes, max));
      else cb(null, chunk);
    },
  });
  const part = `${destPath}.part`;
  try {
    await pipeline(Readable.fromWeb(res.body as WebReadableStream<Uint8Array>), counter, createWriteStream(part));
    await rename(part, destPath);
    return bytes;
  } catch (err) {
    await rm(part, { force: true });
    throw networkError(ctx, err, opts, opts.timeoutMs);
  }
}

function tooBig(ctx: VendorContext, bytes: number, max: number): ProviderError {
  // a clip over the cap will be over it next time too: pick another clip instead
  return new ProviderError(`${ctx.provider}: download exceeds the ${max}-byte cap (${bytes} bytes)`, {
    provider: ctx.provider,
    transient: false,
  });
}
