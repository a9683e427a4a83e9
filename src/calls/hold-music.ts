import { CallDraft, type DomainContext } from './draft';
import { assertEstablished } from './lifecycle';
import type { Call, CallChange, Operation } from './model';
import { PLAY_COMPLETED } from './results';
import { CallRuleViolation } from './rules';

/**
 * participants/{id}/startHoldMusic and stopHoldMusic: one participant at a time leaves the mix and
 * hears hold music (the bot's customPrompt, or the platform's), then comes back. Graph answers 202
 * with the operation `running` and tells its end in a `deleted` notification; here the music starts
 * (or stops) at once, so that notification follows the answer straight away.
 */

export interface HoldRequest {
  readonly operationId: string;
  /** The participant's id; 'bot' when the bot names itself. */
  readonly participantId: string | 'bot';
  readonly clientContext?: string;
}

function holdOperation(draft: CallDraft, type: 'startHoldMusic' | 'stopHoldMusic', request: HoldRequest): Operation {
  const clientContext = request.clientContext !== undefined ? { clientContext: request.clientContext } : {};
  const op = draft.createOperation({ id: request.operationId, type, status: 'running', ...clientContext });
  draft.endOperation({ id: op.id, type, ...clientContext }, PLAY_COMPLETED);
  return op;
}

export function startHoldMusic(call: Call, request: HoldRequest, ctx: DomainContext): CallChange<Operation> {
  assertEstablished(call, 'startHoldMusic');
  if (request.participantId === 'bot') throw new CallRuleViolation('cannotHoldSelf', 'The bot cannot put itself on hold; name another participant.');
  if (call.onHold && call.onHold.participantId !== request.participantId) {
    throw new CallRuleViolation('holdInProgress', `Participant ${call.onHold.participantId} is on hold; only one participant of a call can be on hold at a time (stopHoldMusic first).`);
  }
  const draft = new CallDraft(call, ctx);
  draft.set({ onHold: { participantId: request.participantId } });
  return draft.finish(holdOperation(draft, 'startHoldMusic', request));
}

export function stopHoldMusic(call: Call, request: HoldRequest, ctx: DomainContext): CallChange<Operation> {
  assertEstablished(call, 'stopHoldMusic');
  if (call.onHold?.participantId !== request.participantId) throw new CallRuleViolation('notOnHold', `Participant ${request.participantId} is not on hold.`);
  const draft = new CallDraft(call, ctx);
  draft.set({ onHold: undefined });
  return draft.finish(holdOperation(draft, 'stopHoldMusic', request));
}
