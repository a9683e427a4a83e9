import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { QueueClient } from '@azure/storage-queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storageAccount } from '../../../src/store/connection';
import { ROOT, startHostProcess, type HostProcess } from '../../support/host-process';
import { isolatedSettings } from '../../support/storage';
import { eventually } from '../../support/eventually';

const APP = path.join(ROOT, 'test/fixtures/sample-app');
const QUEUE = `work-${randomBytes(4).toString('hex')}`;
let host: HostProcess;
let queue: QueueClient;
let poison: QueueClient;

interface Received {
  message: unknown;
  metadata: { id: string; dequeueCount: number; queueTrigger: string; insertionTime: string; popReceipt: string };
}

beforeAll(async () => {
  const connection = isolatedSettings().AzureWebJobsStorage ?? '';
  const account = storageAccount('FixtureStorage', { FixtureStorage: connection });
  queue = account.queue(QUEUE);
  poison = account.queue(`${QUEUE}-poison`);
  await queue.createIfNotExists();
  host = await startHostProcess({ appRoot: APP, env: { FixtureStorage: connection, WORK_QUEUE: QUEUE, TICK_SCHEDULE: '0 0 0 1 1 *' } });
});
afterAll(async () => {
  await host?.stop();
});

const send = async (text: string) => (await queue.sendMessage(Buffer.from(text).toString('base64'))).messageId;
const received = async (): Promise<Received[]> => (await fetch(`${host.url}/api/received`)).json() as Promise<Received[]>;
const attemptsOf = async (id: string) => (await received()).filter((r) => r.metadata.id === id);

describe('local host: queue triggers', () => {
  it('decodes base64, hands JSON over parsed with trigger metadata, and deletes the message', async () => {
    const id = await send(JSON.stringify({ hello: 'world' }));
    const [first] = await eventually(async () => {
      const attempts = await attemptsOf(id);
      expect(attempts).toHaveLength(1);
      return attempts;
    });
    expect(first?.message).toEqual({ hello: 'world' });
    expect(first?.metadata).toMatchObject({ id, dequeueCount: 1, queueTrigger: '{"hello":"world"}' });
    expect(Date.parse(first?.metadata.insertionTime ?? '')).not.toBeNaN();
    await eventually(async () => expect((await queue.getProperties()).approximateMessagesCount).toBe(0));
  });

  it('hands plain text over as a string', async () => {
    const id = await send('just text');
    const [first] = await eventually(async () => {
      const attempts = await attemptsOf(id);
      expect(attempts).toHaveLength(1);
      return attempts;
    });
    expect(first?.message).toBe('just text');
  });

  it('retries a failing message up to maxDequeueCount, then moves it to {queue}-poison', async () => {
    const body = Buffer.from(JSON.stringify({ fail: true, tag: 'poisoned' })).toString('base64');
    const { messageId } = await queue.sendMessage(body);
    const attempts = await eventually(async () => {
      const list = await attemptsOf(messageId);
      expect(list).toHaveLength(3);
      return list;
    });
    expect(attempts.map((a) => a.metadata.dequeueCount)).toEqual([1, 2, 3]);
    const poisoned = await eventually(async () => {
      const peeked = await poison.peekMessages({ numberOfMessages: 32 });
      const found = peeked.peekedMessageItems.find((m) => m.messageText === body);
      expect(found).toBeDefined();
      return found;
    });
    expect(poisoned?.messageText).toBe(body);
    // The original is gone from its queue, not just invisible (the count includes invisible
    // messages), so no fourth attempt can come.
    await eventually(async () => expect((await queue.getProperties()).approximateMessagesCount).toBe(0));
    expect(await attemptsOf(messageId)).toHaveLength(3);
  });

  it('treats a message that is not base64 as a failure, so it ends in the poison queue', async () => {
    const { messageId } = await queue.sendMessage('not base64 at all!');
    await eventually(async () => {
      const peeked = await poison.peekMessages({ numberOfMessages: 32 });
      expect(peeked.peekedMessageItems.map((m) => m.messageText)).toContain('not base64 at all!');
    });
    expect(await attemptsOf(messageId)).toHaveLength(0);
  });
});
