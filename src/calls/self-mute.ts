import { CallDraft, type DomainContext } from './draft';
import { assertEstablished } from './lifecycle';
import type { Call, CallChange, Operation } from './model';
import { CallRuleViolation } from './rules';

/**
 * The bot's own part of the call: muting itself, its screen sharing role, the gallery view it asks for.
 *
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

/** POST /calls/{id}/changeScreenSharingRole: the bot becomes a viewer or a sharer of the screen. No operation, no body. */
export function changeScreenSharingRole(call: Call, role: 'viewer' | 'sharer', ctx: DomainContext): CallChange<undefined> | undefined {
  assertEstablished(call, 'changeScreenSharingRole');
  if (call.screenSharingRole === role) return undefined;
  const draft = new CallDraft(call, ctx);
  draft.set({ screenSharingRole: role });
  return draft.finish(undefined);
}

/** POST /calls/{id}/addLargeGalleryView: the bot asks for the large gallery view; the operation completes at once. */
export function addLargeGalleryView(call: Call, request: { operationId: string; clientContext?: string }, ctx: DomainContext): CallChange<Operation> {
  assertEstablished(call, 'addLargeGalleryView');
  const draft = new CallDraft(call, ctx);
  const op = draft.createOperation({
    id: request.operationId,
    type: 'addLargeGalleryView',
    status: 'completed',
    ...(request.clientContext !== undefined && { clientContext: request.clientContext }),
    endedAt: ctx.now,
  });
  return draft.finish(op);
}

/**
 * DELETE /calls/{id}/participants/{participantId}: the bot removes another participant (`place`:
 * its place among the call's other participants, found by the API from the roster). The roster
 * notification then lists the participants left. The bot cannot remove itself: it hangs up instead.
 */
export function removeParticipant(call: Call, place: number | 'bot', ctx: DomainContext): CallChange<undefined> | undefined {
  assertEstablished(call, 'removing a participant');
  if (place === 'bot') throw new CallRuleViolation('cannotRemoveSelf', 'The bot cannot remove itself from the call; hang up (DELETE the call) instead.');
  if (call.removedParticipants?.includes(place)) return undefined;
  const draft = new CallDraft(call, ctx);
  draft.set({ removedParticipants: [...(call.removedParticipants ?? []), place] });
  draft.event({ kind: 'roster', withOthers: true });
  return draft.finish(undefined);
}

/**
 * POST /calls/{id}/participants/{participantId}/mute: the bot mutes another participant (`place`
 * as for removeParticipant; the bot mutes itself with POST /calls/{id}/mute). A completed
 * muteParticipantOperation; the roster notification shows the participant `isMuted`.
 */
export function muteParticipant(call: Call, place: number | 'bot', request: { operationId: string; clientContext?: string }, ctx: DomainContext): CallChange<Operation> {
  if (place === 'bot') return setBotMuted(call, { ...request, muted: true }, ctx);
  assertEstablished(call, 'muting a participant');
  const draft = new CallDraft(call, ctx);
  if (!call.mutedParticipants?.includes(place)) draft.set({ mutedParticipants: [...(call.mutedParticipants ?? []), place] });
  const op = draft.createOperation({
    id: request.operationId,
    type: 'muteParticipant',
    status: 'completed',
    ...(request.clientContext !== undefined && { clientContext: request.clientContext }),
    endedAt: ctx.now,
  });
  draft.event({ kind: 'roster', withOthers: true });
  return draft.finish(op);
}
