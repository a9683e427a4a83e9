/**
 * A gate for the requests of several apps: while more than one app uses the process (has come
 * through the gate in the last SHARING_WINDOW_MS), at most `limit` are inside at once, and the rest
 * wait, served app by app in turn, each app's in order. One app's flood then queues behind itself,
 * not in front of another app's request. One app alone is not held: its requests would only wait
 * behind its own, and a bound that leaves storage idle while replies wait for the event loop costs
 * it throughput (benchmarks.md, "Under load").
 */

/** How long an app counts as using the process after its last request came through. */
export const SHARING_WINDOW_MS = 10_000;
/** How often the apps using the process are counted again (a second one is noticed at once). */
const RECOUNT_MS = 100;

/** Waiters, in order per app, taken app by app in turn. */
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

/** What the gate has done since it was last asked. */
export interface GateStats {
  readonly entered: number;
  /** Total time spent waiting to enter, in milliseconds. */
  readonly waitedMs: number;
  readonly maxWaiting: number;
}

export class FairGate {
  #inside = 0;
  readonly #waiting = new FairQueue();
  /** Each app's last entry. */
  readonly #lastSeen = new Map<string, number>();
  #countedAt = Number.NEGATIVE_INFINITY;
  #shared = false;
  #stats = { entered: 0, waitedMs: 0, maxWaiting: 0 };

  readonly #always: boolean;
  readonly #now: () => number;

  /**
   * `limit`: how many may be inside at once while apps share the process (0: never bounded);
   * `always`: hold to it whoever comes, as the storage pool does for background work.
   */
  constructor(
    readonly limit: number,
    options: { readonly always?: boolean; readonly now?: () => number } = {},
  ) {
    this.#always = options.always ?? false;
    this.#now = options.now ?? Date.now;
  }

  /** Whether more than one app has come through lately, which is when the limit holds. */
  get shared(): boolean {
    return this.#shared;
  }

  /** Waits for a turn inside; resolves with the way out. */
  async enter(app: string): Promise<() => void> {
    const started = performance.now();
    if (!this.#always) this.#saw(app);
    this.#stats.entered++;
    if (this.#waiting.size > 0 || !this.#mayEnter()) {
      // #letIn counts the place as this one's when it wakes it, so nothing can overtake it.
      await new Promise<void>((resolve) => {
        this.#waiting.push(app, resolve);
        this.#stats.maxWaiting = Math.max(this.#stats.maxWaiting, this.#waiting.size);
      });
    } else {
      this.#inside++;
    }
    this.#stats.waitedMs += performance.now() - started;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.#inside--;
      this.#letIn();
    };
  }

  async run<T>(app: string, work: () => Promise<T>): Promise<T> {
    const leave = await this.enter(app);
    try {
      return await work();
    } finally {
      leave();
    }
  }

  /** The counters since the last call, which resets them. */
  takeStats(): GateStats {
    const stats = this.#stats;
    this.#stats = { entered: 0, waitedMs: 0, maxWaiting: 0 };
    return stats;
  }

  #mayEnter(): boolean {
    return this.limit === 0 || !(this.#shared || this.#always) || this.#inside < this.limit;
  }

  #letIn(): void {
    while (this.#waiting.size > 0 && this.#mayEnter()) {
      this.#inside++;
      this.#waiting.shift()?.();
    }
  }

  #saw(app: string): void {
    const now = this.#now();
    const known = this.#lastSeen.has(app);
    this.#lastSeen.set(app, now);
    if (known && now - this.#countedAt < RECOUNT_MS) return;
    for (const [other, at] of this.#lastSeen) if (now - at > SHARING_WINDOW_MS) this.#lastSeen.delete(other);
    this.#shared = this.#lastSeen.size > 1;
    this.#countedAt = now;
  }
}
