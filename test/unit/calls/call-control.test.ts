import { describe, expect, it } from 'vitest';
import { chooseTransferFate, keepAlive, redirect, reject, sendDtmfTones, transfer, updateRecordingStatus } from '../../../src/calls/call-control';
import { tick } from '../../../src/calls/clock';
import { hangUp, receiveIncomingCall } from '../../../src/calls/lifecycle';
import { cancelMediaProcessing, enqueueMedia } from '../../../src/calls/media';
import type { Call, CallChange } from '../../../src/calls/model';
import { CallRuleViolation } from '../../../src/calls/rules';
import { context, endedOperations, establishedCall, newCall, prompt, record, TIMING } from './fixtures';

function fire(call: Call, token = call.timer?.token ?? '', at = call.timer?.dueAt ?? 0): CallChange {
  const result = tick(call, token, context(at, `t${at}`));
  if (result.kind !== 'changed') throw new Error(`expected a change, got ${result.kind}`);
  return result.change;
}

const states = (change: CallChange<unknown>) => change.events.flatMap((e) => (e.kind === 'callState' ? [`${e.changeType}:${e.state}`] : e.kind === 'roster' ? [`roster:${e.withOthers ? 'all' : 'bot'}`] : []));

function incoming(now = 0): Call {
  const input = { id: 'in-1', owner: { tenantId: 't', appId: 'a' }, callbackUri: 'https://bot/cb', family: 'communications' as const, apiVersion: 'v1.0' as const, mediaHosting: 'service' as const, baseUrl: 'https://svc', resource: {} };
  return receiveIncomingCall(input, context(now, 'ring')).call;
}

function refusal(decide: () => unknown): string {
  try {
    decide();
  } catch (error) {
    if (error instanceof CallRuleViolation) return error.code;
    throw error;
  }
  throw new Error('expected a refusal');
}

const TARGET = { identity: { user: { id: 'agent' } } };

describe('transfer', () => {
  it('accepted: transferring, then transferAccepted, the caller leaves, terminated 0 / 7015', () => {
    const call = enqueueMedia(establishedCall(), prompt('p1'), context(1000)).call;
    const started = transfer(call, { target: TARGET }, context(1500));
    expect(started.call).toMatchObject({ state: 'transferring', mediaQueue: [], transfer: { fate: 'accept' }, timer: { dueAt: 1500 + TIMING.targetAnswerMs } });
    // The bot's media stops: the running prompt ends cancelled.
    expect(endedOperations(started)).toEqual([['p1', 'failed', 'mediaOperationCanceled']]);
    const done = fire(started.call);
    expect(states(done)).toEqual(['updated:transferAccepted', 'roster:bot', 'deleted:terminated']);
    expect(done.call).toMatchObject({ state: 'terminated', resultInfo: { code: 0, subcode: 7015, message: 'GracefulTransferCompleted' }, keepAlive: undefined, timer: undefined });
  });

  it('declined: back to established with 500 / 7000, and media works again', () => {
    const chosen = chooseTransferFate(establishedCall(), 'decline', context(1100));
    expect(chosen.result.appliedNow).toBe(false);
    const started = transfer(chosen.call, { target: TARGET }, context(1200));
    const back = fire(started.call);
    expect(back.call).toMatchObject({ state: 'established', transfer: undefined, transferFate: undefined });
    expect(back.events).toEqual([{ kind: 'callState', changeType: 'updated', state: 'established', resultInfo: expect.objectContaining({ code: 500, subcode: 7000 }) }]);
    expect(enqueueMedia(back.call, prompt('again'), context(3000)).call.running?.operationId).toBe('again');
  });

  it('unanswered: rings for TRANSFER_TIMEOUT_MS, then fails; the emulator can answer it meanwhile', () => {
    const started = transfer(establishedCall(), { target: TARGET }, context(1200));
    const ringing = chooseTransferFate(started.call, 'noAnswer', context(1300, 'fate'));
    expect(ringing.result.appliedNow).toBe(true);
    expect(ringing.call.timer?.dueAt).toBe(1300 + TIMING.transferTimeoutMs);
    // The message for the old deadline finds another token.
    expect(tick(ringing.call, started.call.timer?.token ?? '', context(2200)).kind).toBe('stale');
    expect(fire(ringing.call).events[0]).toMatchObject({ state: 'established', resultInfo: { code: 500, message: 'The transfer target did not answer.' } });
    const answered = chooseTransferFate(ringing.call, 'accept', context(5000));
    expect(answered.call.state).toBe('terminated');
  });

  it('needs an established call', () => {
    expect(refusal(() => transfer(incoming(), { target: TARGET }, context(10)))).toBe('notEstablished');
    expect(refusal(() => transfer(hangUp(establishedCall(), 'bot', context(1200))?.call as Call, { target: TARGET }, context(1300)))).toBe('callEnded');
  });
});

