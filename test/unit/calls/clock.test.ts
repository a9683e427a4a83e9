import { describe, expect, it } from 'vitest';
import { pressTones, speak } from '../../../src/calls/caller';
import { tick } from '../../../src/calls/clock';
import { CallDraft } from '../../../src/calls/draft';
import { answer, hangUp, receiveIncomingCall } from '../../../src/calls/lifecycle';
import { cancelMediaProcessing, enqueueMedia, subscribeToTone } from '../../../src/calls/media';
import type { Call, CallChange, MediaRequest } from '../../../src/calls/model';
import { context, endedOperations, establishedCall, newCall, prompt, record, TIMING } from './fixtures';

function fire(call: Call, at = call.timer?.dueAt ?? 0): CallChange {
  const result = tick(call, call.timer?.token ?? '', context(at, `t${at}`));
  if (result.kind !== 'changed') throw new Error(`expected a change, got ${result.kind}`);
  return result.change;
}

describe('call lifecycle on the clock', () => {
  it('establishes a created call when its timer fires and starts what was queued meanwhile', () => {
    const call = enqueueMedia(newCall(0), prompt('p1'), context(10)).call;
    expect(call.state).toBe('establishing');
    const change = fire(call, TIMING.establishMs);
    expect(change.call.state).toBe('established');
    expect(change.events[0]).toEqual({ kind: 'callState', changeType: 'updated', state: 'established' });
    expect(change.call.running?.operationId).toBe('p1');
  });

  it('rings an incoming call, establishes it after answer, or ends it when nobody answers', () => {
    const input = { id: 'in-1', owner: { tenantId: 't', appId: 'a' }, callbackUri: 'https://bot/cb', family: 'communications' as const, apiVersion: 'v1.0' as const, mediaHosting: 'service' as const, baseUrl: 'https://svc', resource: {} };
    const ringing = receiveIncomingCall(input, context(0, 'ring')).call;
    expect(ringing).toMatchObject({ state: 'incoming', direction: 'incoming', timer: { dueAt: TIMING.answerTimeoutMs } });

    const answered = answer(ringing, { callbackUri: 'https://bot/new', mediaHosting: 'service', resource: {} }, context(500, 'answer')).call;
    expect(answered).toMatchObject({ state: 'establishing', callbackUri: 'https://bot/new' });
    // The answer replaced the timer: the unanswered-call message is now stale.
    expect(tick(answered, ringing.timer?.token ?? '', context(TIMING.answerTimeoutMs)).kind).toBe('stale');
    expect(fire(answered).call.state).toBe('established');

    const unanswered = fire(ringing);
    expect(unanswered.call).toMatchObject({ state: 'terminated', resultInfo: { code: 408, subcode: 1106 } });
  });
});

