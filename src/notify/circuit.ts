import { LRUCache } from 'lru-cache';
import type { CircuitStore, ReadCircuit } from '../store/circuits';
import type { CircuitRecord } from '../store/circuit-row';
import { RECIPIENTS_REMEMBERED } from './recipients';

/**
 * Circuit breakers per recipient (callback origin). An origin that fails FAILURE_THRESHOLD
 * deliveries in a row (timeouts, connection errors, 408, 429, 5xx) opens: its notifications wait
 * in the slow lane, and one probe at a time finds out whether it answers again, with a growing
 * pause between probes. Any answer that is not a passing fault (2xx, or a refusal) closes it. The
 * state is a table row, so every instance sees it; each instance caches what it read for a second.
 */
export interface CircuitPolicy {
  /** The first pause between probes; it doubles with each failed probe, up to maxProbeMs. */
  readonly probeMs: number;
  readonly maxProbeMs: number;
  /** How long a claimed probe keeps others off, in case its instance dies: more than one POST timeout. */
  readonly claimMs: number;
}

export const FAILURE_THRESHOLD = 3;
/** How long an instance trusts the state it read. */
const CACHE_MS = 1000;
/** Writers racing on one origin's row retry this many times; a failure not counted is harmless. */
const WRITE_ATTEMPTS = 3;

export function afterFailure(before: CircuitRecord | undefined, origin: string, error: string, now: number, policy: CircuitPolicy): CircuitRecord {
  if (before?.state === 'open') {
    const probes = (before.probes ?? 0) + 1;
    return { ...before, probes, probeAt: now + Math.min(policy.maxProbeMs, policy.probeMs * 2 ** probes), lastError: error, changedAt: now };
  }
  const failures = (before?.failures ?? 0) + 1;
  if (failures < FAILURE_THRESHOLD) return { origin, state: 'closed', failures, lastError: error, changedAt: now };
  return { origin, state: 'open', failures, openedAt: now, probes: 0, probeAt: now + policy.probeMs, lastError: error, changedAt: now };
}

/** The state after the origin answered; undefined when nothing changes. */
export function afterAnswer(before: CircuitRecord | undefined, now: number): CircuitRecord | undefined {
  if (!before || (before.state === 'closed' && before.failures === 0)) return undefined;
  return { origin: before.origin, state: 'closed', failures: 0, changedAt: now };
}

export class Circuits {
  readonly #cache = new LRUCache<string, { read: ReadCircuit | undefined; at: number }>({ max: RECIPIENTS_REMEMBERED });
  readonly #refreshing = new Set<string>();

  /** How many recipients' circuits this instance has cached. */
  get cached(): number {
    return this.#cache.size;
  }

  constructor(
    private readonly store: CircuitStore,
    private readonly policy: CircuitPolicy,
  ) {}

  /**
   * The origin's state as this instance last saw it, for the fast lane. A view older than
   * CACHE_MS is refreshed behind the delivery, which goes on with it meanwhile: reading it first
   * cost every second's first delivery to the origin a round trip. With no view yet, it is read.
   */
  async view(origin: string, now: number): Promise<CircuitRecord | undefined> {
    const cached = this.#cache.get(origin);
    if (!cached) return (await this.#read(origin, now, 0))?.record;
    if (now - cached.at >= CACHE_MS) this.#refresh(origin, now);
    return cached.read?.record;
  }

  /** The origin's state as stored now: the slow lane decides probes on it. */
  async current(origin: string, now: number): Promise<CircuitRecord | undefined> {
    return (await this.#read(origin, now, 0))?.record;
  }

  /**
   * Claims the next probe of an open origin; true when this caller may POST. The claim is a write
   * under the row's ETag, so the row as just read (by `view`) serves: a stale one only loses it.
   */
  async claimProbe(origin: string, now: number): Promise<boolean> {
    const read = await this.#read(origin, now, CACHE_MS);
    if (!read || read.record.state !== 'open') return true;
    if ((read.record.probeAt ?? 0) > now) return false;
    return (await this.#save({ ...read.record, probeAt: now + this.policy.claimMs }, read, now)) !== undefined;
  }

  /** An operator's replay says the bot works again: probe it at once rather than at its next turn. */
  async probeNow(origin: string, now: number): Promise<void> {
    await this.#change(origin, now, (before) => (before?.state === 'open' && (before.probeAt ?? 0) > now ? { ...before, probeAt: now, changedAt: now } : undefined));
  }

  async failed(origin: string, error: string, now: number): Promise<void> {
    await this.#change(origin, now, (before) => afterFailure(before, origin, error, now, this.policy));
  }

  async answered(origin: string, now: number): Promise<void> {
    // Most answers come from origins known to be fine: no storage round trip for those.
    const cached = this.#cache.get(origin);
    if (cached && now - cached.at < CACHE_MS && afterAnswer(cached.read?.record, now) === undefined) return;
    await this.#change(origin, now, (before) => afterAnswer(before, now));
  }

  async #change(origin: string, now: number, next: (before: CircuitRecord | undefined) => CircuitRecord | undefined): Promise<void> {
    for (let i = 0; i < WRITE_ATTEMPTS; i++) {
      const read = await this.#read(origin, now, 0);
      const record = next(read?.record);
      if (!record || (await this.#save(record, read, now)) !== undefined) return;
    }
  }

  async #read(origin: string, now: number, maxAgeMs: number): Promise<ReadCircuit | undefined> {
    const cached = this.#cache.get(origin);
    if (cached && now - cached.at < maxAgeMs) return cached.read;
    const read = await this.store.get(origin);
    this.#cache.set(origin, { read, at: now });
    return read;
  }

  /** Reads the origin's row into the cache, once at a time; a write this instance made meanwhile is newer and stays. */
  #refresh(origin: string, now: number): void {
    if (this.#refreshing.has(origin)) return;
    this.#refreshing.add(origin);
    void this.store
      .get(origin)
      .then((read) => {
        if ((this.#cache.get(origin)?.at ?? 0) <= now) this.#cache.set(origin, { read, at: now });
      })
      .catch(() => undefined) // the next delivery tries again
      .finally(() => this.#refreshing.delete(origin));
  }

  async #save(record: CircuitRecord, read: ReadCircuit | undefined, now: number): Promise<string | undefined> {
    const etag = await this.store.save(record, read?.etag);
    this.#cache.set(record.origin, etag === undefined ? { read, at: 0 } : { read: { record, etag }, at: now });
    return etag;
  }
}
