import { describe, expect, it } from 'vitest';
import { tick } from '../../../src/calls/clock';
import { startHoldMusic, stopHoldMusic } from '../../../src/calls/hold-music';
import { chooseInviteFate, invite, type InviteRequest } from '../../../src/calls/invitations';
import { hangUp } from '../../../src/calls/lifecycle';
import type { Call, CallChange } from '../../../src/calls/model';
import { muteAll, removeParticipant } from '../../../src/calls/self-mute';
import { context, endedOperations, establishedCall, ruleOf, TIMING } from './fixtures';

const agent = (id: string, replacesCallId?: string) => ({ id, info: { identity: { user: { id } } }, ...(replacesCallId && { replacesCallId }) });
const request = (ids: string[], replaces?: string): InviteRequest => ({ operationId: 'inv-1', invitees: ids.map((id) => agent(id, replaces)), parameters: [], clientContext: 'agent' });
function fire(call: Call, at = call.timer?.dueAt ?? 0): CallChange {
  const result = tick(call, call.timer?.token ?? '', context(at, `t${at}`));
  if (result.kind !== 'changed') throw new Error(`expected a change, got ${result.kind}`);
  return result.change;
}
const guests = (call: Call) => (call.guests ?? []).map((g) => `${g.id}:${g.state}`);

describe('inviting participants', () => {
  it('rings the invitee, tells the roster, and completes the operation when it joins after TARGET_ANSWER_MS', () => {
    const change = invite(establishedCall(1000), request(['agent']), context(2000));
    expect(change.result).toMatchObject({ type: 'inviteParticipants', status: 'running', clientContext: 'agent' });
    expect(guests(change.call)).toEqual(['agent:invited']);
    expect(change.events.map((e) => e.kind)).toEqual(['roster']);
    expect(change.call.timer?.dueAt).toBe(2000 + TIMING.targetAnswerMs);

    const joined = fire(change.call);
    expect(guests(joined.call)).toEqual(['agent:joined']);
    expect(joined.events.map((e) => e.kind)).toEqual(['roster', 'operation']);
    expect(endedOperations(joined)).toEqual([['inv-1', 'completed', '']]);
  });

  it('fails the operation when the invitee declines or does not answer, and nobody joins', () => {
    const declining = chooseInviteFate(establishedCall(1000), 'decline', context(1500)).call;
    const declined = fire(invite(declining, request(['agent']), context(2000)).call);
    expect(guests(declined.call)).toEqual([]);
    expect(declined.events.at(-1)).toMatchObject({ operation: { status: 'failed', resultInfo: { code: 603 } } });

    const ringing = invite(establishedCall(1000), request(['agent']), context(2000)).call;
    const silent = chooseInviteFate(ringing, 'noAnswer', context(2100));
    expect(silent.result.appliedNow).toBe(true);
    expect(silent.call.timer?.dueAt).toBe(2100 + TIMING.transferTimeoutMs);
    expect(fire(silent.call).events.at(-1)).toMatchObject({ operation: { status: 'failed', resultInfo: { code: 408, subcode: 10057 } } });
  });

  it('refuses several invitees on a peer-to-peer call, more than five anywhere, and any outside an established call', () => {
    expect(ruleOf(() => invite(establishedCall(), request(['a', 'b']), context(2000)))).toBe('notGroupCall');
    const group = { ...establishedCall(), resource: { chatInfo: { threadId: 't' } } };
    expect(guests(invite(group, request(['a', 'b']), context(2000)).call)).toEqual(['a:invited', 'b:invited']);
    expect(ruleOf(() => invite(group, request(['1', '2', '3', '4', '5', '6']), context(2000)))).toBe('tooManyInvitees');
    expect(ruleOf(() => invite({ ...group, state: 'establishing' }, request(['a']), context(2000)))).toBe('notEstablished');
  });

  it('replacesCallId: once the invitee joins, the call it was on is ended as transferred', () => {
    const joined = fire(invite(establishedCall(1000), request(['agent'], 'consult-call'), context(2000)).call);
    expect(joined.effects?.endCalls).toEqual([{ callId: 'consult-call', resultInfo: expect.objectContaining({ code: 0, subcode: 7015 }) }]);
  });

  it('removing an invitee still ringing cancels its invitation; hanging up cancels the rest', () => {
    const ringing = invite(establishedCall(1000), request(['agent']), context(2000)).call;
    const cancelled = removeParticipant(ringing, { guestId: 'agent' }, 'agent', context(2500)) as CallChange;
    expect(guests(cancelled.call)).toEqual([]);
    expect(cancelled.events.at(-1)).toMatchObject({ operation: { id: 'inv-1', status: 'failed', resultInfo: { code: 487 } } });
    expect(cancelled.call.timer).toBeUndefined();

    const ended = hangUp(ringing, 'bot', context(2500)) as CallChange;
    expect(endedOperations(ended)).toEqual([['inv-1', 'failed', '']]);
  });
});

describe('hold music', () => {
  const held = { operationId: 'h1', participantId: 'caller' };
  it('puts one participant on hold: answered running, its completion told at once; stop brings it back', () => {
    const start = startHoldMusic(establishedCall(), held, context(2000));
    expect(start.result).toMatchObject({ type: 'startHoldMusic', status: 'running' });
    expect(endedOperations(start)).toEqual([['h1', 'completed', 'completedSuccessfully']]);
    expect(start.call.onHold).toEqual({ participantId: 'caller' });
    expect(ruleOf(() => startHoldMusic(start.call, { operationId: 'h2', participantId: 'other' }, context(2100)))).toBe('holdInProgress');
    expect(ruleOf(() => startHoldMusic(start.call, { operationId: 'h2', participantId: 'bot' }, context(2100)))).toBe('cannotHoldSelf');

    // Removing the participant on hold ends the hold.
    expect((removeParticipant(start.call, 0, 'caller', context(2050)) as CallChange).call.onHold).toBeUndefined();

    const stop = stopHoldMusic(start.call, { operationId: 's1', participantId: 'caller' }, context(3000));
    expect(stop.call.onHold).toBeUndefined();
    expect(ruleOf(() => stopHoldMusic(stop.call, { operationId: 's2', participantId: 'caller' }, context(3100)))).toBe('notOnHold');
  });

  it('muteAll mutes everyone but the bot, the guests too', () => {
    const withTarget = { ...establishedCall(1000), resource: { targets: [{ identity: { user: { id: 'john' } } }] } };
    const withAgent = fire(invite(withTarget, request(['agent']), context(2000)).call).call;
    const muted = muteAll(withAgent, { operationId: 'm1' }, context(4000));
    expect(muted.call.mutedParticipants).toEqual([0]);
    expect(muted.call.guests?.[0]?.muted).toBe(true);
    expect(muted.call.botMuted).toBeUndefined();
  });
});
