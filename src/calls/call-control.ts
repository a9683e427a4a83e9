import { CallDraft, type DomainContext } from './draft';
import { assertEstablished, assertIncoming, endCall } from './lifecycle';
import { hasEnded, type Call, type CallChange, type Operation, type RecordingStatus, type TransferFate } from './model';
import { CALL_REDIRECTED, CALL_REJECTED, CALL_TRANSFERRED, TRANSFER_DECLINED, TRANSFER_NOT_ANSWERED } from './results';
import { CallRuleViolation } from './rules';

/**
 * How an IVR's flows end, beside the media queue: reject or redirect an incoming call, transfer an
 * established one, keep a long call alive, record-status changes. Pure, like the rest of calls/.
 */

export type RejectReason = keyof typeof CALL_REJECTED;

/**
 * POST /calls/{id}/reject: the incoming call ends at once, `terminated` with the reason's
 * resultInfo, told to `callbackUri` when the request gives one.
 */
export function reject(call: Call, request: { reason: RejectReason; callbackUri?: string }, ctx: DomainContext): CallChange {
  assertIncoming(call, 'rejected', ctx.now);
  const draft = new CallDraft(call, ctx);
  if (request.callbackUri !== undefined) draft.set({ callbackUri: request.callbackUri });
  endCall(draft, CALL_REJECTED[request.reason], { terminating: false });
  return draft.finish(undefined);
}

/** POST /calls/{id}/redirect: `redirecting`, then the call ends once a target has taken it (after TARGET_ANSWER_MS). */
export function redirect(call: Call, request: { callbackUri?: string }, ctx: DomainContext): CallChange {
  assertIncoming(call, 'redirected', ctx.now);
  const draft = new CallDraft(call, ctx);
  draft.set({ state: 'redirecting', ...(request.callbackUri !== undefined && { callbackUri: request.callbackUri }) });
  draft.deadlineIn(ctx.timing.targetAnswerMs);
  draft.event({ kind: 'callState', changeType: 'updated', state: 'redirecting' });
  return draft.finish(undefined);
}

/** The redirect's target answered (the clock): the call is gone from the bot. */
export function completeRedirect(draft: CallDraft): void {
  endCall(draft, CALL_REDIRECTED, { terminating: false });
}

export interface TransferRequest {
  readonly target: Readonly<Record<string, unknown>>;
  readonly transferee?: Readonly<Record<string, unknown>>;
}

/**
 * POST /calls/{id}/transfer: `transferring` while the target rings. The bot's media stops: the
 * running and queued playPrompt / recordResponse and any sendDtmfTones end as cancelled. What the
 * target does is the emulator's to say (default: it answers after TARGET_ANSWER_MS).
 */
export function transfer(call: Call, request: TransferRequest, ctx: DomainContext): CallChange {
  assertEstablished(call, 'transfer');
  const draft = new CallDraft(call, ctx);
  const fate = draft.call.transferFate ?? 'accept';
  draft.set({ state: 'transferring', transferFate: undefined, transfer: { ...request, fate } });
  draft.event({ kind: 'callState', changeType: 'updated', state: 'transferring' });
  draft.stopMedia();
  draft.deadlineIn(fate === 'noAnswer' ? ctx.timing.transferTimeoutMs : ctx.timing.targetAnswerMs);
  return draft.finish(undefined);
}

/**
 * The target answered, declined, or rang out. Accepted: `transferAccepted`, the caller leaves the
 * bot's call, which ends `terminated` 0 / 7015. Otherwise the call is `established` again, with
 * the documented 500 / 7000 in that notification.
 */
export function settleTransfer(draft: CallDraft, fate: TransferFate): void {
  if (fate === 'accept') {
    draft.set({ state: 'transferAccepted' });
    draft.event({ kind: 'callState', changeType: 'updated', state: 'transferAccepted' });
    draft.event({ kind: 'roster', withOthers: false });
    endCall(draft, CALL_TRANSFERRED, { terminating: false });
    return;
  }
  draft.set({ state: 'established', transfer: undefined });
  draft.deadlineIn(undefined);
  draft.event({ kind: 'callState', changeType: 'updated', state: 'established', resultInfo: fate === 'decline' ? TRANSFER_DECLINED : TRANSFER_NOT_ANSWERED });
}

