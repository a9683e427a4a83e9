import { describe, expect, it } from 'vitest';
import { graphError, json } from '../support/http';
import { inProcessApp } from '../support/in-process';

// What a call has beside operations: screen-sharing sessions, audio routing groups, device-quality reports.
const svc = inProcessApp();
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const APP_HOSTED = { mediaConfig: { '@odata.type': '#microsoft.graph.appHostedMediaConfig', blob: '<media configuration blob>' } };
const participantIds = async (callId: string) => ((await json<{ value: Json[] }>(await svc.client.send('GET', `/${callId}/participants`))).value).map((p) => p['id'] as string);

describe('contentSharingSessions', () => {
  it('lists the screens the other side shares (the emulator starts and stops one), and gets one by id', async () => {
    const callId = (await svc.client.establishedCall())['id'] as string;
    const list = async () => (await json<{ value: Json[] }>(await svc.client.send('GET', `/${callId}/contentSharingSessions`))).value;
    expect(await list()).toEqual([]);
    const shared = await json<{ sessions: string[] }>(await svc.client.emulator(`calls/${callId}/screenShare`, { sharing: true }));
    expect(await list()).toEqual([{ '@odata.type': '#microsoft.graph.contentSharingSession', id: shared.sessions[0] }]);
    expect(await json(await svc.client.send('GET', `/${callId}/contentSharingSessions/${shared.sessions[0]}`))).toMatchObject({ id: shared.sessions[0] });
    await svc.client.emulator(`calls/${callId}/screenShare`, { sharing: false });
    expect(await list()).toEqual([]);
    expect((await svc.client.send('GET', `/${callId}/contentSharingSessions/${shared.sessions[0]}`)).status).toBe(404);
  });
});

describe('audioRoutingGroups', () => {
  it('create, list, get, update and delete on an app-hosted call', async () => {
    const callId = (await svc.client.establishedCall(APP_HOSTED))['id'] as string;
    const [bot, caller] = await participantIds(callId);
    const created = await svc.client.send('POST', `/${callId}/audioRoutingGroups`, { id: 'whisper', routingMode: 'oneToOne', sources: [bot], receivers: [caller] });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toMatch(new RegExp(`/calls/${callId}/audioRoutingGroups/whisper$`));
    expect(await created.json()).toMatchObject({ '@odata.type': '#microsoft.graph.audioRoutingGroup', id: 'whisper', routingMode: 'oneToOne', sources: [bot], receivers: [caller] });
    expect((await json<{ value: Json[] }>(await svc.client.send('GET', `/${callId}/audioRoutingGroups`))).value.map((g) => g['id'])).toEqual(['whisper']);
    const patched = await svc.client.send('PATCH', `/${callId}/audioRoutingGroups/whisper`, { routingMode: 'multicast', receivers: [caller, bot] });
    expect(await json(patched)).toMatchObject({ routingMode: 'multicast', receivers: [caller, bot] });
    expect(await json(await svc.client.send('GET', `/${callId}/audioRoutingGroups/whisper`))).toMatchObject({ routingMode: 'multicast' });
    expect((await svc.client.send('PATCH', `/${callId}/audioRoutingGroups/whisper`, { id: 'shout' })).status).toBe(400);
    expect((await svc.client.send('DELETE', `/${callId}/audioRoutingGroups/whisper`)).status).toBe(204);
    expect((await svc.client.send('GET', `/${callId}/audioRoutingGroups/whisper`)).status).toBe(404);
    // A group the call does not have (any more) is a 404 to change or delete.
    expect((await svc.client.send('PATCH', `/${callId}/audioRoutingGroups/whisper`, { receivers: [bot] })).status).toBe(404);
    expect((await svc.client.send('DELETE', `/${callId}/audioRoutingGroups/whisper`)).status).toBe(404);
  });

  it('refused on a service-hosted call, and for a group that names someone not on the call or breaks its mode', async () => {
    const service = (await svc.client.establishedCall())['id'] as string;
    const [bot, caller] = await participantIds(service);
    const refused = await svc.client.send('POST', `/${service}/audioRoutingGroups`, { routingMode: 'oneToOne', sources: [bot], receivers: [caller] });
    expect(refused.status).toBe(400);
    expect((await graphError(refused)).innerError.code).toBe('serviceHostedMedia');
    expect((await graphError(await svc.client.send('GET', `/${service}/audioRoutingGroups`))).innerError.code).toBe('serviceHostedMedia');

    const appHosted = (await svc.client.establishedCall(APP_HOSTED))['id'] as string;
    const ids = await participantIds(appHosted);
    const stranger = await svc.client.send('POST', `/${appHosted}/audioRoutingGroups`, { routingMode: 'oneToOne', sources: [ids[0]], receivers: ['nobody'] });
    expect(await graphError(stranger)).toMatchObject({ innerError: { code: 'invalidRoutingGroup' }, message: expect.stringContaining("'nobody'") });
    const twoReceivers = await svc.client.send('POST', `/${appHosted}/audioRoutingGroups`, { routingMode: 'oneToOne', sources: [ids[0]], receivers: ids });
    expect((await graphError(twoReceivers)).innerError.code).toBe('invalidRoutingGroup');
    expect((await graphError(await svc.client.send('POST', `/${appHosted}/audioRoutingGroups`, { routingMode: 'broadcast', sources: [], receivers: [] }))).message).toContain("'routingMode'");
  });
});

