import { CallDraft, type DomainContext } from './draft';
import { assertEstablished } from './lifecycle';
import type { Call, CallChange, Operation } from './model';

/**
 * POST /calls/{id}/mute and /unmute: the bot mutes or unmutes its own audio. The operation
 * (muteParticipantOperation / unmuteParticipantOperation) completes at once; the bot's participant
 * says `isMuted`, and the roster notification carries it. Only on an established call: before, the
 * bot has no audio to mute; after, none is left.
 */
export function setBotMuted(call: Call, request: { operationId: string; muted: boolean; clientContext?: string }, ctx: DomainContext): CallChange<Operation> {
  assertEstablished(call, request.muted ? 'mute' : 'unmute');
  const draft = new CallDraft(call, ctx);
  draft.set({ botMuted: request.muted });
  const op = draft.createOperation({
    id: request.operationId,
    type: request.muted ? 'muteParticipant' : 'unmuteParticipant',
    status: 'completed',
    ...(request.clientContext !== undefined && { clientContext: request.clientContext }),
    endedAt: ctx.now,
  });
  draft.event({ kind: 'roster', withOthers: true });
  return draft.finish(op);
}