/**
 * The emulator, as the transfer target: during a transfer, `accept` / `decline` answer now and
 * `noAnswer` lets it ring until TRANSFER_TIMEOUT_MS; otherwise the choice waits for the next transfer.
 */
export function chooseTransferFate(call: Call, fate: TransferFate, ctx: DomainContext): CallChange<{ readonly appliedNow: boolean }> {
  if (hasEnded(call.state)) throw new CallRuleViolation('callEnded', `Call ${call.id} is ${call.state}; there is no transfer to answer.`);
  const draft = new CallDraft(call, ctx);
  const current = draft.call;
  if (current.state !== 'transferring' || !current.transfer) {
    draft.set({ transferFate: fate });
    return draft.finish({ appliedNow: false });
  }
  if (fate === 'noAnswer') {
    draft.set({ transfer: { ...current.transfer, fate } });
    draft.deadlineIn(ctx.timing.transferTimeoutMs);
  } else {
    settleTransfer(draft, fate);
  }
  return draft.finish({ appliedNow: true });
}

/**
 * POST /calls/{id}/keepAlive: restarts the keep-alive window of an established call. Before the
 * call is established the window has not opened, and after it ended there is nothing to keep:
 * both change nothing (the docs answer the second with 404).
 */
export function keepAlive(call: Call, ctx: DomainContext): CallChange | undefined {
  if (hasEnded(call.state)) return undefined;
  const draft = new CallDraft(call, ctx);
  if (draft.call.keepAlive) draft.keepAliveFor(ctx.timing.keepAliveMs);
  return draft.finishIfTouched(undefined);
}

/** At most this many sendDtmfTones wait per call (they count against the same 100-row transaction as the media queue). */
export const DTMF_QUEUE_LIMIT = 10;

export interface DtmfRequest {
  readonly operationId: string;
  readonly tones: readonly string[];
  readonly delayBetweenTonesMs: number;
  readonly clientContext?: string;
}

/**
 * POST /calls/{id}/sendDtmfTones: the bot plays tones to the other side. It runs beside the media
 * queue (the docs tie it to no prompt or recording, and cancelMediaProcessing names only those two),
 * after any sendDtmfTones still playing, for tones × DTMF_TONE_MS plus the delays between them;
 * then it completes with `completedSuccessfully`, or with `mediaOperationCanceled` if the call ends first.
 */
export function sendDtmfTones(call: Call, request: DtmfRequest, ctx: DomainContext): CallChange<Operation> {
  assertEstablished(call, 'sendDtmfTones');
  const queue = call.dtmf ?? [];
  if (queue.length >= DTMF_QUEUE_LIMIT) {
    throw new CallRuleViolation('queueFull', `Call ${call.id} already has ${DTMF_QUEUE_LIMIT} sendDtmfTones operations playing or waiting, the limit.`);
  }
  const draft = new CallDraft(call, ctx);
  const waiting = draft.call.dtmf ?? [];
  const startsAt = Math.max(ctx.now, waiting.at(-1)?.endsAt ?? ctx.now);
  const length = request.tones.length * ctx.timing.dtmfToneMs + Math.max(0, request.tones.length - 1) * request.delayBetweenTonesMs;
  const clientContext = request.clientContext !== undefined ? { clientContext: request.clientContext } : {};
  draft.set({ dtmf: [...waiting, { id: request.operationId, endsAt: startsAt + length, ...clientContext }] });
  const op = draft.createOperation({ id: request.operationId, type: 'sendDtmfTones', status: 'running', ...clientContext, parameters: { tones: request.tones, delayBetweenTonesMs: request.delayBetweenTonesMs } });
  return draft.finish(op);
}

/**
 * POST /calls/{id}/updateRecordingStatus: the bot says whether it records the call (compliance
 * recording). The operation completes at once; the bot's participant carries the status, and the
 * roster notification says so.
 */
export function updateRecordingStatus(call: Call, request: { operationId: string; status: RecordingStatus; clientContext?: string }, ctx: DomainContext): CallChange<Operation> {
  if (hasEnded(call.state)) throw new CallRuleViolation('callEnded', `Call ${call.id} is ${call.state}; updateRecordingStatus needs an active call.`);
  const draft = new CallDraft(call, ctx);
  draft.set({ recordingStatus: request.status });
  const op = draft.completedOperation('updateRecordingStatus', request);
  draft.event({ kind: 'roster', withOthers: draft.call.state !== 'incoming' });
  return draft.finish(op);
}

