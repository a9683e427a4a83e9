import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { callBody, OTHER_APP, partition, promptBody, token } from '../support/graph';
import { graphError, json } from '../support/http';
import { inProcessApp } from '../support/in-process';

const svc = inProcessApp();
let bearer: string;
beforeAll(async () => {
  bearer = await token();
});

/** A request to the emulator's fault routes with the app's token. */
async function faults(method: string, path: string, body?: unknown, as = bearer): Promise<Response> {
  return svc.fetch(`/emulator/${path}`, {
    method,
    headers: { authorization: `Bearer ${as}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
}

async function setProfile(profile: unknown): Promise<Record<string, any>> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const res = await faults('PUT', 'faults', profile);
  expect(res.status).toBe(200);
  return json(res);
}

async function summary() {
  return json<{ requestsSeen: number; notifications: Record<string, number>; api: Record<string, number> }>(await faults('GET', 'faults/summary'));
}

beforeEach(async () => {
  await faults('DELETE', 'faults');
});

describe('fault profiles: the route', () => {
  it('refuses invalid profiles with a 400 naming each field', async () => {
    const cases: [unknown, string[]][] = [
      [{ notifications: { delay: { rate: 2, ms: 100 } } }, ["'notifications.delay.rate' must be from 0 to 1"]],
      [{ notifications: { delay: { ms: 100, minMs: 1 } } }, ["'notifications.delay.ms'"]],
      [{ notifications: { delay: { minMs: 100 } } }, ["'notifications.delay.maxMs' is required"]],
      [{ notifications: { delay: { minMs: 100, maxMs: 50 } } }, ["'notifications.delay.maxMs' must be at least 'minMs'"]],
      [{ notifications: { duplicate: { kinds: ['calls'] } } }, ["'notifications.duplicate.kinds[0]' must be one of 'callState'"]],
      [{ notifications: { reorder: { windowMs: -1 } } }, ["'notifications.reorder.windowMs'"]],
      [{ api: { throttle: {} } }, ["'api.throttle.rate' or 'next' is required"]],
      [{ api: { unavailable: { next: 0 } } }, ["'api.unavailable.next' must be at least 1"]],
      [{ api: { routes: ['everything'] } }, ["'api.routes[0]' must be one of 'createCall'"]],
      [{ seed: 1.5, bogus: true }, ["'seed' must be a whole number", "'bogus' is not a parameter of fault profile"]],
    ];
    for (const [body, mentions] of cases) {
      const res = await faults('PUT', 'faults', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      const error = await graphError(res);
      expect(error.code).toBe('BadRequest');
      for (const text of mentions) expect(error.message).toContain(text);
    }
    expect((await faults('PUT', 'faults')).status).toBe(400);
  });

  it('keeps the profile for the app, draws a seed when none is given, and removes it on DELETE', async () => {
    expect(await json(await faults('GET', 'faults'))).toEqual({ source: 'none', profile: null });
    const set = await setProfile({ notifications: { duplicate: { rate: 0.5 } } });
    expect(set).toMatchObject({ source: 'app', profile: { notifications: { duplicate: { rate: 0.5 } } } });
    expect(Number.isInteger(set['profile']['seed'])).toBe(true);
    expect(await json(await faults('GET', 'faults'))).toEqual(set);
    // Another app sees none of it.
    expect(await json(await faults('GET', 'faults', undefined, await token({ appId: OTHER_APP })))).toEqual({ source: 'none', profile: null });
    expect((await faults('DELETE', 'faults')).status).toBe(204);
    expect(await json(await faults('GET', 'faults'))).toEqual({ source: 'none', profile: null });
  });
});

describe('API faults', () => {
  it('throttles the next N requests with Graph’s 429 body and Retry-After, then lets requests through', async () => {
    await setProfile({ seed: 7, api: { throttle: { next: 2, retryAfterSeconds: 3 } } });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await svc.client.send('POST', '', callBody());
      statuses.push(res.status);
      if (res.status === 429) {
        expect(res.headers.get('retry-after')).toBe('3');
        const body = await json<{ error: Record<string, any> }>(res); // eslint-disable-line @typescript-eslint/no-explicit-any
        expect(body.error).toMatchObject({ code: 'TooManyRequests', message: 'Please retry again later.', innerError: { code: '429', status: '429' } });
        expect(body.error['innerError']['request-id']).toBe(res.headers.get('request-id'));
        expect(body.error['innerError']['date']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
      }
    }
    expect(statuses).toEqual([429, 429, 201]);
    expect(await summary()).toMatchObject({ requestsSeen: 3, api: { throttled: 2, unavailable: 0, slowed: 0 } });
  });

  it('refuses before the handler runs: a throttled action changes nothing', async () => {
    const callId = (await svc.client.establishedCall())['id'] as string;
    const before = await partition(svc.table, callId);
    await setProfile({ api: { throttle: { next: 1 }, routes: ['callActions'] } });
    const refused = await svc.client.send('POST', `/${callId}/playPrompt`, promptBody('refused'));
    expect(refused.status).toBe(429);
    const after = await partition(svc.table, callId);
    expect(after.operations).toEqual(before.operations);
    expect(after.outbox.map((r) => r.seq)).toEqual(before.outbox.map((r) => r.seq));
    expect(after.rows.find((r) => r['rowKey'] === 'call')?.['version']).toBe(before.rows.find((r) => r['rowKey'] === 'call')?.['version']);
    // Reads are another route family: untouched. The next action goes through.
    expect((await svc.client.send('GET', `/${callId}`)).status).toBe(200);
    const accepted = await svc.client.send('POST', `/${callId}/playPrompt`, promptBody('accepted'));
    expect(accepted.status).toBe(200);
  });

  it('answers 503 with Retry-After at a rate, the same requests for the same seed', async () => {
    const run = async () => {
      await setProfile({ seed: 12345, api: { unavailable: { rate: 0.5, retryAfterSeconds: 1 }, routes: ['reads'] } });
      const callId = (await svc.client.createCall())['id'] as string;
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) {
        const res = await svc.client.send('GET', `/${callId}`);
        statuses.push(res.status);
        if (res.status === 503) {
          expect(res.headers.get('retry-after')).toBe('1');
          expect((await graphError(res)).code).toBe('serviceNotAvailable');
        }
      }
      return statuses;
    };
    const first = await run();
    expect(new Set(first)).toEqual(new Set([200, 503]));
    expect(await run()).toEqual(first);
    expect((await summary()).api['unavailable']).toBe(first.filter((s) => s === 503).length);
  });

  it('adds latency and counts it; the request is then handled', async () => {
    await setProfile({ api: { latency: { minMs: 250, maxMs: 300 }, routes: ['reads'] } });
    const callId = (await svc.client.createCall())['id'] as string;
    for (let i = 0; i < 2; i++) {
      const started = performance.now();
      expect((await svc.client.send('GET', `/${callId}`)).status).toBe(200);
      // A lower bound only: a slow machine cannot make a request faster than the latency added.
      expect(performance.now() - started).toBeGreaterThanOrEqual(250);
    }
    expect((await summary()).api).toEqual({ throttled: 0, unavailable: 0, slowed: 2 });
  });

  it('never faults the emulator’s own routes', async () => {
    await setProfile({ api: { throttle: { rate: 1 } } });
    expect((await svc.client.emulator('incomingCalls', { callbackUri: 'https://bot.example.com/callback' })).status).toBe(201);
    expect((await faults('GET', 'faults/summary')).status).toBe(200);
  });

  it('a call’s own profile applies to that call only, and only its owner may set it', async () => {
    const faulted = (await svc.client.createCall())['id'] as string;
    const other = (await svc.client.createCall())['id'] as string;
    const res = await faults('PUT', `calls/${faulted}/faults`, { api: { throttle: { next: 1 } } });
    expect(res.status).toBe(200);
    expect(await json(await faults('GET', `calls/${faulted}/faults`))).toMatchObject({ source: 'call', profile: { api: { throttle: { next: 1 } } } });
    expect(await json(await faults('GET', `calls/${other}/faults`))).toEqual({ source: 'none', profile: null });
    expect((await svc.client.send('GET', `/${faulted}`)).status).toBe(429);
    expect((await svc.client.send('GET', `/${faulted}`)).status).toBe(200);
    expect((await svc.client.send('GET', `/${other}`)).status).toBe(200);
    // Another app: 404, as for its calls everywhere.
    const stranger = await token({ appId: OTHER_APP });
    expect((await faults('PUT', `calls/${faulted}/faults`, { api: { throttle: { next: 1 } } }, stranger)).status).toBe(404);
    expect((await faults('DELETE', `calls/${faulted}/faults`)).status).toBe(204);
    expect(await json(await faults('GET', `calls/${faulted}/faults`))).toEqual({ source: 'none', profile: null });
  });
});

describe('fault counting under load', () => {
  it('200 requests at once: each answered as its profile decides (never a 5xx of its own), each numbered and counted once', async () => {
    await setProfile({ seed: 5, api: { unavailable: { rate: 0.1, retryAfterSeconds: 1 }, routes: ['reads'] } });
    const callId = (await svc.client.createCall())['id'] as string;
    const answers = await Promise.all(Array.from({ length: 200 }, async () => (await svc.client.send('GET', `/${callId}`)).status));
    const refused = answers.filter((status) => status === 503).length;
    expect(answers.filter((status) => status !== 200 && status !== 503)).toEqual([]);
    expect(refused).toBeGreaterThan(0);
    const counted = await summary();
    expect(counted.requestsSeen).toBe(200);
    expect(counted.api['unavailable']).toBe(refused);
  });
});
