import type { InjectedFault, PlatformFaults } from './platform-faults';
import type { Guest, InviteFate, InviteParameters } from './guests';
import type { AudioRoutingGroup } from './audio-routing';
import type { QueuedOperation, PlayPromptParameters, RecordParameters, DtmfParameters } from './media-request';

/**
 * The domain: a call, its operations, and the rules that move them. Everything in calls/ is pure:
 * no I/O, no SDKs, time passed in. Shapes here are the service's own; graph/ turns them into
 * Graph JSON and store/ into table rows.
 */

/** The URL family a call was created through; its notifications and Location headers keep it. */
export type PathFamily = 'communications' | 'app' | 'applications';
export type ApiVersion = 'v1.0' | 'beta';

export type CallState = 'incoming' | 'establishing' | 'established' | 'transferring' | 'transferAccepted' | 'redirecting' | 'terminating' | 'terminated';
export type CallDirection = 'incoming' | 'outgoing';
export type MediaHosting = 'service' | 'app';

export type MediaOperationType = 'playPrompt' | 'recordResponse';
export type OperationType =
  | MediaOperationType
  | 'subscribeToTone'
  | 'cancelMediaProcessing'
  | 'sendDtmfTones'
  | 'updateRecordingStatus'
  | 'muteParticipant'
  | 'unmuteParticipant'
  | 'addLargeGalleryView'
  | 'inviteParticipants'
  | 'startHoldMusic'
  | 'stopHoldMusic'
  | 'muteParticipants';
export type OperationStatus = 'notStarted' | 'running' | 'completed' | 'failed';

export interface ResultInfo {
  readonly code: number;
  readonly subcode: number;
  readonly message: string;
}

/** Who created a call: only the same tenant and app can see it. */
export interface Owner {
  readonly tenantId: string;
  readonly appId: string;
}

export * from './media-request';

/** Progress of the running operation (the first of the media queue); times are epoch milliseconds. */
export interface RunningProgress {
  readonly operationId: string;
  readonly startedAt: number;
  /** recordResponse: when prompt and beep are over and listening begins. */
  readonly listenFrom?: number;
  /** recordResponse: the caller is speaking until this time. */
  readonly speakingUntil?: number;
  /** recordResponse: whether the caller has spoken since listening began. */
  readonly heardSpeech?: boolean;
}

/** A pending wake-up of a call: a media-clock message carries the token; others are stale. */
export interface ClockTimer {
  readonly token: string;
  readonly dueAt: number;
}

/** What the transfer target (played by the emulator) does with a transfer: answer, decline, or let it ring out. */
export type TransferFate = 'accept' | 'decline' | 'noAnswer';

/** A transfer in progress: where to, and what the target will do. */
export interface TransferInProgress {
  readonly target: Readonly<Record<string, unknown>>;
  readonly transferee?: Readonly<Record<string, unknown>>;
  readonly fate: TransferFate;
}

/** A sendDtmfTones operation: they play one after another, beside the media queue. */
export interface DtmfRun {
  readonly id: string;
  readonly clientContext?: string;
  readonly endsAt: number;
}

export type RecordingStatus = 'notRecording' | 'recording' | 'failed';

export interface Call {
  readonly id: string;
  readonly owner: Owner;
  readonly state: CallState;
  readonly direction: CallDirection;
  readonly callbackUri: string;
  readonly family: PathFamily;
  readonly apiVersion: ApiVersion;
  readonly mediaHosting: MediaHosting;
  /** The service's base URL as the bot reached it, for URLs the bot is given later (recordings). */
  readonly baseUrl: string;
  /** The call's Graph properties as created (targets, source, mediaConfig...), returned by GET. */
  readonly resource: Readonly<Record<string, unknown>>;
  /** playPrompt / recordResponse in order; the first runs once the call is established. */
  readonly mediaQueue: readonly QueuedOperation[];
  readonly running?: RunningProgress;
  readonly toneSubscription?: { readonly operationId: string; readonly clientContext?: string };
  readonly nextToneSequenceId: number;
  /** sendDtmfTones in order; the first plays until its endsAt, the next after it. */
  readonly dtmf?: readonly DtmfRun[];
  /**
   * When the call's state moves on by itself: establishing → established, incoming → unanswered,
   * transferring → the target's answer, redirecting → terminated.
   */
  readonly stateDeadline?: number;
  /** During `transferring`. */
  readonly transfer?: TransferInProgress;
  /** What the target will do with the next transfer (the emulator sets it; default accept). */
  readonly transferFate?: TransferFate;
  /** The bot's recording status, as updateRecordingStatus last set it. */
  readonly recordingStatus?: RecordingStatus;
  /** The bot muted itself (POST .../mute) and has not unmuted since. */
  readonly botMuted?: boolean;
  /** The other participants (by their place among the targets, or the caller) the bot removed. */
  readonly removedParticipants?: readonly number[];
  /** The other participants (by place) the bot muted. */
  readonly mutedParticipants?: readonly number[];
  /** The emulator meeting the call joined (meetings.ts), if it named one that exists. */
  readonly meetingId?: string;
  /** Invitees and a meeting's people (guests.ts), in the order they came. */
  readonly guests?: readonly Guest[];
  /** What the next invitee does (the emulator sets it; default accept). */
  readonly inviteFate?: InviteFate;
  /** The participant on hold (startHoldMusic), hearing hold music, out of the mix; one at a time. */
  readonly onHold?: { readonly participantId: string };
  /** App-hosted media only: whose audio reaches whom (audio-routing.ts). */
  readonly audioRoutingGroups?: readonly AudioRoutingGroup[];
  /** Screen-sharing sessions of the call, by id: someone on the other side shares a screen (the emulator says who). */
  readonly contentSharing?: readonly string[];
  /** The bot's screen sharing role, as changeScreenSharingRole last set it. */
  readonly screenSharingRole?: 'viewer' | 'sharer';
  /** The earliest of: the running operation's end, the first sendDtmfTones' end, the state deadline. */
  readonly timer?: ClockTimer;
  /** Ends the call (408 / 8537) unless a keepAlive comes first; its own wake-up. */
  readonly keepAlive?: ClockTimer;
  readonly resultInfo?: ResultInfo;
  /** The platform's failures in store for this call (fault profiles, local mode). */
  readonly platform?: PlatformFaults;
  /** Increments with every committed change; operations take it as their etag. */
  readonly version: number;
  readonly createdAt: number;
  /** When it was terminated (kept for the retention period, then deleted). */
  readonly endedAt?: number;
}

