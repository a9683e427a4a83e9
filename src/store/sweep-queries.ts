import type { TableClient } from '@azure/data-tables';
import { unlessSomeoneElseDid } from './status';
import { MAX_TRANSACTION_ENTITIES } from './azure-limits';
import { CALL_ROW, COLUMN, OUTBOX_PREFIX, rowKeysWith } from './table-schema';

/** Table numbers are doubles; a double literal compares with them on every storage implementation. */
const double = (n: number) => `${Math.floor(n)}.0`;

/** A call timer that was due and may not have fired: its call and the token the clock message carries. */
export interface OverdueTimer {
  readonly callId: string;
  readonly token: string;
}

/**
 * The sweeper's storage: scans across partitions for work nothing will wake, and the deletion of
 * an ended call's partition. What to do with what they find is the sweeper's (service/sweeper.ts).
 */
export class SweepQueries {
  readonly #table: TableClient;

  constructor(table: TableClient) {
    this.#table = table;
  }

  /** Calls with an outbox row whose next attempt was due at or before `before`. */
  async strandedOutboxes(before: number): Promise<Set<string>> {
    const stranded = new Set<string>();
    const filter = `${rowKeysWith(OUTBOX_PREFIX)} and ${COLUMN.nextAttemptAt} le ${double(before)}`;
    for await (const e of this.#table.listEntities({ queryOptions: { filter, select: ['PartitionKey'] } })) stranded.add(String(e.partitionKey));
    return stranded;
  }

  /** Call timers (the one timer and the keep-alive) that were due at or before `before`. */
  async *overdueTimers(before: number): AsyncGenerator<OverdueTimer> {
    for (const [dueAt, tokenColumn] of [
      [COLUMN.timerDueAt, COLUMN.timerToken],
      [COLUMN.keepAliveDueAt, COLUMN.keepAliveToken],
    ] as const) {
      const filter = `RowKey eq '${CALL_ROW}' and ${dueAt} le ${double(before)}`;
      for await (const e of this.#table.listEntities({ queryOptions: { filter, select: ['PartitionKey', tokenColumn] } })) {
        const token = e[tokenColumn];
        if (typeof token === 'string') yield { callId: String(e.partitionKey), token };
      }
    }
  }

  /** Calls that ended (terminated) at or before `before`. */
  async *endedCalls(before: number): AsyncGenerator<string> {
    const filter = `RowKey eq '${CALL_ROW}' and ${COLUMN.state} eq 'terminated' and ${COLUMN.endedAt} le ${double(before)}`;
    for await (const e of this.#table.listEntities({ queryOptions: { filter, select: ['PartitionKey'] } })) yield String(e.partitionKey);
  }

  /** The row keys of a call's partition. */
  async rowKeys(callId: string): Promise<string[]> {
    const keys: string[] = [];
    for await (const e of this.#table.listEntities({ queryOptions: { filter: `PartitionKey eq '${callId}'`, select: ['RowKey'] } })) keys.push(String(e.rowKey));
    return keys;
  }

  /**
   * Marks the call `deleting` under the ETag it was read with; false when a writer changed it
   * since (412) or it is gone (404). Once marked, no writer commits to the call again.
   */
  async markDeleting(callId: string, etag: string): Promise<boolean> {
    return (await unlessSomeoneElseDid(this.#table.updateEntity({ partitionKey: callId, rowKey: CALL_ROW, [COLUMN.deleting]: true }, 'Merge', { etag }))) !== undefined;
  }

  /** Deletes these rows of the call's partition; the call row last, so a sweep that stops halfway finds the call again. */
  async deletePartition(callId: string, rowKeys: readonly string[]): Promise<void> {
    const ordered = [...rowKeys.filter((k) => k !== CALL_ROW), CALL_ROW];
    for (let i = 0; i < ordered.length; i += MAX_TRANSACTION_ENTITIES) {
      await this.#table.submitTransaction(ordered.slice(i, i + MAX_TRANSACTION_ENTITIES).map((rowKey) => ['delete', { partitionKey: callId, rowKey }]));
    }
  }
}

/** Whether a row key is one of the outbox's. */
export const isOutboxRowKey = (rowKey: string): boolean => rowKey.startsWith(OUTBOX_PREFIX);
