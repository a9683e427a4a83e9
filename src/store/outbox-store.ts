import type { TableClient, TransactionAction } from '@azure/data-tables';
import { LRUCache } from 'lru-cache';
import { assertFitsAzure } from './azure-limits';
import { unlessSomeoneElseDid } from './status';
import { deliveryLogEntity, leaseEntity, leaseFromEntity, type DeliveryLogEntry, type DrainLease } from './delivery-log-row';
import { outboxFromEntity, outboxProgressEntity, type OutboxRow } from './outbox-row';
import { DELIVERY_LOG_LIMIT, DRAIN_LEASE_ROW, OUTBOX_PREFIX, outboxRowKey, partitionIs, rowKeysWith } from './table-schema';

/** An outbox row with the ETag it was read at. */
export interface PendingRow {
  readonly row: OutboxRow;
  readonly etag: string;
}

/** The lease row as read, with its ETag; undefined when the call was never drained. */
export interface ReadLease extends DrainLease {
  readonly etag: string;
}

/** A lease this drain holds: what it wrote, and the ETag that proves it still holds it. */
export interface HeldLease {
  readonly lease: DrainLease;
  readonly etag: string;
}

/** Leases kept as this instance released them: a few dozen bytes each. */
const REMEMBERED_LEASES = 1000;

/** What one query tells about a call's delivery: the lease, and the first rows waiting. */
export interface OutboxSnapshot {
  readonly lease: ReadLease | undefined;
  readonly rows: readonly PendingRow[];
  /** True when rows beyond these wait too. */
  readonly more: boolean;
}

/** What a drain writes after a page: delivered rows gone, a failure's progress, log entries, the lease renewed or released. */
export interface Checkpoint {
  readonly etag: string;
  readonly lease: DrainLease;
  readonly delivered: readonly Pick<OutboxRow, 'callId' | 'seq'>[];
  readonly progress?: { readonly row: Pick<OutboxRow, 'callId' | 'seq'> } & Pick<OutboxRow, 'delivered' | 'attempts' | 'nextAttemptAt' | 'lastError' | 'faultHold'>;
  readonly log: readonly DeliveryLogEntry[];
}


const OUTBOX_RANGE = (callId: string) => `${partitionIs(callId)} and ${rowKeysWith(OUTBOX_PREFIX)}`;
/** The lease row ('outbox') sorts just before the outbox rows ('outbox|...'): one range holds both. */
const LEASE_AND_OUTBOX = (callId: string) => `${partitionIs(callId)} and ${rowKeysWith(OUTBOX_PREFIX, DRAIN_LEASE_ROW)}`;

/**
 * A call's outbox as the deliverer sees it: rows in sequence order, progress on failure, removal on
 * delivery, and the lease that makes one drain at a time deliver a call's notifications (so two
 * instances never post out of order).
 */
export class OutboxStore {
  /**
   * The leases this instance released last, as it wrote them. The next drain of such a call can
   * take the lease back on that ETag while it queries the outbox, instead of after the query: if
   * the write succeeds, no drain has taken the lease since, and this one holds it.
   */
  readonly #released = new LRUCache<string, ReadLease>({ max: REMEMBERED_LEASES });

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

  /** The lease and the first `limit` rows waiting, in one query (one round trip when they fit a page). */
  async snapshot(callId: string, limit = 32): Promise<OutboxSnapshot> {
    let lease: ReadLease | undefined;
    const rows: PendingRow[] = [];
    const pages = this.table.listEntities({ queryOptions: { filter: LEASE_AND_OUTBOX(callId) } }).byPage({ maxPageSize: limit + 2 });
    for await (const page of pages) {
      for (const entity of page) {
        if (entity.rowKey === DRAIN_LEASE_ROW) lease = { ...leaseFromEntity(entity), etag: entity.etag };
        else rows.push({ row: outboxFromEntity(entity), etag: entity.etag });
      }
      if (rows.length > limit) break;
    }
    return { lease, rows: rows.slice(0, limit), more: rows.length > limit };
  }