export interface Operation {
  readonly id: string;
  readonly callId: string;
  readonly owner: Owner;
  readonly type: OperationType;
  readonly status: OperationStatus;
  readonly clientContext?: string;
  readonly resultInfo?: ResultInfo;
  readonly completionReason?: string;
  readonly parameters?: PlayPromptParameters | RecordParameters | DtmfParameters | InviteParameters;
  readonly recordingLocation?: string;
  readonly recordingAccessToken?: string;
  /** recordResponse: the recorded audio's length, for the recording endpoint. */
  readonly recordedMs?: number;
  readonly version: number;
  readonly createdAt: number;
  readonly endedAt?: number;
}

/** A change to an existing operation row, applied without reading it (the call row guards it). */
export type OperationPatch = Pick<Operation, 'id' | 'status' | 'version'> &
  Partial<Pick<Operation, 'resultInfo' | 'completionReason' | 'recordingLocation' | 'recordingAccessToken' | 'recordedMs' | 'endedAt'>>;

/** What an operation looks like in a notification: enough to render the Graph resource. */
export type OperationSnapshot = Pick<Operation, 'id' | 'type' | 'status' | 'clientContext' | 'resultInfo' | 'completionReason' | 'version'> &
  Partial<Pick<Operation, 'recordingLocation' | 'recordingAccessToken'>>;

export type Tone = 'tone0' | 'tone1' | 'tone2' | 'tone3' | 'tone4' | 'tone5' | 'tone6' | 'tone7' | 'tone8' | 'tone9' | 'star' | 'pound' | 'a' | 'b' | 'c' | 'd' | 'flash';

/** Something a bot is told about, in order. Each becomes one commsNotification. */
export type CallEvent =
  | { readonly kind: 'operation'; readonly operation: OperationSnapshot; readonly injected?: InjectedFault }
  | { readonly kind: 'callState'; readonly changeType: 'created' | 'updated' | 'deleted'; readonly state: CallState; readonly resultInfo?: ResultInfo; readonly injected?: InjectedFault }
  | { readonly kind: 'tone'; readonly sequenceId: number; readonly tone: Tone }
  /**
   * The call's participants changed (everyone joined, the caller left, a recording status changed);
   * `withOthers` false when only the bot is left.
   */
  | { readonly kind: 'roster'; readonly withOthers: boolean };

/** The outcome of one decision about one call: committed together, in one transaction. */
export interface CallChange<R = undefined> {
  readonly call: Call;
  readonly created: readonly Operation[];
  readonly patches: readonly OperationPatch[];
  readonly events: readonly CallEvent[];
  readonly result: R;
  /** What the change does to the app's other calls (a consultative transfer ends the replaced call). */
  readonly effects?: CallEffects;
}

export interface CallEffects {
  readonly endCalls?: readonly { readonly callId: string; readonly resultInfo: ResultInfo }[];
}

/** A call (or operation) is visible and changeable only by the app that created it. */
export function isOwnedBy(resource: Pick<Call, 'owner'>, owner: Owner): boolean {
  return resource.owner.tenantId === owner.tenantId && resource.owner.appId === owner.appId;
}

/** Calls in these states take no media operations and no more changes from the bot. */
export function hasEnded(state: CallState): boolean {
  return state === 'terminating' || state === 'terminated';
}

