import { describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually';
import { APP, outboxNotifications, promptBody, TENANT } from '../support/graph';
import { inProcessApp } from '../support/in-process';

const svc = inProcessApp();

describe('a bot driving a call through the Graph calls API', () => {
  it('creates a call: 201, Location, the call establishing', async () => {
    const res = await svc.client.send('POST', '', {
      callbackUri: 'https://bot.example.com/callback',
      targets: [{ identity: { user: { id: 'u1' } } }],
      mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' },
    });
    expect(res.status).toBe(201);
    const call = (await res.json()) as Record<string, unknown>;
    expect(res.headers.get('location')).toBe(`${svc.client.serviceUrl}/v1.0/communications/calls/${call['id']}`);
    expect(call).toMatchObject({
      '@odata.type': '#microsoft.graph.call',
      state: 'establishing',
      direction: 'outgoing',
      callbackUri: 'https://bot.example.com/callback',
      requestedModalities: ['audio'],
      mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' },
      tenantId: TENANT,
      source: { identity: { application: { id: APP } } },
    });
    expect(call['id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(call['myParticipantId']).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get('request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('runs create → playPrompt ×2 → recordResponse → subscribeToTone → cancelMediaProcessing, and GETs every operation', async () => {
    const { client } = svc;
    const call = await client.establishedCall();
    const callId = call['id'] as string;

    const p1 = await client.action(callId, 'playPrompt', promptBody('first prompt', 2));
    const p2 = await client.action(callId, 'playPrompt', promptBody('second prompt'));
    const r1 = await client.action(callId, 'recordResponse', { clientContext: 'the recording', maxRecordDurationInSeconds: 10, stopTones: ['#'] });
    const sub = await client.action(callId, 'subscribeToTone', { clientContext: 'tones' });
    for (const [result, type, status, clientContext] of [
      [p1, 'playPromptOperation', 'running', 'first prompt'],
      [p2, 'playPromptOperation', 'notStarted', 'second prompt'],
      [r1, 'recordOperation', 'notStarted', 'the recording'],
      [sub, 'subscribeToToneOperation', 'completed', 'tones'],
    ] as const) {
      expect(result.res.status).toBe(200);
      expect(result.json).toMatchObject({ '@odata.type': `#microsoft.graph.${type}`, status, clientContext, resultInfo: null });
      expect(result.res.headers.get('location')).toBe(`${svc.client.serviceUrl}/v1.0/communications/calls/${callId}/operations/${result.json['id']}`);
    }
    expect(r1.json).toMatchObject({ recordingLocation: null, recordingAccessToken: null, completionReason: null });

    const cancel = await client.action(callId, 'cancelMediaProcessing', { clientContext: 'stop it' });
    expect(cancel.res.status).toBe(200);
    expect(cancel.json).toMatchObject({ '@odata.type': '#microsoft.graph.cancelMediaProcessingOperation', status: 'completed', clientContext: 'stop it' });

    const cancelled = { status: 'failed', resultInfo: { '@odata.type': '#microsoft.graph.resultInfo', code: 400, subcode: 8508, message: 'Action failed, the operation was cancelled.' } };
    const expected: [typeof p1, Record<string, unknown>][] = [
      [p1, { ...cancelled, completionReason: 'mediaOperationCanceled', clientContext: 'first prompt' }],
      [p2, { ...cancelled, completionReason: 'mediaOperationCanceled' }],
      [r1, { ...cancelled, completionReason: 'operationCanceled', recordingLocation: '', recordingAccessToken: '' }],
      [sub, { status: 'completed', '@odata.type': '#microsoft.graph.subscribeToToneOperation' }],
      [cancel, { status: 'completed', clientContext: 'stop it' }],
    ];
    for (const [action, fields] of expected) {
      const { res, json } = await client.operation(callId, action.json['id']);
      expect(res.status).toBe(200);
      expect(json).toMatchObject({ id: action.json['id'], '@odata.type': action.json['@odata.type'], ...fields });
    }
    // The tone subscription survives the cancel; the call is still up.
    expect((await client.getCall(callId)).state).toBe('established');

    // The notifications are in the outbox, in order, exactly as a bot will receive them.
    const notifications = await eventually(async () => {
      const list = await outboxNotifications(svc.table, callId);
      expect(list.length).toBeGreaterThanOrEqual(6);
      return list;
    });
    const summary = notifications.map((n) => `${n['changeType']} ${n['resourceData']['@odata.type']} ${n['resourceData']['state'] ?? n['resourceData']['status']}`);
    expect(summary).toEqual([
      'updated #microsoft.graph.call establishing',
      'updated #microsoft.graph.call established',
      'deleted #microsoft.graph.playPromptOperation failed',
      'deleted #microsoft.graph.playPromptOperation failed',
      'deleted #microsoft.graph.recordOperation failed',
      'deleted #microsoft.graph.cancelMediaProcessingOperation completed',
    ]);
    const recordNotification = notifications[4];
    // The ids the API returned, as Graph's own notifications name them.
    const url = `/communications/calls/${callId}/operations/${r1.json['id']}`;
    expect(recordNotification).toEqual({
      '@odata.type': '#microsoft.graph.commsNotification',
      changeType: 'deleted',
      resourceUrl: url,
      resourceData: {
        '@odata.type': '#microsoft.graph.recordOperation',
        '@odata.id': url,
        '@odata.etag': expect.stringMatching(/^W\/"\d+"$/),
        id: r1.json['id'],
        clientContext: 'the recording',
        status: 'failed',
        resultInfo: cancelled.resultInfo,
        completionReason: 'operationCanceled',
        recordingLocation: '',
        recordingAccessToken: '',
      },
    });
  });

  it('looks calls and operations up by any GUID spelling', async () => {
    const { client } = svc;
    const call = await client.createCall();
    const callId = call['id'] as string;
    const op = await client.action(callId, 'subscribeToTone', {});
    for (const spelling of [callId.toUpperCase(), callId.replaceAll('-', ''), `{${callId}}`]) {
      expect((await client.send('GET', `/${encodeURIComponent(spelling)}`)).status).toBe(200);
      const byOp = await client.operation(spelling, op.json['id'].toUpperCase().replaceAll('-', ''));
      expect(byOp.res.status).toBe(200);
      expect(byOp.json['id']).toBe(op.json['id']);
    }
  });

  it('hangs up: 204, terminated, no more media, and a second DELETE is still 204', async () => {
    const { client } = svc;
    const call = await client.establishedCall();
    const callId = call['id'] as string;
    const p1 = await client.action(callId, 'playPrompt', promptBody('x'));
    expect((await client.send('DELETE', `/${callId}`)).status).toBe(204);
    const after = await client.getCall(callId);
    expect(after).toMatchObject({ state: 'terminated', resultInfo: { code: 200, subcode: 7000, message: 'The conversation has ended by bot.' } });
    expect((await client.operation(callId, p1.json['id'])).json).toMatchObject({ status: 'failed', completionReason: 'mediaOperationCanceled' });
    const late = await client.action(callId, 'playPrompt', promptBody('too late'));
    expect(late.res.status).toBe(400);
    expect(late.json['error']).toMatchObject({ code: 'BadRequest', innerError: { code: 'callEnded' } });
    expect(late.json['error']['message']).toContain('terminated');
    expect((await client.send('DELETE', `/${callId}`)).status).toBe(204);
    const states = (await outboxNotifications(svc.table, callId)).map((n) => `${n['changeType']}:${n['resourceData']['state'] ?? n['resourceData']['status']}`);
    expect(states.slice(-3)).toEqual(['updated:terminating', 'deleted:failed', 'deleted:terminated']);
  });
});