  /**
   * Takes the call's drain lease, as read in `current`, until `lease.until`: one write, which the
   * lease row's ETag (or its absence) arbitrates between instances. The new ETag, or undefined
   * when another drain got there first.
   */
  async takeLease(callId: string, current: ReadLease | undefined, lease: DrainLease): Promise<string | undefined> {
    this.#released.delete(callId);
    const entity = leaseEntity(callId, lease);
    const response = await unlessSomeoneElseDid(current ? this.table.updateEntity(entity, 'Replace', { etag: current.etag }) : this.table.createEntity(entity));
    return response && etagOf(response.etag);
  }

  /**
   * Takes back, until `until`, the lease this instance released last, on the ETag it released it
   * at, without reading it: undefined when no such lease is remembered, or when another drain has
   * taken it since (the write is refused).
   */
  async retakeReleased(callId: string, holder: string, until: number): Promise<HeldLease | undefined> {
    const released = this.#released.get(callId);
    if (!released) return undefined;
    const lease = { holder, until, logNext: released.logNext };
    const etag = await this.takeLease(callId, released, lease);
    return etag ? { lease, etag } : undefined;
  }

  /** Extends a held lease; undefined if it was lost meanwhile. */
  async renewLease(callId: string, etag: string, lease: DrainLease): Promise<string | undefined> {
    this.#released.delete(callId);
    const response = await unlessSomeoneElseDid(this.table.updateEntity(leaseEntity(callId, lease), 'Replace', { etag }));
    const renewed = response && etagOf(response.etag);
    this.#rememberIfReleased(callId, lease, renewed);
    return renewed;
  }

  /** Gives up a held lease that delivered nothing (the drain found nothing to do, or handed the call on). */
  async releaseLease(callId: string, held: HeldLease): Promise<void> {
    await this.renewLease(callId, held.etag, { holder: '', until: 0, logNext: held.lease.logNext });
  }

  /**
   * After a page: deletes the delivered rows, records a failure's progress, writes the delivery log
   * entries and renews or releases the lease, in one transaction under the lease's ETag (so a drain
   * that lost its lease changes nothing). The new ETag, or undefined when the lease was lost.
   */
  async checkpoint(callId: string, c: Checkpoint): Promise<string | undefined> {
    // The log is a ring: of more entries than it holds, only the last ones survive anyway.
    const log = c.log.slice(-DELIVERY_LOG_LIMIT);
    const actions: TransactionAction[] = [
      ['update', leaseEntity(callId, c.lease), 'Replace', { etag: c.etag }],
      ...c.delivered.map((row): TransactionAction => ['delete', { partitionKey: row.callId, rowKey: outboxRowKey(row.seq) }]),
      ...(c.progress ? [['update', outboxProgressEntity(c.progress.row, c.progress), 'Merge'] as TransactionAction] : []),
      ...log.map((entry): TransactionAction => ['upsert', deliveryLogEntity(callId, entry), 'Replace']),
    ];
    assertFitsAzure(actions, `A delivery checkpoint of call ${callId}`);
    // Lost when the lease moved on (someone took over) or a row is gone (the sweeper, or a taker-over).
    this.#released.delete(callId);
    const response = await unlessSomeoneElseDid(this.table.submitTransaction(actions));
    // The lease's update is the transaction's first action (its sub-responses name no row keys to look it up by).
    const etag = response && etagOf(response.subResponses[0]?.etag?.trim());
    this.#rememberIfReleased(callId, c.lease, etag);
    return etag;
  }

  #rememberIfReleased(callId: string, lease: DrainLease, etag: string | undefined): void {
    if (etag && lease.holder === '') this.#released.set(callId, { ...lease, etag });
  }
}

/** The ETag of a write that succeeded; without one, the next conditional write would hold no condition. */
function etagOf(etag: string | undefined): string {
  if (!etag) throw new Error('Storage answered a lease write without an ETag.');
  return etag;
}
