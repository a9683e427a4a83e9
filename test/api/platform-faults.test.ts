import { afterEach, describe, expect, it } from 'vitest';
import { OTHER_APP, outboxNotifications, promptBody, token } from '../support/graph';
import { graphError, json } from '../support/http';
import { eventually } from '../support/eventually';
import { inProcessApp } from '../support/in-process';

// The platform's failures: calls that drop or never establish, actions on a call Graph lost, prompts that play nothing.
const svc = inProcessApp();

async function emulator(method: string, path: string, body?: unknown): Promise<Response> {
  return svc.client.transport(`${svc.client.serviceUrl}/emulator/${path}`, {
    method,
    headers: { authorization: `Bearer ${svc.client.bearer}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
}
const summary = async () => (await json<{ calls: Record<string, number> }>(await emulator('GET', 'faults/summary'))).calls;
const lastNotification = async (callId: string) => (await outboxNotifications(svc.table, callId)).at(-1);

afterEach(async () => {
  await emulator('DELETE', 'faults');
});

describe('POST /emulator/calls/{id}/drop', () => {
  it('ends the call now as the platform would: deleted with the resultInfo (the preset’s message when omitted), counted', async () => {
    const before = (await summary()).callDropped ?? 0;
    const callId = (await svc.client.establishedCall())['id'] as string;
    const res = await svc.client.emulator(`calls/${callId}/drop`, { resultInfo: { code: 500, subcode: 1999 } });
    expect(res.status).toBe(200);
    const resultInfo = { code: 500, subcode: 1999, message: 'Server Internal Error. DiagCode: 500#1999.@' };
    expect(await res.json()).toEqual({ dropped: true, resultInfo });
    expect(await svc.client.getCall(callId)).toMatchObject({ state: 'terminated', resultInfo: { ...resultInfo, '@odata.type': '#microsoft.graph.resultInfo' } });
    expect(await lastNotification(callId)).toMatchObject({ changeType: 'deleted', resourceData: { state: 'terminated', resultInfo: { code: 500, subcode: 1999 } } });
    expect((await summary()).callDropped).toBe(before + 1);
    // Dropping an ended call changes nothing.
    expect(await json(await svc.client.emulator(`calls/${callId}/drop`, { preset: '500/3002' }))).toMatchObject({ dropped: false });
  });

  it('takes a preset or a resultInfo, names what is wrong, and drives only the app’s own calls', async () => {
    const callId = (await svc.client.createCall())['id'] as string;
    const bad = await svc.client.emulator(`calls/${callId}/drop`, { preset: '500/1234' });
    expect(bad.status).toBe(400);
    expect((await graphError(bad)).message).toContain("'preset' must be one of '500/1999', '500/3002', '500/7117'");
    const other = svc.client.with({ bearer: await token({ appId: OTHER_APP }) });
    expect((await other.emulator(`calls/${callId}/drop`)).status).toBe(404);
    expect(await json(await svc.client.emulator(`calls/${callId}/drop`, { preset: '500/3002' }))).toMatchObject({ dropped: true, resultInfo: { code: 500, subcode: 3002 } });
  });
});

describe('call faults in a profile', () => {
  it('failActions: the next actions on the call answer 404 / 8522 "Call not found." and change nothing; then the call works', async () => {
    const callId = (await svc.client.establishedCall())['id'] as string;
    expect((await emulator('PUT', `calls/${callId}/faults`, { calls: { failActions: { next: 1 } } })).status).toBe(200);
    const before = (await summary()).actionFailed ?? 0;
    const refused = await svc.client.send('POST', `/${callId}/playPrompt`, promptBody());
    expect(refused.status).toBe(404);
    expect(await graphError(refused)).toMatchObject({ code: '8522', message: 'Call not found.' });
    expect((await svc.client.send('POST', `/${callId}/playPrompt`, promptBody())).status).toBe(200);
    expect((await summary()).actionFailed).toBe(before + 1);

    // With an error of the test's own (playPrompt's 500 UnknownError, as bots report it).
    await emulator('PUT', `calls/${callId}/faults`, { calls: { failActions: { next: 1, error: { status: 500, code: 'UnknownError', message: 'Unknown error.' } } } });
    const unknown = await svc.client.send('POST', `/${callId}/playPrompt`, promptBody());
    expect(unknown.status).toBe(500);
    expect(await graphError(unknown)).toMatchObject({ code: 'UnknownError', message: 'Unknown error.' });
  });

  it('prompts: a playPrompt answered running completes at once with completionReason unknown', async () => {
    await emulator('PUT', 'faults', { seed: 3, calls: { prompts: { outcome: 'unknown' } } });
    const callId = (await svc.client.establishedCall())['id'] as string;
    const played = await svc.client.action(callId, 'playPrompt', promptBody('spoiled'));
    expect(played.json).toMatchObject({ status: 'running', clientContext: 'spoiled' });
    expect(await lastNotification(callId)).toMatchObject({ resourceData: { status: 'completed', completionReason: 'unknown', clientContext: 'spoiled' } });
    expect((await svc.client.operation(callId, played.json['id'])).json).toMatchObject({ status: 'completed', completionReason: 'unknown' });
  });

  it('neverEstablish: the call stays establishing, then ends 500 / 7117', async () => {
    await emulator('PUT', 'faults', { calls: { neverEstablish: { endAfterMs: 1500 } } });
    const callId = (await svc.client.createCall())['id'] as string;
    await eventually(async () => expect(await svc.client.getCall(callId)).toMatchObject({ state: 'terminated', resultInfo: { code: 500, subcode: 7117 } }), 10_000);
    const states = (await outboxNotifications(svc.table, callId)).map((n) => n['resourceData']?.['state']);
    expect(states).toEqual(['establishing', 'terminated']);

    // An incoming call rung from the emulator is decided when the bot answers it.
    const ring = await json<Record<string, string>>(await svc.client.emulator('incomingCalls', { callbackUri: 'https://bot.example.com/callback' }));
    expect((await svc.client.send('POST', `/${ring['id']}/answer`, { callbackUri: 'https://bot.example.com/callback', acceptedModalities: ['audio'], mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' } })).status).toBe(202);
    await eventually(async () => expect(await svc.client.getCall(ring['id'] as string)).toMatchObject({ state: 'terminated', resultInfo: { code: 500, subcode: 7117 } }), 10_000);
  });

  it('the seed reproduces which calls fail: the same calls of a run again, others with another seed', async () => {
    const run = async (seed: number) => {
      await emulator('PUT', 'faults', { seed, calls: { neverEstablish: { rate: 0.5, endAfterMs: 0 } } });
      const ids: string[] = [];
      for (let i = 0; i < 8; i++) ids.push((await svc.client.createCall())['id'] as string);
      return Promise.all(ids.map(async (id) => eventually(async () => {
        const { state } = await svc.client.getCall(id);
        if (state === 'establishing') throw new Error('not yet');
        return state === 'terminated';
      })));
    };
    const first = await run(21);
    expect(first.some(Boolean) && !first.every(Boolean)).toBe(true);
    expect(await run(21)).toEqual(first);
    expect(await run(22)).not.toEqual(first);
  });
});
