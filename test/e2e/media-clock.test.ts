import { beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually';
import { partition, promptBody } from '../support/graph';
import { serviceForFile } from '../support/service';
import { summary, type TestBot } from '../support/bot';

const svc = serviceForFile({ deliver: true, env: { PROMPT_DURATION_MS: '500', BEEP_DURATION_MS: '0', ESTABLISH_DELAY_MS: '1000', RECORDING_TOKEN_LIFETIME_MS: '8000' } });
let bot: TestBot;
beforeAll(async () => {
  bot = await svc.bot();
});

async function call() {
  const created = await svc.client.createCall({ callbackUri: bot.callbackUri });
  return created['id'] as string;
}

const emulator = (path: string, body: unknown) => svc.client.emulator(`calls/${path}`, body);

describe('the media clock', () => {
  it('establishes a call, then plays three queued prompts in order, each completing', async () => {
    const id = await call();
    for (const name of ['one', 'two', 'three']) await svc.client.action(id, 'playPrompt', promptBody(name));
    const notes = await bot.waitFor(5, (n) => bot.of(id).includes(n));
    expect(notes.map(summary)).toEqual([
      'call:establishing',
      'call:established',
      'playPromptOperation:completed:one',
      'playPromptOperation:completed:two',
      'playPromptOperation:completed:three',
    ]);
    for (const n of notes.slice(2)) {
      expect(n.notification['resourceData']).toMatchObject({
        resultInfo: { code: 200, subcode: 0, message: 'Action completed successfully.' },
        completionReason: 'completedSuccessfully',
      });
    }
    // Each played after the one before it ended: the ends the media clock recorded (its playback,
    // not the delivery of the results) are at least a prompt (500 ms) apart.
    const { operations } = await partition(svc.table, id);
    const ends = ['one', 'two', 'three'].map((name) => operations.find((op) => op.clientContext === name)?.endedAt);
    expect(ends.every((end) => typeof end === 'number')).toBe(true);
    for (let i = 1; i < ends.length; i++) expect((ends[i] ?? 0) - (ends[i - 1] ?? 0)).toBeGreaterThanOrEqual(500);
  });

  it.each([
    // [reason, parameters, what the caller does, status, subcode, recorded length range in ms]
    ['maxRecordDurationReached', { maxRecordDurationInSeconds: 1, initialSilenceTimeoutInSeconds: 10 }, 'speak', 'completed', 8515, [1000, 1000]],
    ['initialSilenceTimeout', { initialSilenceTimeoutInSeconds: 1, maxRecordDurationInSeconds: 10 }, 'silence', 'failed', 8510, [0, 0]],
    // 1 s of speech, then 1 s of silence: about 2 s (plus the moment before the caller spoke).
    ['maxSilenceTimeout', { maxSilenceTimeoutInSeconds: 1, maxRecordDurationInSeconds: 10 }, 'speak 1s', 'completed', 8516, [2000, 4999]],
    ['stopToneDetected', { stopTones: ['#'], maxRecordDurationInSeconds: 10, initialSilenceTimeoutInSeconds: 10 }, 'press #', 'completed', 8514, [300, 9999]],
  ] as const)('ends a recordResponse by %s', async (reason, parameters, caller, status, subcode, [shortest, longest]) => {
    const id = await call();
    await eventually(async () => expect((await svc.client.getCall(id)).state).toBe('established'));
    const op = await svc.client.action(id, 'recordResponse', { clientContext: reason, playBeep: false, ...parameters });
    expect(op.json['status']).toBe('running');
    if (caller === 'speak') expect((await emulator(`${id}/speech`, { seconds: 5 })).status).toBe(200);
    if (caller === 'speak 1s') expect(await (await emulator(`${id}/speech`, { seconds: 1 })).json()).toEqual({ heardByRecording: true });
    if (caller === 'press #') {
      await new Promise((r) => setTimeout(r, 300));
      expect((await emulator(`${id}/tones`, { tones: ['#'] })).status).toBe(200);
    }
    const [done] = await bot.waitFor(1, (n) => n.notification['resourceData']?.['clientContext'] === reason);
    const data = done?.notification['resourceData'];
    expect(data).toMatchObject({ '@odata.type': '#microsoft.graph.recordOperation', status, completionReason: reason, resultInfo: { subcode } });
    expect((await svc.client.operation(id, op.json['id'])).json).toMatchObject({ status, completionReason: reason });

    if (status === 'failed') {
      expect(data['recordingLocation']).toBe('');
      return;
    }
    // The recording is really there, for the bearer of its token only.
    const location = data['recordingLocation'] as string;
    expect(location).toBe(`${svc.host.url}/recordings/${id}/${op.json['id']}`);
    expect((await fetch(location)).status).toBe(401);
    expect((await fetch(location, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    const audio = await fetch(location, { headers: { authorization: `Bearer ${data['recordingAccessToken']}` } });
    expect(audio.status).toBe(200);
    expect(audio.headers.get('content-type')).toBe('application/octet-stream');
    const wav = Buffer.from(await audio.arrayBuffer());
    expect(wav.toString('ascii', 0, 4)).toBe('RIFF');
    expect(wav.toString('ascii', 8, 12)).toBe('WAVE');
    expect(wav.readUInt16LE(22)).toBe(1); // mono
    expect(wav.readUInt32LE(24)).toBe(16000); // 16 kHz
    expect(wav.readUInt16LE(34)).toBe(16); // 16-bit
    const ms = Math.round((wav.readUInt32LE(40) / 32000) * 1000);
    expect(ms).toBeGreaterThanOrEqual(shortest);
    expect(ms).toBeLessThanOrEqual(longest);
    if (reason !== 'stopToneDetected') return;
    // The token expires: RECORDING_TOKEN_LIFETIME_MS (8 s here) after the recording ended, it fetches nothing.
    const expired = await eventually(async () => {
      const res = await fetch(location, { headers: { authorization: `Bearer ${data['recordingAccessToken']}` } });
      expect(res.status).toBe(401);
      return res;
    }, 20_000, 500);
    expect(((await expired.json()) as { error: { message: string } }).error.message).toContain('expired 8 s after the recording ended');
  });

  it('cancels in the middle of the queue: the finished prompt stays completed, the rest end cancelled, then the cancel', async () => {
    const id = await call();
    for (const name of ['first', 'second', 'third']) await svc.client.action(id, 'playPrompt', promptBody(name));
    await bot.waitFor(1, (n) => summary(n) === 'playPromptOperation:completed:first');
    await svc.client.action(id, 'cancelMediaProcessing', { clientContext: 'stop' });
    const notes = await bot.waitFor(6, (n) => bot.of(id).includes(n));
    expect(notes.map(summary)).toEqual([
      'call:establishing',
      'call:established',
      'playPromptOperation:completed:first',
      'playPromptOperation:failed:second',
      'playPromptOperation:failed:third',
      'cancelMediaProcessingOperation:completed:stop',
    ]);
  });

  it('hangs up in the middle of a recording: terminating, the recording cancelled, terminated', async () => {
    const id = await call();
    await svc.client.action(id, 'recordResponse', { clientContext: 'interrupted', maxRecordDurationInSeconds: 60, initialSilenceTimeoutInSeconds: 60 });
    await eventually(async () => expect((await svc.client.getCall(id)).state).toBe('established'));
    expect((await svc.client.send('DELETE', `/${id}`)).status).toBe(204);
    const notes = await bot.waitFor(5, (n) => bot.of(id).includes(n));
    expect(notes.map(summary)).toEqual(['call:establishing', 'call:established', 'call:terminating', 'recordOperation:failed:interrupted', 'call:terminated']);
    expect(notes[3]?.notification['resourceData']).toMatchObject({ completionReason: 'operationCanceled', resultInfo: { code: 400, subcode: 8508 } });
    expect(notes[4]?.notification).toMatchObject({ changeType: 'deleted', resourceData: { resultInfo: { code: 200, subcode: 7000 } } });
  });
});
