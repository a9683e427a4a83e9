import type { Operation, OperationPatch } from '../calls/model';
import { defined, json, numberColumn, stringColumn, type Entity } from './columns';
import { jsonColumns, readJsonColumn, readTextColumn, storedJson, textColumn } from './json-columns';
import { OPERATION_PREFIX, operationRowKey } from './table-schema';

export function operationEntity(op: Operation): Entity {
  return {
    partitionKey: op.callId,
    rowKey: operationRowKey(op.id),
    ...defined({
      ownerTenantId: op.owner.tenantId,
      ownerAppId: op.owner.appId,
      type: op.type,
      createdAt: op.createdAt,
    }),
    ...(op.parameters && jsonColumns('parameters', op.parameters)),
    ...patchFields(op),
    ...textColumn('clientContext', op.clientContext),
  };
}

/** The changing fields of an operation, as a Merge onto its row. */
export function operationPatchEntity(callId: string, patch: OperationPatch): Entity {
  return { partitionKey: callId, rowKey: operationRowKey(patch.id), ...patchFields(patch) };
}

function patchFields(op: OperationPatch): Record<string, unknown> {
  return defined({
    status: op.status,
    version: op.version,
    resultInfo: op.resultInfo && storedJson(op.resultInfo),
    completionReason: op.completionReason,
    recordingLocation: op.recordingLocation,
    recordingAccessToken: op.recordingAccessToken,
    recordedMs: op.recordedMs,
    endedAt: op.endedAt,
  });
}

export function operationFromEntity(e: Readonly<Record<string, unknown>>): Operation {
  const str = (key: string) => stringColumn(e, key);
  const num = (key: string) => numberColumn(e, key);
  return {
    id: String(e['rowKey']).slice(OPERATION_PREFIX.length),
    callId: String(e['partitionKey']),
    owner: { tenantId: String(e['ownerTenantId']), appId: String(e['ownerAppId']) },
    type: e['type'] as Operation['type'],
    status: e['status'] as Operation['status'],
    version: Number(e['version']),
    createdAt: Number(e['createdAt']),
    ...defined({
      clientContext: readTextColumn(e, 'clientContext'),
      resultInfo: json(e['resultInfo']),
      completionReason: str('completionReason'),
      parameters: readJsonColumn(e, 'parameters'),
      recordingLocation: str('recordingLocation'),
      recordingAccessToken: str('recordingAccessToken'),
      recordedMs: num('recordedMs'),
      endedAt: num('endedAt'),
    }),
  } as Operation;
}
