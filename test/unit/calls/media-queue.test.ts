import { describe, expect, it } from 'vitest';
import { tick } from '../../../src/calls/clock';
import { cancelMediaProcessing, enqueueMedia, subscribeToTone } from '../../../src/calls/media';
import type { Call } from '../../../src/calls/model';
import { CallRuleViolation, MEDIA_QUEUE_LIMIT } from '../../../src/calls/rules';
import { hangUp } from '../../../src/calls/lifecycle';
import { context, endedOperations, establishedCall, newCall, prompt, record } from './fixtures';

function queue(call: Call, ...ids: string[]): Call {
  return ids.reduce((c, id) => enqueueMedia(c, prompt(id), context(1000)).call, call);
}

describe('the media queue', () => {
  it('runs the first operation at once and queues the rest', () => {
    const first = enqueueMedia(establishedCall(), prompt('p1', 2), context(1000));
    expect(first.result.status).toBe('running');
    expect(first.call.running).toEqual({ operationId: 'p1', startedAt: 1000 });
    expect(first.call.timer?.dueAt).toBe(1000 + 2 * 2000);

    const second = enqueueMedia(first.call, prompt('p2'), context(1200));
    expect(second.result.status).toBe('notStarted');
    expect(second.call.mediaQueue.map((e) => e.id)).toEqual(['p1', 'p2']);
    // The running operation's timer is untouched by a queued one.
    expect(second.call.timer).toEqual(first.call.timer);
  });

  it('waits for the call to be established before starting anything', () => {
    const change = enqueueMedia(newCall(), prompt('p1'), context(100));
    expect(change.result.status).toBe('notStarted');
    expect(change.call.running).toBeUndefined();
  });

  it('completes the running operation when its timer fires and starts the next', () => {
    const call = queue(establishedCall(), 'p1', 'p2');
    const fired = tick(call, call.timer?.token ?? '', context(3000));
    expect(fired.kind).toBe('changed');
    if (fired.kind !== 'changed') return;
    expect(endedOperations(fired.change)).toEqual([['p1', 'completed', 'completedSuccessfully']]);
    expect(fired.change.call.mediaQueue.map((e) => e.id)).toEqual(['p2']);
    expect(fired.change.patches).toContainEqual(expect.objectContaining({ id: 'p2', status: 'running' }));
  });

  it('ignores a clock message whose token is not the current one, and reports an early one', () => {
    const call = queue(establishedCall(), 'p1');
    expect(tick(call, 'old-token', context(9999)).kind).toBe('stale');
    expect(tick(call, call.timer?.token ?? '', context(1500))).toEqual({ kind: 'early', dueAt: 3000 });
  });

  it('refuses more than the queue limit, naming it', () => {
    let call = establishedCall();
    for (let i = 0; i < MEDIA_QUEUE_LIMIT; i++) call = enqueueMedia(call, prompt(`p${i}`), context(1000)).call;
    expect(() => enqueueMedia(call, prompt('one-too-many'), context(1000))).toThrow(new RegExp(`${MEDIA_QUEUE_LIMIT} playPrompt/recordResponse operations`));
  });

  it('refuses media on an app-hosted or ended call', () => {
    const appHosted = { ...establishedCall(), mediaHosting: 'app' as const };
    expect(() => enqueueMedia(appHosted, prompt('p'), context(1000))).toThrow(/serviceHostedMediaConfig/);
    const ended = hangUp(establishedCall(), 'bot', context(1000))?.call as Call;
    expect(() => enqueueMedia(ended, prompt('p'), context(1000))).toThrow(CallRuleViolation);
    expect(() => subscribeToTone(ended, { operationId: 's' }, context(1000))).toThrow(/terminated/);
  });

  it('lets a barge-in recordResponse interrupt the running operation and go first', () => {
    const call = queue(establishedCall(), 'p1', 'p2');
    const change = enqueueMedia(call, record('r1', { bargeInAllowed: true }), context(1500));
    expect(change.result.status).toBe('running');
    expect(endedOperations(change)).toEqual([['p1', 'failed', 'mediaOperationCanceled']]);
    expect(change.call.mediaQueue.map((e) => e.id)).toEqual(['r1', 'p2']);
  });
});

describe('cancelMediaProcessing', () => {
  it('cancels the running and every queued operation in order, then completes itself', () => {
    const call = enqueueMedia(queue(establishedCall(), 'p1', 'p2'), record('r1'), context(1000)).call;
    const change = cancelMediaProcessing(call, { operationId: 'c1', all: true, clientContext: 'ctx' }, context(1500));
    expect(endedOperations(change)).toEqual([
      ['p1', 'failed', 'mediaOperationCanceled'],
      ['p2', 'failed', 'mediaOperationCanceled'],
      ['r1', 'failed', 'operationCanceled'],
      ['c1', 'completed', undefined],
    ]);
    expect(change.result).toMatchObject({ type: 'cancelMediaProcessing', status: 'completed', clientContext: 'ctx' });
    expect(change.call.mediaQueue).toEqual([]);
    expect(change.call.running).toBeUndefined();
    expect(change.call.timer).toBeUndefined();
    // Cancelled operations are merged without reading their rows; the cancelled recording is emptied.
    expect(change.patches.find((p) => p.id === 'r1')).toMatchObject({
      status: 'failed',
      resultInfo: { code: 400, subcode: 8508, message: 'Action failed, the operation was cancelled.' },
      recordingLocation: '',
      recordingAccessToken: '',
    });
  });

  it('with the legacy all=false cancels only the running operation and starts the next', () => {
    const call = queue(establishedCall(), 'p1', 'p2', 'p3');
    const change = cancelMediaProcessing(call, { operationId: 'c1', all: false }, context(1500));
    expect(endedOperations(change).map(([id]) => id)).toEqual(['p1', 'c1']);
    expect(change.call.mediaQueue.map((e) => e.id)).toEqual(['p2', 'p3']);
    expect(change.call.running).toEqual({ operationId: 'p2', startedAt: 1500 });
  });

  it('never touches a tone subscription', () => {
    const subscribed = subscribeToTone(queue(establishedCall(), 'p1'), { operationId: 's1' }, context(1000)).call;
    const change = cancelMediaProcessing(subscribed, { operationId: 'c1', all: true }, context(1100));
    expect(change.call.toneSubscription).toEqual({ operationId: 's1' });
  });

  it('with nothing to cancel still completes, and keeps an establishing call on its way', () => {
    const call = newCall();
    const change = cancelMediaProcessing(call, { operationId: 'c1', all: true }, context(100));
    expect(endedOperations(change)).toEqual([['c1', 'completed', undefined]]);
    expect(change.call.timer).toEqual(call.timer);
  });
});

describe('hanging up', () => {
  it('goes terminating → every media operation cancelled → terminated, once', () => {
    const call = queue(establishedCall(), 'p1', 'p2');
    const change = hangUp(call, 'bot', context(1500));
    expect(change?.events.map((e) => (e.kind === 'callState' ? `${e.changeType}:${e.state}` : e.kind === 'operation' ? `op:${e.operation.id}` : e.kind))).toEqual([
      'updated:terminating',
      'op:p1',
      'op:p2',
      'deleted:terminated',
    ]);
    expect(change?.call).toMatchObject({ state: 'terminated', mediaQueue: [], resultInfo: { code: 200, subcode: 7000 } });
    expect(hangUp(change?.call as Call, 'bot', context(2000))).toBeUndefined();
  });
});
