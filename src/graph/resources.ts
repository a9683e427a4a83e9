import type { Call, Operation, OperationSnapshot, OperationType, ResultInfo } from '../calls/model';
import { formatStatus, type EnumCasing } from './casing';

/** Graph JSON for the service's calls and operations. */

export const OPERATION_ODATA_TYPE: Readonly<Record<OperationType, string>> = {
  playPrompt: '#microsoft.graph.playPromptOperation',
  recordResponse: '#microsoft.graph.recordOperation',
  subscribeToTone: '#microsoft.graph.subscribeToToneOperation',
  cancelMediaProcessing: '#microsoft.graph.cancelMediaProcessingOperation',
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
  if (op.type === 'playPrompt' || op.type === 'recordResponse') json['completionReason'] = op.completionReason ?? null;
  if (op.type === 'recordResponse') {
    json['recordingLocation'] = op.recordingLocation ?? null;
    json['recordingAccessToken'] = op.recordingAccessToken ?? null;
  }
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
