/**
 * The platform's failures a fault profile (or the emulator) injects into a call: what the call row
 * keeps of them, and how they are marked. Types only; calls/platform.ts takes the decisions.
 */

/** A call's end as the platform reports it (a ResultInfo). */
export interface PlatformResult {
  readonly code: number;
  readonly subcode: number;
  readonly message: string;
}

/** Decided when the call is placed or answered, from the profile in force then. */
export interface PlatformFaults {
  /** Ends the call `afterMs` after it is established; `at` is set when it is. */
  readonly drop?: { readonly afterMs: number; readonly resultInfo: PlatformResult; readonly at?: number };
  /** The call never establishes: its establish deadline ends it with `resultInfo` instead. */
  readonly neverEstablish?: { readonly endAfterMs: number; readonly resultInfo: PlatformResult };
}

/** What a playPrompt suffers when it starts: nothing is heard (`unknown`), or it cannot be played. */
export type PromptFault = 'unknown' | 'mediaError';

/** How a notification the platform's failure produced is marked in the delivery log. */
export type InjectedFault = 'callDropped' | 'neverEstablished' | 'promptUnknown' | 'promptFailed';
