import { CallDraft, type DomainContext } from './draft';
import type { Call, CallChange, Tone } from './model';
import { recordEnd } from './timing';
import { assertEstablished } from './lifecycle';

/** DTMF characters as recordResponse's stopTones write them, and the tone enum they stand for. */
export const DTMF: Readonly<Record<string, Tone>> = {
  '0': 'tone0', '1': 'tone1', '2': 'tone2', '3': 'tone3', '4': 'tone4',
  '5': 'tone5', '6': 'tone6', '7': 'tone7', '8': 'tone8', '9': 'tone9',
  '*': 'star', '#': 'pound', A: 'a', B: 'b', C: 'c', D: 'd',
};

/**
 * The caller presses keys, in order. With a tone subscription the bot gets a toneInfo notification
 * per key (its sequenceId increases by one per tone); a running recordResponse whose stopTones
 * include a key ends with stopToneDetected. Resolves with the sequenceIds the bot will see.
 */
export function pressTones(call: Call, tones: readonly Tone[], ctx: DomainContext): CallChange<number[]> {
  assertEstablished(call, 'pressing keys');
  const draft = new CallDraft(call, ctx);
  const sequenceIds: number[] = [];
  for (const tone of tones) {
    const current = draft.call;
    if (current.toneSubscription) {
      sequenceIds.push(current.nextToneSequenceId);
      draft.set({ nextToneSequenceId: current.nextToneSequenceId + 1 });
      draft.event({ kind: 'tone', sequenceId: current.nextToneSequenceId, tone });
    }
    const [first] = current.mediaQueue;
    if (first?.type === 'recordResponse' && current.running && first.run.stopTones.some((t) => DTMF[t.toUpperCase()] === tone)) {
      const end = recordEnd('stopToneDetected', ctx.now, current.running.listenFrom ?? ctx.now);
      draft.finishRunning(end.outcome, { ...ctx.recording(current, first.id), recordedMs: end.recordedMs ?? 0 });
    }
  }
  return draft.finish(sequenceIds);
}

/**
 * The caller speaks for a while. A running recordResponse hears it (speech during its prompt or
 * beep counts from when listening starts), which moves its silence deadline. Returns whether a
 * recording heard it.
 */
export function speak(call: Call, seconds: number, ctx: DomainContext): CallChange<{ heard: boolean }> | undefined {
  assertEstablished(call, 'speaking');
  const draft = new CallDraft(call, ctx);
  const current = draft.call;
  const [first] = current.mediaQueue;
  if (first?.type !== 'recordResponse' || !current.running) return draft.finishIfTouched({ heard: false });
  const from = Math.max(ctx.now, current.running.listenFrom ?? ctx.now, current.running.speakingUntil ?? 0);
  // Moves the silence deadline; finish() aims the timer at it.
  draft.set({ running: { ...current.running, heardSpeech: true, speakingUntil: from + seconds * 1000 } });
  return draft.finish({ heard: true });
}

/**
 * The other side starts or stops sharing a screen: a contentSharingSession the bot can list exists
 * while it shares. Returns the session's id (none when sharing stopped, or nothing changed).
 */
export function shareScreen(call: Call, sharing: boolean, ctx: DomainContext): CallChange<string | undefined> | undefined {
  assertEstablished(call, 'sharing a screen');
  const current = call.contentSharing ?? [];
  if (sharing === current.length > 0) return undefined;
  const draft = new CallDraft(call, ctx);
  const id = sharing ? ctx.newId() : undefined;
  draft.set({ contentSharing: id ? [id] : [] });
  return draft.finish(id);
}
