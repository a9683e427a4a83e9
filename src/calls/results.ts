import type { OperationStatus, ResultInfo } from './model';

/**
 * How operations and calls end. Codes the Graph docs document are used as documented; the others
 * follow the same 85xx family and are listed in docs/emulator.md.
 */
export interface Outcome {
  readonly status: Extract<OperationStatus, 'completed' | 'failed'>;
  readonly resultInfo: ResultInfo;
  readonly completionReason: string;
}

const done = (subcode: number, message: string): ResultInfo => ({ code: 200, subcode, message });

export const PLAY_COMPLETED: Outcome = {
  status: 'completed',
  resultInfo: done(0, 'Action completed successfully.'),
  completionReason: 'completedSuccessfully',
};

const CANCELLED_INFO: ResultInfo = { code: 400, subcode: 8508, message: 'Action failed, the operation was cancelled.' };

/** A cancelled (or, on hang-up, abandoned) media operation; the reason's name differs by type. */
export function cancelledOutcome(type: 'playPrompt' | 'recordResponse'): Outcome {
  return { status: 'failed', resultInfo: CANCELLED_INFO, completionReason: type === 'playPrompt' ? 'mediaOperationCanceled' : 'operationCanceled' };
}

export type RecordEnd = 'maxRecordDurationReached' | 'maxSilenceTimeout' | 'initialSilenceTimeout' | 'stopToneDetected';

export const RECORD_OUTCOMES: Readonly<Record<RecordEnd, Outcome>> = {
  maxRecordDurationReached: { status: 'completed', resultInfo: done(8515, 'Action completed, max record duration reached.'), completionReason: 'maxRecordDurationReached' },
  maxSilenceTimeout: { status: 'completed', resultInfo: done(8516, 'Action completed, max silence timeout reached.'), completionReason: 'maxSilenceTimeout' },
  stopToneDetected: { status: 'completed', resultInfo: done(8514, 'Action completed, stop tone detected.'), completionReason: 'stopToneDetected' },
  initialSilenceTimeout: {
    status: 'failed',
    resultInfo: { code: 400, subcode: 8510, message: 'Action failed, initial silence timeout reached.' },
    completionReason: 'initialSilenceTimeout',
  },
};

export const CALL_ENDED_BY_BOT: ResultInfo = { code: 200, subcode: 7000, message: 'The conversation has ended by bot.' };
export const CALL_ENDED_BY_CALLER: ResultInfo = { code: 200, subcode: 4097, message: 'Call ended by the other participant in the call.' };
export const CALL_NOT_ANSWERED: ResultInfo = { code: 408, subcode: 1106, message: 'An acknowledgement was not received for the call acceptance in the allotted time.' };
