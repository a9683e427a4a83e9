import type { DomainContext } from '../../src/calls/draft';
import { newId } from '../../src/graph/ids';

/**
 * The inputs of a decision the floor measurements make themselves (to write the rows the service
 * would write): timings that matter only for prompts, which last `promptMs`.
 */
export function floorContext(promptMs = 1): DomainContext {
  return {
    now: Date.now(),
    timing: { promptMs, beepMs: 1, establishMs: 1, answerTimeoutMs: 1, keepAliveMs: 3_600_000, targetAnswerMs: 1, transferTimeoutMs: 1, dtmfToneMs: 1 },
    newId,
    recording: () => ({ location: '', accessToken: '' }),
  };
}
