import { beforeAll, describe, expect, it } from 'vitest';
import { summary, type ReceivedNotification, type TestBot } from '../support/bot';
import { eventually } from '../support/eventually';
import { json } from '../support/http';
import { serviceForFile } from '../support/service';

/**
 * The rest of the calls surface as a contact centre uses it, each seen by a real bot on loopback
 * that validates every token: caller on hold, agent invited, consultative transfer replacing the
 * consultation call, hold released; an invitation nobody answers; a bot that joins a meeting.
 */
const svc = serviceForFile({ deliver: true, env: { PROMPT_DURATION_MS: '60000', TARGET_ANSWER_MS: '300', TRANSFER_TIMEOUT_MS: '1000' } });
let bot: TestBot;
beforeAll(async () => {
  bot = await svc.bot();
});
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const AGENT = { identity: { user: { id: 'agent-7', displayName: 'Agent' } } };
const SET_UP = ['call:incoming', 'call:establishing', 'call:established'];
const heard = (callId: string) => bot.of(callId).map(summary).filter((s) => !SET_UP.includes(s));
const rosterOf = (n: ReceivedNotification | undefined) => (n?.notification['resourceData'] as Json[] | undefined)?.map((p) => p['info']['identity']?.['user']?.['displayName'] ?? 'bot');

describe('a contact centre', () => {
  it('caller on hold, agent consulted, then invited with replacesCallId: the consultation call ends 0/7015, the agent joins, the caller comes off hold', async () => {
    // The caller rings the bot; the bot answers.
    const ring = await svc.client.emulator('incomingCalls', { callbackUri: bot.callbackUri });
    const caller = ((await ring.json()) as Json)['id'] as string;
    expect((await svc.client.send('POST', `/${caller}/answer`, { callbackUri: bot.callbackUri, acceptedModalities: ['audio'], mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' } })).status).toBe(202);
    await eventually(() => expect(bot.of(caller).map(summary)).toContain('call:established'), 20_000);
    const callerParticipant = ((await json<{ value: Json[] }>(await svc.client.send('GET', `/${caller}/participants`))).value[1] as Json)['id'];

    // Hold music for the caller while the bot consults an agent on a call of its own.
    expect((await svc.client.send('POST', `/${caller}/participants/${callerParticipant}/startHoldMusic`, { clientContext: 'hold' })).status).toBe(202);
    const consultation = (await svc.client.establishedCall({ callbackUri: bot.callbackUri, targets: [AGENT] }))['id'] as string;

    // The agent takes the caller: invited into the caller's call, replacing the consultation.
    const invite = await svc.client.action(caller, 'participants/invite', { participants: [{ ...AGENT, replacesCallId: consultation }], clientContext: 'transfer' });
    expect(invite.json).toMatchObject({ status: 'running' });
    await eventually(() => expect(bot.of(consultation).map(summary)).toContain('call:terminated'), 20_000);
    expect(bot.of(consultation).find((n) => summary(n) === 'call:terminated')?.notification['resourceData']['resultInfo']).toMatchObject({ code: 0, subcode: 7015 });
    await eventually(() => expect(heard(caller)).toContain('inviteParticipantsOperation:completed:transfer'), 20_000);
    expect((await svc.client.send('POST', `/${caller}/participants/${callerParticipant}/stopHoldMusic`, { clientContext: 'unhold' })).status).toBe(202);
    await eventually(() => expect(heard(caller)).toContain('stopHoldMusicOperation:completed:unhold'), 20_000);

    expect(heard(caller)).toEqual(['startHoldMusicOperation:completed:hold', 'participants:3', 'participants:3', 'inviteParticipantsOperation:completed:transfer', 'stopHoldMusicOperation:completed:unhold']);
    const rosters = bot.of(caller).filter((n) => summary(n).startsWith('participants:'));
    expect(rosterOf(rosters.at(-1))).toEqual(['bot', 'Simulated caller', 'Agent']);
    expect(heard(consultation)).toEqual(['participants:1', 'call:terminated']);
    expect(bot.rejected).toEqual([]);
  });

  it('an invitation nobody answers: the operation fails 408 after TRANSFER_TIMEOUT_MS, nobody joins', async () => {
    const callId = (await svc.client.establishedCall({ callbackUri: bot.callbackUri }))['id'] as string;
    await svc.client.emulator(`calls/${callId}/invitee`, { action: 'noAnswer' });
    await svc.client.action(callId, 'participants/invite', { participants: [AGENT], clientContext: 'nobody' });
    await eventually(() => expect(heard(callId)).toContain('inviteParticipantsOperation:failed:nobody'), 20_000);
    expect(bot.of(callId).find((n) => summary(n) === 'inviteParticipantsOperation:failed:nobody')?.notification['resourceData']['resultInfo']).toMatchObject({ code: 408, subcode: 10057 });
    expect(heard(callId)).toEqual(['participants:3', 'participants:2', 'inviteParticipantsOperation:failed:nobody']);
  });

  it('a bot joins a meeting and follows its roster: someone arrives, someone leaves', async () => {
    const meeting = await json<Json>(await svc.client.emulator('meetings', { subject: 'Weekly', people: [{ displayName: 'Ana' }] }));
    const callId = (await svc.client.establishedCall({ callbackUri: bot.callbackUri, targets: [], ...meeting['join']['joinMeetingId'] }))['id'] as string;
    await eventually(() => expect(heard(callId)).toEqual(['participants:2']), 20_000);
    const joined = await json<Json>(await svc.client.emulator(`meetings/${meeting['id']}/people`, { displayName: 'Ben' }));
    const ana = (joined['people'] as Json[]).find((p) => p['displayName'] === 'Ana')!['id'];
    await svc.client.emulator(`meetings/${meeting['id']}/people/${ana}`, { action: 'leave' });
    await eventually(() => expect(heard(callId)).toEqual(['participants:2', 'participants:3', 'participants:2']), 20_000);
    const rosters = bot.of(callId).filter((n) => summary(n).startsWith('participants:'));
    expect(rosters.map(rosterOf)).toEqual([['bot', 'Ana'], ['bot', 'Ana', 'Ben'], ['bot', 'Ben']]);
  });
});
