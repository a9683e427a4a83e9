import { setTimeout as sleep } from 'node:timers/promises';
import type { DequeuedMessageItem, QueueClient } from '@azure/storage-queue';
import type { QueueSettings } from './host-config';
import { invoke, type ContextConstructor, type InFlight } from './invocation';
import type { HostLogger } from './logger';
import type { RegisteredFunction } from './registry';

/**
 * A fetched message stays invisible this long and the lease is renewed every third of it while the
 * invocation runs (the Azure host leases for 10 minutes, renewing at half). A host that dies lets
 * its messages reappear within this time.
 */
const LEASE_SECONDS = 30;
const RENEW_EVERY_MS = (LEASE_SECONDS * 1000) / 3;
/** First idle back-off step; it doubles, with jitter, up to maxPollingInterval. */
const MIN_POLL_MS = 100;

export interface QueueTriggerDeps {
  readonly queue: QueueClient;
  readonly poison: QueueClient;
  readonly settings: QueueSettings;
  readonly InvocationContext: ContextConstructor;
  readonly logger: HostLogger;
  readonly inFlight: InFlight;
}

/**
 * Polls one queue for one function the way the Azure Functions host does: batches of `batchSize`,
 * the next batch once in-flight work drops to `newBatchThreshold`, an immediate re-poll after a find
 * and randomized exponential back-off when idle. A message is deleted when its invocation succeeds,
 * made visible again after `visibilityTimeout` when it fails, and moved to `{queue}-poison` after
 * `maxDequeueCount` attempts.
 */
export class QueueListener {
  readonly #active = new Set<Promise<void>>();
  readonly #stop = new AbortController();
  readonly #stopped = new Promise<void>((resolve) => this.#stop.signal.addEventListener('abort', () => resolve(), { once: true }));
  #loop: Promise<void> | undefined;
  #lastPollError = '';

  constructor(
    private readonly fn: RegisteredFunction,
    private readonly deps: QueueTriggerDeps,
  ) {}

  start(): void {
    this.#loop = this.#run();
  }

  /** Stops fetching; invocations already running finish (the host's InFlight waits for them). */
  async stop(): Promise<void> {
    this.#stop.abort();
    await this.#loop;
  }

