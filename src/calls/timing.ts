import type { RunningProgress, QueuedOperation, RecordRun } from './model';
import { PLAY_COMPLETED, RECORD_OUTCOMES, type Outcome, type RecordEnd } from './results';

/** How long simulated things take; settings, so tests can make them short. */
export interface CallTiming {
  /** Each prompt of a playPrompt or recordResponse plays this long. */
  readonly promptMs: number;
  /** The beep before a recording. */
  readonly beepMs: number;
  /** From create / answer to `established`. */
  readonly establishMs: number;
  /** An incoming call not answered within this time ends (the docs give bots 15 s). */
  readonly answerTimeoutMs: number;
  /** A call with no keepAlive for this long ends with 408 / 8537 (the docs: 45 minutes). */
  readonly keepAliveMs: number;
  /** How long a transfer or redirect target takes to answer (or decline). */
  readonly targetAnswerMs: number;
  /** How long a transfer rings before it fails unanswered. */
  readonly transferTimeoutMs: number;
  /** How long each tone of sendDtmfTones plays. */
  readonly dtmfToneMs: number;
}

export interface RunningEnd {
  readonly at: number;
  readonly outcome: Outcome;
  /** recordResponse: how much audio was recorded by then. */
  readonly recordedMs?: number;
}

/** When a recordResponse starts listening: after its prompt and its beep. */
export function listenStart(startedAt: number, run: RecordRun, timing: CallTiming): number {
  return startedAt + run.prompts * timing.promptMs + (run.playBeep ? timing.beepMs : 0);
}

/**
 * When the running operation will end and how, if nothing else happens first; undefined for
 * a looping playPrompt, which plays until cancelled.
 */
export function runningEnd(entry: QueuedOperation, progress: RunningProgress, timing: CallTiming): RunningEnd | undefined {
  if (entry.type === 'playPrompt') {
    if (entry.run.loop) return undefined;
    return { at: progress.startedAt + entry.run.prompts * timing.promptMs, outcome: PLAY_COMPLETED };
  }
  const p = entry.run;
  const listenFrom = progress.listenFrom ?? listenStart(progress.startedAt, p, timing);
  const candidates: [number, RecordEnd][] = [
    [listenFrom + p.maxRecordDurationInSeconds * 1000, 'maxRecordDurationReached'],
    progress.heardSpeech && progress.speakingUntil !== undefined
      ? [progress.speakingUntil + p.maxSilenceTimeoutInSeconds * 1000, 'maxSilenceTimeout']
      : [listenFrom + p.initialSilenceTimeoutInSeconds * 1000, 'initialSilenceTimeout'],
  ];
  // The earliest deadline wins; on a tie, max duration (it is listed first).
  const [at, reason] = candidates.reduce((a, b) => (b[0] < a[0] ? b : a));
  return recordEnd(reason, at, listenFrom);
}

export function recordEnd(reason: RecordEnd, at: number, listenFrom: number): RunningEnd {
  const outcome = RECORD_OUTCOMES[reason];
  return { at, outcome, recordedMs: outcome.status === 'completed' ? Math.max(0, at - listenFrom) : 0 };
}
