import { entraVerifier } from '../auth/entra';
import { localVerifier } from '../auth/tokens';
import { rememberingVerifier } from '../auth/verified-tokens';
import { config, STORAGE_CONNECTION, type Config } from '../config';
import { newId } from '../graph/ids';
import { Circuits } from '../notify/circuit';
import { eagerDelivery } from '../notify/eager';
import type { Services } from '../service/services';
import { CallReader } from '../store/call-reader';
import { CallStore } from '../store/call-store';
import { CircuitStore } from '../store/circuits';
import { storageAccount, type StorageAccount } from '../store/connection';
import { DeadLetterStore } from '../store/dead-letters';
import { DeliveryLogStore } from '../store/delivery-log';
import { FaultStore } from '../store/fault-profiles';
import { MeetingStore } from '../store/meeting-store';
import { MessageQueue } from '../store/message-queue';
import { StoragePool } from '../store/storage-pool';
import { FairGate } from '../store/fair-gate';
import { OutboxStore } from '../store/outbox-store';
import { OwnerStore } from '../store/storage-owner';
import { SweepQueries } from '../store/sweep-queries';
import { RecipientLoad } from '../notify/recipients';
import { KeyedMutex } from '../store/keyed-mutex';
import { CallCounts } from '../service/quotas';
import { ProcessMetrics } from '../service/metrics';
import { NotificationTokens } from '../notify/notification-tokens';

// The composition root: the one place that builds the service's parts from the configuration and
// holds what this process keeps (its Services, its storage account). Everything below receives
// Services; a test builds a fresh set with createServices.

/** Every port of the service, on one storage account. */
export function createServices(cfg: Config, storage?: StorageAccount, pool = new StoragePool(cfg.backgroundStorageConcurrency)): Services {
  const account = storage ?? storageAccount(STORAGE_CONNECTION, cfg.env, pool);
  const table = account.table(cfg.tableName);
  const metrics = new ProcessMetrics();
  return {
    config: cfg,
    calls: new CallStore(table, { keepHistory: cfg.mode === 'local' }),
    callLocks: new KeyedMutex(),
    drainLocks: new KeyedMutex(),
    recipients: new RecipientLoad(),
    callCounts: new CallCounts(),
    consoleStreams: { open: 0 },
    deviceQuality: [],
    reader: new CallReader(table),
    outbox: new OutboxStore(table),
    sweeps: new SweepQueries(table),
    owner: new OwnerStore(table),
    deadLetters: new DeadLetterStore(table),
    deliveryLog: new DeliveryLogStore(table),
    faults: new FaultStore(table),
    meetings: new MeetingStore(table),
    circuits: new Circuits(new CircuitStore(table), {
      probeMs: cfg.delivery.probeIntervalMs,
      // Never longer between probes than between a notification's own retries.
      maxProbeMs: Math.max(cfg.delivery.probeIntervalMs, Math.min(60_000, cfg.delivery.retryMaxDelayMs)),
      claimMs: cfg.delivery.timeoutMs + 1000,
    }),
    instanceId: newId(),
    storagePool: pool,
    requestGate: new FairGate(cfg.requestConcurrency),
    metrics,
    notificationTokens: new NotificationTokens((ms) => metrics.signed(ms)),
    mediaClock: new MessageQueue(account.queue(cfg.queues.mediaClock), pool),
    notifications: new MessageQueue(account.queue(cfg.queues.notifications), pool),
    slowLane: new MessageQueue(account.queue(cfg.queues.slowLane), pool),
    verifier: rememberingVerifier(cfg.mode === 'local' ? localVerifier(cfg.localKeysFile) : entraVerifier(cfg.entra)),
    delivery: eagerDelivery(),
    now: () => Date.now(),
  };
}

let appPool: StoragePool | undefined;
let appAccount: StorageAccount | undefined;
let instance: Services | undefined;

/** This process's one storage pool: every round trip to the app's storage account goes through it. */
function appStoragePool(): StoragePool {
  appPool ??= new StoragePool(config().backgroundStorageConcurrency);
  return appPool;
}

/** The app's own storage account (the `CallsStorage` connection), created on first use. */
export function appStorage(): StorageAccount {
  appAccount ??= storageAccount(STORAGE_CONNECTION, config().env, appStoragePool());
  return appAccount;
}

/** This process's services, built on first use from its configuration. */
export function services(): Services {
  instance ??= createServices(config(), appStorage(), appStoragePool());
  return instance;
}

/** A queue or timer handler given this process's services, as the Functions runtime calls it. */
export function withServices<A extends unknown[], R>(handler: (s: Services, ...args: A) => R): (...args: A) => R {
  return (...args) => handler(services(), ...args);
}
