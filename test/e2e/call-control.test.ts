import { beforeAll, describe, expect, it } from 'vitest';
import { promptBody } from '../support/graph';
import { serviceForFile } from '../support/service';
import { summary, type ReceivedNotification, type TestBot } from '../support/bot';

/**
 * The endings of an IVR flow, each seen by a real bot on loopback: transfers the target accepts,
 * declines or lets ring out, a redirect, a reject, a call nobody kept alive, and outbound DTMF.
 */
const svc = serviceForFile({
  deliver: true,
  env: { PROMPT_DURATION_MS: '60000', TARGET_ANSWER_MS: '300', TRANSFER_TIMEOUT_MS: '1000', KEEP_ALIVE_TIMEOUT_MS: '4000', DTMF_TONE_MS: '100' },
});
let bot: TestBot;
beforeAll(async () => {
  bot = await svc.bot();
});

const TARGET = { identity: { user: { id: 'agent-7', displayName: 'Agent' } } };

async function establishedCall() {
  return (await svc.client.establishedCall({ callbackUri: bot.callbackUri }))['id'] as string;
}

/** The set-up notifications every call starts with (a failed transfer's `established` carries a resultInfo). */
const isSetUp = (n: ReceivedNotification) => ['call:establishing', 'call:established'].includes(summary(n)) && !n.notification['resourceData']?.['resultInfo'];

/** What the bot heard of this call after it was set up. */
function heard(id: string, count: number) {
  return bot.waitFor(count, (n) => bot.of(id).includes(n) && !isSetUp(n));
}

describe('an IVR flow that ends in call control', () => {
  it('a transfer the target accepts: transferring, transferAccepted, terminated 0 / 7015; the menu prompt cancelled', async () => {
    const id = await establishedCall();
    await svc.client.action(id, 'playPrompt', promptBody('menu'));
    expect((await svc.client.send('POST', `/${id}/transfer`, { transferTarget: TARGET })).status).toBe(202);
    const notes = await heard(id, 5);
    expect(notes.map(summary)).toEqual(['call:transferring', 'playPromptOperation:failed:menu', 'call:transferAccepted', 'participants:1', 'call:terminated']);
    expect(notes[4]?.notification).toMatchObject({ changeType: 'deleted', resourceData: { resultInfo: { code: 0, subcode: 7015, message: 'GracefulTransferCompleted' } } });
  });

  it('a transfer the target declines: back to established with 500 / 7000, and the bot carries on', async () => {
    const id = await establishedCall();
    await svc.client.emulator(`calls/${id}/transferTarget`, { action: 'decline' });
    await svc.client.send('POST', `/${id}/transfer`, { transferTarget: TARGET });
    const notes = await heard(id, 2);
    expect(notes.map(summary)).toEqual(['call:transferring', 'call:established']);
    expect(notes[1]?.notification['resourceData']['resultInfo']).toMatchObject({ code: 500, subcode: 7000, message: 'The transfer target declined the call.' });
    expect((await svc.client.action(id, 'playPrompt', promptBody('sorry'))).json['status']).toBe('running');
  });

  it('a transfer nobody answers fails after TRANSFER_TIMEOUT_MS', async () => {
    const id = await establishedCall();
    await svc.client.emulator(`calls/${id}/transferTarget`, { action: 'noAnswer' });
    await svc.client.send('POST', `/${id}/transfer`, { transferTarget: TARGET });
    const notes = await heard(id, 2);
    expect(notes.map(summary)).toEqual(['call:transferring', 'call:established']);
    expect(notes[1]?.notification['resourceData']['resultInfo']).toMatchObject({ code: 500, message: 'The transfer target did not answer.' });
  });

  it('an incoming call redirected, and one rejected', async () => {
    const ring = async () => ((await (await svc.client.emulator('incomingCalls', { callbackUri: bot.callbackUri })).json()) as Record<string, string>)['id'] as string;
    const redirected = await ring();
    expect((await svc.client.send('POST', `/${redirected}/redirect`, { targets: [TARGET] })).status).toBe(202);
    const rejected = await ring();
    expect((await svc.client.send('POST', `/${rejected}/reject`, { reason: 'forbidden' })).status).toBe(202);
    const r1 = await bot.waitFor(3, (n) => bot.of(redirected).includes(n));
    expect(r1.map(summary)).toEqual(['call:incoming', 'call:redirecting', 'call:terminated']);
    const r2 = await bot.waitFor(2, (n) => bot.of(rejected).includes(n));
    expect(r2.map(summary)).toEqual(['call:incoming', 'call:terminated']);
    expect(r2[1]?.notification['resourceData']['resultInfo']).toMatchObject({ code: 403 });
  });

  it('outbound DTMF: the operation runs for its tones, then completes', async () => {
    const id = await establishedCall();
    const { json } = await svc.client.action(id, 'sendDtmfTones', { tones: ['tone4', 'tone2', 'pound'], delayBetweenTonesMs: 200, clientContext: 'extension 42' });
    expect(json['status']).toBe('running');
    const [done] = await heard(id, 1);
    expect(summary(done!)).toBe('sendDtmfTonesOperation:completed:extension 42');
    expect(done?.notification['resourceData']).toMatchObject({ completionReason: 'completedSuccessfully', id: json['id'] });
  });

  it('a call nobody keeps alive ends with 408 / 8537; keepAlive holds it until then', async () => {
    const [kept, dropped] = await Promise.all([establishedCall(), establishedCall()]);
    // At once, then every second for 5 s: past the 4 s window, still up.
    for (let i = 0; i < 6; i++) {
      expect((await svc.client.send('POST', `/${kept}/keepAlive`)).status).toBe(200);
      if (i < 5) await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    const [, ended] = await bot.waitFor(2, (n) => bot.of(dropped).includes(n) && ['call:terminating', 'call:terminated'].includes(summary(n)));
    expect(ended?.notification['resourceData']['resultInfo']).toMatchObject({ code: 408, subcode: 8537 });
    expect((await svc.client.getCall(kept)).state).toBe('established');
    expect((await svc.client.send('POST', `/${dropped}/keepAlive`)).status).toBe(404);
  });
});