describe('recordResponse timing', () => {
  const start = 1000;
  const listenFrom = start + 2000 + 500; // one prompt, then the beep

  function recording(overrides: Parameters<typeof record>[1] = {}): Call {
    return enqueueMedia(establishedCall(start), record('r1', { prompts: [{ uri: 'https://cdn/q.wav' }], ...overrides }), context(start)).call;
  }

  it('listens after its prompt and beep, and fails on initial silence', () => {
    const call = recording({ initialSilenceTimeoutInSeconds: 3, maxRecordDurationInSeconds: 10 });
    expect(call.running?.listenFrom).toBe(listenFrom);
    expect(call.timer?.dueAt).toBe(listenFrom + 3000);
    const change = fire(call);
    expect(endedOperations(change)).toEqual([['r1', 'failed', 'initialSilenceTimeout']]);
    expect(change.patches[0]).toMatchObject({ recordingLocation: '', recordedMs: 0, resultInfo: { code: 400, subcode: 8510 } });
  });

  it('ends at the max duration when the caller keeps talking, with that much audio', () => {
    let call = recording({ maxRecordDurationInSeconds: 4, maxSilenceTimeoutInSeconds: 5 });
    call = speak(call, 30, context(listenFrom + 100))!.call;
    expect(call.timer?.dueAt).toBe(listenFrom + 4000);
    const change = fire(call);
    expect(endedOperations(change)).toEqual([['r1', 'completed', 'maxRecordDurationReached']]);
    expect(change.patches[0]).toMatchObject({ recordedMs: 4000, resultInfo: { code: 200, subcode: 8515 }, recordingLocation: 'https://svc/recordings/call-1/r1', recordingAccessToken: 'token-r1' });
  });

  it('ends on max silence after the caller stops; speech during the prompt counts from listening', () => {
    let call = recording({ maxRecordDurationInSeconds: 60, maxSilenceTimeoutInSeconds: 2 });
    call = speak(call, 1, context(start + 100))!.call; // during the prompt
    expect(call.running).toMatchObject({ heardSpeech: true, speakingUntil: listenFrom + 1000 });
    call = speak(call, 1, context(listenFrom + 500))!.call; // continues the same utterance
    expect(call.timer?.dueAt).toBe(listenFrom + 2000 + 2000);
    const change = fire(call);
    expect(endedOperations(change)).toEqual([['r1', 'completed', 'maxSilenceTimeout']]);
    expect(change.patches[0]).toMatchObject({ recordedMs: 4000, resultInfo: { subcode: 8516 } });
  });

  it('ends on a stop tone at once; other keys do not stop it', () => {
    const call = recording({ stopTones: ['#', '*'] });
    expect(endedOperations(pressTones(call, ['tone5'], context(listenFrom + 300)))).toEqual([]);
    const change = pressTones(call, ['pound'], context(listenFrom + 700));
    expect(endedOperations(change)).toEqual([['r1', 'completed', 'stopToneDetected']]);
    expect(change.patches[0]).toMatchObject({ recordedMs: 700, resultInfo: { subcode: 8514 } });
  });

  it('a looping playPrompt has no end until it is cancelled', () => {
    const looping: MediaRequest = { id: 'loop', type: 'playPrompt', parameters: { prompts: [{ uri: 'https://cdn/m.wav' }], loop: true } };
    const call = enqueueMedia(establishedCall(), looping, context(1000)).call;
    expect(call.running?.operationId).toBe('loop');
    expect(call.timer).toBeUndefined();
    const cancelled = cancelMediaProcessing(call, { operationId: 'c', all: true }, context(99_000));
    expect(endedOperations(cancelled)[0]).toEqual(['loop', 'failed', 'mediaOperationCanceled']);
  });
});

describe('events that come after a deadline the clock has not acted on yet', () => {
  const start = 1000;
  const listenFrom = start + 2000 + 500;
  const recording = (overrides: Parameters<typeof record>[1]) =>
    enqueueMedia(establishedCall(start), record('r1', { prompts: [{ uri: 'https://cdn/q.wav' }], ...overrides }), context(start)).call;

  it('a stop tone after the max duration does not stop the recording: the max duration already did', () => {
    const call = speak(recording({ maxRecordDurationInSeconds: 2, stopTones: ['#'] }), 30, context(listenFrom))!.call;
    const change = pressTones(call, ['pound'], context(listenFrom + 2900));
    expect(endedOperations(change)).toEqual([['r1', 'completed', 'maxRecordDurationReached']]);
    expect(change.patches[0]).toMatchObject({ recordedMs: 2000 });
  });

  it('speech with no recording running changes nothing (nothing to commit)', () => {
    expect(speak(establishedCall(), 3, context(1100))).toBeUndefined();
  });

  it('speech after the initial silence ran out does not rescue the recording', () => {
    const change = speak(recording({ initialSilenceTimeoutInSeconds: 1 }), 5, context(listenFrom + 1500))!;
    expect(endedOperations(change)).toEqual([['r1', 'failed', 'initialSilenceTimeout']]);
    expect(change.result).toEqual({ heard: false });
  });

  it('a cancel just after a prompt finished leaves it completed and cancels only what was left', () => {
    const call = enqueueMedia(enqueueMedia(establishedCall(), prompt('p1'), context(1000)).call, prompt('p2'), context(1000)).call;
    const change = cancelMediaProcessing(call, { operationId: 'c', all: true }, context(3200));
    expect(endedOperations(change)).toEqual([
      ['p1', 'completed', 'completedSuccessfully'],
      ['p2', 'failed', 'mediaOperationCanceled'],
      ['c', 'completed', undefined],
    ]);
  });
});

describe('tones', () => {
  it('presses several keys as one change, in order: each numbered, a stop tone among them ends the recording', () => {
    let call = subscribeToTone(establishedCall(), { operationId: 's' }, context(1100)).call;
    call = enqueueMedia(call, record('r1', { stopTones: ['#'], playBeep: false }), context(1200)).call;
    const change = pressTones(call, ['tone1', 'pound', 'tone2'], context(2000));
    expect(change.result).toEqual([1, 2, 3]);
    expect(change.events.map((e) => (e.kind === 'tone' ? `tone ${e.sequenceId}` : e.kind === 'operation' ? `${e.operation.id} ${e.operation.completionReason}` : e.kind))).toEqual([
      'tone 1',
      'tone 2',
      'r1 stopToneDetected',
      'tone 3',
    ]);
  });

  it('numbers tones from 1 once subscribed, and not before', () => {
    let call = establishedCall();
    expect(pressTones(call, ['tone1'], context(1100)).events).toEqual([]);
    call = subscribeToTone(call, { operationId: 's' }, context(1200)).call;
    const first = pressTones(call, ['tone1'], context(1300));
    const second = pressTones(first.call, ['star'], context(1400));
    expect([...first.events, ...second.events]).toEqual([
      { kind: 'tone', sequenceId: 1, tone: 'tone1' },
      { kind: 'tone', sequenceId: 2, tone: 'star' },
    ]);
  });
});

