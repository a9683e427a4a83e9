import type { JWTPayload } from 'jose';
import { describe, expect, it } from 'vitest';
import { rememberingVerifier } from '../../../src/auth/verified-tokens';

/** A verifier that counts its checks and accepts tokens named "good-<exp seconds>". */
function counting() {
  const checked: string[] = [];
  return {
    checked,
    async verify(token: string): Promise<JWTPayload> {
      checked.push(token);
      await new Promise((r) => setTimeout(r, 5));
      const m = /^good-(\d+)$/.exec(token);
      if (!m) throw new Error('signature verification failed');
      return { exp: Number(m[1]), tid: 't' };
    },
  };
}

describe('remembering verified tokens', () => {
  it('checks a token once, however many requests carry it, concurrent or not', async () => {
    const inner = counting();
    const verifier = rememberingVerifier(inner, () => 1_000_000);
    const token = 'good-4000';
    await Promise.all(Array.from({ length: 20 }, () => verifier.verify(token)));
    expect(await verifier.verify(token)).toEqual({ exp: 4000, tid: 't' });
    expect(inner.checked).toEqual([token]);
  });

  it('never remembers a token that failed', async () => {
    const inner = counting();
    const verifier = rememberingVerifier(inner, () => 0);
    await expect(verifier.verify('forged')).rejects.toThrow('signature');
    await expect(verifier.verify('forged')).rejects.toThrow('signature');
    expect(inner.checked).toEqual(['forged', 'forged']);
  });

  it('checks again once the token has expired, or after five minutes', async () => {
    const inner = counting();
    let now = 1_000_000;
    const verifier = rememberingVerifier(inner, () => now);
    await verifier.verify('good-1010'); // expires 10 s from now
    now += 11_000;
    await verifier.verify('good-1010');
    expect(inner.checked).toHaveLength(2);

    await verifier.verify('good-99999');
    now += 4 * 60_000;
    await verifier.verify('good-99999');
    expect(inner.checked).toHaveLength(3);
    now += 2 * 60_000;
    await verifier.verify('good-99999');
    expect(inner.checked).toHaveLength(4);
  });
});
