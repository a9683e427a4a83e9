import { CallDraft, type DomainContext } from './draft';
import { endCall } from './lifecycle';
import { hasEnded, type Call, type CallChange, type ResultInfo } from './model';

/**
 * The platform ends a call the bot did nothing to end (a fault profile's drop, or the emulator's
 * one-shot drop): everyone else leaves, every running and queued operation ends as cancelled, and
 * the bot gets the call `deleted` with the platform's resultInfo. Graph sends no `terminating`
 * first for these: the call is gone when the bot hears of it.
 */
export function platformDrop(draft: CallDraft, resultInfo: ResultInfo): void {
  // The bot hears of the others leaving only if it was told they had joined.
  if (draft.call.state !== 'incoming' && draft.call.state !== 'establishing') draft.event({ kind: 'roster', withOthers: false });
  endCall(draft, resultInfo, { terminating: false, injected: 'callDropped' });
}

/** POST /emulator/calls/{id}/drop: the platform drops the call now; undefined when it has already ended. */
export function dropCall(call: Call, resultInfo: ResultInfo, ctx: DomainContext): CallChange | undefined {
  if (hasEnded(call.state)) return undefined;
  const draft = new CallDraft(call, ctx);
  platformDrop(draft, resultInfo);
  return draft.finish(undefined);
}
