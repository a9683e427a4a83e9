import { CallDraft, type DomainContext } from './draft';
import { hasEnded, queued, type Call, type CallChange, type MediaRequest, type Operation, type OperationType } from './model';
import type { PromptFault } from './platform-faults';
import { CallRuleViolation, MEDIA_QUEUE_LIMIT } from './rules';

function assertCanTakeMedia(call: Call, action: OperationType): void {
  if (hasEnded(call.state)) {
    throw new CallRuleViolation('callEnded', `Call ${call.id} is ${call.state}; ${action} needs an active call.`);
  }
  if (call.mediaHosting !== 'service') {
    throw new CallRuleViolation('appHostedMedia', `${action} is supported only for calls with serviceHostedMediaConfig; call ${call.id} uses appHostedMediaConfig.`);
  }
}

/**
 * playPrompt / recordResponse: the operation joins the call's media queue. It runs at once when the
 * call is established and nothing else runs; otherwise it waits (`notStarted`). A recordResponse
 * with bargeInAllowed goes to the front and interrupts the running operation, which ends as
 * cancelled; the rest of the queue keeps its order behind it.
 */
export function enqueueMedia(call: Call, request: MediaRequest, ctx: DomainContext, fault?: PromptFault): CallChange<Operation> {
  assertCanTakeMedia(call, request.type);
  if (call.mediaQueue.length >= MEDIA_QUEUE_LIMIT) {
    throw new CallRuleViolation(
      'queueFull',
      `Call ${call.id} already has ${MEDIA_QUEUE_LIMIT} playPrompt/recordResponse operations queued, the limit; cancel them or wait for some to finish.`,
    );
  }
  const draft = new CallDraft(call, ctx);
  const current = draft.call;
  draft.createOperation({
    id: request.id,
    type: request.type,
    status: 'notStarted',
    ...(request.clientContext !== undefined && { clientContext: request.clientContext }),
    parameters: request.parameters,
  });
  const entry = queued(request, fault);
  const bargeIn = request.type === 'recordResponse' && request.parameters.bargeInAllowed;
  const running = current.running ? current.mediaQueue[0] : undefined;
  if (bargeIn) {
    const waiting = running ? current.mediaQueue.slice(1) : current.mediaQueue;
    draft.set({ mediaQueue: [entry, ...waiting], running: undefined });
    if (running) draft.cancel([running]);
  } else {
    draft.set({ mediaQueue: [...current.mediaQueue, entry] });
  }
  draft.startNext();
  const op = draft.created(entry.id) as Operation;
  // A faulted prompt that started ended at once; the bot is answered `running` and told the end, as Graph does.
  const answered = fault && op.status !== 'notStarted' ? { ...op, status: 'running' as const, resultInfo: undefined, completionReason: undefined } : op;
  return draft.finish(answered);
}

export interface CancelRequest {
  readonly operationId: string;
  readonly clientContext?: string;
  /** Legacy (2018) parameter: false cancels only the running operation. */
  readonly all: boolean;
}

/**
 * cancelMediaProcessing: the running operation and every queued one end as cancelled (only the
 * running one when `all` is false), in queue order, then the cancel itself completes. A tone
 * subscription is never touched. Costs one call row, whatever the call's history.
 */
export function cancelMediaProcessing(call: Call, request: CancelRequest, ctx: DomainContext): CallChange<Operation> {
  if (hasEnded(call.state)) {
    throw new CallRuleViolation('callEnded', `Call ${call.id} is ${call.state}; cancelMediaProcessing needs an active call.`);
  }
  const draft = new CallDraft(call, ctx);
  const current = draft.call;
  const running = current.running ? current.mediaQueue.slice(0, 1) : [];
  const cancelled = request.all ? current.mediaQueue : running;
  draft.set({ mediaQueue: current.mediaQueue.slice(cancelled.length), running: undefined });
  draft.cancel(cancelled);
  draft.startNext();
  const op = draft.completedOperation('cancelMediaProcessing', request);
  draft.event({ kind: 'operation', operation: { id: op.id, type: op.type, status: op.status, clientContext: op.clientContext, version: op.version } });
  return draft.finish(op);
}

/**
 * subscribeToTone: from now on every DTMF tone the caller presses is sent to the bot as a call
 * notification with toneInfo. Completes at once, beside the media queue.
 */
export function subscribeToTone(call: Call, request: { operationId: string; clientContext?: string }, ctx: DomainContext): CallChange<Operation> {
  assertCanTakeMedia(call, 'subscribeToTone');
  const draft = new CallDraft(call, ctx);
  draft.set({ toneSubscription: { operationId: request.operationId, ...(request.clientContext !== undefined && { clientContext: request.clientContext }) } });
  const op = draft.completedOperation('subscribeToTone', request);
  return draft.finish(op);
}
