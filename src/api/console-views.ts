import type { LoggedFault } from '../faults/fault-names';

/**
 * The console's wire types: what the console's routes, its event stream and the delivery log
 * answer. Declared once, here; the server's views are typed by them and the console's page imports
 * them (`import type`), so the two cannot drift apart. Plain data only: the page compiles them too.
 */

export type Json = Record<string, unknown>;

export interface ResultInfoView {
  readonly code: number;
  readonly subcode: number;
  readonly message: string;
}

/** A call in the list (GET /emulator/calls). */
export interface CallSummaryView {
  readonly id: string;
  readonly appId: string;
  readonly tenantId: string;
  readonly direction: string;
  readonly state: string;
  readonly callbackUri: string;
  readonly createdAt: string | null;
  readonly endedAt: string | null;
}

export interface CallListView {
  readonly value: readonly CallSummaryView[];
  /** The table held more call rows than one scan reads: older calls may be missing. */
  readonly truncated: boolean;
}

export interface OperationView {
  readonly id: string;
  readonly type: string;
  readonly status: string;
  readonly clientContext: string | null;
  readonly resultInfo: ResultInfoView | null;
  readonly completionReason: string | null;
  readonly recordingLocation: string | null;
  readonly recordingAccessToken: string | null;
  readonly createdAt: string | null;
  readonly endedAt: string | null;
}

/** A notification's delivery as far as the outbox and the dead letters tell. */
export interface DeliveryView {
  readonly outcome: 'delivered' | 'waiting' | 'deadLettered';
  readonly attempts?: number;
  readonly nextAttemptAt?: string | null;
  readonly lastError?: string | null;
  readonly reason?: string;
  readonly deadLetterId?: string;
}

export interface NotificationView {
  readonly id: string;
  readonly seq: number;
  readonly index: number;
  readonly at: string | null;
  readonly delivery: DeliveryView;
  readonly notification: Json;
}

export interface DeadLetterView {
  readonly id: string;
  readonly callId: string;
  readonly callbackUri: string;
  readonly attempts: number;
  readonly firstQueuedAt: string;
  readonly deadAt: string;
  readonly reason: string;
  readonly lastError: string;
  readonly notifications: readonly Json[];
}

/** One call as the console shows it (GET /emulator/calls/{id}, the event stream's `call`). */
export interface CallView {
  readonly call: CallSummaryView & {
    readonly family: string;
    readonly apiVersion: string;
    readonly mediaHosting: string;
    readonly resultInfo: ResultInfoView | null;
    readonly toneSubscription: boolean;
    readonly recordingStatus: string | null;
    readonly transfer: { readonly target: unknown; readonly fate: string } | null;
    readonly nextTransferFate: string | null;
    readonly source: Json | null;
    readonly targets: unknown;
    readonly keepAliveDueAt: string | null;
  };
  /** Who is on the call (the roster Graph gives), with what the console shows beside it. */
  readonly participants: readonly ParticipantView[];
  /** What the next invitee does (the emulator's invitee setting), and the meeting the call joined. */
  readonly nextInviteFate: string | null;
  readonly meetingId: string | null;
  readonly timeline: readonly { readonly at: string | null; readonly changeType: string | null; readonly state: string; readonly resultInfo: ResultInfoView | null }[];
  readonly mediaQueue: readonly { readonly id: string; readonly type: string; readonly clientContext: string | null; readonly status: 'running' | 'queued' }[];
  readonly operations: readonly OperationView[];
  readonly notifications: readonly NotificationView[];
  readonly deadLetters: readonly DeadLetterView[];
}

export interface ParticipantView {
  readonly id: string;
  readonly name: string;
  readonly role: 'bot' | 'other' | 'guest';
  readonly state: 'joined' | 'invited' | 'lobby';
  readonly muted: boolean;
  readonly onHold: boolean;
}

/** A logTeleconferenceDeviceQuality report as GET /emulator/deviceQuality lists it. */
export interface DeviceQualityView {
  readonly at: string;
  readonly quality: Json;
}

/** What the event stream's `call` carries: the call, or that it does not exist (any more). */
export type CallEventView = CallView | { readonly notFound: true; readonly id: string };

/** One POST of a notification, as the delivery log (GET /notifications/log) keeps it. */
export interface DeliveryAttemptView {
  readonly at: string | undefined;
  readonly notificationId: string;
  readonly attempt: number;
  readonly outcome: string;
  readonly status?: number;
  readonly error?: string;
  readonly latencyMs: number;
  readonly lane: string;
  readonly callbackUri: string;
  readonly nextAttemptAt?: string | undefined;
  /** A fault the profile injected into this attempt (faults.md). */
  readonly fault?: LoggedFault;
  readonly note?: string;
}
