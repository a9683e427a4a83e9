import type { PromptFault } from './platform-faults';

/** What a playPrompt or recordResponse asks for, and what of it waits in a call's media queue. */

export interface MediaPrompt {
  readonly uri: string;
  readonly resourceId?: string;
}

export interface PlayPromptParameters {
  readonly prompts: readonly MediaPrompt[];
  /** beta: play until cancelled; no completion notification is sent. */
  readonly loop: boolean;
}

export interface RecordParameters {
  readonly prompts: readonly MediaPrompt[];
  readonly bargeInAllowed: boolean;
  readonly initialSilenceTimeoutInSeconds: number;
  readonly maxSilenceTimeoutInSeconds: number;
  readonly maxRecordDurationInSeconds: number;
  readonly playBeep: boolean;
  /** DTMF characters: 0-9, *, #, A-D. */
  readonly stopTones: readonly string[];
  readonly streamWhileRecording: boolean;
}

export interface DtmfParameters {
  /** Tone names (tone0...tone9, star, pound, a-d, flash). */
  readonly tones: readonly string[];
  readonly delayBetweenTonesMs: number;
}

/** A playPrompt or recordResponse as requested: what its operation row keeps. */
export type MediaRequest =
  | { readonly id: string; readonly type: 'playPrompt'; readonly clientContext?: string; readonly parameters: PlayPromptParameters }
  | { readonly id: string; readonly type: 'recordResponse'; readonly clientContext?: string; readonly parameters: RecordParameters };

/** How a queued playPrompt runs: its length in prompts. */
export interface PlayRun {
  readonly prompts: number;
  readonly loop: boolean;
}

/** How a queued recordResponse runs: what decides when it ends. */
export type RecordRun = Pick<RecordParameters, 'playBeep' | 'initialSilenceTimeoutInSeconds' | 'maxSilenceTimeoutInSeconds' | 'maxRecordDurationInSeconds' | 'stopTones'> & {
  readonly prompts: number;
};

/**
 * A playPrompt or recordResponse waiting in (or running at the front of) a call's media queue. It
 * carries what notifications and the media clock need, so neither has to read the operation row,
 * and nothing more (not the prompts), so the call row stays small however large the requests.
 */
export type QueuedOperation =
  | { readonly id: string; readonly type: 'playPrompt'; readonly clientContext?: string; readonly run: PlayRun; readonly fault?: PromptFault }
  | { readonly id: string; readonly type: 'recordResponse'; readonly clientContext?: string; readonly run: RecordRun };

export function queued(request: MediaRequest, fault?: PromptFault): QueuedOperation {
  const base = { id: request.id, ...(request.clientContext !== undefined && { clientContext: request.clientContext }) };
  if (request.type === 'playPrompt') {
    return { ...base, type: 'playPrompt', run: { prompts: request.parameters.prompts.length, loop: request.parameters.loop }, ...(fault && { fault }) };
  }
  const { playBeep, initialSilenceTimeoutInSeconds, maxSilenceTimeoutInSeconds, maxRecordDurationInSeconds, stopTones } = request.parameters;
  return {
    ...base,
    type: 'recordResponse',
    run: { prompts: request.parameters.prompts.length, playBeep, initialSilenceTimeoutInSeconds, maxSilenceTimeoutInSeconds, maxRecordDurationInSeconds, stopTones },
  };
}
