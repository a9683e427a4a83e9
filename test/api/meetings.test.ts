import { describe, expect, it } from 'vitest';
import { outboxNotifications, SERVICE_HOSTED, token } from '../support/graph';
import { eventually } from '../support/eventually';
import { graphError, json } from '../support/http';
import { inProcessApp } from '../support/in-process';

// Joining a meeting: meetingInfo checked per subtype; the emulator's meetings give the roster a real meeting gives.
const svc = inProcessApp();
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function emulator(method: string, path: string, body?: unknown, bearer = svc.client.bearer): Promise<Response> {
  return svc.client.transport(`${svc.client.serviceUrl}/emulator/${path}`, {
    method,
    headers: { authorization: `Bearer ${bearer}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
}
const joinBody = (join: Json) => ({ callbackUri: 'https://bot.example.com/callback', requestedModalities: ['audio'], mediaConfig: SERVICE_HOSTED, targets: [], ...join });
const roster = async (callId: string) => (await json<{ value: Json[] }>(await svc.client.send('GET', `/${callId}/participants`))).value.map((p) => `${p['info']['identity']?.['user']?.['displayName'] ?? 'bot'}${p['isInLobby'] ? ' (lobby)' : ''}${p['isMuted'] ? ' (muted)' : ''}`);

describe('joining a meeting', () => {
  it('checks meetingInfo per subtype and names what is missing', async () => {
    const cases: [Json, string][] = [
      [{ meetingInfo: { '@odata.type': '#microsoft.graph.meetingInfo' } }, "'meetingInfo.@odata.type' must be one of '#microsoft.graph.organizerMeetingInfo'"],
      [{ meetingInfo: { '@odata.type': '#microsoft.graph.organizerMeetingInfo', organizer: { user: { id: 'x' } } } }, "'chatInfo.threadId' is required"],
      [{ meetingInfo: { '@odata.type': '#microsoft.graph.organizerMeetingInfo' }, chatInfo: { threadId: 't' } }, "'meetingInfo.organizer.user.id' is required"],
      [{ meetingInfo: { '@odata.type': '#microsoft.graph.joinMeetingIdMeetingInfo', passcode: 'p' } }, "'meetingInfo.joinMeetingId' is required"],
      [{ meetingInfo: { '@odata.type': 'microsoft.graph.tokenMeetingInfo' } }, "'meetingInfo.token' is required"],
    ];
    for (const [body, message] of cases) {
      const res = await svc.client.send('POST', '', joinBody(body));
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((await graphError(res)).message).toContain(message);
    }
  });

  it('with each meetingInfo form, the bot joins the emulator meeting and gets its roster; people come, mute, share and go', async () => {
    const created = await emulator('POST', 'meetings', { subject: 'Standup', people: [{ displayName: 'Ana' }, { displayName: 'Ben' }] });
    expect(created.status).toBe(201);
    const meeting = await json<Json>(created);
    for (const form of ['joinMeetingId', 'organizer', 'token']) {
      const callId = (await svc.client.establishedCall(joinBody(meeting['join'][form])))['id'] as string;
      expect(await roster(callId), form).toEqual(['bot', 'Ana', 'Ben']);
    }
    const callId = (await svc.client.establishedCall(joinBody(meeting['join']['joinMeetingId'])))['id'] as string;
    const joined = await json<Json>(await emulator('POST', `meetings/${meeting['id']}/people`, { displayName: 'Cleo' }));
    const cleo = (joined['people'] as Json[]).find((p) => p['displayName'] === 'Cleo')!['id'];
    await emulator('POST', `meetings/${meeting['id']}/people/${cleo}`, { action: 'mute' });
    await emulator('POST', `meetings/${meeting['id']}/people/${cleo}`, { action: 'startSharing' });
    expect(await roster(callId)).toEqual(['bot', 'Ana', 'Ben', 'Cleo (muted)']);
    expect((await json<{ value: Json[] }>(await svc.client.send('GET', `/${callId}/contentSharingSessions`))).value).toEqual([expect.objectContaining({ id: cleo })]);
    await emulator('POST', `meetings/${meeting['id']}/people/${cleo}`, { action: 'leave' });
    expect(await roster(callId)).toEqual(['bot', 'Ana', 'Ben']);
    // Someone who has left, or was never there, is not found.
    expect((await emulator('POST', `meetings/${meeting['id']}/people/${cleo}`, { action: 'mute' })).status).toBe(404);
    // Every change reached the bot as a roster notification, in order.
    const rosters = (await outboxNotifications(svc.table, callId)).filter((n) => Array.isArray(n['resourceData'])).map((n) => (n['resourceData'] as Json[]).length);
    expect(rosters.at(-1)).toBe(3);
    expect(rosters).toContain(4);
  });

  it('a meetingInfo that names no emulator meeting joins a meeting of the bot alone', async () => {
    const callId = (await svc.client.establishedCall(joinBody({ meetingInfo: { '@odata.type': '#microsoft.graph.joinMeetingIdMeetingInfo', joinMeetingId: '000' } })))['id'] as string;
    expect(await roster(callId)).toEqual(['bot']);
  });
});

describe('the lobby', () => {
  it('beta admitFromLobby lets in someone waiting; removeFromLobby turns them away; neither exists on v1.0', async () => {
    const meeting = await json<Json>(await emulator('POST', 'meetings', { people: [{ displayName: 'Host' }, { displayName: 'Guest', lobby: true }, { displayName: 'Late', lobby: true }] }));
    const callId = (await svc.client.establishedCall(joinBody(meeting['join']['token'])))['id'] as string;
    expect(await roster(callId)).toEqual(['bot', 'Host', 'Guest (lobby)', 'Late (lobby)']);
    const [guest, late] = (meeting['people'] as Json[]).filter((p) => p['state'] === 'lobby').map((p) => p['id'] as string);
    expect((await svc.client.send('POST', `/${callId}/participants/${guest}/admitFromLobby`, {})).status).toBe(404);
    const beta = svc.client.with({ prefix: '/beta/communications/calls' });
    expect((await beta.send('POST', `/${callId}/participants/${guest}/admitFromLobby`, {})).status).toBe(200);
    expect((await beta.send('POST', `/${callId}/participants/${late}/removeFromLobby`, {})).status).toBe(200);
    await eventually(async () => expect(await roster(callId)).toEqual(['bot', 'Host', 'Guest']));
    const again = await beta.send('POST', `/${callId}/participants/${guest}/admitFromLobby`, {});
    expect((await graphError(again)).innerError.code).toBe('notInLobby');

    await json(await emulator('POST', `meetings/${meeting['id']}/people`, { displayName: 'Dana', lobby: true }));
    await json(await emulator('POST', `meetings/${meeting['id']}/people`, { displayName: 'Eli', lobby: true }));
    await eventually(async () => expect(await roster(callId)).toEqual(['bot', 'Host', 'Guest', 'Dana (lobby)', 'Eli (lobby)']));
    expect((await beta.send('POST', `/${callId}/participants/admitAllFromLobby`, {})).status).toBe(200);
    expect(await roster(callId)).toEqual(['bot', 'Host', 'Guest', 'Dana', 'Eli']);
  });

  it('is its tenant’s: another tenant can neither read it nor change who is in it (404)', async () => {
    const meeting = await json<Json>(await emulator('POST', 'meetings', { people: [{ displayName: 'Ada' }] }));
    const ada = meeting['people'][0]['id'];
    const stranger = await token({ tenantId: '99999999-9999-4999-8999-999999999999' });
    expect((await emulator('GET', `meetings/${meeting['id']}`, undefined, stranger)).status).toBe(404);
    expect((await emulator('POST', `meetings/${meeting['id']}/people`, { displayName: 'Eve' }, stranger)).status).toBe(404);
    expect((await emulator('POST', `meetings/${meeting['id']}/people/${ada}`, { action: 'leave' }, stranger)).status).toBe(404);
    const unchanged = await json<Json>(await emulator('GET', `meetings/${meeting['id']}`));
    expect(unchanged['people'].map((p: Json) => [p['displayName'], p['state']])).toEqual([['Ada', 'joined']]);
  });
});
