import { randomBytes } from 'node:crypto';
import { entraVerifier } from '../auth/entra';
import { localVerifier, type TokenVerifier } from '../auth/tokens';
import type { DomainContext } from '../calls/draft';
import type { Call } from '../calls/model';
import { config, type Config } from '../config';
import { newId } from '../graph/ids';
import { CallStore } from '../store/call-store';
import { DeadLetterStore } from '../store/dead-letters';
import { OutboxStore } from '../store/outbox-store';
import { appStorage, type StorageAccount } from '../store/connection';
import { MessageQueue } from '../store/message-queue';

/**
 * A media-clock message: wake call `callId` if its timer still carries `token`. `version` is the
 * call version that set the timer and `sentAt` when it was sent, so a message that arrives before
 * its own commit is visible can wait for it rather than be taken for an old one.
 */
export interface ClockMessage {
  readonly callId: string;
  readonly token: string;
  readonly version?: number;
  readonly sentAt?: number;
  /** How many times it has waited for its commit. */
  readonly waited?: number;
}

/** A notifications message: deliver what is in call `callId`'s outbox. */
export interface DrainMessage {
  readonly callId: string;
}

/** Everything a handler needs, built once per process from the configuration. */
export interface Services {
  readonly config: Config;
  readonly store: CallStore;
  readonly outbox: OutboxStore;
  readonly deadLetters: DeadLetterStore;
  /** Names this process as a drain-lease holder. */
  readonly instanceId: string;
  readonly mediaClock: MessageQueue<ClockMessage>;
  readonly notifications: MessageQueue<DrainMessage>;
  readonly verifier: TokenVerifier;
  readonly now: () => number;
}

export function createServices(cfg: Config, storage: StorageAccount = appStorage()): Services {
  const table = storage.table(cfg.tableName);
  return {
    config: cfg,
    store: new CallStore(table),
    outbox: new OutboxStore(table),
    deadLetters: new DeadLetterStore(table),
    instanceId: newId(),
    mediaClock: new MessageQueue(storage.queue(cfg.queues.mediaClock)),
    notifications: new MessageQueue(storage.queue(cfg.queues.notifications)),
    verifier: cfg.mode === 'local' ? localVerifier(cfg.localKeysFile) : entraVerifier(cfg.entra),
    now: () => Date.now(),
  };
}

let instance: Services | undefined;

export function services(): Services {
  instance ??= createServices(config());
  return instance;
}

/** Where recordings are served from, relative to the service's base URL. */
export function recordingPath(callId: string, operationId: string): string {
  return `/recordings/${callId}/${operationId}`;
}

/** The inputs of one domain decision, at the current time. */
export function domainContext(s: Services): DomainContext {
  return {
    now: s.now(),
    timing: s.config.timing,
    newId,
    recording: (call: Call, operationId: string) => ({
      location: `${call.baseUrl}${recordingPath(call.id, operationId)}`,
      accessToken: randomBytes(32).toString('base64url'),
    }),
  };
}
