import { describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually';
import { partition, promptBody } from '../support/graph';
import { startService } from '../support/service';
import { restartablePort } from '../../tools/ports';
import { summary, testBot } from '../support/bot';

describe('a host killed with SIGKILL mid-queue, mid-delivery', () => {
  it('is replaced by a new one that carries the queue on and delivers every notification', async () => {
    let healthy = false;
    const env = {
      PROMPT_DURATION_MS: '500',
      NOTIFICATION_TIMEOUT_MS: '1000',
      NOTIFICATION_RETRY_BASE_MS: '200',
      NOTIFICATION_RETRY_MAX_DELAY_MS: '1000',
      SWEEP_SCHEDULE: '* * * * * *',
      SWEEP_AFTER_MS: '2000',
    };
    // On a port outside the ephemeral range, so nothing else takes it while the host is down.
    const first = await startService({ deliver: true, env, port: await restartablePort() });
    // Until the crash the bot hangs, so notifications are committed but not delivered.
    const bot = await testBot(first.host.url, { reply: () => (healthy ? { status: 202 } : { status: 202, delayMs: 1500 }) });
    let second: Awaited<ReturnType<typeof startService>> | undefined;
    try {
      const callId = (await first.client.createCall({ callbackUri: bot.callbackUri }))['id'] as string;
      const ops: string[] = [];
      for (const name of ['p1', 'p2', 'p3', 'p4']) ops.push((await first.client.action(callId, 'playPrompt', promptBody(name))).json['id']);
      await eventually(async () => expect((await first.client.operation(callId, ops[0] ?? '')).json['status']).toBe('completed'));

      // Work is in flight at the kill: prompts queued or playing, notifications waiting for the bot.
      const atKill = await partition(first.table, callId);
      expect(atKill.operations.filter((op) => op.status !== 'completed').length).toBeGreaterThan(0);
      expect(atKill.outbox.length).toBeGreaterThan(0);
      first.host.child.kill('SIGKILL');
      expect(await first.host.stop()).toBeNull();
      healthy = true;
      second = await startService({ reuse: first.settings, port: first.host.port });

      // Every operation finishes: none stuck running.
      await eventually(async () => {
        const { operations } = await partition(second?.table ?? first.table, callId);
        expect(operations.map((op) => op.status)).toEqual(['completed', 'completed', 'completed', 'completed']);
      }, 30_000);

      // Every notification arrives, in order of first arrival (repeats share their id).
      const expected = ['call:establishing', 'call:established', 'playPromptOperation:completed:p1', 'playPromptOperation:completed:p2', 'playPromptOperation:completed:p3', 'playPromptOperation:completed:p4'];
      await eventually(() => {
        const firsts = new Map<string, string>();
        for (const n of bot.of(callId)) if (!firsts.has(n.id)) firsts.set(n.id, summary(n));
        expect([...firsts.values()]).toEqual(expected);
      }, 30_000);
    } finally {
      await second?.host.stop();
      await bot.close();
    }
  });
});
