/**
 * The one error type providers throw for vendor failures. `transient` tells
 * the worker whether a retry can help; retries live in the worker, never here.
 */
export class ProviderError extends Error {
  readonly provider: string;
  readonly transient: boolean;
  readonly status?: number;
  readonly envVar?: string;
  readonly retryAfterSeconds?: number;

  constructor(
    message: string,
    opts: {
      provider: string; // "ollama", "pexels", ...
      transient: boolean; // true: a retry can help (network error, 5xx, 429, timeout)
      status?: number; // HTTP status when there was one
      envVar?: string; // the setting to fix, for permanent auth/config errors
      retryAfterSeconds?: number; // from Retry-After when the vendor sent one
      cause?: unknown;
    },
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = "ProviderError";
    this.provider = opts.provider;
    this.transient = opts.transient;
    if (opts.status !== undefined) this.status = opts.status;
    if (opts.envVar !== undefined) this.envVar = opts.envVar;
    if (opts.retryAfterSeconds !== undefined) this.retryAfterSeconds = opts.retryAfterSeconds;
  }
}

// Node's socket error codes that mean "the other side or the path to it
// failed", so trying again later can succeed.
const TRANSIENT_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ETIMEDOUT",
  "EPIPE",
  "EAI_AGAIN",
  "ENOTFOUND",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
]);

function errorCode(err: unknown): string | undefined {
  if (typeof err === "object" && err !== null && "code" in err) {
    const code = (err as { code?: unknown }).code;
    return typeof code === "string" ? code : undefined;
  }
  return undefined;
}

/**
 * True when a retry can help: ProviderError.transient, fetch network errors
 * (undici's TypeError "fetch failed" wrapping ECONNREFUSED & co), and the
 * TimeoutError of AbortSignal.timeout. False for the AbortError of the job's
 * own signal (cancel / lease loss must not be retried) and everything else.
 */
export function isTransientError(err: unknown): boolean {
  if (err instanceof ProviderError) return err.transient;
  if (typeof err !== "object" || err === null) return false;
  const name = (err as { name?: unknown }).name;
  if (name === "AbortError") return false;
  if (name === "TimeoutError") return true;
  const code = errorCode(err);
  if (code !== undefined && TRANSIENT_CODES.has(code)) return true;
  if (err instanceof TypeError && err.message === "fetch failed") return true;
  // undici puts the socket error in `cause`; follow the chain a few levels.
  const cause = (err as { cause?: unknown }).cause;
  if (cause !== undefined && cause !== err) {
    const causeCode = errorCode(cause);
    if (causeCode !== undefined && TRANSIENT_CODES.has(causeCode)) return true;
  }
  return false;
}
