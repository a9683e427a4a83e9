import { describe, expect, it } from 'vitest';
import { summary, type TestBot } from '../support/bot';
import { eventually } from '../support/eventually';
import { promptBody } from '../support/graph';
import { graphError, json } from '../support/http';
import { faultHarnessForFile, type Json } from '../support/fault-harness';

/**
 * The platform's failures (docs/faults.md, "Platform failures"), seen by a real bot: each preset's
 * notification sequence, in order, every POST with a token the bot validated, and no operation
 * left running once the call has ended.
 */
const h = faultHarnessForFile();

const ended = (b: TestBot, callId: string) => eventually(() => expect(b.of(callId).map(summary)).toContain('call:terminated'), 20_000);
const endOf = (b: TestBot, callId: string) => b.of(callId).find((n) => summary(n) === 'call:terminated')?.notification['resourceData']['resultInfo'];

async function assertNothingRunning(callId: string, b: TestBot): Promise<void> {
  const ops = await json<{ value: Json[] }>(await h.svc.client.send('GET', `/${callId}/operations`));
  expect(ops.value.filter((op) => op['status'] === 'running' || op['status'] === 'notStarted')).toEqual([]);
  expect(b.rejected).toEqual([]);
}

async function faultsInLog(callId: string): Promise<unknown[][]> {
  return (await h.deliveryLog(callId)).filter((e) => e['fault']).map((e) => [e['fault'], e['outcome']]);
}

describe('calls the platform ends', () => {
  it('500/1999 (profile drop): established, then the others leave, the prompt is cancelled and the call is deleted', async () => {
    await h.setProfile({ seed: 11, calls: { drop: { afterMs: 1500 } } });
    const b = await h.bot();
    const callId = (await h.svc.client.establishedCall({ callbackUri: b.callbackUri }))['id'] as string;
    await h.svc.client.action(callId, 'playPrompt', promptBody('long', 20));
    await ended(b, callId);
    expect(b.of(callId).map(summary)).toEqual(['call:establishing', 'call:established', 'participants:1', 'playPromptOperation:failed:long', 'call:terminated']);
    expect(endOf(b, callId)).toMatchObject({ code: 500, subcode: 1999, message: 'Server Internal Error. DiagCode: 500#1999.@' });
    await assertNothingRunning(callId, b);
    expect(await faultsInLog(callId)).toEqual([['callDropped', 'delivered']]);
    expect((await h.faultSummary())['calls']).toMatchObject({ callDropped: 1 });
    await h.setProfile(undefined);
  });

  it('500/3002 (one-shot drop): the call ends at the moment the test chooses', async () => {
    const b = await h.bot();
    const callId = (await h.svc.client.establishedCall({ callbackUri: b.callbackUri }))['id'] as string;
    await eventually(() => expect(b.of(callId).map(summary)).toEqual(['call:establishing', 'call:established']), 20_000);
    expect((await h.svc.client.emulator(`calls/${callId}/drop`, { preset: '500/3002' })).status).toBe(200);
    await ended(b, callId);
    expect(b.of(callId).map(summary)).toEqual(['call:establishing', 'call:established', 'participants:1', 'call:terminated']);
    expect(endOf(b, callId)).toMatchObject({ code: 500, subcode: 3002 });
    // The bot's next action finds no call to act on.
    expect((await h.svc.client.send('POST', `/${callId}/playPrompt`, promptBody())).status).toBe(400);
    await assertNothingRunning(callId, b);
  });

  it('500/7117 (neverEstablish): establishing, then deleted; never established', async () => {
    await h.setProfile({ seed: 12, calls: { neverEstablish: { endAfterMs: 1500 } } });
    const b = await h.bot();
    const callId = (await h.svc.client.createCall({ callbackUri: b.callbackUri }))['id'] as string;
    await h.svc.client.action(callId, 'playPrompt', promptBody('queued'));
    await ended(b, callId);
    expect(b.of(callId).map(summary)).toEqual(['call:establishing', 'playPromptOperation:failed:queued', 'call:terminated']);
    expect(endOf(b, callId)).toMatchObject({ code: 500, subcode: 7117 });
    await assertNothingRunning(callId, b);
    await h.setProfile(undefined);
  });
});