describe('logTeleconferenceDeviceQuality', () => {
  const quality = {
    '@odata.type': '#microsoft.graph.teleconferenceDeviceQuality',
    callChainId: '0622673d-9f69-49b3-9d4f-5ec64f2ecbbe',
    participantId: 'ea078a04-a0be-4f41-9ac4-02b54b4d5f4f',
    mediaLegId: 'bd9ee398-4b9d-42c7-8b8d-4e8efad9435f',
    deviceName: 'Conference room 12',
    deviceDescription: 'Teams Room',
    mediaQualityList: [{ '@odata.type': '#microsoft.graph.teleconferenceDeviceAudioQuality', averageJitter: 'PT0.03S' }],
  };

  it('takes a report (200, no body) and keeps it for the console; names what is missing', async () => {
    const res = await svc.client.send('POST', '/logTeleconferenceDeviceQuality', { quality });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    const kept = await json<{ value: Json[] }>(await svc.client.transport(`${svc.client.serviceUrl}/emulator/deviceQuality`, { headers: { authorization: `Bearer ${svc.client.bearer}` } }));
    expect(kept.value[0]?.['quality']).toMatchObject({ deviceName: 'Conference room 12' });
    const { deviceName: _omitted, ...incomplete } = quality;
    const bad = await svc.client.send('POST', '/microsoft.graph.logTeleconferenceDeviceQuality', { quality: { ...incomplete, callChainId: 'x' } });
    expect(bad.status).toBe(400);
    const { message } = await graphError(bad);
    expect(message).toContain("'quality.callChainId' must be a GUID");
    expect(message).toContain("'quality.deviceName'");
  });
});

describe('on the deprecated /app family too', () => {
  it('every new route answers there as on /communications, and the operations it makes are read back typed', async () => {
    const app = svc.client.with({ prefix: '/v1.0/app/calls' });
    const callId = (await svc.client.establishedCall(APP_HOSTED))['id'] as string;
    const [bot, caller] = await participantIds(callId);
    const hold = await app.send('POST', `/${callId}/participants/${caller}/startHoldMusic`, {});
    expect(hold.status).toBe(202);
    expect(hold.headers.get('location')).toContain('/v1.0/app/calls/');
    const held = (await hold.json()) as Json;
    expect((await json<Json>(await app.send('GET', `/${callId}/operations/${held['id']}`)))['@odata.type']).toBe('#microsoft.graph.startHoldMusicOperation');
    expect((await app.send('POST', `/${callId}/participants/${caller}/stopHoldMusic`, {})).status).toBe(202);
    const invited = await app.send('POST', `/${callId}/participants/invite`, { participants: [{ identity: { user: { id: 'agent-9' } } }] });
    expect(invited.status).toBe(200);
    expect((await json<Json>(await app.send('GET', `/${callId}/operations/${((await invited.json()) as Json)['id']}`)))['@odata.type']).toBe('#microsoft.graph.inviteParticipantsOperation');
    expect((await app.send('GET', `/${callId}/contentSharingSessions`)).status).toBe(200);
    expect((await app.send('POST', `/${callId}/audioRoutingGroups`, { routingMode: 'oneToOne', sources: [bot], receivers: [caller] })).status).toBe(201);
    expect((await app.send('GET', `/${callId}/audioRoutingGroups`)).status).toBe(200);
    expect((await svc.client.with({ prefix: '/beta/app/calls' }).send('POST', `/${callId}/participants/muteAll`, {})).status).toBe(200);
    expect((await app.send('POST', '/logTeleconferenceDeviceQuality', { quality: { callChainId: callId, participantId: bot, mediaLegId: callId, deviceName: 'Room', deviceDescription: '', mediaQualityList: [] } })).status).toBe(200);
  });
});
