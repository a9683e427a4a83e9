import { describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually';
import { partition, promptBody } from '../support/graph';
import { startService } from '../support/service';
import { summary, testBot } from '../support/bot';

const FAST_SWEEP = { SWEEP_SCHEDULE: '* * * * * *', SWEEP_AFTER_MS: '1000', PROMPT_DURATION_MS: '500' };
const QUEUE_FUNCTIONS_OFF = { 'AzureWebJobs.mediaClock.Disabled': 'true', 'AzureWebJobs.notifications.Disabled': 'true', 'AzureWebJobs.sweeper.Disabled': 'true' };

describe('the sweeper', () => {
  it('recovers work whose queue messages were lost: the call establishes, the prompt ends, the bot hears everything', async () => {
    // First instance: commits, but its queue functions are off, and then every message is lost.
    const first = await startService({ deliver: true, env: { ...FAST_SWEEP, ...QUEUE_FUNCTIONS_OFF } });
    const bot = await testBot(first.host.url);
    let second: Awaited<ReturnType<typeof startService>> | undefined;
    try {
      const callId = (await first.client.createCall({ callbackUri: bot.callbackUri }))['id'] as string;
      await first.client.action(callId, 'playPrompt', promptBody('lost'));
      await first.host.stop();
      for (const queue of [first.settings['MEDIA_CLOCK_QUEUE'], first.settings['NOTIFICATIONS_QUEUE']]) {
        await first.account.queue(queue ?? '').clearMessages();
      }

      // Second instance, everything on: only the sweeper knows there is work.
      const settings = Object.fromEntries(Object.entries(first.settings).filter(([k]) => !(k in QUEUE_FUNCTIONS_OFF)));
      // On the same port: the bot fetches the service's signing keys from where it first found them.
      second = await startService({ reuse: settings, port: first.host.port });
      const notes = await bot.waitFor(3, (n) => bot.of(callId).includes(n), 20_000);
      expect(notes.map(summary)).toEqual(['call:establishing', 'call:established', 'playPromptOperation:completed:lost']);
    } finally {
      await second?.host.stop();
      await bot.close();
    }
  });

  it('deletes a call once it has ended, its notifications are delivered and the retention has passed', async () => {
    const svc = await startService({ deliver: true, env: { ...FAST_SWEEP, CALL_RETENTION_MS: '1000' } });
    const bot = await testBot(svc.host.url);
    try {
      const kept = (await svc.client.establishedCall({ callbackUri: bot.callbackUri }))['id'] as string;
      const ended = (await svc.client.establishedCall({ callbackUri: bot.callbackUri }))['id'] as string;
      await svc.client.action(ended, 'playPrompt', promptBody());
      expect((await svc.client.send('DELETE', `/${ended}`)).status).toBe(204);
      await bot.waitFor(1, (n) => bot.of(ended).includes(n) && summary(n) === 'call:terminated');
      await eventually(async () => expect((await svc.client.send('GET', `/${ended}`)).status).toBe(404), 15_000);
      expect((await partition(svc.table, ended)).rows).toEqual([]);
      expect((await svc.client.send('GET', `/${kept}`)).status).toBe(200);
    } finally {
      await svc.host.stop();
      await bot.close();
    }
  });
});
