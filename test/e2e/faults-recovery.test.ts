import { describe, expect, it } from 'vitest';
import { summary, testBot, type TestBot } from '../support/bot';
import { eventually } from '../support/eventually';
import { callBody } from '../support/graph';
import { json } from '../support/http';
import { startService } from '../support/service';
import { distinct, faultHarnessForFile, FLOW, type Json } from '../support/fault-harness';

/** Faults and the guarantees around them: redelivery, dead letters, throttling, the FAULT_PROFILE setting. */
const h = faultHarnessForFile();

describe('notification faults, seen by a real bot', () => {
  it('drops first POSTs and redelivers them: the bot gets each once, in order, and the log shows the loss', async () => {
    await h.setProfile({ seed: 3, notifications: { drop: { redeliverAfterMs: 200 } } });
    const b = await h.bot();
    const callId = await h.flow(b);
    expect(b.of(callId).map(summary)).toEqual(FLOW);
    // A dropped POST never reached the bot: one POST per notification.
    const ids = b.of(callId).map((n) => n.id);
    expect(b.attempts.filter((a) => ids.includes(a.id)).map((a) => a.id)).toEqual(ids);
    const log = await h.deliveryLog(callId);
    for (const id of ids) {
      expect(log.filter((e) => e['notificationId'] === id).map((e) => [e['attempt'], e['outcome'], e['fault']])).toEqual([
        [1, 'failed', 'dropped'],
        [2, 'delivered', undefined],
      ]);
    }
    await eventually(async () => expect((await h.faultSummary())['notifications']['dropped']).toBe(FLOW.length));
  });

  it('keeps dead letters as before: a notification the bot refuses is kept, the rest delivered', async () => {
    await h.setProfile({ seed: 4, notifications: { duplicate: { rate: 1 }, delay: { ms: 200 } } });
    const b = await h.bot({ reply: (n) => ({ status: summary(n) === 'call:establishing' ? 410 : 202 }) });
    const callId = await h.flow(b);
    expect(distinct(b, callId)).toEqual(FLOW.slice(1));
    const letters = await json<{ value: Json[] }>(await fetch(`${h.svc.host.url}/notifications/deadLetters?callId=${callId}`));
    expect(letters.value.map((l) => l['reason'])).toEqual(['refused by the callback']);
    await h.setProfile(undefined);
  });
});

describe('API faults over HTTP', () => {
  it('throttles the next create with 429 and Retry-After; a client that honours it gets its call, and the bot its notifications', async () => {
    await h.setProfile({ seed: 6, api: { throttle: { next: 1, retryAfterSeconds: 1 }, routes: ['createCall'] } });
    const b = await h.bot();
    const body = callBody({ callbackUri: b.callbackUri });
    const first = await h.svc.client.send('POST', '', body);
    expect(first.status).toBe(429);
    const wait = Number(first.headers.get('retry-after'));
    expect(wait).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, wait * 1000));
    const second = await h.svc.client.send('POST', '', body);
    expect(second.status).toBe(201);
    const callId = ((await second.json()) as Json)['id'] as string;
    await eventually(() => expect(b.of(callId).map(summary)).toEqual(FLOW.slice(0, 2)), 20_000);
    // The refused request created nothing: the bot heard of one call only.
    expect(new Set(b.received.map((n) => n.notification['resourceData']['id']))).toEqual(new Set([callId]));
    expect(await h.faultSummary()).toMatchObject({ requestsSeen: 2, api: { throttled: 1 } });
    await h.setProfile(undefined);
  });
});

describe('a fault profile from the FAULT_PROFILE setting', () => {
  it('applies to every app without a profile of its own', async () => {
    let b: TestBot | undefined;
    const ci = await startService({ deliver: true, env: { PROMPT_DURATION_MS: '500', FAULT_PROFILE: JSON.stringify({ seed: 5, notifications: { duplicate: {} } }) } });
    try {
      expect(await json(await h.emulator('GET', 'faults', undefined, ci))).toEqual({ source: 'setting', profile: { seed: 5, notifications: { duplicate: { rate: 1 } } } });
      b = await testBot(ci.host.url);
      const callId = await h.flow(b, ci);
      // Each notification twice; the flow returns on the first `terminated`, its repeat may still be on its way.
      await eventually(() => expect(b!.of(callId).map(summary)).toEqual(FLOW.flatMap((s) => [s, s])));
      expect((await h.deliveryLog(callId, ci)).filter((e) => e['fault'] === 'duplicate')).toHaveLength(FLOW.length);
    } finally {
      await ci.host.stop();
      await b?.close();
    }
  });
});
