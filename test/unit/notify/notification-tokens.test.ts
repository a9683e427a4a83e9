import { describe, expect, it } from 'vitest';
import { NotificationTokens, TOKEN_REUSE_SECONDS } from '../../../src/notify/notification-tokens';
import type { NotificationSigner } from '../../../src/notify/signing';

/** A signer that numbers its signatures, so a test can tell a reused token from a new one. */
function countingSigner(): NotificationSigner & { signed: number } {
  const signer = {
    signed: 0,
    publicJwk: { kid: 'k1' },
    async sign({ audience }: { audience: string }) {
      signer.signed++;
      return `${audience}#${signer.signed}`;
    },
  };
  return signer;
}

const claims = { issuer: 'https://svc.example', audience: 'bot-a', tenantId: 't' };

describe('notification tokens', () => {
  it('reuses one signed token per recipient for half its life, then signs a new one', async () => {
    let now = 0;
    const signer = countingSigner();
    const signings: number[] = [];
    const tokens = new NotificationTokens((ms) => signings.push(ms), () => now);
    expect(await tokens.token(signer, claims)).toBe('bot-a#1');
    now += TOKEN_REUSE_SECONDS * 1000 - 1;
    expect(await tokens.token(signer, claims)).toBe('bot-a#1');
    now += 1;
    expect(await tokens.token(signer, claims)).toBe('bot-a#2');
    expect(signings).toHaveLength(2);
  });

  it('signs apart for another app, tenant or issuer', async () => {
    const signer = countingSigner();
    const tokens = new NotificationTokens();
    const all = await Promise.all([
      tokens.token(signer, claims),
      tokens.token(signer, { ...claims, audience: 'bot-b' }),
      tokens.token(signer, { ...claims, tenantId: 'other' }),
      tokens.token(signer, { ...claims, issuer: 'https://other.example' }),
    ]);
    expect(new Set(all).size).toBe(4);
  });

  it('signs once for POSTs to one recipient at the same moment', async () => {
    const signer = countingSigner();
    const tokens = new NotificationTokens();
    const all = await Promise.all(Array.from({ length: 50 }, () => tokens.token(signer, claims)));
    expect(new Set(all)).toEqual(new Set(['bot-a#1']));
    expect(signer.signed).toBe(1);
  });

  it('does not keep a signature that failed', async () => {
    const signer = countingSigner();
    let fail = true;
    const flaky: NotificationSigner = { publicJwk: signer.publicJwk, sign: (c) => (fail ? Promise.reject(new Error('no key')) : signer.sign(c)) };
    const tokens = new NotificationTokens();
    await expect(tokens.token(flaky, claims)).rejects.toThrow('no key');
    fail = false;
    expect(await tokens.token(flaky, claims)).toBe('bot-a#1');
  });
});
