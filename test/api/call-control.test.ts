import { describe, expect, it } from 'vitest';
import { APP, OTHER_APP, outboxNotifications, token } from '../support/graph';
import { graphError } from '../support/http';
import { inProcessApp } from '../support/in-process';

const svc = inProcessApp({ env: { TARGET_ANSWER_MS: '60000' } });

const TARGET = { '@odata.type': '#microsoft.graph.invitationParticipantInfo', identity: { user: { id: 'agent-7', displayName: 'Agent' } } };

async function incomingCall(): Promise<string> {
  const res = await svc.client.emulator('incomingCalls', { callbackUri: 'https://bot.example.com/callback' });
  expect(res.status).toBe(201);
  return ((await res.json()) as Record<string, string>)['id'] as string;
}

async function expectBadRequest(res: Response, ...mentions: string[]) {
  expect(res.status).toBe(400);
  const error = await graphError(res);
  for (const text of mentions) expect(error.message).toContain(text);
  return error;
}

/** `changeType:state` (or the operation's type:status) of the call's notifications, in order. */
async function story(callId: string): Promise<string[]> {
  return (await outboxNotifications(svc.table, callId)).map((n) => {
    const data = n['resourceData'];
    if (Array.isArray(data)) return `participants:${data.length}`;
    return `${n['changeType']}:${data['state'] ?? `${String(data['@odata.type']).replace('#microsoft.graph.', '')}:${data['status']}`}`;
  });
}

describe('transfer', () => {
  it('answers 202 with no body, then the call is transferring; the target’s answer is the emulator’s', async () => {
    const callId = (await svc.client.establishedCall())['id'] as string;
    const res = await svc.client.send('POST', `/${callId}/transfer`, { transferTarget: TARGET });
    expect(res.status).toBe(202);
    expect(await res.text()).toBe('');
    expect((await svc.client.getCall(callId)).state).toBe('transferring');

    const answer = await svc.client.emulator(`calls/${callId}/transferTarget`, { action: 'accept' });
    expect(await answer.json()).toEqual({ action: 'accept', appliedNow: true });
    expect(await svc.client.getCall(callId)).toMatchObject({ state: 'terminated', resultInfo: { code: 0, subcode: 7015 } });
    expect((await story(callId)).slice(-4)).toEqual(['updated:transferring', 'updated:transferAccepted', 'participants:1', 'deleted:terminated']);
  });

  it('works on every path family that had it', async () => {
    for (const prefix of ['/beta/app/calls', `/beta/applications/${APP}/calls`]) {
      const client = svc.client.with({ prefix });
      const callId = (await client.establishedCall())['id'] as string;
      expect((await client.send('POST', `/${callId}/transfer`, { transferTarget: TARGET })).status).toBe(202);
    }
  });

  it('refuses bad bodies naming the field, and calls that are not established', async () => {
    const callId = (await svc.client.establishedCall())['id'] as string;
    await expectBadRequest(await svc.client.send('POST', `/${callId}/transfer`, {}), "'transferTarget'", 'is required');
    await expectBadRequest(await svc.client.send('POST', `/${callId}/transfer`, { transferTarget: { endpointType: 'default' } }), "'transferTarget.identity'");
    await expectBadRequest(await svc.client.send('POST', `/${callId}/transfer`, { transferTarget: TARGET, extra: 1 }), 'extra');
    const ringing = await incomingCall();
    const error = await expectBadRequest(await svc.client.send('POST', `/${ringing}/transfer`, { transferTarget: TARGET }), 'established');
    expect(error.innerError.code).toBe('notEstablished');
  });
});

describe('reject and redirect', () => {
  it('reject: 202, the incoming call ends at once with the reason', async () => {
    const callId = await incomingCall();
    const res = await svc.client.send('POST', `/${callId}/reject`, { reason: 'busy' });
    expect(res.status).toBe(202);
    expect(await svc.client.getCall(callId)).toMatchObject({ state: 'terminated', resultInfo: { code: 486 } });
    expect(await story(callId)).toEqual(['created:incoming', 'deleted:terminated']);
    const again = await expectBadRequest(await svc.client.send('POST', `/${callId}/reject`, {}), 'only an incoming call');
    expect(again.innerError.code).toBe('notIncoming');
  });

  it('redirect: 202, redirecting until a target takes it; targets and timeout are checked', async () => {
    const callId = await incomingCall();
    await expectBadRequest(await svc.client.send('POST', `/${callId}/redirect`, { targets: [] }), "'targets'", 'at least 1');
    await expectBadRequest(await svc.client.send('POST', `/${callId}/redirect`, { targets: Array(26).fill(TARGET) }), 'at most 25');
    await expectBadRequest(await svc.client.send('POST', `/${callId}/redirect`, { targets: [TARGET], timeout: 10 }), "'timeout'", 'between 15 and 90');
    await expectBadRequest(await svc.client.send('POST', `/${callId}/reject`, { reason: 'later' }), "'reason'");
    const res = await svc.client.send('POST', `/${callId}/redirect`, { targets: [TARGET], timeout: 30 });
    expect(res.status).toBe(202);
    expect((await svc.client.getCall(callId)).state).toBe('redirecting');
  });

  it('only on the caller’s own calls', async () => {
    const callId = await incomingCall();
    const other = svc.client.with({ bearer: await token({ appId: OTHER_APP }) });
    expect((await other.send('POST', `/${callId}/reject`, {})).status).toBe(404);
    expect((await svc.client.getCall(callId)).state).toBe('incoming');
  });
});

