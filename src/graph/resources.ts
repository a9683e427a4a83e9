import type { Call, Operation, OperationSnapshot, OperationType, ResultInfo } from '../calls/model';
import { firstParties, type Guest } from '../calls/guests';
import { formatStatus, type EnumCasing } from './casing';
import { nameBasedId } from './ids';

/** Graph JSON for the service's calls and operations. */

export const OPERATION_ODATA_TYPE: Readonly<Record<OperationType, string>> = {
  playPrompt: '#microsoft.graph.playPromptOperation',
  recordResponse: '#microsoft.graph.recordOperation',
  subscribeToTone: '#microsoft.graph.subscribeToToneOperation',
  cancelMediaProcessing: '#microsoft.graph.cancelMediaProcessingOperation',
  sendDtmfTones: '#microsoft.graph.sendDtmfTonesOperation',
  updateRecordingStatus: '#microsoft.graph.updateRecordingStatusOperation',
  muteParticipant: '#microsoft.graph.muteParticipantOperation',
  unmuteParticipant: '#microsoft.graph.unmuteParticipantOperation',
  addLargeGalleryView: '#microsoft.graph.addLargeGalleryViewOperation',
  inviteParticipants: '#microsoft.graph.inviteParticipantsOperation',
  startHoldMusic: '#microsoft.graph.startHoldMusicOperation',
  stopHoldMusic: '#microsoft.graph.stopHoldMusicOperation',
  muteParticipants: '#microsoft.graph.muteParticipantsOperation',
};

/** What each operation type adds to commsOperation's properties, as its JSON (and $select) has them. */
export const OPERATION_PROPERTIES: Readonly<Record<OperationType, readonly string[]>> = {
  playPrompt: ['completionReason'],
  recordResponse: ['completionReason', 'recordingLocation', 'recordingAccessToken'],
  subscribeToTone: [],
  cancelMediaProcessing: [],
  sendDtmfTones: ['completionReason'],
  updateRecordingStatus: [],
  muteParticipant: [],
  unmuteParticipant: [],
  addLargeGalleryView: [],
  inviteParticipants: ['participants'],
  startHoldMusic: [],
  stopHoldMusic: [],
  muteParticipants: ['participants'],
};

/** A participant as Graph writes one: `{ identity: { application | user: { id, displayName } } }`. */
export function participant(
  type: 'participantInfo' | 'invitationParticipantInfo',
  kind: 'application' | 'user',
  identity: { readonly id: string; readonly displayName?: string },
) {
  return {
    '@odata.type': `#microsoft.graph.${type}`,
    identity: { '@odata.type': '#microsoft.graph.identitySet', [kind]: { '@odata.type': '#microsoft.graph.identity', ...identity } },
  };
}

export function resultInfoJson(info: ResultInfo | undefined) {
  return info ? { '@odata.type': '#microsoft.graph.resultInfo', code: info.code, subcode: info.subcode, message: info.message } : null;
}

/** An operation as GET, action responses and notifications show it: every field, null when unset. */
export function operationJson(op: Operation | OperationSnapshot, casing: EnumCasing): Record<string, unknown> {
  const json: Record<string, unknown> = {
    '@odata.type': OPERATION_ODATA_TYPE[op.type],
    id: op.id,
    status: formatStatus(op.status, casing),
    clientContext: op.clientContext ?? null,
    resultInfo: resultInfoJson(op.resultInfo),
  };
  const invited = 'parameters' in op && op.parameters && 'participants' in op.parameters ? op.parameters.participants : undefined;
  const extra: Record<string, unknown> = { completionReason: op.completionReason, recordingLocation: op.recordingLocation, recordingAccessToken: op.recordingAccessToken, participants: invited };
  for (const name of OPERATION_PROPERTIES[op.type]) json[name] = extra[name] ?? null;
  return json;
}

/** A call as create and GET return it. */
export function callJson(call: Call): Record<string, unknown> {
  return {
    '@odata.type': '#microsoft.graph.call',
    ...call.resource,
    id: call.id,
    state: call.state,
    direction: call.direction,
    callbackUri: call.callbackUri,
    resultInfo: resultInfoJson(call.resultInfo),
    toneInfo: null,
    mediaState: null,
  };
}

/** A stable participant id for the n-th other party of a call (the bot's own is myParticipantId). */
/** The participant id of the other participant at `n` (-1: the bot, when the call did not name one). */
export function otherParticipantId(call: Call, n: number): string {
  return nameBasedId(`${call.id}/participant/${n}`);
}

const AUDIO_STREAM = { '@odata.type': '#microsoft.graph.mediaStream', mediaType: 'audio', direction: 'sendReceive', serverMuted: false, label: 'main-audio', sourceId: '1' };

function participantJson(id: string, info: unknown, recordingStatus: string | undefined, muted = false, state: Guest['state'] = 'joined') {
  return {
    '@odata.type': '#microsoft.graph.participant',
    id,
    info,
    isInLobby: state === 'lobby',
    isMuted: muted,
    // An invitee still ringing, or someone waiting in the lobby, has no media yet.
    mediaStreams: state === 'joined' ? [AUDIO_STREAM] : [],
    metadata: null,
    recordingInfo: recordingStatus === undefined ? null : { '@odata.type': '#microsoft.graph.recordingInfo', initiator: null, recordingStatus },
  };
}

/**
 * Who is on the call: the bot (its own participant, with the recording status it set), and, unless
 * only the bot is left, the other side: the caller of an incoming call or the targets of an
 * outgoing one.
 */
export function participantsJson(call: Call, withOthers = true): Record<string, unknown>[] {
  const botId = typeof call.resource['myParticipantId'] === 'string' ? call.resource['myParticipantId'] : otherParticipantId(call, -1);
  const botInfo = {
    '@odata.type': '#microsoft.graph.participantInfo',
    identity: participant('participantInfo', 'application', { id: call.owner.appId }).identity,
  };
  const bot = participantJson(botId, botInfo, call.recordingStatus, call.botMuted === true);
  if (!withOthers) return [bot];
  const others = firstParties(call);
  return [
    bot,
    ...others.flatMap((info, i) => {
      if (call.removedParticipants?.includes(i)) return [];
      const { identity, endpointType } = (info ?? {}) as Record<string, unknown>;
      const other = { '@odata.type': '#microsoft.graph.participantInfo', identity: identity ?? null, ...(endpointType !== undefined && { endpointType }) };
      return [participantJson(otherParticipantId(call, i), other, undefined, call.mutedParticipants?.includes(i) === true)];
    }),
    ...(call.guests ?? []).map((g) => participantJson(g.id, { '@odata.type': '#microsoft.graph.participantInfo', ...g.info }, undefined, g.muted === true, g.state)),
  ];
}
