import { describe, expect, it } from 'vitest';
import { tick } from '../../../src/calls/clock';
import { createOutgoingCall, answer, receiveIncomingCall } from '../../../src/calls/lifecycle';
import { enqueueMedia } from '../../../src/calls/media';
import type { Call, CallChange } from '../../../src/calls/model';
import { dropCall } from '../../../src/calls/platform';
import type { PlatformFaults } from '../../../src/calls/platform-faults';
import { context, endedOperations, establishedCall, prompt, record, TIMING } from './fixtures';

const DROP = { code: 500, subcode: 1999, message: 'Server Internal Error. DiagCode: 500#1999.@' };
const NEVER = { code: 500, subcode: 7117, message: 'Server Internal Error. DiagCode: 500#7117.@' };

function placed(platform: PlatformFaults, now = 0): Call {
  const input = { id: 'call-1', owner: { tenantId: 't', appId: 'a' }, callbackUri: 'https://bot/cb', family: 'communications' as const, apiVersion: 'v1.0' as const, mediaHosting: 'service' as const, baseUrl: 'https://svc', resource: {}, platform };
  return createOutgoingCall(input, context(now, 'create')).call;
}

function fire(call: Call, at = call.timer?.dueAt ?? 0): CallChange {
  const result = tick(call, call.timer?.token ?? '', context(at, `t${at}`));
  if (result.kind !== 'changed') throw new Error(`expected a change, got ${result.kind}`);
  return result.change;
}

const states = (change: CallChange) => change.events.flatMap((e) => (e.kind === 'callState' ? [`${e.changeType}:${e.state}`] : []));

describe('the platform drops a call', () => {
  it('ends an established call afterMs after it established: roster, cancelled media, then deleted with the resultInfo and no terminating', () => {
    const call = placed({ drop: { afterMs: 5000, resultInfo: DROP } });
    const up = fire(call, TIMING.establishMs).call;
    expect(up.state).toBe('established');
    expect(up.timer?.dueAt).toBe(TIMING.establishMs + 5000);
    const playing = enqueueMedia(up, prompt('p1', 100), context(2000)).call;

    const dropped = fire(playing, TIMING.establishMs + 5000);
    expect(dropped.events.map((e) => e.kind)).toEqual(['roster', 'operation', 'callState']);
    expect(states(dropped)).toEqual(['deleted:terminated']);
    expect(endedOperations(dropped)).toEqual([['p1', 'failed', 'mediaOperationCanceled']]);
    expect(dropped.events.at(-1)).toMatchObject({ resultInfo: DROP, injected: 'callDropped' });
    expect(dropped.call).toMatchObject({ state: 'terminated', resultInfo: DROP, mediaQueue: [] });
    expect(dropped.call.platform).toBeUndefined();
    expect(dropped.call.timer).toBeUndefined();
  });

  it('drops at once on the emulator\'s request, from any state but an ended one', () => {
    const change = dropCall(establishedCall(), DROP, context(3000)) as CallChange;
    expect(states(change)).toEqual(['deleted:terminated']);
    expect(change.call.resultInfo).toEqual(DROP);
    expect(dropCall(change.call, DROP, context(4000))).toBeUndefined();

    const ringing = receiveIncomingCall({ id: 'in', owner: { tenantId: 't', appId: 'a' }, callbackUri: 'https://bot/cb', family: 'communications', apiVersion: 'v1.0', mediaHosting: 'service', baseUrl: 'https://svc', resource: {} }, context(0)).call;
    // Nobody had joined: no roster change to tell.
    expect(dropCall(ringing, DROP, context(10))?.events.map((e) => e.kind)).toEqual(['callState']);
  });
});

describe('the platform never establishes a call', () => {
  it('keeps it establishing until endAfterMs, then ends it with the resultInfo', () => {
    const call = placed({ neverEstablish: { endAfterMs: 8000, resultInfo: NEVER } });
    expect(call.timer?.dueAt).toBe(8000);
    const queued = enqueueMedia(call, record('r1'), context(100)).call;
    const ended = fire(queued, 8000);
    expect(states(ended)).toEqual(['deleted:terminated']);
    expect(ended.events.at(-1)).toMatchObject({ resultInfo: NEVER, injected: 'neverEstablished' });
    expect(endedOperations(ended)).toEqual([['r1', 'failed', 'operationCanceled']]);
  });

  it('applies to an answered incoming call from its answer', () => {
    const ringing = receiveIncomingCall({ id: 'in', owner: { tenantId: 't', appId: 'a' }, callbackUri: 'https://bot/cb', family: 'communications', apiVersion: 'v1.0', mediaHosting: 'service', baseUrl: 'https://svc', resource: {} }, context(0)).call;
    const answered = answer(ringing, { callbackUri: 'https://bot/cb', mediaHosting: 'service', resource: {}, platform: { neverEstablish: { endAfterMs: 4000, resultInfo: NEVER } } }, context(1000)).call;
    expect(answered.timer?.dueAt).toBe(5000);
    expect(fire(answered).call).toMatchObject({ state: 'terminated', resultInfo: NEVER });
  });
});

describe('the platform spoils a prompt', () => {
  it('answers running and completes it at once with completionReason unknown, then starts the next', () => {
    const call = establishedCall();
    const change = enqueueMedia(call, prompt('p1'), context(2000), 'unknown');
    expect(change.result.status).toBe('running');
    expect(endedOperations(change)).toEqual([['p1', 'completed', 'unknown']]);
    expect(change.events[0]).toMatchObject({ injected: 'promptUnknown' });
    expect(change.call.mediaQueue).toEqual([]);
    expect(change.call.timer).toBeUndefined();
  });

  it('fails a prompt with a media error when it comes to run, not before', () => {
    const busy = enqueueMedia(establishedCall(), prompt('p1'), context(2000)).call;
    const waiting = enqueueMedia(busy, prompt('p2'), context(2100), 'mediaError');
    expect(waiting.result.status).toBe('notStarted');
    expect(waiting.events).toEqual([]);
    const next = fire(waiting.call);
    expect(endedOperations(next)).toEqual([
      ['p1', 'completed', 'completedSuccessfully'],
      ['p2', 'failed', 'unknown'],
    ]);
    expect(next.events[1]).toMatchObject({ operation: { resultInfo: { code: 500 } }, injected: 'promptFailed' });
  });
});