describe('keepAlive', () => {
  it('200 with no body while the call lives, 404 once it has ended', async () => {
    const callId = (await svc.client.establishedCall())['id'] as string;
    const res = await svc.client.send('POST', `/${callId}/keepAlive`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    expect((await svc.client.send('DELETE', `/${callId}`)).status).toBe(204);
    const ended = await svc.client.send('POST', `/${callId}/keepAlive`);
    expect(ended.status).toBe(404);
    expect((await graphError(ended)).code).toBe('itemNotFound');
  });

  it('does not exist on the 2018 path family', async () => {
    const res = await svc.client.with({ prefix: `/v1.0/applications/${APP}/calls` }).send('POST', `/${crypto.randomUUID()}/keepAlive`);
    expect(res.status).toBe(404);
    expect((await graphError(res)).code).toBe('NotFound');
  });
});

describe('sendDtmfTones and updateRecordingStatus', () => {
  it('sendDtmfTones: 200 + Location + a running sendDtmfTonesOperation; bad tones named', async () => {
    const callId = (await svc.client.establishedCall())['id'] as string;
    const { res, json } = await svc.client.action(callId, 'sendDtmfTones', { tones: ['tone1', 'pound'], delayBetweenTonesMs: 300, clientContext: 'ext' });
    expect(res.status).toBe(200);
    expect(res.headers.get('location')).toBe(`${svc.client.serviceUrl}/v1.0/communications/calls/${callId}/operations/${json['id']}`);
    expect(json).toMatchObject({ '@odata.type': '#microsoft.graph.sendDtmfTonesOperation', status: 'running', clientContext: 'ext', completionReason: null });
    await expectBadRequest(await svc.client.send('POST', `/${callId}/sendDtmfTones`, { tones: ['1'] }), "'tones[0]'", 'tone0-tone9');
    await expectBadRequest(await svc.client.send('POST', `/${callId}/sendDtmfTones`, { tones: [] }), "'tones'");
  });

  it('updateRecordingStatus: a completed operation, the status on the bot’s participant, a roster notification', async () => {
    const callId = (await svc.client.establishedCall())['id'] as string;
    await expectBadRequest(await svc.client.send('POST', `/${callId}/updateRecordingStatus`, { status: 'paused' }), "'status'");
    const { res, json } = await svc.client.action(callId, 'updateRecordingStatus', { status: 'recording', clientContext: 'compliance' });
    expect(res.status).toBe(200);
    expect(json).toMatchObject({ '@odata.type': '#microsoft.graph.updateRecordingStatusOperation', status: 'completed', clientContext: 'compliance' });
    const roster = (await outboxNotifications(svc.table, callId)).at(-1);
    expect(roster?.['resourceUrl']).toBe(`/communications/calls/${callId}/participants`);
    expect(roster?.['resourceData'][0]).toMatchObject({ recordingInfo: { recordingStatus: 'recording' } });
  });
});

describe('participants', () => {
  it('DELETE removes another participant: 204, gone from the list and the roster notification; the bot cannot remove itself; unknown ids 404', async () => {
    const call = await svc.client.establishedCall();
    const callId = call['id'] as string;
    const list = async () => ((await (await svc.client.send('GET', `/${callId}/participants`)).json()) as { value: Record<string, unknown>[] }).value;
    const [bot, target] = await list();
    expect((await svc.client.send('DELETE', `/${callId}/participants/${crypto.randomUUID()}`)).status).toBe(404);
    const self = await svc.client.send('DELETE', `/${callId}/participants/${bot?.['id']}`);
    expect(self.status).toBe(400);
    expect((await graphError(self)).innerError.code).toBe('cannotRemoveSelf');

    const removed = await svc.client.send('DELETE', `/${callId}/participants/${target?.['id']}`);
    expect([removed.status, await removed.text()]).toEqual([204, '']);
    expect((await list()).map((p) => p['id'])).toEqual([bot?.['id']]);
    const roster = (await outboxNotifications(svc.table, callId)).at(-1);
    expect((roster?.['resourceData'] as unknown[]).map((p) => (p as Record<string, unknown>)['id'])).toEqual([bot?.['id']]);
    // Gone: a second DELETE finds nobody.
    expect((await svc.client.send('DELETE', `/${callId}/participants/${target?.['id']}`)).status).toBe(404);
  });

  it('lists the bot and the target, gets one by id, and has nobody once the call ended', async () => {
    const call = await svc.client.establishedCall();
    const callId = call['id'] as string;
    const list = await svc.client.send('GET', `/${callId}/participants`);
    expect(list.status).toBe(200);
    const { value } = (await list.json()) as { value: Record<string, any>[] }; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(value).toHaveLength(2);
    expect(value[0]).toMatchObject({ '@odata.type': '#microsoft.graph.participant', id: call['myParticipantId'], info: { identity: { application: { id: APP } } } });
    expect(value[1]?.['info']['identity']).toMatchObject({ user: { displayName: 'John' } });
    const one = await svc.client.send('GET', `/${callId}/participants/${value[1]?.['id']}`);
    expect(await one.json()).toMatchObject({ id: value[1]?.['id'] });
    expect((await svc.client.send('GET', `/${callId}/participants/${crypto.randomUUID()}`)).status).toBe(404);
    await svc.client.send('DELETE', `/${callId}`);
    expect(((await (await svc.client.send('GET', `/${callId}/participants`)).json()) as { value: unknown[] }).value).toEqual([]);
  });
});
