/**
 * The platform failures production bots report, named for their real codes (graph-comms-spec
 * §18.4). Graph documents none of these messages: the call-ending ones follow the form Graph's
 * notifications carry for server-side endings ("Server Internal Error. DiagCode: 500#7106.@",
 * microsoft-graph-comms-samples#667); 8522's is the one the Communications SDK logs
 * (microsoft-graph-comms-samples#173, #330). docs/faults.md lists them.
 */
export interface PresetResult {
  readonly code: number;
  readonly subcode: number;
  readonly message: string;
}

/** The message form of the platform's own call endings (the presets', and a profile's own resultInfo without one). */
export const diagnosticMessage = (code: number, subcode: number) => `Server Internal Error. DiagCode: ${code}#${subcode}.@`;

const serverError = (subcode: number): PresetResult => ({ code: 500, subcode, message: diagnosticMessage(500, subcode) });

/** How a call the platform ends is reported: its `deleted` notification's resultInfo. */
export const CALL_END_PRESETS = {
  '500/1999': serverError(1999),
  '500/3002': serverError(3002),
  '500/7117': serverError(7117),
} as const satisfies Record<string, PresetResult>;
export type CallEndPreset = keyof typeof CALL_END_PRESETS;
export const CALL_END_PRESET_NAMES = Object.keys(CALL_END_PRESETS) as CallEndPreset[];

/** The error an action on a call the platform lost answers with (HTTP status, error code, message). */
export const CALL_NOT_FOUND = { status: 404, code: '8522', message: 'Call not found.' } as const;
