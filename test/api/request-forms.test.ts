import { describe, expect, it } from 'vitest';
import { APP, outboxNotifications } from '../support/graph';
import { graphError } from '../support/http';
import { inProcessApp } from '../support/in-process';

/**
 * Requests as Microsoft's .NET clients send them, on every path family: the namespace-qualified
 * action segments and `#`-less types of Microsoft.Graph v1-v4 (and the Communications SDK before
 * 1.2.0.9212), and the PascalCase enums of today's Communications SDK (its create body below is
 * the one it sent in clients/dotnet's tests).
 */
const svc = inProcessApp({ env: { TARGET_ANSWER_MS: '60000' } });

const FAMILIES = [
  ['communications', '/v1.0/communications/calls'],
  ['app', '/beta/app/calls'],
  ['applications', `/v1.0/applications/${APP}/calls`],
] as const;

/** Graph v4 models: `@odata.type` without the `#`. */
const v4 = (name: string) => `microsoft.graph.${name}`;
const V4_PROMPTS = [{ '@odata.type': v4('mediaPrompt'), mediaInfo: { '@odata.type': v4('mediaInfo'), uri: 'https://cdn.example.com/menu.wav', resourceId: 'menu' } }];
const V4_TARGET = { '@odata.type': v4('invitationParticipantInfo'), identity: { '@odata.type': v4('identitySet'), user: { '@odata.type': v4('identity'), id: 'agent-7' } } };
const V4_MEDIA = { '@odata.type': v4('serviceHostedMediaConfig') };

/** What the Communications SDK 1.2.0.18742 posts to create a call (its enums are PascalCase). */
const COMMUNICATIONS_SDK_CALL = {
  '@odata.type': '#microsoft.graph.call',
  callbackUri: 'https://bot.example.com/api/calling',
  direction: 'Outgoing',
  mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' },
  requestedModalities: ['Audio'],
  source: { '@odata.type': '#microsoft.graph.participantInfo', identity: { '@odata.type': '#microsoft.graph.identitySet', application: { '@odata.type': '#microsoft.graph.identity', displayName: 'ivr', id: APP } } },
  targets: [{ '@odata.type': '#microsoft.graph.invitationParticipantInfo', identity: { '@odata.type': '#microsoft.graph.identitySet', user: { '@odata.type': '#microsoft.graph.identity', displayName: 'John', id: 'john' } } }],
  tenantId: 'a1b2c3d4-0000-4000-8000-000000000001',
};

async function incomingCall(): Promise<string> {
  const res = await svc.client.emulator('incomingCalls', { callbackUri: 'https://bot.example.com/callback' });
  return ((await res.json()) as Record<string, string>)['id'] as string;
}

