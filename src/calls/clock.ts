import { CallDraft, type DomainContext } from './draft';
import { establish, hangUp } from './lifecycle';
import type { Call, CallChange } from './model';

export type TickResult =
  | { readonly kind: 'stale' }
  | { readonly kind: 'early'; readonly dueAt: number }
  | { readonly kind: 'changed'; readonly change: CallChange };

/**
 * A media-clock message arrived. It matters only if it carries the call's current timer token (any
 * later change to the call replaced the token, so an old message is a no-op); if it came early,
 * the handler schedules it again for the rest of the time.
 */
export function tick(call: Call, token: string, ctx: DomainContext): TickResult {
  const timer = call.timer;
  if (!timer || timer.token !== token) return { kind: 'stale' };
  if (ctx.now < timer.dueAt) return { kind: 'early', dueAt: timer.dueAt };

  if (call.state === 'incoming') {
    const change = hangUp(call, 'unanswered', ctx);
    return change ? { kind: 'changed', change } : { kind: 'stale' };
  }
  // The draft ends the running operation whose time has come (what its timer is for).
  const draft = new CallDraft(call, ctx);
  if (call.state === 'establishing') establish(draft);
  // Due, yet nothing ended: the running operation.s end moved later (PROMPT_DURATION_MS changed under it). Aim again.
  if (!draft.touched && call.state === 'established' && call.running) draft.scheduleRunning();
  return draft.touched ? { kind: 'changed', change: draft.finish(undefined) } : { kind: 'stale' };
}
