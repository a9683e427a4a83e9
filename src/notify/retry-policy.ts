/**
 * Which failed deliveries are worth retrying, and when. Timeouts, connection errors, 408, 429 and
 * 5xx are retried with exponential back-off and jitter (a 429's or 503's Retry-After is honoured);
 * other 4xx and every 3xx (redirects are never followed) are final. Retries stop at the end of the
 * retry window, counted from when the notification was queued.
 */
export interface RetryPolicy {
  readonly baseMs: number;
  readonly maxDelayMs: number;
  readonly windowMs: number;
}

export type Attempt = (
  | { readonly kind: 'delivered'; readonly status: number }
  | { readonly kind: 'retry'; readonly error: string; readonly status?: number; readonly retryAfterMs?: number }
  | { readonly kind: 'final'; readonly error: string; readonly status?: number }
) & {
  /** Something about the answer worth a line in the delivery log (its body was not read, say). */
  readonly note?: string;
};

export function classify(status: number, retryAfter: string | null, now: number): Attempt {
  if (status >= 200 && status < 300) return { kind: 'delivered', status };
  if (status === 408 || status === 429 || status >= 500) {
    const retryAfterMs = status === 429 || status === 503 ? parseRetryAfter(retryAfter, now) : undefined;
    return { kind: 'retry', error: `HTTP ${status}`, status, ...(retryAfterMs !== undefined && { retryAfterMs }) };
  }
  const why = status >= 300 && status < 400 ? ' (redirects are not followed)' : '';
  return { kind: 'final', error: `HTTP ${status}${why}`, status };
}

/** Retry-After as seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * When to try again after the `failures`-th failure, or undefined when that would fall outside the
 * window (the notification then goes to the dead letters). `random` is injectable for tests.
 */
export function nextAttemptAt(
  policy: RetryPolicy,
  failures: number,
  queuedAt: number,
  now: number,
  retryAfterMs?: number,
  random: () => number = Math.random,
): number | undefined {
  const exponential = Math.min(policy.maxDelayMs, policy.baseMs * 2 ** Math.max(0, failures - 1));
  // Equal jitter: at least half the step, so retries from many calls spread out without collapsing to 0.
  const backoff = exponential / 2 + (random() * exponential) / 2;
  const at = now + Math.max(backoff, retryAfterMs ?? 0);
  return at <= queuedAt + policy.windowMs ? at : undefined;
}

/** What a failed attempt's log entry says: the HTTP status when there was an answer, and the error. */
export function failureOf(attempt: Extract<Attempt, { kind: 'retry' | 'final' }>): { status?: number; error: string } {
  return attempt.status === undefined ? { error: attempt.error } : { status: attempt.status, error: attempt.error };
}
