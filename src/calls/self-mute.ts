import { CallDraft, type DomainContext } from './draft';
import { assertEstablished } from './lifecycle';
import type { Call, CallChange, Operation } from './model';
import { CallRuleViolation } from './rules';
import { firstParties, type ParticipantRef } from './guests';
import { cancelInvitation } from './invitations';

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
  const op = draft.completedOperation(request.muted ? 'muteParticipant' : 'unmuteParticipant', request);
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
  const op = draft.completedOperation('addLargeGalleryView', request);
  return draft.finish(op);
}

/**
 * DELETE /calls/{id}/participants/{participantId}: the bot removes another participant (`place`:
 * its place among the call's other participants, found by the API from the roster). The roster
 * notification then lists the participants left. The bot cannot remove itself: it hangs up instead.
 */
export function removeParticipant(call: Call, ref: ParticipantRef, participantId: string, ctx: DomainContext): CallChange<undefined> | undefined {
  assertEstablished(call, 'removing a participant');
  if (ref === 'bot') throw new CallRuleViolation('cannotRemoveSelf', 'The bot cannot remove itself from the call; hang up (DELETE the call) instead.');
  const draft = new CallDraft(call, ctx);
  const guest = typeof ref === 'number' ? undefined : call.guests?.find((g) => g.id === ref.guestId);
  if (typeof ref === 'number') {
    if (call.removedParticipants?.includes(ref)) return undefined;
    draft.set({ removedParticipants: [...(call.removedParticipants ?? []), ref] });
  } else if (!guest) {
    return undefined;
  } else if (guest.state === 'invited') {
    // Removing an invitee still ringing cancels its invitation.
    cancelInvitation(draft, guest);
    return draft.finish(undefined);
  } else {
    draft.set({ guests: (call.guests ?? []).filter((g) => g !== guest) });
  }
  // Someone removed while on hold is no longer on hold.
  if (call.onHold?.participantId === participantId) draft.set({ onHold: undefined });
  draft.event({ kind: 'roster', withOthers: true });
  return draft.finish(undefined);
}

/**
 * POST /calls/{id}/participants/{participantId}/mute: the bot mutes another participant (`place`
 * as for removeParticipant; the bot mutes itself with POST /calls/{id}/mute). A completed
 * muteParticipantOperation; the roster notification shows the participant `isMuted`.
 */
export function muteParticipant(call: Call, ref: ParticipantRef, request: { operationId: string; clientContext?: string }, ctx: DomainContext): CallChange<Operation> {
  if (ref === 'bot') return setBotMuted(call, { ...request, muted: true }, ctx);
  assertEstablished(call, 'muting a participant');
  const draft = new CallDraft(call, ctx);
  if (typeof ref !== 'number') draft.set({ guests: (call.guests ?? []).map((g) => (g.id === ref.guestId ? { ...g, muted: true } : g)) });
  else if (!call.mutedParticipants?.includes(ref)) draft.set({ mutedParticipants: [...(call.mutedParticipants ?? []), ref] });
  const op = draft.completedOperation('muteParticipant', request);
  draft.event({ kind: 'roster', withOthers: true });
  return draft.finish(op);
}

/**
 * beta POST /calls/{id}/participants/muteAll: every participant but the bot is muted (the guests
 * too); a completed muteParticipantsOperation, and a roster update that shows it.
 */
export function muteAll(call: Call, request: { operationId: string; clientContext?: string }, ctx: DomainContext): CallChange<Operation> {
  assertEstablished(call, 'muteAll');
  const draft = new CallDraft(call, ctx);
  const places = firstParties(call).flatMap((_, i) => (call.removedParticipants?.includes(i) ? [] : [i]));
  draft.set({ mutedParticipants: places, guests: (call.guests ?? []).map((g) => (g.state === 'joined' ? { ...g, muted: true } : g)) });
  const op = draft.completedOperation('muteParticipants', request);
  draft.event({ kind: 'roster', withOthers: true });
  return draft.finish(op);
}
