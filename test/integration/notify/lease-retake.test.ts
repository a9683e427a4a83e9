import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancelMediaProcessing } from '../../../src/calls/media';
import { createOutgoingCall } from '../../../src/calls/lifecycle';
import type { Call, CallChange } from '../../../src/calls/model';
import { loadConfig } from '../../../src/config';
import { renderNotifications } from '../../../src/graph/notifications';
import { drainOutbox } from '../../../src/notify/drain';
import { domainContext } from '../../../src/service/commit';
import { createServices } from '../../../src/app/services';
import type { Services } from '../../../src/service/services';
import { storageAccount } from '../../../src/store/connection';
import { leaseFromEntity } from '../../../src/store/delivery-log-row';
import { KeyedMutex } from '../../../src/store/keyed-mutex';
import { OutboxStore } from '../../../src/store/outbox-store';
import { DRAIN_LEASE_ROW, outboxRowKey } from '../../../src/store/table-schema';
import { APP, TENANT } from '../../support/graph';
import { isolatedSettings, provisioned } from '../../support/storage';

/** A callback that takes every notification (202). */
let bot: { server: http.Server; url: string };
beforeAll(async () => {
  const server = http.createServer((req, res) => req.resume().on('end', () => res.writeHead(202).end()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  bot = { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback` };
});
afterAll(() => new Promise<void>((resolve) => bot.server.close(() => resolve())));

async function services(): Promise<Services> {
  const settings = isolatedSettings();
  await provisioned(settings);
  return createServices(loadConfig(settings), storageAccount('CallsStorage', settings));
}

/** Commits a change and its notifications as the API does, without asking for delivery: the test drains. */
async function commit(s: Services, callId: string | undefined, decide: (call: Call | undefined) => CallChange<unknown>): Promise<Call> {
  const loaded = callId === undefined ? undefined : await s.calls.load(callId);
  const change = decide(loaded?.record.call);
  const notifications = renderNotifications(change.call, change.events, 'docs');
  expect(await s.calls.submit({ change, notifications, loaded, changeId: crypto.randomUUID(), now: s.now() })).toBe('committed');
  return change.call;
}

async function newCall(s: Services): Promise<Call> {
  return commit(s, undefined, () =>
    createOutgoingCall(
      { id: crypto.randomUUID(), owner: { tenantId: TENANT, appId: APP }, callbackUri: bot.url, family: 'communications', apiVersion: 'v1.0', mediaHosting: 'service', baseUrl: 'http://127.0.0.1:1', resource: {} },
      domainContext(s),
    ),
  );
}

/** A change with one notification to deliver (a cancel completes at once), waiting in the outbox. */
async function notify(s: Services, call: Call): Promise<void> {
  await commit(s, call.id, (c) => cancelMediaProcessing(c as Call, { operationId: crypto.randomUUID(), all: true }, domainContext(s)));
  expect(await s.outbox.pending(call.id)).toHaveLength(1);
}

async function leaseRow(s: Services, callId: string) {
  const entity = await s.outbox.table.getEntity(callId, DRAIN_LEASE_ROW);
  return { ...leaseFromEntity(entity), etag: entity.etag };
}

/** Makes the outbox query's reply wait until the lease row is written, or fail after 2 s. */
function queryWaitsForLeaseWrite(table: TableClient): () => void {
  const { listEntities, updateEntity } = table;
  let written!: () => void;
  const leaseWritten = new Promise<void>((resolve) => (written = resolve));
  table.updateEntity = ((entity, ...rest) => {
    if (entity.rowKey === DRAIN_LEASE_ROW) written();
    return updateEntity.call(table, entity, ...rest);
  }) as typeof table.updateEntity;
  table.listEntities = ((...args) => {
    const inner = listEntities.apply(table, args);
    return {
      ...inner,
      byPage: (settings) =>
        (async function* () {
          const late = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the lease was written only after the query')), 2000).unref());
          await Promise.race([leaseWritten, late]);
          yield* inner.byPage(settings);
        })(),
    };
  }) as typeof table.listEntities;
  return () => {
    table.updateEntity = updateEntity;
    table.listEntities = listEntities;
  };
}

describe('an eager drain of a call whose lease this instance released last', () => {
  it('takes the lease back while it reads the outbox, not after, and delivers', async () => {
    const s = await services();
    const call = await newCall(s);
    await drainOutbox(s, call.id);
    await notify(s, call);
    const restore = queryWaitsForLeaseWrite(s.outbox.table);
    try {
      await drainOutbox(s, call.id, 'fast', { eager: true });
    } finally {
      restore();
    }
    expect(await s.outbox.pending(call.id)).toEqual([]);
    expect(await leaseRow(s, call.id)).toMatchObject({ holder: '', until: 0 });
  });

  it('takes it as read when another instance drained the call since, and goes on from that drain', async () => {
    const s = await services();
    const other: Services = { ...s, instanceId: 'another-instance', outbox: new OutboxStore(s.outbox.table), drainLocks: new KeyedMutex() };
    const call = await newCall(s);
    await drainOutbox(s, call.id);
    await notify(s, call);
    await drainOutbox(other, call.id);
    const theirs = await leaseRow(s, call.id);
    await notify(s, call);
    await drainOutbox(s, call.id, 'fast', { eager: true });
    expect(await s.outbox.pending(call.id)).toEqual([]);
    // The log goes on from the other instance's entries, not from this instance's older lease.
    expect(await leaseRow(s, call.id)).toMatchObject({ holder: '', until: 0, logNext: theirs.logNext + 1 });
  });

  it('gives the lease up again when another drain already delivered everything', async () => {
    const s = await services();
    const call = await newCall(s);
    await drainOutbox(s, call.id);
    const released = await leaseRow(s, call.id);
    await drainOutbox(s, call.id, 'fast', { eager: true });
    const after = await leaseRow(s, call.id);
    expect(after).toMatchObject({ holder: '', until: 0, logNext: released.logNext });
    // Taken back and given up: two writes, so the ETag moved on; and it can be taken again.
    expect(after.etag).not.toBe(released.etag);
    await notify(s, call);
    await drainOutbox(s, call.id, 'fast', { eager: true });
    expect(await s.outbox.pending(call.id)).toEqual([]);
  });

  it('gives the lease up again when the first row is not due yet, and leaves the row to its wake-up', async () => {
    const s = await services();
    const call = await newCall(s);
    await drainOutbox(s, call.id);
    await notify(s, call);
    const [waiting] = await s.outbox.pending(call.id);
    await s.outbox.table.updateEntity({ partitionKey: call.id, rowKey: outboxRowKey(waiting?.row.seq ?? 0), attempts: 1, nextAttemptAt: Date.now() + 60_000 }, 'Merge');
    await drainOutbox(s, call.id, 'fast', { eager: true });
    expect(await s.outbox.pending(call.id)).toHaveLength(1);
    expect(await leaseRow(s, call.id)).toMatchObject({ holder: '', until: 0 });
  });
});

describe('a delivery checkpoint', () => {
  it('answers the lease row’s new ETag, which the next write of the lease is conditioned on', async () => {
    const s = await services();
    const call = await newCall(s);
    const read = await s.outbox.snapshot(call.id);
    const held = { holder: 'me', until: Date.now() + 60_000, logNext: 0 };
    const taken = await s.outbox.takeLease(call.id, read.lease, held);
    // The lease's write among others: the delivered row deleted, a log entry written.
    const row = read.rows[0]?.row;
    if (!row) throw new Error('no outbox row');
    const entry = { n: 0, at: Date.now(), notificationId: row.ids[0] ?? '', seq: row.seq, index: 0, attempt: 1, callbackUri: bot.url, lane: 'fast' as const, latencyMs: 1, outcome: 'delivered' as const, status: 202 };
    const etag = await s.outbox.checkpoint(call.id, { etag: taken ?? '', lease: { ...held, logNext: 1 }, delivered: [row], log: [entry] });
    expect(etag).toBe((await leaseRow(s, call.id)).etag);
    expect(await s.outbox.pending(call.id)).toEqual([]);
  });
});