describe('races, each decided on the state the winner left', () => {
  it('completion vs cancel: a cancel that wins makes the completion message stale', () => {
    const call = enqueueMedia(establishedCall(), prompt('p1'), context(1000)).call;
    const cancelled = cancelMediaProcessing(call, { operationId: 'c', all: true }, context(2999)).call;
    expect(tick(cancelled, call.timer?.token ?? '', context(3000)).kind).toBe('stale');
  });

  it('completion vs cancel: a completion that wins leaves the cancel with nothing of p1 to cancel', () => {
    const call = enqueueMedia(establishedCall(), prompt('p1'), context(1000)).call;
    const completed = fire(call);
    const cancelled = cancelMediaProcessing(completed.call, { operationId: 'c', all: true }, context(3001));
    expect(endedOperations(completed)).toEqual([['p1', 'completed', 'completedSuccessfully']]);
    expect(endedOperations(cancelled)).toEqual([['c', 'completed', undefined]]);
  });

  it('completion vs hang-up: whichever commits second sees the other and ends nothing twice', () => {
    const call = enqueueMedia(enqueueMedia(establishedCall(), prompt('p1'), context(1000)).call, prompt('p2'), context(1000)).call;
    const hungUp = hangUp(call, 'caller', context(2999));
    expect(endedOperations(hungUp as CallChange).map(([id]) => id)).toEqual(['p1', 'p2']);
    expect(tick(hungUp?.call as Call, call.timer?.token ?? '', context(3000)).kind).toBe('stale');

    const completed = fire(call);
    const thenHungUp = hangUp(completed.call, 'caller', context(3001));
    expect(endedOperations(completed).map(([id]) => id)).toEqual(['p1']);
    expect(endedOperations(thenHungUp as CallChange).map(([id]) => id)).toEqual(['p2']);
  });

  it('cancel vs hang-up: after a hang-up, cancel is refused; after a cancel, the hang-up has nothing queued', () => {
    const call = enqueueMedia(establishedCall(), prompt('p1'), context(1000)).call;
    const ended = hangUp(call, 'bot', context(1500))?.call as Call;
    expect(() => cancelMediaProcessing(ended, { operationId: 'c', all: true }, context(1600))).toThrow(/terminated/);
    const cancelled = cancelMediaProcessing(call, { operationId: 'c', all: true }, context(1500)).call;
    expect(endedOperations(hangUp(cancelled, 'bot', context(1600)) as CallChange)).toEqual([]);
  });

  it('a timer that is due while the running operation’s end moved later (a changed prompt length) is aimed again', () => {
    const call = enqueueMedia(establishedCall(), prompt('p1'), context(1000)).call;
    const slower = { ...context(3000, 'slow'), timing: { ...TIMING, promptMs: 4000 } };
    const result = tick(call, call.timer?.token ?? '', slower);
    expect(result.kind).toBe('changed');
    if (result.kind !== 'changed') return;
    expect(endedOperations(result.change)).toEqual([]);
    expect(result.change.call.timer?.dueAt).toBe(5000);
  });

  it('a clock message that comes early is put back, not acted on', () => {
    const call = enqueueMedia(establishedCall(), prompt('p1'), context(1000)).call;
    const early = tick(call, call.timer?.token ?? '', context(2500));
    expect(early).toEqual({ kind: 'early', dueAt: 3000 });
  });

  it('every write of a change carries the new call version as its etag', () => {
    const call = enqueueMedia(establishedCall(), prompt('p1'), context(1000)).call;
    const draft = new CallDraft(call, context(1200));
    expect(draft.call.version).toBe(call.version + 1);
    const change = cancelMediaProcessing(call, { operationId: 'c', all: true }, context(1200));
    expect(new Set([...change.patches.map((p) => p.version), ...change.created.map((o) => o.version)])).toEqual(new Set([call.version + 1]));
  });
});