describe('actions, prompts and notifications the platform loses', () => {
  it('404/8522 (failActions): the next action answers "Call not found." and changes nothing; the bot hears nothing of it', async () => {
    const b = await h.bot();
    const callId = (await h.svc.client.establishedCall({ callbackUri: b.callbackUri }))['id'] as string;
    expect((await h.emulator('PUT', `calls/${callId}/faults`, { calls: { failActions: { next: 1 } } })).status).toBe(200);
    const refused = await h.svc.client.send('POST', `/${callId}/playPrompt`, promptBody('lost'));
    expect(refused.status).toBe(404);
    expect(await graphError(refused)).toMatchObject({ code: '8522', message: 'Call not found.' });
    expect((await h.svc.client.action(callId, 'playPrompt', promptBody('retried'))).res.status).toBe(200);
    await eventually(() => expect(b.of(callId).map(summary)).toContain('playPromptOperation:completed:retried'), 20_000);
    expect(b.of(callId).map(summary).filter((s) => s.endsWith(':lost'))).toEqual([]);
  });

  it('prompts unknown and mediaError: answered running, then completed with reason unknown, or failed with a 500', async () => {
    const b = await h.bot();
    for (const [outcome, expected] of [['unknown', 'playPromptOperation:completed:spoiled'], ['mediaError', 'playPromptOperation:failed:spoiled']] as const) {
      await h.setProfile({ seed: 13, calls: { prompts: { outcome } } });
      const callId = (await h.svc.client.establishedCall({ callbackUri: b.callbackUri }))['id'] as string;
      const played = await h.svc.client.action(callId, 'playPrompt', promptBody('spoiled'));
      expect(played.json['status']).toBe('running');
      await eventually(() => expect(b.of(callId).map(summary)).toContain(expected), 20_000);
      const result = b.of(callId).find((n) => summary(n) === expected)?.notification['resourceData'];
      expect(result).toMatchObject({ completionReason: 'unknown', resultInfo: { code: outcome === 'unknown' ? 200 : 500 } });
      expect(await faultsInLog(callId)).toEqual([[outcome === 'unknown' ? 'promptUnknown' : 'promptFailed', 'delivered']]);
      await h.svc.client.send('DELETE', `/${callId}`);
      await ended(b, callId);
      await assertNothingRunning(callId, b);
    }
    await h.setProfile(undefined);
  });

  it('lose and empty: an answered call whose establishing/established never arrive, and a callback with no payload', async () => {
    await h.setProfile({ seed: 14, notifications: { lose: { kinds: ['callState'] } } });
    const b = await h.bot();
    const lost = (await h.svc.client.establishedCall({ callbackUri: b.callbackUri }))['id'] as string;
    await h.svc.client.action(lost, 'playPrompt', promptBody('unheralded'));
    await eventually(() => expect(b.of(lost).map(summary)).toEqual(['playPromptOperation:completed:unheralded']), 20_000);
    expect(await faultsInLog(lost)).toEqual([['lost', 'failed'], ['lost', 'failed']]);
    expect((await h.faultSummary())['notifications']).toMatchObject({ lost: 2 });

    await h.setProfile({ seed: 14, notifications: { empty: { kinds: ['operation'] } } });
    const empty = (await h.svc.client.establishedCall({ callbackUri: b.callbackUri }))['id'] as string;
    await h.svc.client.action(empty, 'playPrompt', promptBody('blank'));
    await eventually(async () => expect(await faultsInLog(empty)).toEqual([['emptied', 'refused']]), 20_000);
    // The bot answered the empty POST 400, as Microsoft's SDK does; it was not retried, nor kept as a dead letter.
    expect(b.of(empty).map(summary)).toEqual(['call:establishing', 'call:established']);
    const letters = await json<{ value: Json[] }>(await fetch(`${h.svc.host.url}/notifications/deadLetters?callId=${empty}`));
    expect(letters.value).toEqual([]);
    expect((await h.faultSummary())['notifications']).toMatchObject({ emptied: 1 });
    await h.setProfile(undefined);
  });
});
