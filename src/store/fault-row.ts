import type { FaultKind, FaultProfile } from '../faults/profile';
import { defined, json, type Entity } from './columns';
import { storedJson } from './json-columns';
import { COLUMN } from './table-schema';

/**
 * A fault scope's row: an app's (FAULTS_PARTITION) or a call's (CALL_FAULTS_ROW in its partition).
 * The profile, if one is set there; how many API requests it has seen (what `next` counts); and,
 * on an app's row, how many faults were injected for the app since `since`.
 */
export interface FaultRecord {
  readonly profile?: FaultProfile;
  /** On a call's row: the app that set it, the only one it applies to. */
  readonly ownerAppId?: string;
  readonly requests: number;
  readonly counts: Readonly<Partial<Record<FaultKind, number>>>;
  readonly since: number;
  /** On an app's row: a call of the app was given a profile of its own. */
  readonly callProfiles?: boolean;
}

export function faultRecordEntity(partitionKey: string, rowKey: string, record: FaultRecord): Entity {
  return {
    partitionKey,
    rowKey,
    ...defined({
      [COLUMN.faultProfile]: record.profile && storedJson(record.profile),
      [COLUMN.faultOwnerAppId]: record.ownerAppId,
      [COLUMN.faultRequests]: record.requests,
      [COLUMN.faultCounts]: storedJson(record.counts),
      [COLUMN.faultsSince]: record.since,
      [COLUMN.faultCallProfiles]: record.callProfiles,
    }),
  };
}

export function faultRecordFromEntity(e: Readonly<Record<string, unknown>>): FaultRecord {
  return {
    requests: Number(e[COLUMN.faultRequests] ?? 0),
    counts: json<FaultRecord['counts']>(e[COLUMN.faultCounts]) ?? {},
    since: Number(e[COLUMN.faultsSince] ?? 0),
    ...defined({
      profile: json<FaultProfile>(e[COLUMN.faultProfile]),
      ownerAppId: typeof e[COLUMN.faultOwnerAppId] === 'string' ? e[COLUMN.faultOwnerAppId] : undefined,
      callProfiles: e[COLUMN.faultCallProfiles] === true ? true : undefined,
    }),
  };
}