describe('reject and redirect', () => {
  it('reject ends the incoming call at once with the reason’s resultInfo', () => {
    const change = reject(incoming(), { reason: 'busy' }, context(100));
    expect(states(change)).toEqual(['deleted:terminated']);
    expect(change.call.resultInfo).toMatchObject({ code: 486 });
  });

  it('redirect: redirecting, then terminated when the target has it', () => {
    const started = redirect(incoming(), {}, context(100));
    expect(states(started)).toEqual(['updated:redirecting']);
    const done = fire(started.call);
    expect(done.call).toMatchObject({ state: 'terminated', resultInfo: { code: 302 } });
  });

  it('only within the answer window, and only on an incoming call', () => {
    const call = incoming(0);
    expect(refusal(() => reject(call, { reason: 'none' }, context(TIMING.answerTimeoutMs)))).toBe('notIncoming');
    expect(refusal(() => redirect(call, {}, context(TIMING.answerTimeoutMs + 1)))).toBe('notIncoming');
    expect(refusal(() => reject(establishedCall(), { reason: 'none' }, context(2000)))).toBe('notIncoming');
  });
});

describe('keepAlive', () => {
  it('an established call not kept alive ends with 408 / 8537; a keepAlive moves the deadline', () => {
    const call = establishedCall(1000);
    expect(call.keepAlive?.dueAt).toBe(1000 + TIMING.keepAliveMs);
    const kept = keepAlive(call, context(5000))?.call as Call;
    expect(kept.keepAlive?.dueAt).toBe(5000 + TIMING.keepAliveMs);
    expect(tick(kept, call.keepAlive?.token ?? '', context(1000 + TIMING.keepAliveMs)).kind).toBe('stale');
    const ended = fire(kept, kept.keepAlive?.token, kept.keepAlive?.dueAt);
    expect(ended.call).toMatchObject({ state: 'terminated', resultInfo: { code: 408, subcode: 8537 } });
    expect(keepAlive(ended.call, context(kept.keepAlive?.dueAt ?? 0))).toBeUndefined();
  });

  it('before the call is established there is no window yet: nothing to commit', () => {
    expect(keepAlive(newCall(0), context(10))).toBeUndefined();
  });
});

describe('sendDtmfTones', () => {
  it('runs beside the media queue for its tones and delays, one after another, untouched by cancelMediaProcessing', () => {
    let call = enqueueMedia(establishedCall(1000), prompt('p1'), context(1000)).call;
    const first = sendDtmfTones(call, { operationId: 'd1', tones: ['tone1', 'tone2', 'pound'], delayBetweenTonesMs: 50 }, context(1000));
    expect(first.result).toMatchObject({ type: 'sendDtmfTones', status: 'running' });
    call = sendDtmfTones(first.call, { operationId: 'd2', tones: ['star'], delayBetweenTonesMs: 0 }, context(1010)).call;
    const end1 = 1000 + 3 * TIMING.dtmfToneMs + 2 * 50;
    expect(call.dtmf?.map((d) => d.endsAt)).toEqual([end1, end1 + TIMING.dtmfToneMs]);
    call = cancelMediaProcessing(call, { operationId: 'c', all: true }, context(1020)).call;
    expect(call.dtmf).toHaveLength(2);
    expect(call.timer?.dueAt).toBe(end1);
    const done = fire(call);
    expect(done.events).toEqual([{ kind: 'operation', operation: expect.objectContaining({ id: 'd1', status: 'completed', completionReason: 'completedSuccessfully' }) }]);
  });

  it('ends with mediaOperationCanceled when the call ends first', () => {
    const call = sendDtmfTones(establishedCall(), { operationId: 'd1', tones: ['tone1'], delayBetweenTonesMs: 0 }, context(1000)).call;
    const ended = hangUp(call, 'caller', context(1050)) as CallChange;
    expect(endedOperations(ended)).toEqual([['d1', 'completed', 'mediaOperationCanceled']]);
  });
});

describe('updateRecordingStatus', () => {
  it('completes at once, keeps the status, and announces the roster', () => {
    const change = updateRecordingStatus(establishedCall(), { operationId: 'u1', status: 'recording', clientContext: 'rec' }, context(1100));
    expect(change.result).toMatchObject({ type: 'updateRecordingStatus', status: 'completed', clientContext: 'rec' });
    expect(change.call.recordingStatus).toBe('recording');
    expect(states(change)).toEqual(['roster:all']);
  });
});

describe('the caller hanging up mid-recording', () => {
  it('ends the recording with a notification by default, silently with RECORDING_ON_CALLER_HANGUP=silent', () => {
    const call = enqueueMedia(establishedCall(1000), record('r1'), context(1000)).call;
    const notified = hangUp(call, 'caller', context(2000)) as CallChange;
    expect(endedOperations(notified)).toEqual([['r1', 'failed', 'operationCanceled']]);
    const silent = hangUp(call, 'caller', { ...context(2000), silentRecordingOnCallerHangUp: true }) as CallChange;
    expect(endedOperations(silent)).toEqual([]);
    expect(silent.patches).toEqual([expect.objectContaining({ id: 'r1', status: 'failed' })]);
    // The bot hanging up still tells it.
    expect(endedOperations(hangUp(call, 'bot', { ...context(2000), silentRecordingOnCallerHangUp: true }) as CallChange)).toHaveLength(1);
  });
});
