import { CallDraft, type DomainContext } from './draft';
import type { Guest, InviteFate, Invitation } from './guests';
import { assertEstablished } from './lifecycle';
import { hasEnded, type Call, type CallChange, type Operation } from './model';
import { CALL_TRANSFERRED, INVITE_CANCELLED, INVITE_COMPLETED, INVITE_DECLINED, INVITE_NOT_ANSWERED } from './results';
import { CallRuleViolation } from './rules';

/**
 * participants/invite: the bot brings others onto the call. Each invitee rings; what it does is the
 * emulator's to say (default: it joins after TARGET_ANSWER_MS). The operation ends with the last
 * answer: completed when everyone joined, failed otherwise.
 */

/** Graph: at most 5 invitees per request; several only on a group call. */
export const MAX_INVITEES = 5;


export interface Invitee {
  readonly id: string;
  readonly info: Readonly<Record<string, unknown>>;
  readonly replacesCallId?: string;
}

export interface InviteRequest {
  readonly operationId: string;
  readonly invitees: readonly Invitee[];
  readonly parameters: readonly Readonly<Record<string, unknown>>[];
  readonly clientContext?: string;
}

/** A group call: one placed with chatInfo or meetingInfo. A peer-to-peer call takes one invitee at a time. */
export function isGroupCall(call: Call): boolean {
  return call.resource['chatInfo'] != null || call.resource['meetingInfo'] != null;
}

export function invite(call: Call, request: InviteRequest, ctx: DomainContext): CallChange<Operation> {
  assertEstablished(call, 'inviting participants');
  if (request.invitees.length > MAX_INVITEES) throw new CallRuleViolation('tooManyInvitees', `At most ${MAX_INVITEES} participants can be invited in one request; ${request.invitees.length} were.`);
  if (request.invitees.length > 1 && !isGroupCall(call)) {
    throw new CallRuleViolation('notGroupCall', `Call ${call.id} is a peer-to-peer call: invite one participant at a time (several only on a group call, one placed with chatInfo or meetingInfo).`);
  }
  const draft = new CallDraft(call, ctx);
  const fate = call.inviteFate ?? 'accept';
  const answerAt = ctx.now + (fate === 'noAnswer' ? ctx.timing.transferTimeoutMs : ctx.timing.targetAnswerMs);
  const clientContext = request.clientContext !== undefined ? { clientContext: request.clientContext } : {};
  const invited: Guest[] = request.invitees.map((i) => ({
    id: i.id,
    info: i.info,
    state: 'invited',
    invitation: { operationId: request.operationId, answerAt, fate, ...clientContext, ...(i.replacesCallId !== undefined && { replacesCallId: i.replacesCallId }) },
  }));
  draft.set({ guests: [...(call.guests ?? []).filter((g) => !invited.some((n) => n.id === g.id)), ...invited], inviteFate: undefined });
  const op = draft.createOperation({ id: request.operationId, type: 'inviteParticipants', status: 'running', ...clientContext, parameters: { participants: request.parameters } });
  // Graph: every participant gets a roster update once the invitation is accepted by the service.
  draft.event({ kind: 'roster', withOthers: true });
  return draft.finish(op);
}

/**
 * Invitations whose answer is due (the clock), or all pending ones with `fate` (the emulator, now):
 * joiners join; the operation ends once none of its invitees rings any more.
 */
export function settleInvitations(draft: CallDraft, fate?: InviteFate): void {
  const now = draft.ctx.now;
  const guests = draft.call.guests ?? [];
  const due = guests.filter((g) => g.state === 'invited' && g.invitation && (fate !== undefined || g.invitation.answerAt <= now));
  if (due.length === 0) return;
  const answer = (g: Guest): InviteFate => fate ?? g.invitation?.fate ?? 'accept';
  const next = guests.flatMap((g): Guest[] => {
    if (!due.includes(g)) return [g];
    return answer(g) === 'accept' ? [{ id: g.id, info: g.info, state: 'joined' }] : [];
  });
  draft.set({ guests: next });
  const replaced = due.flatMap((g) => (answer(g) === 'accept' && g.invitation?.replacesCallId ? [g.invitation.replacesCallId] : []));
  // Consultative transfer: the call the invitee was on ends as a completed transfer.
  if (replaced.length > 0) draft.effect({ endCalls: replaced.map((callId) => ({ callId, resultInfo: CALL_TRANSFERRED })) });
  draft.event({ kind: 'roster', withOthers: true });
  endFinishedInvitations(draft, due, answer);
}

/** Ends each invitation operation none of whose invitees still rings: completed if all joined. */
function endFinishedInvitations(draft: CallDraft, answered: readonly Guest[], answer: (g: Guest) => InviteFate | 'cancelled'): void {
  const ops = new Map<string, Invitation>();
  for (const g of answered) if (g.invitation) ops.set(g.invitation.operationId, g.invitation);
  for (const [operationId, invitation] of ops) {
    if ((draft.call.guests ?? []).some((g) => g.state === 'invited' && g.invitation?.operationId === operationId)) continue;
    const failed = answered.filter((g) => g.invitation?.operationId === operationId && answer(g) !== 'accept');
    const reason = failed[0] ? answer(failed[0]) : 'accept';
    const resultInfo = reason === 'accept' ? INVITE_COMPLETED : reason === 'decline' ? INVITE_DECLINED : reason === 'noAnswer' ? INVITE_NOT_ANSWERED : INVITE_CANCELLED;
    draft.endOperation({ id: operationId, type: 'inviteParticipants', ...(invitation.clientContext !== undefined && { clientContext: invitation.clientContext }) }, { status: reason === 'accept' ? 'completed' : 'failed', resultInfo, completionReason: '' });
  }
}

/** DELETE participants/{id} of an invitee still ringing: the invitation is cancelled. */
export function cancelInvitation(draft: CallDraft, guest: Guest): void {
  draft.set({ guests: (draft.call.guests ?? []).filter((g) => g.id !== guest.id) });
  draft.event({ kind: 'roster', withOthers: true });
  endFinishedInvitations(draft, [guest], () => 'cancelled');
}

/**
 * POST /emulator/calls/{id}/invitee: what the invitees do. With invitations ringing it happens
 * now (`noAnswer`: they ring until TRANSFER_TIMEOUT_MS); otherwise it is what the next invitees do.
 */
export function chooseInviteFate(call: Call, fate: InviteFate, ctx: DomainContext): CallChange<{ readonly appliedNow: boolean }> {
  if (hasEnded(call.state)) throw new CallRuleViolation('callEnded', `Call ${call.id} is ${call.state}; there is no invitation to answer.`);
  const draft = new CallDraft(call, ctx);
  const ringing = (call.guests ?? []).filter((g) => g.state === 'invited');
  if (ringing.length === 0) {
    draft.set({ inviteFate: fate });
    return draft.finish({ appliedNow: false });
  }
  if (fate === 'noAnswer') {
    const answerAt = ctx.now + ctx.timing.transferTimeoutMs;
    draft.set({ guests: (call.guests ?? []).map((g) => (g.state === 'invited' && g.invitation ? { ...g, invitation: { ...g.invitation, fate, answerAt } } : g)) });
  } else {
    settleInvitations(draft, fate);
  }
  return draft.finish({ appliedNow: true });
}
