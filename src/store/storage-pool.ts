import { AsyncLocalStorage } from 'node:async_hooks';
import type { TableServiceClientOptions } from '@azure/data-tables';

type PipelinePolicy = NonNullable<TableServiceClientOptions['additionalPolicies']>[number]['policy'];

/**
 * One pool for the process's storage round trips, bounded per kind of work. Work a bot is waiting
 * on (an API request) goes before background work (the media clock, delivery, the sweeper): a
 * background round trip never takes a slot while an API one waits, and background work has a
 * bound of its own, so a burst of it (200 calls establishing at once) cannot take the capacity the
 * requests need. Waiting API round trips are served app by app in turn, each app's in order, so
 * one app's flood does not make another app's requests wait behind all of it.
 *
 * The bound on API round trips is for that fairness, so it holds only while apps share the
 * instance (more than one has made requests in the last SHARING_WINDOW_MS). One app alone gets
 * every round trip it asks for: its requests would only queue behind its own, and on a busy
 * instance a tight bound leaves storage idle while replies wait for the event loop.
 *
 * What kind of work a round trip belongs to, and for which app, travels with the async context:
 * the HTTP edge runs its handler `asApiWork`, naming the app once the token says which it is;
 * everything else is background.
 */
export type WorkKind = 'api' | 'background';

interface Work {
  readonly kind: WorkKind;
  /** The app the request is for, once known: waiting requests are served app by app. */
  readonly app?: string;
}

const current = new AsyncLocalStorage<Work>();

/** How long an app counts as using the instance after its last request's round trip. */
export const SHARING_WINDOW_MS = 10_000;
/** How often the apps using the instance are counted again (a second one is noticed at once). */
const RECOUNT_MS = 100;

/** Runs `work` as API work (for `app`, when known): its storage round trips go ahead of background ones. */
export function asApiWork<T>(work: () => Promise<T>, app?: string): Promise<T> {
  return current.run({ kind: 'api', ...(app !== undefined && { app }) }, work);
}

/** Runs `work` as background work, whatever started it (delivery a request set off). */
export function asBackgroundWork<T>(work: () => Promise<T>): Promise<T> {
  return current.run({ kind: 'background' }, work);
}

export function workKind(): WorkKind {
  return current.getStore()?.kind ?? 'background';
}

/** What the pool has done, per kind of work: round trips, and how long they waited for a slot. */
export interface PoolStats {
  readonly roundTrips: Record<WorkKind, number>;
  readonly waitedMs: Record<WorkKind, number>;
  readonly maxWaiting: number;
}

/** Waiting round trips, in order per app, taken app by app in turn. */
class FairQueue {
  readonly #byApp = new Map<string, (() => void)[]>();
  #size = 0;

  get size(): number {
    return this.#size;
  }

  push(app: string, wake: () => void): void {
    const queue = this.#byApp.get(app);
    if (queue) queue.push(wake);
    else this.#byApp.set(app, [wake]);
    this.#size++;
  }

  /** The first waiter of the app whose turn it is; that app then goes to the back of the turn. */
  shift(): (() => void) | undefined {
    for (const [app, queue] of this.#byApp) {
      const wake = queue.shift();
      this.#byApp.delete(app);
      if (queue.length > 0) this.#byApp.set(app, queue);
      if (wake) {
        this.#size--;
        return wake;
      }
    }
    return undefined;
  }
}

export class StoragePool {
  readonly #active: Record<WorkKind, number> = { api: 0, background: 0 };
  readonly #waiting: Record<WorkKind, FairQueue> = { api: new FairQueue(), background: new FairQueue() };
  #stats = { roundTrips: { api: 0, background: 0 }, waitedMs: { api: 0, background: 0 }, maxWaiting: 0 };
  /** Each app's last API round trip ('' for requests of no app: the emulator's, the console's). */
  readonly #lastSeen = new Map<string, number>();
  #countedAt = Number.NEGATIVE_INFINITY;
  #shared = false;

  /** `limits`: round trips each kind of work may have in flight at once (0: unbounded). */
  constructor(
    readonly limits: Readonly<Record<WorkKind, number>>,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether more than one app has used the instance lately, which is when requests are bounded. */
  get shared(): boolean {
    return this.#shared;
  }

  #mayStart(kind: WorkKind): boolean {
    const limit = kind === 'api' && !this.#shared ? 0 : this.limits[kind];
    return (limit === 0 || this.#active[kind] < limit) && (kind === 'api' || this.#waiting.api.size === 0);
  }

  #saw(app: string): void {
    const now = this.now();
    const known = this.#lastSeen.has(app);
    this.#lastSeen.set(app, now);
    if (known && now - this.#countedAt < RECOUNT_MS) return;
    for (const [other, at] of this.#lastSeen) if (now - at > SHARING_WINDOW_MS) this.#lastSeen.delete(other);
    this.#shared = this.#lastSeen.size > 1;
    this.#countedAt = now;
  }

  /** Waits for a slot; resolves with its release. */
  async acquire(work: Work = current.getStore() ?? { kind: 'background' }): Promise<() => void> {
    const { kind } = work;
    const started = performance.now();
    this.#stats.roundTrips[kind]++;
    if (kind === 'api') this.#saw(work.app ?? '');
    if (this.#waiting[kind].size > 0 || !this.#mayStart(kind)) {
      // #handOn counts the slot as this one's when it wakes it, so nothing can overtake it.
      await new Promise<void>((resolve) => {
        this.#waiting[kind].push(work.app ?? '', resolve);
        this.#stats.maxWaiting = Math.max(this.#stats.maxWaiting, this.#waiting.api.size + this.#waiting.background.size);
      });
    } else {
      this.#active[kind]++;
    }
    this.#stats.waitedMs[kind] += performance.now() - started;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#active[kind]--;
      this.#handOn();
    };
  }

  /** Slots came free: waiting API work takes them first, then background work. */
  #handOn(): void {
    for (const kind of ['api', 'background'] as const) {
      while (this.#waiting[kind].size > 0 && this.#mayStart(kind)) {
        this.#active[kind]++;
        this.#waiting[kind].shift()?.();
      }
    }
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
    const stats = this.#stats;
    this.#stats = { roundTrips: { api: 0, background: 0 }, waitedMs: { api: 0, background: 0 }, maxWaiting: 0 };
    return stats;
  }

  /** As an Azure SDK pipeline policy, per try: a retry's back-off is spent outside the pool. */
  policy(): PipelinePolicy {
    return { name: 'storagePool', sendRequest: (request, next) => this.run(() => next(request)) };
  }
}
