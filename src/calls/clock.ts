import { CallDraft, type DomainContext } from './draft';
import { establish, hangUp } from './lifecycle';
import type { Call, CallChange } from './model';
import { headEnd } from './timing';

export type TickResult =
  | { readonly kind: 'stale' }
  | { readonly kind: 'early'; readonly dueAt: number }
  | { readonly kind: 'changed'; readonly change: CallChange };

/**
 * A media-clock message arrived. It matters only if it carries the call's current timer token (any
 * later change to the call replaced the token, so an old message is a no-op); if it came early,
 * the caller schedules it again for the rest of the time.
 */
export function tick(call: Call, token: string, ctx: DomainContext): TickResult {
  const timer = call.timer;
  if (!timer || timer.token !== token) return { kind: 'stale' };
  if (ctx.now < timer.dueAt) return { kind: 'early', dueAt: timer.dueAt };

  if (call.state === 'incoming') {
    const change = hangUp(call, 'unanswered', ctx);
    return change ? { kind: 'changed', change } : { kind: 'stale' };
  }
  const draft = new CallDraft(call, ctx);
  if (call.state === 'establishing') {
    establish(draft);
    return { kind: 'changed', change: draft.finish(undefined) };
  }
  const [head] = call.mediaQueue;
  const end = head && call.head ? headEnd(head, call.head, ctx.timing) : undefined;
  if (!head || !end) return { kind: 'stale' };
  if (ctx.now < end.at) {
    // The deadline moved later without a new token (cannot happen today); wait for it.
    draft.scheduleHead();
    return { kind: 'changed', change: draft.finish(undefined) };
  }
  const recording = end.recordedMs !== undefined && end.outcome.status === 'completed' ? { ...ctx.recording(call, head.id), recordedMs: end.recordedMs } : undefined;
  draft.finishHead(end.outcome, recording);
  return { kind: 'changed', change: draft.finish(undefined) };
}
