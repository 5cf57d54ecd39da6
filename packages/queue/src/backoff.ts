export interface BackoffPolicy {
  /** delay after the first failed attempt */
  baseSeconds: number;
  /** the delay never grows past this */
  maxSeconds: number;
  /** ± fraction: 0.2 spreads each delay over [0.8, 1.2] × nominal so retries of a burst don't stampede */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseSeconds: 5, maxSeconds: 300, jitter: 0.2 };

/** Nominal delay after `attempt` (1-based) failed: base · 2^(attempt−1), capped. */
export function nominalBackoffSeconds(attempt: number, p: BackoffPolicy = DEFAULT_BACKOFF): number {
  return Math.min(p.maxSeconds, p.baseSeconds * 2 ** Math.max(0, attempt - 1));
}

/** The delay actually used: the nominal one times a uniform factor in [1 − jitter, 1 + jitter]. */
export function backoffSeconds(attempt: number, p: BackoffPolicy = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  return nominalBackoffSeconds(attempt, p) * (1 - p.jitter + 2 * p.jitter * random());
}
