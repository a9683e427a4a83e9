import type { QueueClient } from '@azure/storage-queue';

/**
 * A queue of small JSON messages (ids, never payloads). Messages are base64-encoded because the
 * Functions host decodes queue messages as base64 (host.json messageEncoding).
 */
export class MessageQueue<T> {
  constructor(readonly client: QueueClient) {}

  /** Sends a message that becomes visible after `delaySeconds` (whole seconds, as the service counts). */
  async send(message: T, delaySeconds = 0): Promise<void> {
    const text = Buffer.from(JSON.stringify(message), 'utf8').toString('base64');
    await this.client.sendMessage(text, { visibilityTimeout: Math.max(0, Math.ceil(delaySeconds)) });
  }
}
