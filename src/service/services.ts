import type { TokenVerifier } from '../auth/tokens';
import type { Config } from '../config';
import type { Circuits } from '../notify/circuit';
import type { CallReader } from '../store/call-reader';
import type { CallStore } from '../store/call-store';
import type { DeliveryLogStore } from '../store/delivery-log';
import type { DeadLetterStore } from '../store/dead-letters';
import type { FaultStore } from '../store/fault-profiles';
import type { StoragePool } from '../store/storage-pool';
import type { FairGate } from '../store/fair-gate';
import type { ProcessMetrics } from './metrics';
import type { MeetingStore } from '../store/meeting-store';
import type { OutboxStore } from '../store/outbox-store';
import type { MessageQueue } from '../store/message-queue';
import type { SweepQueries } from '../store/sweep-queries';
import type { ClockMessage, DrainMessage } from './queue-messages';
import type { OwnerStore } from '../store/storage-owner';
import type { RecipientLoad } from '../notify/recipients';
import type { NotificationTokens } from '../notify/notification-tokens';
import type { KeyedMutex } from '../store/keyed-mutex';
import type { CallCounts } from './quotas';

/**
 * What every handler works with: ports, built by the composition root (src/app/services.ts) once
 * per process, or afresh by a test.
 */
export interface Services {
  readonly config: Config;
  /** The calls: load, submit, and the rows this instance remembers (store/call-store.ts, store/remembered-calls.ts). */
  readonly calls: CallStore;
  /** This process's changes to one call, one at a time (commit.ts), and its drains of one call's outbox (notify/drain.ts). */
  readonly callLocks: KeyedMutex;
  readonly drainLocks: KeyedMutex;
  /** This process's deliveries per recipient, and which answer promptly (notify/recipients.ts). */
  readonly recipients: RecipientLoad;
  /** This process's count of each app's calls not ended, for its quota (quotas.ts). */
  readonly callCounts: CallCounts;
  /** The console event streams this process serves now (api/console-events.ts). */
  readonly consoleStreams: { open: number };
  /** The device-quality reports this process took (logTeleconferenceDeviceQuality), newest last, for the console; bounded. */
  readonly deviceQuality: { readonly appId: string; readonly at: number; readonly quality: Readonly<Record<string, unknown>> }[];
  /** The console's reads: calls listed, one call's rows (store/call-reader.ts). */
  readonly reader: CallReader;
  readonly outbox: OutboxStore;
  /** The sweeper's scans and deletions (service/sweeper.ts). */
  readonly sweeps: SweepQueries;
  /** Which kind of service owns this storage (store/storage-owner.ts). */
  readonly owner: OwnerStore;
  readonly deadLetters: DeadLetterStore;
  readonly deliveryLog: DeliveryLogStore;
  /** Fault profiles and counts (local mode: faults/profile.ts). */
  readonly faults: FaultStore;
  /** The emulator's meetings (local mode). */
  readonly meetings: MeetingStore;
  /** Recipients' circuit breakers (notify/circuit.ts). */
  readonly circuits: Circuits;
  /** Names this process as a drain-lease holder. */
  readonly instanceId: string;
  /** The process's storage pool (store/storage-pool.ts): its counters say what storage work each kind of work did. */
  readonly storagePool: StoragePool;
  /** The Graph requests this process handles at once while apps share it, waiting ones app by app (store/fair-gate.ts). */
  readonly requestGate: FairGate;
  /** Event-loop delay and signing time, for the benchmarks (service/metrics.ts). */
  readonly metrics: ProcessMetrics;
  /** The bearer tokens of notification POSTs, each reused for a while per recipient (notify/notification-tokens.ts). */
  readonly notificationTokens: NotificationTokens;
  readonly mediaClock: MessageQueue<ClockMessage>;
  readonly notifications: MessageQueue<DrainMessage>;
  /** The slow delivery lane: recipients in trouble (notify/recipients.ts). */
  readonly slowLane: MessageQueue<DrainMessage>;
  readonly verifier: TokenVerifier;
  /** Delivery as the write path asks for it; notify/ provides it, so service/ never imports notify/. */
  readonly delivery: DeliveryPort;
  readonly now: () => number;
}

export interface DeliveryPort {
  /**
   * A change to the call committed notifications and its queue message is sent: deliver them now
   * if this instance can (the message stays the guarantee). Never throws, never waits.
   */
  committed(s: Services, callId: string, appId: string, callbackUri: string): void;
}
