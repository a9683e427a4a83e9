import { describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually';
import { partition } from '../support/graph';
import { json } from '../support/http';
import { serviceForFile } from '../support/service';
import { summary, type TestBot } from '../support/bot';
import type { BotOptions } from '../../tools/bot/receiver';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Json = Record<string, any>;

// Short timeouts, retries and window, and quick probes, so bad bots are dealt with within seconds.
const svc = serviceForFile({
  deliver: true,
  env: {
    NOTIFICATION_TIMEOUT_MS: '1000',
    NOTIFICATION_RETRY_BASE_MS: '200',
    NOTIFICATION_RETRY_MAX_DELAY_MS: '1000',
    NOTIFICATION_RETRY_WINDOW_MS: '5000',
    NOTIFICATION_PROBE_INTERVAL_MS: '300',
  },
});

function bot(reply: NonNullable<BotOptions['reply']>) {
  return svc.bot({ reply });
}

const callTo = async (b: TestBot) => (await svc.client.createCall({ callbackUri: b.callbackUri }))['id'] as string;
const get = async (path: string) => json<Json>(await fetch(`${svc.host.url}${path}`));
const deadLetters = async (callId: string) => (await get(`/notifications/deadLetters?callId=${callId}`))['value'] as Json[];
const deliveryLog = (callId: string) => get(`/notifications/log?callId=${callId}`);

/** A call's notifications as the bot got them or as the dead letters keep them. */
async function accountFor(b: TestBot, callId: string) {
  const delivered = b.of(callId).map((n) => ({ state: summary(n) }));
  const dead = (await deadLetters(callId)).flatMap((l) => (l['notifications'] as Json[]).map((n) => ({ state: `call:${n['resourceData']['state']}` })));
  return { delivered, dead };
}

describe('one bot in trouble beside one that works', () => {
  it('delivers to the good bot while a hanging and a failing bot are isolated; theirs are delivered or dead-lettered, in order, none lost', async () => {
    // Acknowledges every notification, but only after the service's 1 s timeout.
    const hanging = await bot(() => ({ status: 202, delayMs: 4000 }));
    let failures = 0;
    // Fails its first eight POSTs, then works: some of its notifications die, the rest arrive.
    const failing = await bot(() => ({ status: ++failures <= 8 ? 500 : 202 }));
    const good = await bot(() => ({ status: 202 }));

    const stuck = await Promise.all(Array.from({ length: 4 }, () => callTo(hanging)));
    const flaky = await Promise.all(Array.from({ length: 3 }, () => callTo(failing)));
    const flowing = await Promise.all(Array.from({ length: 4 }, () => callTo(good)));

    // The good bot hears every call establish, in order per call.
    await good.waitFor(2 * flowing.length);
    for (const id of flowing) expect(good.of(id).map(summary)).toEqual(['call:establishing', 'call:established']);

    // The hanging bot's circuit opened and its calls went to the slow lane.
    await eventually(async () => {
      const log = await deliveryLog(stuck[0] as string);
      expect(log['value'].length).toBeGreaterThan(0);
      expect(log['value'][0]).toMatchObject({ outcome: 'failed', error: 'no answer within 1000 ms', attempt: 1 });
    }, 20_000);
    await eventually(async () => {
      const logs = await Promise.all(stuck.map(deliveryLog));
      expect(logs.some((l) => l['value'].some((e: Json) => e['lane'] === 'slow'))).toBe(true);
    }, 30_000);

    // In the end every notification of the failing bot's calls is accounted for: delivered once,
    // or a dead letter, never both, never missing, and each call's in commit order.
    for (const id of flaky) {
      const { delivered, dead } = await eventually(async () => {
        const { outbox } = await partition(svc.table, id);
        expect(outbox).toEqual([]);
        return accountFor(failing, id);
      }, 90_000);
      const all = [...delivered, ...dead];
      expect(all.map((n) => n.state).sort()).toEqual(['call:established', 'call:establishing']);
      // What arrived arrived in order; what died, died in order.
      for (const part of [delivered, dead]) {
        const states = part.map((n) => n.state);
        expect(states).toEqual(['call:establishing', 'call:established'].filter((s) => states.includes(s)));
      }
    }
    // The hanging bot received and acknowledged notifications, each too late: the service gave up
    // on every POST at its timeout, counted none as delivered, and dead-lettered all of them, in order.
    for (const id of stuck) {
      const dead = await eventually(async () => {
        const { outbox } = await partition(svc.table, id);
        expect(outbox).toEqual([]);
        return (await accountFor(hanging, id)).dead.map((n) => n.state);
      }, 90_000);
      expect(dead).toEqual(['call:establishing', 'call:established']);
      const log = (await deliveryLog(id))['value'] as Json[];
      expect(log.length).toBeGreaterThan(0);
      for (const entry of log) expect({ outcome: entry['outcome'], error: entry['error'] }).toEqual({ outcome: expect.stringMatching(/^(failed|deadLettered)$/), error: 'no answer within 1000 ms' });
    }
    await eventually(() => expect(stuck.every((id) => hanging.of(id).length > 0)).toBe(true));
    expect(hanging.attempts.every((a) => a.status === 202)).toBe(true);
    // The failing bot came back: its circuit closed and its later notifications arrived.
    expect(failing.received.length).toBeGreaterThan(0);
    await eventually(async () => expect((await deliveryLog(flaky[0] as string))['recipient']).toMatchObject({ circuit: 'closed' }));
  }, 180_000);
});
