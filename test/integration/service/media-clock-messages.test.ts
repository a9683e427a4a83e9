import { InvocationContext } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { createServices } from '../../../src/app/services';
import { loadConfig } from '../../../src/config';
import { runMediaClock } from '../../../src/service/media-clock';
import { storageAccount } from '../../../src/store/connection';
import { isolatedSettings, provisioned } from '../../support/storage';

describe('a media-clock message the handler cannot trust', () => {
  it('one that says it was sent in the future does not keep re-queuing itself for that long', async () => {
    const settings = isolatedSettings();
    const { account, config } = await provisioned(settings);
    const s = createServices(loadConfig(settings), storageAccount('CallsStorage', settings));
    // For a call that does not exist (yet, it says: its commit "is on its way"), sent a year from now.
    const message = { callId: crypto.randomUUID(), token: 't', version: 1, sentAt: Date.now() + 365 * 86_400_000 };
    await runMediaClock(s, message, new InvocationContext({ functionName: 'mediaClock' }));
    expect((await account.queue(config.queues.mediaClock).getProperties()).approximateMessagesCount).toBe(0);
  });

  it('one sent a moment ago still waits for its commit (a slow transaction), as before', async () => {
    const settings = isolatedSettings();
    const { account, config } = await provisioned(settings);
    const s = createServices(loadConfig(settings), storageAccount('CallsStorage', settings));
    await runMediaClock(s, { callId: crypto.randomUUID(), token: 't', version: 1, sentAt: Date.now() }, new InvocationContext({ functionName: 'mediaClock' }));
    expect((await account.queue(config.queues.mediaClock).getProperties()).approximateMessagesCount).toBe(1);
  });
});
