import type { PlatformFaults, PlatformResult, PromptFault } from '../calls/platform-faults';
import type { CallFaults } from './profile';
import { CALL_END_PRESETS, diagnosticMessage, type CallEndPreset } from './presets';
import { chance } from './random';

/**
 * The platform failures a profile's `calls` section has in store for one call or one prompt,
 * drawn from the seed and the number of the request that placed or answered the call (or asked
 * for the prompt), so the same seed and the same flow fail the same calls in every run.
 */

/** A preset's resultInfo, or the profile's own (its message defaulting to the preset's form). */
export function endResult(preset: CallEndPreset, own?: { code: number; subcode: number; message?: string | undefined }): PlatformResult {
  if (!own) return CALL_END_PRESETS[preset];
  return { code: own.code, subcode: own.subcode, message: own.message ?? diagnosticMessage(own.code, own.subcode) };
}

/** For POST /calls or .../answer numbered `n`: whether the call never establishes, or drops once established. */
export function decideCallFaults(calls: CallFaults | undefined, seed: number, n: number): PlatformFaults | undefined {
  const { neverEstablish, drop } = calls ?? {};
  if (neverEstablish && chance(neverEstablish.rate, seed, 'neverEstablish', n)) {
    return { neverEstablish: { endAfterMs: neverEstablish.endAfterMs, resultInfo: endResult(neverEstablish.preset, neverEstablish.resultInfo) } };
  }
  if (drop && chance(drop.rate, seed, 'callDrop', n)) return { drop: { afterMs: drop.afterMs, resultInfo: endResult(drop.preset, drop.resultInfo) } };
  return undefined;
}

/** For a playPrompt request numbered `n`: whether the platform plays nothing of it, or fails it. */
export function decidePromptFault(calls: CallFaults | undefined, seed: number, n: number): PromptFault | undefined {
  const prompts = calls?.prompts;
  return prompts && chance(prompts.rate, seed, 'prompts', n) ? prompts.outcome : undefined;
}
