import { CallDraft, type DomainContext } from './draft';
import type { Call, CallChange, MediaHosting, ResultInfo } from './model';
import { CALL_ENDED_BY_BOT, CALL_ENDED_BY_CALLER, CALL_NOT_ANSWERED } from './results';
import { CallRuleViolation } from './rules';

/** What the creator of a call decides; the rest starts blank. */
export type NewCall = Pick<Call, 'id' | 'owner' | 'callbackUri' | 'family' | 'apiVersion' | 'mediaHosting' | 'baseUrl' | 'resource'>;

function blankCall(input: NewCall, ctx: DomainContext, fields: Pick<Call, 'state' | 'direction'>): Call {
  return { ...input, ...fields, mediaQueue: [], nextToneSequenceId: 1, version: 0, createdAt: ctx.now };
}

/** POST /calls: the bot places a call. It is `establishing` until the media clock establishes it. */
export function createOutgoingCall(input: NewCall, ctx: DomainContext): CallChange<Call> {
  const draft = new CallDraft(blankCall(input, ctx, { state: 'establishing', direction: 'outgoing' }), ctx);
  draft.timerIn(ctx.timing.establishMs);
  draft.event({ kind: 'callState', changeType: 'updated', state: 'establishing' });
  return draft.finish(draft.call);
}

/** The caller (played by the emulator) rings a bot: the bot is told with a `created` notification and must answer. */
export function receiveIncomingCall(input: NewCall, ctx: DomainContext): CallChange<Call> {
  const draft = new CallDraft(blankCall(input, ctx, { state: 'incoming', direction: 'incoming' }), ctx);
  draft.timerIn(ctx.timing.answerTimeoutMs);
  draft.event({ kind: 'callState', changeType: 'created', state: 'incoming' });
  return draft.finish(draft.call);
}

export interface Answer {
  readonly callbackUri: string;
  readonly mediaHosting: MediaHosting;
  readonly resource: Readonly<Record<string, unknown>>;
}

/** POST /calls/{id}/answer on an incoming call. */
export function answer(call: Call, input: Answer, ctx: DomainContext): CallChange {
  if (call.state !== 'incoming') {
    throw new CallRuleViolation('notIncoming', `Call ${call.id} is ${call.state}; only an incoming call can be answered.`);
  }
  const draft = new CallDraft(call, ctx);
  draft.set({ state: 'establishing', callbackUri: input.callbackUri, mediaHosting: input.mediaHosting, resource: { ...call.resource, ...input.resource } });
  draft.timerIn(ctx.timing.establishMs);
  draft.event({ kind: 'callState', changeType: 'updated', state: 'establishing' });
  return draft.finish(undefined);
}

/** The establish timer fired: the call is up, and queued media starts. */
export function establish(draft: CallDraft): void {
  draft.set({ state: 'established', timer: undefined });
  draft.event({ kind: 'callState', changeType: 'updated', state: 'established' });
  draft.startNext();
}

export type HangUpBy = 'bot' | 'caller' | 'unanswered';

const END_REASONS: Readonly<Record<HangUpBy, ResultInfo>> = {
  bot: CALL_ENDED_BY_BOT,
  caller: CALL_ENDED_BY_CALLER,
  unanswered: CALL_NOT_ANSWERED,
};

/**
 * DELETE /calls/{id}, the caller hanging up, or an unanswered incoming call: `terminating`, every
 * running and queued media operation ends as cancelled, then `terminated`. Undefined when the call
 * has already ended (hanging up twice changes nothing).
 */
export function hangUp(call: Call, by: HangUpBy, ctx: DomainContext): CallChange | undefined {
  if (call.state === 'terminated' || call.state === 'terminating') return undefined;
  const draft = new CallDraft(call, ctx);
  const queued = draft.call.mediaQueue;
  draft.set({ state: 'terminating' });
  draft.event({ kind: 'callState', changeType: 'updated', state: 'terminating' });
  draft.set({ mediaQueue: [], running: undefined, timer: undefined, toneSubscription: undefined });
  draft.cancel(queued);
  const resultInfo = END_REASONS[by];
  draft.set({ state: 'terminated', resultInfo, endedAt: ctx.now });
  draft.event({ kind: 'callState', changeType: 'deleted', state: 'terminated', resultInfo });
  return draft.finish(undefined);
}
