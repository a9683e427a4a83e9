import { describe, expect, it } from 'vitest';
import { callBody, OTHER_APP, token } from '../support/graph';
import { graphError } from '../support/http';
import { inProcessApp } from '../support/in-process';

// Small quotas, so a test reaches them.
const svc = inProcessApp({ env: { MAX_CALLS_PER_APP: '3', MAX_NOTIFICATIONS_PER_CALL: '10' } });

describe('per-app quotas', () => {
  it('calls not yet ended: the fourth create of an app answers 429 with Retry-After; other apps are not counted; an ended call makes room', async () => {
    const other = svc.client.with({ bearer: await token({ appId: OTHER_APP }) });
    const calls = [];
    for (let i = 0; i < 3; i++) calls.push((await svc.client.createCall())['id'] as string);
    const refused = await svc.client.send('POST', '', callBody());
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('10');
    const error = await graphError(refused);
    expect(error).toMatchObject({ code: 'TooManyRequests', innerError: { code: 'quotaExceeded' } });
    expect(error.message).toContain('MAX_CALLS_PER_APP');
    // Another app's calls are its own.
    expect((await other.send('POST', '', callBody())).status).toBe(201);

    expect((await svc.client.send('DELETE', `/${calls[0]}`)).status).toBe(204);
    // The count is looked at again at most every ten seconds.
    await expect.poll(async () => (await svc.client.send('POST', '', callBody())).status, { timeout: 20_000, interval: 1000 }).toBe(201);
  }, 40_000);

  it('notifications of one call: beyond the quota a request that would notify answers 429, and hanging up still works', async () => {
    const other = svc.client.with({ bearer: await token({ appId: OTHER_APP }) });
    const id = (await other.establishedCall())['id'] as string;
    await other.action(id, 'subscribeToTone', {});
    // Each key press notifies the bot once (a tone), after the call's own establishing / established.
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await other.emulator(`calls/${id}/tones`, { tones: ['1'] })).status);
    expect(statuses).toEqual([...Array.from({ length: 8 }, () => 200), 429, 429, 429, 429]);
    const refused = await other.emulator(`calls/${id}/tones`, { tones: ['1'] });
    expect(refused.headers.get('retry-after')).toBe('60');
    expect((await graphError(refused)).message).toContain('MAX_NOTIFICATIONS_PER_CALL');
    expect((await other.send('DELETE', `/${id}`)).status).toBe(204);
  });
});
