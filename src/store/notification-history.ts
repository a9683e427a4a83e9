import type { TableEntity } from '@azure/data-tables';
import type { CommsNotification } from '../graph/notifications';
import { jsonColumns, readJsonColumn, storedJson } from './json-columns';

/**
 * A copy of each change's notifications as committed, kept in the call's partition beside its
 * outbox row (row key history|{seq}). The outbox row goes once delivered; this stays, so the
 * console can show every notification of a call and its state timeline. Written only in local
 * mode: deployed there is no console to read it. The sweeper deletes it with the call.
 */
export const HISTORY_PREFIX = 'history|';

export const historyRowKey = (seq: number) => `${HISTORY_PREFIX}${String(seq).padStart(12, '0')}`;

export interface HistoryRow {
  readonly seq: number;
  /** When the change committed (epoch ms). */
  readonly at: number;
  readonly ids: readonly string[];
  readonly notifications: readonly CommsNotification[];
}

export function historyEntity(callId: string, row: HistoryRow): TableEntity<Record<string, unknown>> {
  return {
    partitionKey: callId,
    rowKey: historyRowKey(row.seq),
    seq: row.seq,
    at: row.at,
    ids: storedJson(row.ids),
    ...jsonColumns('notifications', row.notifications),
  };
}

export function historyFromEntity(e: Readonly<Record<string, unknown>>): HistoryRow {
  return {
    seq: Number(e['seq']),
    at: Number(e['at']),
    ids: JSON.parse(String(e['ids'] ?? '[]')) as string[],
    notifications: readJsonColumn<CommsNotification[]>(e, 'notifications') ?? [],
  };
}
