import { CallDraft, type DomainContext } from './draft';
import { hasEnded, type Call, type CallChange, type MediaHosting, type ResultInfo } from './model';
import { CALL_ENDED_BY_BOT, CALL_ENDED_BY_CALLER, CALL_NOT_KEPT_ALIVE } from './results';
import type { InjectedFault, PlatformFaults } from './platform-faults';
import { CallRuleViolation } from './rules';

/** What the creator of a call decides; the rest starts blank. */
export type NewCall = Pick<Call, 'id' | 'owner' | 'callbackUri' | 'family' | 'apiVersion' | 'mediaHosting' | 'baseUrl' | 'resource' | 'platform' | 'meetingId' | 'guests'>;

function blankCall(input: NewCall, ctx: DomainContext, fields: Pick<Call, 'state' | 'direction'>): Call {
  return { ...input, ...fields, mediaQueue: [], nextToneSequenceId: 1, version: 0, createdAt: ctx.now };
}

/** POST /calls: the bot places a call. It is `establishing` until the media clock establishes it. */
export function createOutgoingCall(input: NewCall, ctx: DomainContext): CallChange<Call> {
  const draft = new CallDraft(blankCall(input, ctx, { state: 'establishing', direction: 'outgoing' }), ctx);
  draft.deadlineIn(establishWithin(input.platform, ctx));
  draft.event({ kind: 'callState', changeType: 'updated', state: 'establishing' });
  return withNewCall(draft.finish(undefined));
}

/** The caller (played by the emulator) rings a bot: the bot is told with a `created` notification and must answer. */
export function receiveIncomingCall(input: NewCall, ctx: DomainContext): CallChange<Call> {
  const draft = new CallDraft(blankCall(input, ctx, { state: 'incoming', direction: 'incoming' }), ctx);
  draft.deadlineIn(ctx.timing.answerTimeoutMs);
  draft.event({ kind: 'callState', changeType: 'created', state: 'incoming' });
  return withNewCall(draft.finish(undefined));
}

/** A new call's change answers with the call as committed (its timer aimed). */
function withNewCall(change: CallChange): CallChange<Call> {
  return { ...change, result: change.call };
}

export interface Answer {
  readonly callbackUri: string;
  readonly mediaHosting: MediaHosting;
  readonly resource: Readonly<Record<string, unknown>>;
  readonly platform?: PlatformFaults;
}

/** How long a call is `establishing`: until it is up, or until the platform gives up on it. */
function establishWithin(platform: PlatformFaults | undefined, ctx: DomainContext): number {
  return platform?.neverEstablish?.endAfterMs ?? ctx.timing.establishMs;
}

/**
 * Answer, reject and redirect need an incoming call within its answer window. A call whose window
 * has passed is refused even before the clock has ended it.
 */
export function assertIncoming(call: Call, action: string, now: number): void {
  if (call.state !== 'incoming') {
    throw new CallRuleViolation('notIncoming', `Call ${call.id} is ${call.state}; only an incoming call can be ${action}.`);
  }
  if (call.stateDeadline !== undefined && call.stateDeadline <= now) {
    throw new CallRuleViolation('notIncoming', `Call ${call.id} was not answered within its answer window, which ended at ${new Date(call.stateDeadline).toISOString()}; it can no longer be ${action}.`);
  }
}

/** Transfer, sendDtmfTones and the caller's keys and speech need an established call. */
export function assertEstablished(call: Call, action: string): void {
  if (call.state !== 'established') {
    throw new CallRuleViolation(hasEnded(call.state) ? 'callEnded' : 'notEstablished', `Call ${call.id} is ${call.state}; ${action} needs an established call.`);
  }
}

