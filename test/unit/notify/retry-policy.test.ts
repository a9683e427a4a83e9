import { describe, expect, it } from 'vitest';
import { classify, nextAttemptAt, parseRetryAfter } from '../../../src/notify/retry-policy';

const POLICY = { baseMs: 1000, maxDelayMs: 60_000, windowMs: 4 * 3_600_000 };

describe('which deliveries are retried', () => {
  it.each([
    [200, 'delivered'],
    [202, 'delivered'],
    [204, 'delivered'],
    [408, 'retry'],
    [429, 'retry'],
    [500, 'retry'],
    [503, 'retry'],
    [400, 'final'],
    [401, 'final'],
    [404, 'final'],
    [301, 'final'],
    [302, 'final'],
  ])('HTTP %i → %s', (status, kind) => {
    expect(classify(status, null, 0).kind).toBe(kind);
  });

  it('says a redirect was not followed, and keeps the status', () => {
    expect(classify(307, null, 0)).toEqual({ kind: 'final', error: 'HTTP 307 (redirects are not followed)', status: 307 });
  });

  it('reads Retry-After on 429 and 503 only, as seconds or a date', () => {
    const now = Date.parse('2026-11-22T10:00:00Z');
    expect(classify(429, '7', now)).toEqual({ kind: 'retry', error: 'HTTP 429', status: 429, retryAfterMs: 7000 });
    expect(classify(503, 'Sun, 22 Nov 2026 10:00:30 GMT', now)).toMatchObject({ retryAfterMs: 30_000 });
    expect(classify(500, '7', now)).toEqual({ kind: 'retry', error: 'HTTP 500', status: 500 });
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('Sun, 22 Nov 2026 09:00:00 GMT', now)).toBe(0);
  });
});

describe('when to retry', () => {
  it('backs off exponentially with jitter between half and all of each step, up to the cap', () => {
    const low = (failures: number) => (nextAttemptAt(POLICY, failures, 0, 0, undefined, () => 0) ?? 0);
    const high = (failures: number) => (nextAttemptAt(POLICY, failures, 0, 0, undefined, () => 1) ?? 0);
    expect([low(1), high(1)]).toEqual([500, 1000]);
    expect([low(2), high(2)]).toEqual([1000, 2000]);
    expect([low(4), high(4)]).toEqual([4000, 8000]);
    expect(high(20)).toBe(60_000);
  });

  it('never retries sooner than Retry-After says', () => {
    expect(nextAttemptAt(POLICY, 1, 0, 0, 45_000, () => 0)).toBe(45_000);
  });

  it('gives up when the next attempt would fall outside the window from when it was queued', () => {
    const queuedAt = 0;
    const late = POLICY.windowMs - 100;
    expect(nextAttemptAt(POLICY, 3, queuedAt, late, undefined, () => 1)).toBeUndefined();
    expect(nextAttemptAt(POLICY, 1, queuedAt, POLICY.windowMs - 2000, undefined, () => 1)).toBe(POLICY.windowMs - 1000);
  });
});
