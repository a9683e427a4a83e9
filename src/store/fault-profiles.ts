import type { TableClient } from '@azure/data-tables';
import type { FaultKind } from '../faults/profile';
import { KeyedMutex } from './keyed-mutex';
import { statusOf, unlessAbsent } from './status';
import { faultRecordEntity, faultRecordFromEntity, type FaultRecord } from './fault-row';
import { appFaultsRowKey, CALL_FAULTS_ROW, FAULTS_PARTITION } from './table-schema';

/** Where a fault profile and its counters live: an app's row, or a call's. */
export interface FaultScope {
  readonly partitionKey: string;
  readonly rowKey: string;
}

export const appFaultScope = (owner: { tenantId: string; appId: string }): FaultScope => ({ partitionKey: FAULTS_PARTITION, rowKey: appFaultsRowKey(owner.tenantId, owner.appId) });
/** In the call's own partition, so the sweeper deletes it with the call. */
export const callFaultScope = (callId: string): FaultScope => ({ partitionKey: callId, rowKey: CALL_FAULTS_ROW });

/** Writers of one row that keep losing the ETag race give up after this many tries. */
const MAX_TRIES = 30;

/**
 * Fault profiles and fault counts, in the calls table, so every instance applies and counts the
 * same ones. Changes are read-modify-write under the row's ETag.
 */
const keyOf = (scope: FaultScope) => `${scope.partitionKey}|${scope.rowKey}`;

export class FaultStore {
  /**
   * The rows this instance last read or wrote, by scope: what `getRecent` answers without a round
   * trip, and what `update` tries first (its ETag guards the write, so a stale one only costs a retry).
   */
  readonly #recent = new Map<string, { read: Awaited<ReturnType<FaultStore['get']>>; at: number }>();
  /**
   * Every request of an app with a profile numbers itself in one row: this instance's changes to a
   * row go one at a time, so they never race each other (only another instance's can, and lose a
   * retry at most); without it, a burst exhausted the retries and failed requests with a 500.
   */
  readonly #oneAtATime = new KeyedMutex();

  constructor(readonly table: TableClient) {}

  /**
   * The scope's row as read at most `maxAgeMs` ago by this instance (or read now). This instance's
   * own writes are seen at once; another instance's within `maxAgeMs`.
   */
  async getRecent(scope: FaultScope, maxAgeMs: number, now = Date.now()): Promise<Awaited<ReturnType<FaultStore['get']>>> {
    const cached = this.#recent.get(keyOf(scope));
    if (cached && now - cached.at < maxAgeMs) return cached.read;
    return this.#remember(scope, await this.get(scope), now);
  }

  #remember(scope: FaultScope, read: Awaited<ReturnType<FaultStore['get']>>, at = Date.now()) {
    // Bounded: an entry per app or call with a profile, pruned when it grows.
    if (this.#recent.size > 10_000) this.#recent.clear();
    this.#recent.set(keyOf(scope), { read, at });
    return read;
  }

  async get(scope: FaultScope): Promise<{ record: FaultRecord; etag: string } | undefined> {
    const e = await unlessAbsent(this.table.getEntity(scope.partitionKey, scope.rowKey));
    return e && { record: faultRecordFromEntity(e), etag: e.etag };
  }

  /**
   * Changes a scope's row: `change` sees the row as it is (undefined when absent) and returns the
   * row to write with a result, or undefined to write nothing. Retried on a lost race.
   */
  async update<T>(scope: FaultScope, change: (current: FaultRecord | undefined) => { record: FaultRecord; result: T } | undefined): Promise<T | undefined> {
    return this.#oneAtATime.run(keyOf(scope), () => this.#update(scope, change));
  }

  async #update<T>(scope: FaultScope, change: (current: FaultRecord | undefined) => { record: FaultRecord; result: T } | undefined): Promise<T | undefined> {
    const cached = this.#recent.get(keyOf(scope));
    for (let attempt = 1; ; attempt++) {
      const read = attempt === 1 && cached ? cached.read : await this.get(scope);
      const next = change(read?.record);
      if (!next) return undefined;
      try {
        const entity = faultRecordEntity(scope.partitionKey, scope.rowKey, next.record);
        const written = read ? await this.table.updateEntity(entity, 'Replace', { etag: read.etag }) : await this.table.createEntity(entity);
        this.#remember(scope, { record: next.record, etag: written.etag ?? '' });
        return next.result;
      } catch (error) {
        const status = statusOf(error);
        if ((status !== 412 && status !== 409 && status !== 404) || attempt >= MAX_TRIES) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(100, 5 * 2 ** attempt)));
      }
    }
  }

  async delete(scope: FaultScope): Promise<void> {
    this.#recent.delete(keyOf(scope));
    await unlessAbsent(this.table.deleteEntity(scope.partitionKey, scope.rowKey));
  }

  /** Adds injected faults to an app's counts. */
  async count(owner: { tenantId: string; appId: string }, counts: Partial<Record<FaultKind, number>>, now: number): Promise<void> {
    if (Object.values(counts).every((n) => !n)) return;
    await this.update(appFaultScope(owner), (current) => ({ record: addCounts(current ?? emptyFaultRecord(now), counts), result: undefined }));
  }
}

export function emptyFaultRecord(now: number): FaultRecord {
  return { requests: 0, counts: {}, since: now };
}

export function addCounts(record: FaultRecord, counts: Partial<Record<FaultKind, number>>): FaultRecord {
  const sum: Partial<Record<FaultKind, number>> = { ...record.counts };
  for (const [kind, n] of Object.entries(counts) as [FaultKind, number][]) if (n) sum[kind] = (sum[kind] ?? 0) + n;
  return { ...record, counts: sum };
}
