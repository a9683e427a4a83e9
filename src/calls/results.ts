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

/**
 * A playPrompt the platform played nothing of (`completed`, reason `unknown`, as bots report from
 * production) or could not play (failed with a 500). The messages are this service's own.
 */
export const PROMPT_FAULT_OUTCOMES: Readonly<Record<'unknown' | 'mediaError', Outcome>> = {
  unknown: { status: 'completed', resultInfo: done(0, 'Action completed, nothing was played.'), completionReason: 'unknown' },
  mediaError: { status: 'failed', resultInfo: { code: 500, subcode: 0, message: 'UnknownError: the prompt could not be fetched.' }, completionReason: 'unknown' },
};

/** sendDtmfTones, as the docs show it: `completed` either way, the reason telling which. */
export const DTMF_COMPLETED: Outcome = { status: 'completed', resultInfo: done(0, 'Action completed successfully.'), completionReason: 'completedSuccessfully' };
export const DTMF_CANCELLED: Outcome = {
  status: 'completed',
  resultInfo: { code: 400, subcode: 8508, message: 'Action failed, the operation was cancelled.' },
  completionReason: 'mediaOperationCanceled',
};

/** An invitation's end (participants/invite). Not documented by Graph: this service's choices, listed in docs/compatibility.md. */
export const INVITE_COMPLETED: ResultInfo = { code: 200, subcode: 0, message: 'The invitees joined the call.' };
export const INVITE_DECLINED: ResultInfo = { code: 603, subcode: 0, message: 'The invitee declined.' };
export const INVITE_NOT_ANSWERED: ResultInfo = { code: 408, subcode: 10057, message: 'Call timed out due to no signaling from callee endpoints.' };
export const INVITE_CANCELLED: ResultInfo = { code: 487, subcode: 0, message: 'The invitation was cancelled.' };

export const CALL_ENDED_BY_BOT: ResultInfo = { code: 200, subcode: 7000, message: 'The conversation has ended by bot.' };
export const CALL_ENDED_BY_CALLER: ResultInfo = { code: 200, subcode: 4097, message: 'Call ended by the other participant in the call.' };
export const CALL_NOT_ANSWERED: ResultInfo = { code: 408, subcode: 1106, message: 'An acknowledgement was not received for the call acceptance in the allotted time.' };
export const CALL_NOT_KEPT_ALIVE: ResultInfo = { code: 408, subcode: 8537, message: 'Keep Alive timeout, cleaned up inactive call.' };
export const CALL_TRANSFERRED: ResultInfo = { code: 0, subcode: 7015, message: 'GracefulTransferCompleted' };
/** The docs show a failed transfer as 500 / 7000 with a message that says why. */
export const TRANSFER_DECLINED: ResultInfo = { code: 500, subcode: 7000, message: 'The transfer target declined the call.' };
export const TRANSFER_NOT_ANSWERED: ResultInfo = { code: 500, subcode: 7000, message: 'The transfer target did not answer.' };
/** Not documented by Graph: this service's choices, listed in docs/compatibility.md. */
export const CALL_REDIRECTED: ResultInfo = { code: 302, subcode: 0, message: 'The call was redirected.' };
export const CALL_REJECTED: Readonly<Record<'none' | 'busy' | 'forbidden', ResultInfo>> = {
  none: { code: 603, subcode: 0, message: 'The call was rejected.' },
  busy: { code: 486, subcode: 0, message: 'The call was rejected: busy.' },
  forbidden: { code: 403, subcode: 0, message: 'The call was rejected: forbidden.' },
};
