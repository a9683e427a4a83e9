import { completeRedirect, settleTransfer } from './call-control';
import { CallDraft, type DomainContext } from './draft';
import { endCall, establish, hangUp } from './lifecycle';
import { hasEnded, type Call, type CallChange } from './model';
import { platformDrop } from './platform';
import { settleInvitations } from './invitations';
import { CALL_NOT_ANSWERED } from './results';

export type TickResult =
  | { readonly kind: 'stale' }
  | { readonly kind: 'early'; readonly dueAt: number }
  | { readonly kind: 'changed'; readonly change: CallChange };

/**
 * A media-clock message arrived. It matters only if it carries one of the call's current timer
 * tokens (any later change that moved a deadline replaced the token, so an old message is a
 * no-op); if it came early, the handler schedules it again for the rest of the time.
 */
export function tick(call: Call, token: string, ctx: DomainContext): TickResult {
  const keepAlive = call.keepAlive;
  if (keepAlive && keepAlive.token === token) {
    if (ctx.now < keepAlive.dueAt) return { kind: 'early', dueAt: keepAlive.dueAt };
    const change = hangUp(call, 'notKeptAlive', ctx);
    return change ? { kind: 'changed', change } : { kind: 'stale' };
  }
  const timer = call.timer;
  if (!timer || timer.token !== token) return { kind: 'stale' };
  if (ctx.now < timer.dueAt) return { kind: 'early', dueAt: timer.dueAt };

  // The draft ends the running operation and sendDtmfTones whose time has come.
  const draft = new CallDraft(call, ctx);
  const drop = call.platform?.drop;
  if (drop?.at !== undefined && drop.at <= ctx.now) platformDrop(draft, drop.resultInfo);
  else if (call.state === 'established') settleInvitations(draft);
  if (!hasEnded(draft.call.state) && call.stateDeadline !== undefined && call.stateDeadline <= ctx.now) moveOn(draft);
  // Due, yet nothing ended (a running operation's end moved later): finish() aims the timer again.
  const change = draft.finish(undefined);
  return draft.touched ? { kind: 'changed', change } : { kind: 'stale' };
}

/** What a state does when its deadline passes. */
function moveOn(draft: CallDraft): void {
  const call = draft.call;
  switch (call.state) {
    case 'establishing': {
      const never = call.platform?.neverEstablish;
      return never ? endCall(draft, never.resultInfo, { terminating: false, injected: 'neverEstablished' }) : establish(draft);
    }
    case 'incoming':
      return endCall(draft, CALL_NOT_ANSWERED, { terminating: true });
    case 'transferring':
      return settleTransfer(draft, call.transfer?.fate ?? 'accept');
    case 'redirecting':
      return completeRedirect(draft);
    default:
      // A deadline left from a state the call has moved on from.
      return draft.deadlineIn(undefined);
  }
}
