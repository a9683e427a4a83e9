import { describe, expect, it } from 'vitest';
import { OTHER_APP, outboxNotifications, token } from '../support/graph';
import { eventually } from '../support/eventually';
import { graphError } from '../support/http';
import { inProcessApp } from '../support/in-process';

// participants/invite (and consultative transfer), hold music and beta muteAll, on /communications and /app.
const svc = inProcessApp();
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const agent = (id = 'agent-1', extra: Json = {}) => ({ '@odata.type': '#microsoft.graph.invitationParticipantInfo', identity: { user: { id, displayName: 'Agent' } }, ...extra });
const participants = async (callId: string, client = svc.client) => ((await (await client.send('GET', `/${callId}/participants`)).json()) as { value: Json[] }).value;
const operation = async (callId: string, id: string) => (await svc.client.operation(callId, id)).json;

describe('participants/invite', () => {
  for (const prefix of ['/v1.0/communications/calls', '/v1.0/app/calls']) {
    it(`${prefix}: 200 + Location + a running inviteParticipantsOperation; the invitee rings, joins, and the operation completes`, async () => {
      const client = svc.client.with({ prefix });
      const callId = (await svc.client.establishedCall())['id'] as string;
      const res = await client.send('POST', `/${callId}/participants/invite`, { participants: [agent()], clientContext: 'agent please' });
      expect(res.status).toBe(200);
      const op = (await res.json()) as Json;
      expect(res.headers.get('location')).toMatch(new RegExp(`${prefix}/${callId}/operations/${op['id']}$`));
      expect(op).toMatchObject({ '@odata.type': '#microsoft.graph.inviteParticipantsOperation', status: 'running', clientContext: 'agent please', participants: [agent()] });
      expect((await participants(callId)).map((p) => [p['info']['identity']?.['user']?.['id'], p['mediaStreams'].length])).toContainEqual(['agent-1', 0]);
      await eventually(async () => expect(await operation(callId, op['id'])).toMatchObject({ status: 'completed', resultInfo: { code: 200 } }));
      expect((await participants(callId)).find((p) => p['info']['identity']?.['user']?.['id'] === 'agent-1')?.['mediaStreams']).toHaveLength(1);
      const roster = (await outboxNotifications(svc.table, callId)).filter((n) => Array.isArray(n['resourceData']));
      expect(roster.length).toBeGreaterThanOrEqual(2);
    });
  }

  it('replacesCallId: the consultation call ends as a completed transfer once the agent joins the caller’s call', async () => {
    const caller = (await svc.client.establishedCall())['id'] as string;
    const consultation = (await svc.client.establishedCall())['id'] as string;
    const res = await svc.client.send('POST', `/${caller}/participants/invite`, { participants: [agent('agent-2', { replacesCallId: consultation })] });
    expect(res.status).toBe(200);
    await eventually(async () => expect(await svc.client.getCall(consultation)).toMatchObject({ state: 'terminated', resultInfo: { code: 0, subcode: 7015 } }));
    expect((await svc.client.getCall(caller))['state']).toBe('established');

    // A replacesCallId that is not one of the app's calls is ignored: the invitee still joins.
    const other = svc.client.with({ bearer: await token({ appId: OTHER_APP }) });
    const foreign = (await other.establishedCall())['id'] as string;
    const res2 = (await svc.client.action(caller, 'participants/invite', { participants: [agent('agent-4', { replacesCallId: foreign })] })).json;
    await eventually(async () => expect(await operation(caller, res2['id'])).toMatchObject({ status: 'completed' }));
    expect((await other.getCall(foreign))['state']).toBe('established');
  });

  it('the invitee declines or is cancelled (DELETE while it rings): the operation fails, nobody joins', async () => {
    const callId = (await svc.client.establishedCall())['id'] as string;
    expect((await svc.client.emulator(`calls/${callId}/invitee`, { action: 'decline' })).status).toBe(200);
    const declined = (await svc.client.action(callId, 'participants/invite', { participants: [agent()] })).json;
    await eventually(async () => expect(await operation(callId, declined['id'])).toMatchObject({ status: 'failed', resultInfo: { code: 603 } }));

    await svc.client.emulator(`calls/${callId}/invitee`, { action: 'noAnswer' });
    const ringing = (await svc.client.action(callId, 'participants/invite', { participants: [agent('agent-3', { participantId: '3a3a3a3a-0000-4000-8000-000000000003' })] })).json;
    expect((await svc.client.send('DELETE', `/${callId}/participants/3a3a3a3a-0000-4000-8000-000000000003`)).status).toBe(204);
    expect(await operation(callId, ringing['id'])).toMatchObject({ status: 'failed', resultInfo: { code: 487 } });
    expect((await participants(callId)).map((p) => p['id'])).not.toContain('3a3a3a3a-0000-4000-8000-000000000003');
  });

  it('refuses what Graph refuses: several invitees on a peer-to-peer call, more than five, a missing identity', async () => {
    const p2p = (await svc.client.establishedCall())['id'] as string;
    const several = await svc.client.send('POST', `/${p2p}/participants/invite`, { participants: [agent('a'), agent('b')] });
    expect(several.status).toBe(400);
    expect((await graphError(several)).innerError.code).toBe('notGroupCall');
    const group = (await svc.client.establishedCall({ chatInfo: { threadId: '19:meeting@thread.v2', messageId: '0' } }))['id'] as string;
    expect((await svc.client.send('POST', `/${group}/participants/invite`, { participants: [agent('a'), agent('b')] })).status).toBe(200);
    const six = await svc.client.send('POST', `/${group}/participants/invite`, { participants: ['1', '2', '3', '4', '5', '6'].map((id) => agent(id)) });
    expect((await graphError(six)).innerError.code).toBe('tooManyInvitees');
    const anonymous = await svc.client.send('POST', `/${group}/participants/invite`, { participants: [{ endpointType: 'default' }] });
    expect((await graphError(anonymous)).message).toContain("'participants[0].identity'");
  });
});