/** POST /calls/{id}/answer on an incoming call. */
export function answer(call: Call, input: Answer, ctx: DomainContext): CallChange {
  assertIncoming(call, 'answered', ctx.now);
  const draft = new CallDraft(call, ctx);
  draft.set({ state: 'establishing', callbackUri: input.callbackUri, mediaHosting: input.mediaHosting, resource: { ...call.resource, ...input.resource }, ...(input.platform && { platform: input.platform }) });
  draft.deadlineIn(establishWithin(input.platform, ctx));
  draft.event({ kind: 'callState', changeType: 'updated', state: 'establishing' });
  return draft.finish(undefined);
}

/**
 * The establish deadline passed: the call is up, queued media starts, the keep-alive window opens.
 * Everyone is on it from the start, so the roster is not announced; its changes are.
 */
export function establish(draft: CallDraft): void {
  const drop = draft.call.platform?.drop;
  // A drop the platform has in store for the call counts from now.
  draft.set({ state: 'established', ...(drop && { platform: { ...draft.call.platform, drop: { ...drop, at: draft.ctx.now + drop.afterMs } } }) });
  draft.deadlineIn(undefined);
  draft.keepAliveFor(draft.ctx.timing.keepAliveMs);
  draft.event({ kind: 'callState', changeType: 'updated', state: 'established' });
  // A bot that joins a meeting is told who is there.
  if (draft.call.meetingId !== undefined) draft.event({ kind: 'roster', withOthers: true });
  draft.startNext();
}

export type HangUpBy = 'bot' | 'caller' | 'notKeptAlive';

const END_REASONS: Readonly<Record<HangUpBy, ResultInfo>> = {
  bot: CALL_ENDED_BY_BOT,
  caller: CALL_ENDED_BY_CALLER,
  notKeptAlive: CALL_NOT_KEPT_ALIVE,
};

/**
 * DELETE /calls/{id}, the caller hanging up, or a call nobody kept
 * alive: `terminating`, every running and queued operation ends as cancelled, then `terminated`.
 * Undefined when the call has already ended (hanging up twice changes nothing).
 */
export function hangUp(call: Call, by: HangUpBy, ctx: DomainContext): CallChange | undefined {
  if (call.state === 'terminated' || call.state === 'terminating') return undefined;
  const draft = new CallDraft(call, ctx);
  // The caller leaves the bot alone on the call before it ends.
  if (by === 'caller') draft.event({ kind: 'roster', withOthers: false });
  endCall(draft, END_REASONS[by], { terminating: true, silentRecording: by === 'caller' && ctx.silentRecordingOnCallerHangUp === true });
  return draft.finish(undefined);
}

/** Another of the app's calls ended this one (a consultative transfer replaced it); undefined when it has ended already. */
export function endedAs(call: Call, resultInfo: ResultInfo, ctx: DomainContext): CallChange | undefined {
  if (call.state === 'terminated' || call.state === 'terminating') return undefined;
  const draft = new CallDraft(call, ctx);
  draft.event({ kind: 'roster', withOthers: false });
  endCall(draft, resultInfo, { terminating: false });
  return draft.finish(undefined);
}

/**
 * Ends a call: (`terminating`,) every running and queued operation ends as cancelled, the tone
 * subscription and every timer go, then `terminated` with `resultInfo`. With `silentRecording`, a
 * running recordResponse ends without a notification.
 */
export function endCall(draft: CallDraft, resultInfo: ResultInfo, options: { terminating: boolean; silentRecording?: boolean; injected?: InjectedFault }): void {
  if (options.terminating) {
    draft.set({ state: 'terminating' });
    draft.event({ kind: 'callState', changeType: 'updated', state: 'terminating' });
  }
  draft.stopMedia({ ...(options.silentRecording !== undefined && { silentRecording: options.silentRecording }) });
  draft.dropInvitations();
  draft.set({ toneSubscription: undefined, transfer: undefined, keepAlive: undefined, platform: undefined });
  draft.deadlineIn(undefined);
  draft.set({ state: 'terminated', resultInfo, endedAt: draft.ctx.now });
  draft.event({ kind: 'callState', changeType: 'deleted', state: 'terminated', resultInfo, ...(options.injected && { injected: options.injected }) });
}
