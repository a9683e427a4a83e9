import type { TableClient } from '@azure/data-tables';
import type { Call, Operation } from '../calls/model';
import { HISTORY_PREFIX, historyFromEntity, type HistoryRow } from './notification-history';
import { callFromEntity } from './call-row';
import { operationFromEntity } from './operation-row';
import { outboxFromEntity, type OutboxRow } from './outbox-row';
import { CALL_ROW, COLUMN, OPERATION_PREFIX, OUTBOX_PREFIX } from './table-schema';

/** A call as the call list shows it: a few columns of its call row. */
export interface CallSummary {
  readonly id: string;
  readonly appId: string;
  readonly tenantId: string;
  readonly direction: string;
  readonly state: string;
  readonly callbackUri: string;
  readonly createdAt: number;
  readonly endedAt?: number;
}

export interface CallListQuery {
  readonly appId?: string;
  readonly state?: string;
  /** How many of the newest calls to return. */
  readonly limit: number;
  /** How many call rows to read at most: the list is a table scan (calls are partitions in random order). */
  readonly scanLimit: number;
}

/** Everything one call's partition holds, read in one query. */
export interface CallContents {
  readonly call: Call;
  readonly operations: readonly Operation[];
  /** Outbox rows still waiting for delivery, oldest first. */
  readonly waiting: readonly OutboxRow[];
  /** Notifications as committed (local mode), oldest first. */
  readonly history: readonly HistoryRow[];
}

const quoted = (value: string) => `'${value.replaceAll("'", "''")}'`;

/**
 * Reads for the local console: plain queries, no decisions. The list scans call rows (reading
 * only the columns it shows); a call's contents are one partition query.
 */
export class CallReader {
  constructor(readonly table: TableClient) {}

  /** How many of an app's calls have not ended, counting up to `upTo` (the quota's check needs no more). */
  async countActive(appId: string, upTo: number): Promise<number> {
    const filter = `RowKey eq ${quoted(CALL_ROW)} and ownerAppId eq ${quoted(appId)} and ${COLUMN.state} ne 'terminated'`;
    let count = 0;
    for await (const _ of this.table.listEntities({ queryOptions: { filter, select: ['PartitionKey'] } })) {
      if (++count >= upTo) break;
    }
    return count;
  }

  /** The newest calls, optionally of one app and in one state. */
  async list(query: CallListQuery): Promise<{ calls: CallSummary[]; scanned: number; truncated: boolean }> {
    const filter = [
      `RowKey eq ${quoted(CALL_ROW)}`,
      ...(query.appId ? [`ownerAppId eq ${quoted(query.appId)}`] : []),
      ...(query.state ? [`${COLUMN.state} eq ${quoted(query.state)}`] : []),
    ].join(' and ');
    const select = ['PartitionKey', 'ownerAppId', 'ownerTenantId', 'direction', COLUMN.state, 'callbackUri', 'createdAt', COLUMN.endedAt];
    const calls: CallSummary[] = [];
    let truncated = false;
    for await (const e of this.table.listEntities({ queryOptions: { filter, select } })) {
      if (calls.length >= query.scanLimit) {
        truncated = true;
        break;
      }
      calls.push({
        id: String(e.partitionKey),
        appId: String(e['ownerAppId']),
        tenantId: String(e['ownerTenantId']),
        direction: String(e['direction']),
        state: String(e[COLUMN.state]),
        callbackUri: String(e['callbackUri']),
        createdAt: Number(e['createdAt']),
        ...(typeof e[COLUMN.endedAt] === 'number' && { endedAt: e[COLUMN.endedAt] as number }),
      });
    }
    calls.sort((a, b) => b.createdAt - a.createdAt);
    return { calls: calls.slice(0, query.limit), scanned: calls.length, truncated };
  }

  async read(callId: string): Promise<CallContents | undefined> {
    let call: Call | undefined;
    const operations: Operation[] = [];
    const waiting: OutboxRow[] = [];
    const history: HistoryRow[] = [];
    for await (const e of this.table.listEntities({ queryOptions: { filter: `PartitionKey eq ${quoted(callId)}` } })) {
      const key = String(e.rowKey);
      if (key === CALL_ROW) call = callFromEntity(e).call;
      else if (key.startsWith(OPERATION_PREFIX)) operations.push(operationFromEntity(e));
      else if (key.startsWith(OUTBOX_PREFIX)) waiting.push(outboxFromEntity(e));
      else if (key.startsWith(HISTORY_PREFIX)) history.push(historyFromEntity(e));
    }
    if (!call) return undefined;
    operations.sort((a, b) => a.createdAt - b.createdAt);
    return { call, operations, waiting, history };
  }
}
