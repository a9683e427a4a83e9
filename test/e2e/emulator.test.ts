import { beforeAll, describe, expect, it } from 'vitest';
import { callBody, OTHER_APP, promptBody, token } from '../support/graph';
import { graphError } from '../support/http';
import { serviceForFile } from '../support/service';
import { summary, type TestBot } from '../support/bot';

const svc = serviceForFile({ deliver: true, env: { PROMPT_DURATION_MS: '500', ANSWER_TIMEOUT_MS: '1000' } });
let bot: TestBot;
beforeAll(async () => {
  bot = await svc.bot();
});

const emulator = (path: string, body?: unknown) => svc.client.emulator(path, body);

async function establishedCall() {
  return (await svc.client.establishedCall({ callbackUri: bot.callbackUri }))['id'] as string;
}

describe('the emulator: the caller’s side of a call', () => {
  it('sends tones to a subscribed bot as toneInfo with increasing sequenceIds, and none before subscribing', async () => {
    const id = await establishedCall();
    expect(await (await emulator(`calls/${id}/tones`, { tones: ['9'] })).json()).toEqual({ pressed: ['tone9'], sequenceIds: [] });
    await svc.client.action(id, 'subscribeToTone', {});
    expect(await (await emulator(`calls/${id}/tones`, { tones: ['1', '2', '#', 'star', 'A'] })).json()).toEqual({ pressed: ['tone1', 'tone2', 'pound', 'star', 'a'], sequenceIds: [1, 2, 3, 4, 5] });
    const tones = await bot.waitFor(5, (n) => bot.of(id).includes(n) && summary(n).startsWith('tone:'));
    expect(tones.map(summary)).toEqual(['tone:1:tone1', 'tone:2:tone2', 'tone:3:pound', 'tone:4:star', 'tone:5:a']);
    expect(tones[0]?.notification).toMatchObject({ changeType: 'updated', resourceData: { '@odata.type': '#microsoft.graph.call', state: 'established', toneInfo: { '@odata.type': '#microsoft.graph.toneInfo' } } });
  });

  it('lets the caller hang up: terminated with 200 / 4097, queued media cancelled', async () => {
    const id = await establishedCall();
    await svc.client.action(id, 'playPrompt', promptBody('menu'));
    expect((await emulator(`calls/${id}/hangUp`)).status).toBe(204);
    const notes = await bot.waitFor(4, (n) => bot.of(id).includes(n) && !['call:establishing', 'call:established'].includes(summary(n)));
    // The roster first: the caller left, only the bot is on the call.
    expect(notes.map(summary)).toEqual(['participants:1', 'call:terminating', 'playPromptOperation:failed:menu', 'call:terminated']);
    expect((await svc.client.getCall(id))['resultInfo']).toMatchObject({ code: 200, subcode: 4097, message: 'Call ended by the other participant in the call.' });
  });

  it('rings the bot with an incoming call that it answers (202), which then establishes', async () => {
    const ring = await emulator('incomingCalls', { callbackUri: bot.callbackUri });
    expect(ring.status).toBe(201);
    const incoming = (await ring.json()) as Record<string, string>;
    expect(incoming).toMatchObject({ state: 'incoming', direction: 'incoming' });
    const id = incoming['id'] as string;

    const [created] = await bot.waitFor(1, (n) => bot.of(id).includes(n));
    expect(created?.notification).toMatchObject({ changeType: 'created', resourceData: { '@odata.type': '#microsoft.graph.call', id, state: 'incoming', direction: 'incoming' } });

    const answer = await svc.client.send('POST', `/${id}/answer`, {
      callbackUri: bot.callbackUri,
      acceptedModalities: ['audio'],
      mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' },
    });
    expect(answer.status).toBe(202);
    expect(await answer.text()).toBe('');
    await svc.client.action(id, 'playPrompt', promptBody('greeting'));
    const notes = await bot.waitFor(4, (n) => bot.of(id).includes(n));
    expect(notes.map(summary)).toEqual(['call:incoming', 'call:establishing', 'call:established', 'playPromptOperation:completed:greeting']);

    const again = await svc.client.send('POST', `/${id}/answer`, { callbackUri: bot.callbackUri, acceptedModalities: ['audio'], mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' } });
    expect(again.status).toBe(400);
    expect(await graphError(again)).toMatchObject({ message: expect.stringContaining('only an incoming call can be answered'), innerError: { code: 'notIncoming' } });
  });

  it('ends an incoming call nobody answers within ANSWER_TIMEOUT_MS', async () => {
    const id = ((await (await emulator('incomingCalls', { callbackUri: bot.callbackUri })).json()) as Record<string, string>)['id'] as string;
    const notes = await bot.waitFor(3, (n) => bot.of(id).includes(n));
    expect(notes.map(summary)).toEqual(['call:incoming', 'call:terminating', 'call:terminated']);
    expect(notes[2]?.notification['resourceData']['resultInfo']).toMatchObject({ code: 408, subcode: 1106 });
  });

  it('refuses bad emulator input and other apps’ calls', async () => {
    const id = await establishedCall();
    expect((await graphError(await emulator(`calls/${id}/tones`, { tones: ['x'] }))).message).toContain("'tones[0]' must be a DTMF character");
    expect((await graphError(await emulator(`calls/${id}/speech`, { seconds: -1 }))).message).toContain("'seconds' must be more than 0");
    const notEstablished = (await svc.client.createCall(callBody({ callbackUri: bot.callbackUri })))['id'];
    const early = await graphError(await emulator(`calls/${notEstablished}/tones`, { tones: ['1'] }));
    expect(early).toMatchObject({ message: expect.stringContaining('needs an established call'), innerError: { code: 'notEstablished' } });
    const anonymous = await fetch(`${svc.host.url}/emulator/calls/${id}/hangUp`, { method: 'POST' });
    expect(anonymous.status).toBe(401);
    const otherApp = await fetch(`${svc.host.url}/emulator/calls/${id}/hangUp`, { method: 'POST', headers: { authorization: `Bearer ${await token({ appId: OTHER_APP })}` } });
    expect(otherApp.status).toBe(404);
    expect((await svc.client.getCall(id)).state).toBe('established');
  });
});
