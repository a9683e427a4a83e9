import type { Call } from '../calls/model';
import { defined, json, numberColumn, type Entity } from './columns';
import { jsonColumns, readJsonColumn, storedJson } from './json-columns';
import { CALL_ROW, COLUMN } from './table-schema';

export interface CallRecord {
  readonly call: Call;
  /** The next outbox sequence number for this call. */
  readonly outboxSeq: number;
  /**
   * The ids of the last commits, newest first, so a writer whose reply was lost can tell that it
   * succeeded, even when others have committed since.
   */
  readonly changeIds?: readonly string[];
  /** Set by the sweeper before it deletes an ended call; nothing may commit to it any more. */
  readonly deleting?: boolean;
}

/** How many commit ids the call row remembers. */
export const REMEMBERED_CHANGES = 16;

export function callEntity({ call, outboxSeq, changeIds }: CallRecord): Entity {
  return {
    partitionKey: call.id,
    rowKey: CALL_ROW,
    ...defined({
      ownerTenantId: call.owner.tenantId,
      ownerAppId: call.owner.appId,
      [COLUMN.state]: call.state,
      direction: call.direction,
      callbackUri: call.callbackUri,
      family: call.family,
      apiVersion: call.apiVersion,
      mediaHosting: call.mediaHosting,
      baseUrl: call.baseUrl,
      nextToneSequenceId: call.nextToneSequenceId,
      [COLUMN.timerToken]: call.timer?.token,
      [COLUMN.timerDueAt]: call.timer?.dueAt,
      [COLUMN.keepAliveToken]: call.keepAlive?.token,
      [COLUMN.keepAliveDueAt]: call.keepAlive?.dueAt,
      stateDeadline: call.stateDeadline,
      transferFate: call.transferFate,
      recordingStatus: call.recordingStatus,
      botMuted: call.botMuted,
      screenSharingRole: call.screenSharingRole,
      removedParticipants: call.removedParticipants && storedJson(call.removedParticipants),
      mutedParticipants: call.mutedParticipants && storedJson(call.mutedParticipants),
      dtmf: call.dtmf && call.dtmf.length > 0 ? storedJson(call.dtmf) : undefined,
      version: call.version,
      createdAt: call.createdAt,
      [COLUMN.endedAt]: call.endedAt,
      outboxSeq,
      changeIds: changeIds && storedJson(changeIds),
      running: call.running && storedJson(call.running),
      toneSubscription: call.toneSubscription && storedJson(call.toneSubscription),
      resultInfo: call.resultInfo && storedJson(call.resultInfo),
      platform: call.platform && storedJson(call.platform),
      inviteFate: call.inviteFate,
      meetingId: call.meetingId,
      contentSharing: call.contentSharing && call.contentSharing.length > 0 ? storedJson(call.contentSharing) : undefined,
      onHold: call.onHold && storedJson(call.onHold),
    }),
    ...jsonColumns('resource', call.resource),
    ...jsonColumns('mediaQueue', call.mediaQueue),
    ...(call.transfer && jsonColumns('transfer', call.transfer)),
    ...(call.guests && call.guests.length > 0 && jsonColumns('guests', call.guests)),
    ...(call.audioRoutingGroups && call.audioRoutingGroups.length > 0 && jsonColumns('audioRoutingGroups', call.audioRoutingGroups)),
  };
}


export function callFromEntity(e: Readonly<Record<string, unknown>>): CallRecord {
  const timerToken = e[COLUMN.timerToken];
  const keepAliveToken = e[COLUMN.keepAliveToken];
  const state = e[COLUMN.state] as Call['state'];
  const timer = typeof timerToken === 'string' ? { token: timerToken, dueAt: Number(e[COLUMN.timerDueAt]) } : undefined;
  const num = (key: string) => numberColumn(e, key);
  const stateDeadline = num('stateDeadline');
  const call: Call = {
    id: String(e['partitionKey']),
    owner: { tenantId: String(e['ownerTenantId']), appId: String(e['ownerAppId']) },
    state,
    direction: e['direction'] as Call['direction'],
    callbackUri: String(e['callbackUri']),
    family: e['family'] as Call['family'],
    apiVersion: e['apiVersion'] as Call['apiVersion'],
    mediaHosting: e['mediaHosting'] as Call['mediaHosting'],
    baseUrl: String(e['baseUrl']),
    resource: readJsonColumn(e, 'resource') ?? {},
    mediaQueue: readJsonColumn(e, 'mediaQueue') ?? [],
    nextToneSequenceId: Number(e['nextToneSequenceId']),
    version: Number(e['version']),
    createdAt: Number(e['createdAt']),
    ...defined({
      running: json(e['running']),
      toneSubscription: json(e['toneSubscription']),
      resultInfo: json(e['resultInfo']),
      timer,
      keepAlive: typeof keepAliveToken === 'string' ? { token: keepAliveToken, dueAt: Number(e[COLUMN.keepAliveDueAt]) } : undefined,
      stateDeadline,
      transfer: readJsonColumn(e, 'transfer'),
      transferFate: e['transferFate'] as Call['transferFate'],
      recordingStatus: e['recordingStatus'] as Call['recordingStatus'],
      botMuted: e['botMuted'] === true ? true : undefined,
      removedParticipants: json<number[]>(e['removedParticipants']),
      mutedParticipants: json<number[]>(e['mutedParticipants']),
      screenSharingRole: e['screenSharingRole'] === 'viewer' || e['screenSharingRole'] === 'sharer' ? e['screenSharingRole'] : undefined,
      dtmf: json(e['dtmf']),
      platform: json(e['platform']),
      inviteFate: e['inviteFate'] as Call['inviteFate'],
      meetingId: typeof e['meetingId'] === 'string' ? e['meetingId'] : undefined,
      onHold: json(e['onHold']),
      guests: readJsonColumn(e, 'guests'),
      audioRoutingGroups: readJsonColumn(e, 'audioRoutingGroups'),
      contentSharing: json<string[]>(e['contentSharing']),
      endedAt: num(COLUMN.endedAt),
    }),
  };
  return {
    call,
    outboxSeq: Number(e['outboxSeq']),
    changeIds: json<string[]>(e['changeIds']) ?? [],
    ...(e[COLUMN.deleting] === true && { deleting: true }),
  };
}
