/**
 * How each injected fault is named in the delivery log and counted in the summary. Plain data with
 * no imports: the console's page names them too (api/console-views.ts).
 */
export const NOTIFICATION_FAULTS = ['delayed', 'duplicate', 'reordered', 'dropped', 'lost', 'emptied'] as const;
export const API_FAULTS = ['throttled', 'unavailable', 'slowed'] as const;
/** The platform's failures (profile `calls`, or the emulator's one-shot drop): what a call or an operation suffered. */
export const CALL_FAULTS = ['callDropped', 'neverEstablished', 'actionFailed', 'promptUnknown', 'promptFailed'] as const;
export type NotificationFault = (typeof NOTIFICATION_FAULTS)[number];
export type ApiFault = (typeof API_FAULTS)[number];
export type CallFault = (typeof CALL_FAULTS)[number];
export type FaultKind = NotificationFault | ApiFault | CallFault;
/** What a delivery-log entry can be marked with: a fault of its POST, or of the notification's content. */
export type LoggedFault = NotificationFault | CallFault;
