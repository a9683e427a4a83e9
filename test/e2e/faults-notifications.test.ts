import { describe, expect, it } from 'vitest';
import { chance } from '../../src/faults/random';
import { summary } from '../support/bot';
import { eventually } from '../support/eventually';
import { promptBody } from '../support/graph';
import { distinct, faultHarnessForFile, FLOW, places } from '../support/fault-harness';

/** Notification faults a profile injects: each seen by a real bot, reproducible from its seed. */
const h = faultHarnessForFile();

describe('notification faults, seen by a real bot', () => {
  it('duplicates with the same id, at a rate, at the same places for the same seed; nothing lost', async () => {
    const seed = 20240611;
    await h.setProfile({ seed, notifications: { duplicate: { rate: 0.5 } } });
    const b = await h.bot();
    const runs: string[][] = [];
    for (let k = 0; k < 2; k++) {
      const callId = await h.flow(b);
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
      // Every repeat comes right after its original, and is marked in the delivery log.
      const arrivals = b.of(callId).map((n) => n.id);
      expect(arrivals.filter((id, i) => arrivals.indexOf(id) !== i)).toEqual(arrivals.filter((id, i) => i > 0 && arrivals[i - 1] === id));
      const log = await h.deliveryLog(callId);
      expect(log.filter((e) => e['fault'] === 'duplicate').map((e) => e['notificationId']).sort()).toEqual(repeated.sort());
      runs.push(repeated.map((id) => at.get(id) ?? '').sort());
    }
    expect(runs[0]?.length).toBeGreaterThan(0);
    expect(runs[0]?.length).toBeLessThan(FLOW.length);
    expect(runs[1]).toEqual(runs[0]);
    await eventually(async () => expect((await h.faultSummary())['notifications']['duplicate']).toBe(2 * (runs[0]?.length ?? 0)));
  });

  it('reorders establishing and established, and nothing else; in order again once the profile is gone', async () => {
    await h.setProfile({ seed: 1, notifications: { reorder: { windowMs: 5000 } } });
    const b = await h.bot();
    const callId = await h.flow(b);
    expect(b.of(callId).map(summary)).toEqual(['call:established', 'call:establishing', ...FLOW.slice(2)]);
    const log = await h.deliveryLog(callId);
    const marked = log.filter((e) => e['fault'] === 'reordered');
    expect(marked.map((e) => e['notificationId'])).toEqual(b.of(callId).slice(0, 2).map((n) => n.id));
    expect(marked.every((e) => e['outcome'] === 'delivered')).toBe(true);
    await eventually(async () => expect((await h.faultSummary())['notifications']['reordered']).toBe(1));

    await h.setProfile(undefined);
    const inOrder = await h.flow(b);
    expect(b.of(inOrder).map(summary)).toEqual(FLOW);
    expect((await h.deliveryLog(inOrder)).some((e) => e['fault'] !== undefined)).toBe(false);
  });

  it('delays operation results (a late result) and keeps the call’s order', async () => {
    await h.setProfile({ seed: 2, notifications: { delay: { ms: 1500, kinds: ['operation'] } } });
    const b = await h.bot();
    const { client } = h.svc;
    const callId = (await client.establishedCall({ callbackUri: b.callbackUri }))['id'] as string;
    const play = await client.action(callId, 'playPrompt', promptBody('welcome'));
    // Hang up as soon as the prompt has completed, while its result is still held back: the
    // call's later notifications must wait behind it.
    await eventually(async () => expect((await client.operation(callId, play.json['id'])).json['status']).toBe('completed'), 20_000);
    expect((await client.send('DELETE', `/${callId}`)).status).toBe(204);
    await eventually(() => expect(b.of(callId).map(summary)).toContain('call:terminated'), 20_000);
    expect(b.of(callId).map(summary)).toEqual(FLOW);
    const log = await h.deliveryLog(callId);
    const delayed = log.filter((e) => e['fault'] === 'delayed');
    const result = b.of(callId).find((n) => summary(n) === 'playPromptOperation:completed:welcome');
    expect(delayed.map((e) => [e['notificationId'], e['outcome']])).toEqual([[result?.id, 'delivered']]);
    await eventually(async () => expect((await h.faultSummary())['notifications']).toMatchObject({ delayed: 1, duplicate: 0, reordered: 0, dropped: 0 }));
  });

});
