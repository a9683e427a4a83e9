import { describe, expect, it } from 'vitest';
import { createOutgoingCall, hangUp } from '../../../src/calls/lifecycle';
import type { Call, CallChange } from '../../../src/calls/model';
import { loadConfig } from '../../../src/config';
import { renderNotifications } from '../../../src/graph/notifications';
import { drainOutbox } from '../../../src/notify/drain';
import { sweep } from '../../../src/service/sweeper';
import { domainContext } from '../../../src/service/commit';
import { createServices } from '../../../src/app/services';
import type { Services } from '../../../src/service/services';
import { storageAccount } from '../../../src/store/connection';
import { outboxRowKey } from '../../../src/store/table-schema';
import { testBot } from '../../support/bot';
import { APP, TENANT } from '../../support/graph';
import { startHostProcess } from '../../support/host-process';
import { isolatedSettings, provisioned } from '../../support/storage';

/** The service's own pieces, in this process, on a table and queues of their own, with a clock the test sets. */
async function services(): Promise<{ s: Services; setNow(ms: number): void; settings: Record<string, string> }> {
  const settings = isolatedSettings();
  await provisioned(settings);
  let now = Date.now();
  const base = createServices(loadConfig(settings), storageAccount('CallsStorage', settings));
  return { s: { ...base, now: () => now }, setNow: (ms) => (now = ms), settings };
}

/** A call committed the way the API commits one; `baseUrl` becomes its notifications' issuer. */
async function newCall(s: Services, callbackUri: string, baseUrl = 'http://127.0.0.1:1') {
  const change = createOutgoingCall(
    { id: crypto.randomUUID(), owner: { tenantId: TENANT, appId: APP }, callbackUri, family: 'communications', apiVersion: 'v1.0', mediaHosting: 'service', baseUrl, resource: {} },
    domainContext(s),
  );
  const notifications = renderNotifications(change.call, change.events, 'docs');
  await s.calls.submit({ change, notifications, loaded: undefined, changeId: crypto.randomUUID(), now: s.now() });
  return change.call;
}

/** Stores a change without notifications or queue messages, so only what the test arranges is pending. */
async function storeQuietly(s: Services, callId: string, decide: (call: Call) => CallChange<unknown> | undefined) {
  const loaded = await s.calls.load(callId);
  const change = loaded && decide(loaded.record.call);
  if (!change) throw new Error('nothing to store');
  expect(await s.calls.submit({ change, notifications: [], loaded, changeId: crypto.randomUUID(), now: s.now() })).toBe('committed');
}

async function queued(s: Services): Promise<number> {
  return (await s.notifications.client.getProperties()).approximateMessagesCount ?? 0;
}

describe('the drain, with clocks that disagree', () => {
  it('delivers a row never tried even when its time, written by a faster clock, is still ahead', async () => {
    const { s } = await services();
    // A host only to publish the signing keys the bot checks tokens against (they are the same locally).
    const keys = await startHostProcess({ env: { ...isolatedSettings(), SWEEP_SCHEDULE: '0 0 0 1 1 *' } });
    const bot = await testBot(keys.url);
    try {
      const call = await newCall(s, bot.callbackUri, keys.url);
      await s.calls.table.updateEntity({ partitionKey: call.id, rowKey: outboxRowKey(0), nextAttemptAt: s.now() + 5000 }, 'Merge');
      await drainOutbox(s, call.id);
      expect(bot.received).toHaveLength(1);
    } finally {
      await bot.close();
      await keys.stop();
    }
  });

  it('leaves a retry that is far off to its own wake-up, and wakes one that is near', async () => {
    const { s } = await services();
    const call = await newCall(s, 'http://127.0.0.1:9/nobody');
    const row = { partitionKey: call.id, rowKey: outboxRowKey(0) };
    await s.calls.table.updateEntity({ ...row, attempts: 1, nextAttemptAt: s.now() + 60_000 }, 'Merge');
    await drainOutbox(s, call.id);
    expect(await queued(s)).toBe(0);
    await s.calls.table.updateEntity({ ...row, nextAttemptAt: s.now() + 2000 }, 'Merge');
    await drainOutbox(s, call.id);
    expect(await queued(s)).toBe(1);
  });
});

describe('the sweeper deleting ended calls', () => {
  it('keeps a call while a dead letter of it is younger than the retention, then deletes both', async () => {
    const { s, setNow } = await services();
    const start = Date.now();
    const call = await newCall(s, 'http://127.0.0.1:9/nobody');
    await storeQuietly(s, call.id, (current) => hangUp(current, 'bot', domainContext(s)));
    const { row } = (await s.outbox.pending(call.id))[0] ?? { row: undefined };
    if (!row) throw new Error('no outbox row');
    await s.deadLetters.bury(row, 0, row.notifications.length, { reason: 'test', lastError: 'HTTP 500', attempts: 3, now: start + 10 * 3_600_000 });
    await s.calls.table.deleteEntity(row.callId, outboxRowKey(row.seq));

    setNow(start + 25 * 3_600_000); // the call ended 25 h ago, the letter died 15 h ago
    expect((await sweep(s)).deleted).toBe(0);
    expect(await s.calls.load(call.id)).toBeDefined();

    setNow(start + 35 * 3_600_000); // now the letter is 25 h old too
    expect((await sweep(s)).deleted).toBe(1);
    expect(await s.calls.load(call.id)).toBeUndefined();
    expect(await s.deadLetters.ofCall(call.id)).toEqual([]);
  });

  it('steps back when something committed to the call since it looked (a replay)', async () => {
    const { s, setNow } = await services();
    const call = await newCall(s, 'http://127.0.0.1:9/nobody');
    await storeQuietly(s, call.id, (current) => hangUp(current, 'bot', domainContext(s)));
    for (const { row } of await s.outbox.pending(call.id)) await s.calls.table.deleteEntity(row.callId, outboxRowKey(row.seq));
    setNow(Date.now() + 25 * 3_600_000);

    // A writer commits between the sweeper's look and its mark: the table's ETag makes the mark fail.
    const table = s.calls.table;
    const realUpdate = table.updateEntity.bind(table);
    let interleaved = false;
    table.updateEntity = (async (...args: Parameters<typeof realUpdate>) => {
      if (!interleaved && (args[0] as { deleting?: boolean }).deleting) {
        interleaved = true;
        await storeQuietly(s, call.id, (current) => ({ call: current, created: [], patches: [], events: [], result: undefined }));
      }
      return realUpdate(...args);
    }) as typeof table.updateEntity;
    expect((await sweep(s)).deleted).toBe(0);
    expect(await s.calls.load(call.id)).toBeDefined();
    expect((await sweep(s)).deleted).toBe(1);
  });
});
