import type { QueueClient } from '@azure/storage-queue';
import type { StoragePool } from './storage-pool';

/**
 * A queue of small JSON messages (ids, never payloads). Messages are base64-encoded because the
 * Functions host decodes queue messages as base64 (host.json messageEncoding).
 */
export class MessageQueue<T> {
  /** `pool`: the process's storage pool; the queue SDK takes no pipeline policy, so sends go through it here. */
  constructor(
    readonly client: QueueClient,
    private readonly pool?: StoragePool,
  ) {}

  /** Sends a message that becomes visible after `delaySeconds` (whole seconds, as the service counts). */
  async send(message: T, delaySeconds = 0): Promise<void> {
    const text = Buffer.from(JSON.stringify(message), 'utf8').toString('base64');
    const send = () => this.client.sendMessage(text, { visibilityTimeout: Math.max(0, Math.ceil(delaySeconds)) });
    await (this.pool ? this.pool.run(send) : send());
  }
}
