import { describe, expect, it } from 'vitest';
import { createOutgoingCall, hangUp } from '../../../src/calls/lifecycle';
import { loadConfig } from '../../../src/config';
import { renderNotifications } from '../../../src/graph/notifications';
import { drainOutbox } from '../../../src/notify/drain';
import { sweep } from '../../../src/service/sweeper';
import { domainContext } from '../../../src/service/commit';
import { createServices } from '../../../src/app/services';
import type { Services } from '../../../src/service/services';
import { storageAccount } from '../../../src/store/connection';
import { notificationId } from '../../../src/store/notification-id';
import { DELIVERY_LOG_LIMIT } from '../../../src/store/table-schema';
import { testBot, type TestBot } from '../../support/bot';
import { APP, partition, TENANT } from '../../support/graph';
import { startHostProcess, type HostProcess } from '../../support/host-process';
import { isolatedSettings, provisioned } from '../../support/storage';

/** The service's pieces in this process, with a clock the test sets, and a host only to publish the signing keys bots check. */
async function services(): Promise<{ s: Services; setNow(ms: number): void; keys: HostProcess }> {
  const settings = { ...isolatedSettings(), NOTIFICATION_RETRY_BASE_MS: '1000', NOTIFICATION_TIMEOUT_MS: '2000' };
  await provisioned(settings);
  let now = Date.now();
  const base = createServices(loadConfig(settings), storageAccount('CallsStorage', settings));
  const keys = await startHostProcess({ env: { ...isolatedSettings(), SWEEP_SCHEDULE: '0 0 0 1 1 *' } });
  return { s: { ...base, now: () => now }, setNow: (ms) => (now = ms), keys };
}

/** A new call with its first notification in the outbox, plus `extra` more notifications in the same row. */
async function newCall(s: Services, callbackUri: string, baseUrl: string, extra = 0) {
  const change = createOutgoingCall(
    { id: crypto.randomUUID(), owner: { tenantId: TENANT, appId: APP }, callbackUri, family: 'communications', apiVersion: 'v1.0', mediaHosting: 'service', baseUrl, resource: {} },
    domainContext(s),
  );
  const [first] = renderNotifications(change.call, change.events, 'docs');
  const notifications = Array.from({ length: 1 + extra }, () => first as NonNullable<typeof first>);
  await s.calls.submit({ change, notifications, loaded: undefined, changeId: crypto.randomUUID(), now: s.now() });
  return change.call;
}

describe('the delivery log', () => {
  it('records each attempt: time, status or error, latency, attempt number; the sweeper deletes it with the call', async () => {
    const { s, setNow, keys } = await services();
    const bot: TestBot = await testBot(keys.url, { reply: (_, attempt) => ({ status: attempt <= 2 ? 503 : 202 }) });
    try {
      const call = await newCall(s, bot.callbackUri, keys.url);
      const start = s.now();
      for (let i = 0; i < 3; i++) {
        await drainOutbox(s, call.id);
        setNow(s.now() + 10 * 60_000); // past any retry's time
      }
      expect(bot.received).toHaveLength(1);
      const log = await s.deliveryLog.read(call.id);
      const id = notificationId(call.id, 0, 0);
      expect(log.map((e) => [e.n, e.attempt, e.outcome, e.status, e.notificationId])).toEqual([
        [0, 1, 'failed', 503, id],
        [1, 2, 'failed', 503, id],
        [2, 3, 'delivered', 202, id],
      ]);
      for (const entry of log) expect(entry).toMatchObject({ seq: 0, index: 0, callbackUri: bot.callbackUri, lane: 'fast' });
      // Each attempt at the service's clock when it was made: one per drain, ten minutes apart.
      expect(log.map((e) => e.at)).toEqual([start, start + 10 * 60_000, start + 20 * 60_000]);
      expect(log[0]?.nextAttemptAt).toBeGreaterThan(log[0]?.at ?? Infinity);
      expect(log[2]?.nextAttemptAt).toBeUndefined();

      // The sweeper deletes the log with the call.
      await hangUpQuietly(s, call.id);
      setNow(s.now() + 25 * 3_600_000);
      expect((await sweep(s)).deleted).toBe(1);
      expect((await partition(s.calls.table, call.id)).rows).toEqual([]);
    } finally {
      await bot.close();
      await keys.stop();
    }
  });

  it(`keeps only a call's last ${DELIVERY_LOG_LIMIT} entries`, async () => {
    const { s, keys } = await services();
    const bot = await testBot(keys.url);
    try {
      const call = await newCall(s, bot.callbackUri, keys.url, DELIVERY_LOG_LIMIT + 9);
      await drainOutbox(s, call.id);
      const second = await newCall(s, bot.callbackUri, keys.url);
      await drainOutbox(s, second.id);
      expect(bot.received).toHaveLength(DELIVERY_LOG_LIMIT + 11);
      const log = await s.deliveryLog.read(call.id);
      expect(log.map((e) => e.n)).toEqual(Array.from({ length: DELIVERY_LOG_LIMIT }, (_, i) => i + 10));
      expect(log.map((e) => e.index)).toEqual(Array.from({ length: DELIVERY_LOG_LIMIT }, (_, i) => i + 10));
      // Another call's log is its own.
      expect((await s.deliveryLog.read(second.id)).map((e) => e.n)).toEqual([0]);
    } finally {
      await bot.close();
      await keys.stop();
    }
  });
});

async function hangUpQuietly(s: Services, callId: string) {
  const loaded = await s.calls.load(callId);
  if (!loaded) throw new Error('no call');
  const change = hangUp(loaded.record.call, 'bot', domainContext(s));
  if (!change) throw new Error('nothing to hang up');
  expect(await s.calls.submit({ change, notifications: [], loaded, changeId: crypto.randomUUID(), now: s.now() })).toBe('committed');
}