describe.each(FAMILIES)('on the %s family', (family, prefix) => {
  const client = () => svc.client.with({ prefix });
  const mediaStatus = family === 'applications' ? 202 : 200;
  const qualified = (callId: string, action: string, body?: unknown) => client().send('POST', `/${callId}/microsoft.graph.${action}`, body);

  it("creates a call from the Communications SDK's body and from a v4 body without #", async () => {
    for (const body of [COMMUNICATIONS_SDK_CALL, { '@odata.type': v4('call'), callbackUri: 'https://bot.example.com/cb', targets: [V4_TARGET], requestedModalities: ['audio'], mediaConfig: V4_MEDIA }]) {
      const res = await client().send('POST', '', body);
      expect(res.status, await res.clone().text()).toBe(201);
      expect(await res.json()).toMatchObject({ mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' }, requestedModalities: ['audio'] });
    }
  });

  it('runs every media action at …/microsoft.graph.{action}, with v4 bodies', async () => {
    const callId = (await client().establishedCall())['id'] as string;
    const play = await qualified(callId, 'playPrompt', { clientContext: 'menu', prompts: V4_PROMPTS });
    expect(play.status, await play.clone().text()).toBe(mediaStatus);
    // Location names the operation at its canonical path, whatever the request's segment.
    expect(play.headers.get('location')).toMatch(new RegExp(`${prefix}/${callId}/operations/[0-9a-f-]{36}$`));
    expect((await qualified(callId, 'recordResponse', { clientContext: 'message', prompts: V4_PROMPTS, stopTones: ['#'] })).status).toBe(mediaStatus);
    expect((await qualified(callId, 'subscribeToTone', { clientContext: 'keys' })).status).toBe(mediaStatus);
    expect((await qualified(callId, 'cancelMediaProcessing', { clientContext: 'stop' })).status).toBe(mediaStatus);
    const ended = (await outboxNotifications(svc.table, callId)).filter((n) => /Operation$/.test(n['resourceData']['@odata.type']));
    expect(ended.map((n) => [n['resourceData']['clientContext'], n['resourceData']['status']])).toEqual([
      ['menu', 'failed'],
      ['message', 'failed'],
      ['stop', 'completed'],
    ]);
  });

  it('answers, rejects and redirects at …/microsoft.graph.{action}', async () => {
    expect((await qualified(await incomingCall(), 'answer', { callbackUri: 'https://bot.example.com/cb', acceptedModalities: ['Audio'], mediaConfig: V4_MEDIA })).status).toBe(202);
    // The Communications SDK's AnswerAsync: PascalCase modalities, participantCapacity 0 (its int default).
    const sdkAnswer = { callbackUri: 'https://bot.example.com/api/calling', acceptedModalities: ['Audio'], mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' }, participantCapacity: 0 };
    expect((await client().send('POST', `/${await incomingCall()}/answer`, sdkAnswer)).status).toBe(202);
    expect((await qualified(await incomingCall(), 'reject', { reason: 'Busy' })).status).toBe(202);
    expect((await qualified(await incomingCall(), 'redirect', { targets: [V4_TARGET] })).status).toBe(202);
  });

  it('transfers at …/microsoft.graph.transfer', async () => {
    const callId = (await client().establishedCall())['id'] as string;
    expect((await qualified(callId, 'transfer', { transferTarget: V4_TARGET })).status).toBe(202);
    expect((await client().getCall(callId)).state).toBe('transferring');
  });

  it.skipIf(family === 'applications')('keeps alive, sends DTMF and updates the recording status at …/microsoft.graph.{action}', async () => {
    const callId = (await client().establishedCall())['id'] as string;
    expect((await qualified(callId, 'keepAlive')).status).toBe(200);
    const dtmf = await qualified(callId, 'sendDtmfTones', { tones: ['Tone1', 'Pound'], clientContext: 'dial' });
    expect(dtmf.status).toBe(200);
    expect(await dtmf.json()).toMatchObject({ '@odata.type': '#microsoft.graph.sendDtmfTonesOperation', clientContext: 'dial' });
    const recording = await qualified(callId, 'updateRecordingStatus', { status: 'Recording' });
    expect(recording.status).toBe(200);
  });

  it('names the call in notifications by the id the API returned', async () => {
    const call = await client().establishedCall();
    const callPath = family === 'applications' ? `/applications/${APP}/calls/${call['id']}` : `/${family === 'app' ? 'app' : 'communications'}/calls/${call['id']}`;
    const play = await qualified(call['id'], 'playPrompt', { prompts: V4_PROMPTS });
    const operationId = /operations\/(.+)$/.exec(play.headers.get('location') ?? '')?.[1];
    await qualified(call['id'], 'cancelMediaProcessing', {});
    const urls = (await outboxNotifications(svc.table, call['id'])).map((n) => n['resourceUrl']);
    expect(urls).toContain(callPath);
    expect(urls).toContain(`${callPath}/operations/${operationId}`);
  });
});

describe('a qualified segment that names no action', () => {
  it('is a Graph 404, and a known one with another method a 405', async () => {
    const callId = (await svc.client.createCall())['id'] as string;
    const unknown = await svc.client.send('POST', `/${callId}/microsoft.graph.playPromptNow`, {});
    expect(unknown.status).toBe(404);
    expect((await graphError(unknown)).code).toBe('NotFound');
    const wrongMethod = await svc.client.send('GET', `/${callId}/microsoft.graph.playPrompt`);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST');
  });
});
