import type { TableClient } from '@azure/data-tables';
import { statusOf } from './status';
import { DRAIN_LEASE_ROW, leaseEntity, leaseFromEntity, OUTBOX_PREFIX, outboxFromEntity, outboxProgressEntity, outboxRowKey, type OutboxRow } from './table-schema';

/** An outbox row with the ETag it was read at. */
export interface PendingRow {
  readonly row: OutboxRow;
  readonly etag: string;
}

export type LeaseResult = { readonly held: true; readonly etag: string } | { readonly held: false; readonly until: number };

const OUTBOX_RANGE = (callId: string) =>
  `PartitionKey eq '${callId.replaceAll("'", "''")}' and RowKey ge '${OUTBOX_PREFIX}' and RowKey lt '${OUTBOX_PREFIX.slice(0, -1)}}'`;

/**
 * A call's outbox as the deliverer sees it: rows in sequence order, progress on failure, removal on
 * delivery, and the lease that makes one drain at a time deliver a call's notifications (so two
 * instances never post out of order).
 */
export class OutboxStore {
  constructor(readonly table: TableClient) {}

  /** The first `limit` rows waiting, oldest first (row keys sort by sequence). */
  async pending(callId: string, limit = 32): Promise<PendingRow[]> {
    const rows: PendingRow[] = [];
    const pages = this.table.listEntities({ queryOptions: { filter: OUTBOX_RANGE(callId) } }).byPage({ maxPageSize: limit });
    // A page can be empty and still have a continuation; read on until there are rows or no more pages.
    for await (const page of pages) {
      for (const entity of page) rows.push({ row: outboxFromEntity(entity), etag: entity.etag });
      if (rows.length >= limit) break;
    }
    return rows.slice(0, limit);
  }

  /** Records how far delivery got and when to try again. */
  async recordFailure(pending: PendingRow, progress: Pick<OutboxRow, 'delivered' | 'attempts' | 'nextAttemptAt' | 'lastError'>): Promise<void> {
    await this.table.updateEntity(outboxProgressEntity(pending.row, progress), 'Merge');
  }

  /** Deletes delivered rows of one call, in one transaction (at most 100 rows). */
  async remove(rows: readonly Pick<OutboxRow, 'callId' | 'seq'>[]): Promise<void> {
    if (rows.length === 0) return;
    try {
      await this.table.submitTransaction(rows.map((row) => ['delete', { partitionKey: row.callId, rowKey: outboxRowKey(row.seq) }]));
    } catch (error) {
      // One was already gone (another drain after a lost lease): delete the rest one by one.
      if (statusOf(error) !== 404) throw error;
      for (const row of rows) await this.table.deleteEntity(row.callId, outboxRowKey(row.seq)).catch((e: unknown) => {
        if (statusOf(e) !== 404) throw e;
      });
    }
  }

  /**
   * Takes the call's drain lease until `until` (epoch ms) if nobody else holds it. The lease row's
   * ETag arbitrates between instances.
   */
  async acquireLease(callId: string, holder: string, now: number, until: number): Promise<LeaseResult> {
    let current: { etag: string; holder: string; until: number } | undefined;
    try {
      const e = await this.table.getEntity(callId, DRAIN_LEASE_ROW);
      current = { etag: e.etag, ...leaseFromEntity(e) };
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
    if (current && current.until > now && current.holder !== holder) return { held: false, until: current.until };
    try {
      const entity = leaseEntity(callId, { holder, until });
      const response = current
        ? await this.table.updateEntity(entity, 'Replace', { etag: current.etag })
        : await this.table.createEntity(entity);
      return { held: true, etag: response.etag ?? '' };
    } catch (error) {
      const status = statusOf(error);
      if (status === 412 || status === 409) return { held: false, until: now + 1000 };
      throw error;
    }
  }

  /** Extends a held lease; false if it was lost meanwhile. */
  async renewLease(callId: string, holder: string, etag: string, until: number): Promise<string | undefined> {
    try {
      return (await this.table.updateEntity(leaseEntity(callId, { holder, until }), 'Replace', { etag })).etag;
    } catch (error) {
      if (statusOf(error) === 412 || statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  async releaseLease(callId: string, etag: string): Promise<void> {
    try {
      await this.table.updateEntity(leaseEntity(callId, { holder: '', until: 0 }), 'Replace', { etag });
    } catch (error) {
      // Lost meanwhile: whoever holds it now is responsible.
      if (statusOf(error) !== 412 && statusOf(error) !== 404) throw error;
    }
  }
}
