import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chance } from '../../src/faults/random';
import { notificationId } from '../../src/store/notification-id';
import { summary, testBot, type TestBot } from '../support/bot';
import { eventually } from '../support/eventually';
import { callBody, promptBody } from '../support/graph';
import { json } from '../support/http';
import { startService, type RunningService } from '../support/service';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let svc: RunningService;
const bots: TestBot[] = [];
beforeAll(async () => {
  svc = await startService({ deliver: true, env: { PROMPT_DURATION_MS: '500', NOTIFICATION_RETRY_BASE_MS: '200', NOTIFICATION_RETRY_MAX_DELAY_MS: '1000' } });
});
afterAll(async () => {
  await svc?.host.stop();
  await Promise.all(bots.map((b) => b.close()));
});

async function bot(options: Parameters<typeof testBot>[1] = {}) {
  const b = await testBot(svc.host.url, options);
  bots.push(b);
  return b;
}

async function emulator(method: string, path: string, body?: unknown, service = svc): Promise<Response> {
  return fetch(`${service.host.url}/emulator/${path}`, {
    method,
    headers: { authorization: `Bearer ${service.client.bearer}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
}

async function setProfile(profile: unknown | undefined): Promise<void> {
  const res = profile === undefined ? await emulator('DELETE', 'faults') : await emulator('PUT', 'faults', profile);
  expect(res.status).toBe(profile === undefined ? 204 : 200);
}

const FLOW = ['call:establishing', 'call:established', 'playPromptOperation:completed:welcome', 'call:terminating', 'call:terminated'];

/** One IVR call: established, a prompt played to its end, hung up; returns once the bot has all of it. */
async function flow(b: TestBot, service = svc): Promise<string> {
  const { client } = service;
  const callId = (await client.establishedCall({ callbackUri: b.callbackUri }))['id'] as string;
  expect((await client.action(callId, 'playPrompt', promptBody('welcome'))).res.status).toBe(200);
  await eventually(() => expect(b.of(callId).map(summary)).toContain('playPromptOperation:completed:welcome'), 20_000);
  expect((await client.send('DELETE', `/${callId}`)).status).toBe(204);
  await eventually(() => expect(b.of(callId).map(summary)).toContain('call:terminated'), 20_000);
  return callId;
}

/** The bot's notifications of a call, repeats dropped (as a bot de-duplicating by message id would). */
function distinct(b: TestBot, callId: string): string[] {
  const seen = new Set<string>();
  return b.of(callId).filter((n) => !seen.has(n.id) && seen.add(n.id)).map(summary);
}

/** Notification id → its place in the call ("seq.index"), which is what fault decisions draw on. */
function places(callId: string): Map<string, string> {
  const map = new Map<string, string>();
  for (let seq = 0; seq < 16; seq++) for (let i = 0; i < 8; i++) map.set(notificationId(callId, seq, i), `${seq}.${i}`);
  return map;
}

async function deliveryLog(callId: string, service = svc): Promise<Json[]> {
  return (await json<{ value: Json[] }>(await fetch(`${service.host.url}/notifications/log?callId=${callId}`))).value;
}

async function faultSummary(): Promise<Json> {
  return json(await emulator('GET', 'faults/summary'));
}

describe('notification faults, seen by a real bot', () => {
  it('duplicates with the same id, at a rate, at the same places for the same seed; nothing lost', async () => {
    const seed = 20240611;
    await setProfile({ seed, notifications: { duplicate: { rate: 0.5 } } });
    const b = await bot();
    const runs: string[][] = [];
    for (let k = 0; k < 2; k++) {
      const callId = await flow(b);
      expect(distinct(b, callId)).toEqual(FLOW);
      const at = places(callId);
      const ids = b.of(callId).map((n) => n.id);
      const repeated = [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))];
      // What the seed decides, computed here from the same draw.
      const expected = [...new Set(ids)].filter((id) => {
        const [seq, index] = (at.get(id) ?? '').split('.').map(Number);
        return chance(0.5, seed, 'duplicate', seq as number, index as number);
      });
      expect(repeated.sort()).toEqual(expected.sort());
      // Every repeat comes right after its original and is marked in the delivery log.
      const log = await deliveryLog(callId);
      expect(log.filter((e) => e['fault'] === 'duplicate').map((e) => e['notificationId']).sort()).toEqual(repeated.sort());
      runs.push(repeated.map((id) => at.get(id) ?? '').sort());
    }
    expect(runs[0]?.length).toBeGreaterThan(0);
    expect(runs[0]?.length).toBeLessThan(FLOW.length);
    expect(runs[1]).toEqual(runs[0]);
    await eventually(async () => expect((await faultSummary())['notifications']['duplicate']).toBe(2 * (runs[0]?.length ?? 0)));
  });

  it('reorders establishing and established, and nothing else; in order again once the profile is gone', async () => {
    await setProfile({ seed: 1, notifications: { reorder: { windowMs: 5000 } } });
    const b = await bot();
    const callId = await flow(b);
    expect(b.of(callId).map(summary)).toEqual(['call:established', 'call:establishing', ...FLOW.slice(2)]);
    const log = await deliveryLog(callId);
    const marked = log.filter((e) => e['fault'] === 'reordered');
    expect(marked.map((e) => e['notificationId'])).toEqual(b.of(callId).slice(0, 2).map((n) => n.id));
    expect(marked.every((e) => e['outcome'] === 'delivered')).toBe(true);
    await eventually(async () => expect((await faultSummary())['notifications']['reordered']).toBe(1));

    await setProfile(undefined);
    const inOrder = await flow(b);
    expect(b.of(inOrder).map(summary)).toEqual(FLOW);
    expect((await deliveryLog(inOrder)).some((e) => e['fault'] !== undefined)).toBe(false);
  });

  it('delays operation results (a late result) and keeps the call’s order', async () => {
    await setProfile({ seed: 2, notifications: { delay: { ms: 1500, kinds: ['operation'] } } });
    const b = await bot();
    const callId = await flow(b);
    expect(b.of(callId).map(summary)).toEqual(FLOW);
    const log = await deliveryLog(callId);
    const delayed = log.filter((e) => e['fault'] === 'delayed');
    const result = b.of(callId).find((n) => summary(n) === 'playPromptOperation:completed:welcome');
    expect(delayed.map((e) => [e['notificationId'], e['outcome']])).toEqual([[result?.id, 'delivered']]);
    await eventually(async () => expect((await faultSummary())['notifications']).toMatchObject({ delayed: 1, duplicate: 0, reordered: 0, dropped: 0 }));
  });

  it('drops first POSTs and redelivers them: the bot gets each once, in order, and the log shows the loss', async () => {
    await setProfile({ seed: 3, notifications: { drop: { redeliverAfterMs: 200 } } });
    const b = await bot();
    const callId = await flow(b);
    expect(b.of(callId).map(summary)).toEqual(FLOW);
    // A dropped POST never reached the bot: one POST per notification.
    const ids = b.of(callId).map((n) => n.id);
    expect(b.attempts.filter((a) => ids.includes(a.id)).map((a) => a.id)).toEqual(ids);
    const log = await deliveryLog(callId);
    for (const id of ids) {
      expect(log.filter((e) => e['notificationId'] === id).map((e) => [e['attempt'], e['outcome'], e['fault']])).toEqual([
        [1, 'failed', 'dropped'],
        [2, 'delivered', undefined],
      ]);
    }
    await eventually(async () => expect((await faultSummary())['notifications']['dropped']).toBe(FLOW.length));
  });

  it('keeps dead letters as before: a notification the bot refuses is kept, the rest delivered', async () => {
    await setProfile({ seed: 4, notifications: { duplicate: { rate: 1 }, delay: { ms: 200 } } });
    const b = await bot({ reply: (n) => ({ status: summary(n) === 'call:establishing' ? 410 : 202 }) });
    const callId = await flow(b);
    expect(distinct(b, callId)).toEqual(FLOW.slice(1));
    const letters = await json<{ value: Json[] }>(await fetch(`${svc.host.url}/notifications/deadLetters?callId=${callId}`));
    expect(letters.value.map((l) => l['reason'])).toEqual(['refused by the callback']);
    await setProfile(undefined);
  });
});

describe('API faults over HTTP', () => {
  it('throttles the next create with 429 and Retry-After; a client that honours it gets its call, and the bot its notifications', async () => {
    await setProfile({ seed: 6, api: { throttle: { next: 1, retryAfterSeconds: 1 }, routes: ['createCall'] } });
    const b = await bot();
    const body = callBody({ callbackUri: b.callbackUri });
    const first = await svc.client.send('POST', '', body);
    expect(first.status).toBe(429);
    const wait = Number(first.headers.get('retry-after'));
    expect(wait).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, wait * 1000));
    const second = await svc.client.send('POST', '', body);
    expect(second.status).toBe(201);
    const callId = ((await second.json()) as Json)['id'] as string;
    await eventually(() => expect(b.of(callId).map(summary)).toEqual(FLOW.slice(0, 2)), 20_000);
    // The refused request created nothing: the bot heard of one call only.
    expect(new Set(b.received.map((n) => n.notification['resourceData']['id']))).toEqual(new Set([callId]));
    expect(await faultSummary()).toMatchObject({ requestsSeen: 2, api: { throttled: 1 } });
    await setProfile(undefined);
  });
});

describe('a fault profile from the FAULT_PROFILE setting', () => {
  it('applies to every app without a profile of its own', async () => {
    const ci = await startService({ deliver: true, env: { PROMPT_DURATION_MS: '500', FAULT_PROFILE: JSON.stringify({ seed: 5, notifications: { duplicate: {} } }) } });
    try {
      expect(await json(await emulator('GET', 'faults', undefined, ci))).toEqual({ source: 'setting', profile: { seed: 5, notifications: { duplicate: { rate: 1 } } } });
      const b = await testBot(ci.host.url);
      bots.push(b);
      const callId = await flow(b, ci);
      expect(b.of(callId).map(summary)).toEqual(FLOW.flatMap((s) => [s, s]));
      expect((await deliveryLog(callId, ci)).filter((e) => e['fault'] === 'duplicate')).toHaveLength(FLOW.length);
    } finally {
      await ci.host.stop();
    }
  });
});
