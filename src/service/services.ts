import { entraVerifier } from '../auth/entra';
import { localVerifier, type TokenVerifier } from '../auth/tokens';
import { rememberingVerifier } from '../auth/verified-tokens';
import { config, type Config } from '../config';
import { newId } from '../graph/ids';
import { Circuits } from '../notify/circuit';
import { CallStore } from '../store/call-store';
import { CircuitStore } from '../store/circuits';
import { DeliveryLogStore } from '../store/delivery-log';
import { DeadLetterStore } from '../store/dead-letters';
import { FaultStore } from '../store/fault-profiles';
import { OutboxStore } from '../store/outbox-store';
import { appStorage, type StorageAccount } from '../store/connection';
import { MessageQueue } from '../store/message-queue';
import type { ClockMessage, DrainMessage } from './queue-messages';

/** What every handler works with, built once per process from the configuration. */
export interface Services {
  readonly config: Config;
  readonly store: CallStore;
  readonly outbox: OutboxStore;
  readonly deadLetters: DeadLetterStore;
  readonly deliveryLog: DeliveryLogStore;
  /** Fault profiles and counts (local mode: faults/profile.ts). */
  readonly faults: FaultStore;
  /** Recipients' circuit breakers (notify/circuit.ts). */
  readonly circuits: Circuits;
  /** Names this process as a drain-lease holder. */
  readonly instanceId: string;
  readonly mediaClock: MessageQueue<ClockMessage>;
  readonly notifications: MessageQueue<DrainMessage>;
  /** The slow delivery lane: recipients in trouble (notify/recipients.ts). */
  readonly slowLane: MessageQueue<DrainMessage>;
  readonly verifier: TokenVerifier;
  readonly now: () => number;
}

export function createServices(cfg: Config, storage: StorageAccount = appStorage()): Services {
  const table = storage.table(cfg.tableName);
  return {
    config: cfg,
    store: new CallStore(table, { keepHistory: cfg.mode === 'local' }),
    outbox: new OutboxStore(table),
    deadLetters: new DeadLetterStore(table),
    deliveryLog: new DeliveryLogStore(table),
    faults: new FaultStore(table),
    circuits: new Circuits(new CircuitStore(table), {
      probeMs: cfg.delivery.probeIntervalMs,
      // Never longer between probes than between a notification's own retries.
      maxProbeMs: Math.max(cfg.delivery.probeIntervalMs, Math.min(60_000, cfg.delivery.retryMaxDelayMs)),
      claimMs: cfg.delivery.timeoutMs + 1000,
    }),
    instanceId: newId(),
    mediaClock: new MessageQueue(storage.queue(cfg.queues.mediaClock)),
    notifications: new MessageQueue(storage.queue(cfg.queues.notifications)),
    slowLane: new MessageQueue(storage.queue(cfg.queues.slowLane)),
    verifier: rememberingVerifier(cfg.mode === 'local' ? localVerifier(cfg.localKeysFile) : entraVerifier(cfg.entra)),
    now: () => Date.now(),
  };
}

let instance: Services | undefined;

export function services(): Services {
  instance ??= createServices(config());
  return instance;
}
