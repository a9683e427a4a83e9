/**
 * How each injected fault is named in the delivery log and counted in the summary. Plain data with
 * no imports: the console's page names them too (api/console-views.ts).
 */
export const NOTIFICATION_FAULTS = ['delayed', 'duplicate', 'reordered', 'dropped'] as const;
export const API_FAULTS = ['throttled', 'unavailable', 'slowed'] as const;
export type NotificationFault = (typeof NOTIFICATION_FAULTS)[number];
export type ApiFault = (typeof API_FAULTS)[number];
export type FaultKind = NotificationFault | ApiFault;