  async #run(): Promise<void> {
    const { settings } = this.deps;
    let idleDelay = MIN_POLL_MS;
    while (!this.#stop.signal.aborted) {
      if (this.#active.size > settings.newBatchThreshold) {
        await Promise.race([...this.#active, this.#stopped]);
        continue;
      }
      const messages = await this.#receive();
      if (messages.length > 0) {
        idleDelay = MIN_POLL_MS;
        messages.forEach((message) => this.#dispatch(message));
        continue;
      }
      const jittered = idleDelay * (0.8 + Math.random() * 0.4);
      await sleep(Math.min(jittered, settings.maxPollingIntervalMs), undefined, { signal: this.#stop.signal }).catch(() => undefined);
      idleDelay = Math.min(idleDelay * 2, settings.maxPollingIntervalMs);
    }
  }

  async #receive(): Promise<DequeuedMessageItem[]> {
    try {
      const response = await this.deps.queue.receiveMessages({
        numberOfMessages: this.deps.settings.batchSize,
        visibilityTimeout: LEASE_SECONDS,
        abortSignal: this.#stop.signal,
      });
      this.#lastPollError = '';
      return response.receivedMessageItems;
    } catch (error) {
      if (this.#stop.signal.aborted) return [];
      // A missing queue reads as empty (the host does the same); other errors are reported once each.
      const status = (error as { statusCode?: number }).statusCode;
      const message = status === 404 ? `queue '${this.deps.queue.name}' does not exist yet` : (error as Error).message;
      if (message !== this.#lastPollError) this.deps.logger.log(status === 404 ? 'debug' : 'warning', `[${this.fn.metadata.name}] polling: ${message}`);
      this.#lastPollError = message;
      return [];
    }
  }

  #dispatch(message: DequeuedMessageItem): void {
    const work = this.#process(message).finally(() => this.#active.delete(work));
    this.#active.add(work);
    void this.deps.inFlight.track(work);
  }

  async #process(message: DequeuedMessageItem): Promise<void> {
    const { settings, logger } = this.deps;
    const name = this.fn.metadata.name;
    if (message.dequeueCount > settings.maxDequeueCount) {
      // Already tried maxDequeueCount times (an earlier host died mid-invocation): do not try again.
      await this.#poison(message, message.popReceipt, 'its dequeue count is over maxDequeueCount');
      return;
    }
    const lease = new Lease(this.deps.queue, message);
    try {
      const text = decodeMessage(message.messageText, settings.messageEncoding);
      await invoke(this.fn, parseMessage(text), triggerMetadata(message, text), this.deps);
    } catch (error) {
      const popReceipt = await lease.end();
      logger.log('error', `[${name}] message ${message.messageId} failed (attempt ${message.dequeueCount} of ${settings.maxDequeueCount}): ${describe(error)}`);
      if (message.dequeueCount >= settings.maxDequeueCount) {
        await this.#poison(message, popReceipt, `it failed ${message.dequeueCount} times`);
      } else {
        await this.#settle(message, () =>
          this.deps.queue.updateMessage(message.messageId, popReceipt, undefined, Math.ceil(settings.visibilityTimeoutMs / 1000)),
        );
      }
      return;
    }
    const popReceipt = await lease.end();
    logger.log('debug', `[${name}] message ${message.messageId} done`);
    await this.#settle(message, () => this.deps.queue.deleteMessage(message.messageId, popReceipt));
  }

  async #poison(message: DequeuedMessageItem, popReceipt: string, why: string): Promise<void> {
    this.deps.logger.log('warning', `[${this.fn.metadata.name}] moving message ${message.messageId} to '${this.deps.poison.name}': ${why}`);
    await this.#settle(message, async () => {
      await this.deps.poison.createIfNotExists();
      await this.deps.poison.sendMessage(message.messageText);
      await this.deps.queue.deleteMessage(message.messageId, popReceipt);
    });
  }

  /** Delete / update / poison can fail (lost lease, storage down); the message then simply reappears. */
  async #settle(message: DequeuedMessageItem, action: () => Promise<unknown>): Promise<void> {
    try {
      await action();
    } catch (error) {
      this.deps.logger.log('warning', `[${this.fn.metadata.name}] message ${message.messageId}: ${describe(error)}`);
    }
  }
}

/** Keeps a message invisible while its invocation runs; each renewal yields a new pop receipt. */
class Lease {
  #popReceipt: string;
  #renewing: Promise<unknown> = Promise.resolve();
  readonly #timer: NodeJS.Timeout;

  constructor(
    private readonly queue: QueueClient,
    private readonly message: DequeuedMessageItem,
  ) {
    this.#popReceipt = message.popReceipt;
    this.#timer = setInterval(() => {
      this.#renewing = this.queue
        .updateMessage(this.message.messageId, this.#popReceipt, undefined, LEASE_SECONDS)
        .then((r) => (this.#popReceipt = r.popReceipt ?? this.#popReceipt))
        .catch(() => undefined); // a lost lease shows when the message is settled
    }, RENEW_EVERY_MS);
  }

  /** Stops renewing and returns the receipt that settles the message. */
  async end(): Promise<string> {
    clearInterval(this.#timer);
    await this.#renewing;
    return this.#popReceipt;
  }
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function decodeMessage(text: string, encoding: QueueSettings['messageEncoding']): string {
  if (encoding === 'none') return text;
  if (!BASE64.test(text)) throw new Error('the message is not valid base64 (host.json messageEncoding is base64)');
  return Buffer.from(text, 'base64').toString('utf8');
}

/** The worker hands a JSON message to the handler parsed, and any other text as a string. */
function parseMessage(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function triggerMetadata(message: DequeuedMessageItem, text: string): Record<string, unknown> {
  return {
    queueTrigger: text,
    id: message.messageId,
    dequeueCount: message.dequeueCount,
    insertionTime: message.insertedOn.toISOString(),
    expirationTime: message.expiresOn.toISOString(),
    nextVisibleTime: message.nextVisibleOn.toISOString(),
    popReceipt: message.popReceipt,
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
