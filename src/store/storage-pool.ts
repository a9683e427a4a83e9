import { AsyncLocalStorage } from 'node:async_hooks';
import type { TableServiceClientOptions } from '@azure/data-tables';
import { FairGate } from './fair-gate';

type PipelinePolicy = NonNullable<TableServiceClientOptions['additionalPolicies']>[number]['policy'];

/**
 * The process's storage round trips, counted per kind of work, with background work (the media
 * clock, delivery, the sweeper) bounded: a burst of it (200 calls establishing at once) cannot take
 * the storage and event loop the requests need. A request's round trips are not bounded here: the
 * requests themselves are, before they start, while apps share the instance (api/graph-api.ts,
 * store/fair-gate.ts), since a request holds a place for all of its round trips.
 *
 * Which kind of work a round trip belongs to travels with the async context: the HTTP edge runs
 * its handler `asApiWork`; everything else is background.
 */
export type WorkKind = 'api' | 'background';

const current = new AsyncLocalStorage<WorkKind>();

/** Runs `work` as API work: its storage round trips are not held back. */
export function asApiWork<T>(work: () => Promise<T>): Promise<T> {
  return current.run('api', work);
}

/** Runs `work` as background work, whatever started it (delivery a request set off). */
export function asBackgroundWork<T>(work: () => Promise<T>): Promise<T> {
  return current.run('background', work);
}

export function workKind(): WorkKind {
  return current.getStore() ?? 'background';
}

/** What the pool has done: round trips per kind of work, and how long background ones waited for a slot. */
export interface PoolStats {
  readonly roundTrips: Record<WorkKind, number>;
  readonly backgroundWaitedMs: number;
  readonly maxWaiting: number;
}

export class StoragePool {
  readonly #background: FairGate;
  #roundTrips = { api: 0, background: 0 };

  /** `backgroundLimit`: background round trips in flight at once (0: unbounded). */
  constructor(readonly backgroundLimit: number) {
    this.#background = new FairGate(backgroundLimit, { always: true });
  }

  /** Waits for a slot (background work only); resolves with its release. */
  async acquire(kind: WorkKind = workKind()): Promise<() => void> {
    this.#roundTrips[kind]++;
    return kind === 'api' ? () => undefined : this.#background.enter('');
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await work();
    } finally {
      release();
    }
  }

  /** The counters since the last call, which resets them. */
  takeStats(): PoolStats {
    const { waitedMs, maxWaiting } = this.#background.takeStats();
    const roundTrips = this.#roundTrips;
    this.#roundTrips = { api: 0, background: 0 };
    return { roundTrips, backgroundWaitedMs: waitedMs, maxWaiting };
  }

  /** As an Azure SDK pipeline policy, per try: a retry's back-off is spent outside the pool. */
  policy(): PipelinePolicy {
    return { name: 'storagePool', sendRequest: (request, next) => this.run(() => next(request)) };
  }
}