describe('hold music and muteAll', () => {
  it('startHoldMusic: 202 + Location + a running startHoldMusicOperation, completed by notification; one on hold at a time; stopHoldMusic brings it back', async () => {
    const callId = (await svc.client.establishedCall())['id'] as string;
    const [bot, caller] = await participants(callId);
    const start = await svc.client.send('POST', `/${callId}/participants/${caller!['id']}/startHoldMusic`, { customPrompt: { mediaInfo: { uri: 'https://cdn.example.com/hold.wav' } }, clientContext: 'hold' });
    expect(start.status).toBe(202);
    const op = (await start.json()) as Json;
    expect(op).toMatchObject({ '@odata.type': '#microsoft.graph.startHoldMusicOperation', status: 'running', clientContext: 'hold' });
    expect(start.headers.get('location')).toMatch(new RegExp(`/operations/${op['id']}$`));
    expect((await outboxNotifications(svc.table, callId)).at(-1)).toMatchObject({ changeType: 'deleted', resourceData: { '@odata.type': '#microsoft.graph.startHoldMusicOperation', status: 'completed' } });
    const self = await svc.client.send('POST', `/${callId}/participants/${bot!['id']}/startHoldMusic`, {});
    expect((await graphError(self)).innerError.code).toBe('cannotHoldSelf');

    const stop = await svc.client.send('POST', `/${callId}/participants/${caller!['id']}/microsoft.graph.stopHoldMusic`, {});
    expect(stop.status).toBe(202);
    expect(((await stop.json()) as Json)['@odata.type']).toBe('#microsoft.graph.stopHoldMusicOperation');
    const again = await svc.client.send('POST', `/${callId}/participants/${caller!['id']}/stopHoldMusic`, {});
    expect((await graphError(again)).innerError.code).toBe('notOnHold');
  });

  it('beta muteAll: a completed muteParticipantsOperation; everyone but the bot is muted', async () => {
    const callId = (await svc.client.establishedCall())['id'] as string;
    const beta = svc.client.with({ prefix: '/beta/communications/calls' });
    const res = await beta.send('POST', `/${callId}/participants/muteAll`, { clientContext: 'quiet' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ '@odata.type': '#microsoft.graph.muteParticipantsOperation', status: 'completed', clientContext: 'quiet' });
    expect((await participants(callId)).map((p) => p['isMuted'])).toEqual([false, true]);
  });
});
