import type { TransactionAction } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { PROFILE_FRESHNESS_MS } from '../../src/service/active-fault-profile';
import { newId } from '../../src/graph/ids';
import { CALL_ROW, COLUMN, operationRowKey } from '../../src/store/table-schema';
import { azuriteConnectionString } from '../../tools/azurite';
import { partition, promptBody } from '../support/graph';
import { startInProcess, type InProcessApp } from '../support/in-process';
import { startStorageProxy } from '../support/storage-proxy';

let svc: InProcessApp;
let proxy: Awaited<ReturnType<typeof startStorageProxy>>;

beforeAll(async () => {
  const real = inject('storageConnectionString');
  const port = (service: string) => Number(new RegExp(`${service}Endpoint=http://127\\.0\\.0\\.1:(\\d+)`).exec(real)?.[1]);
  proxy = await startStorageProxy({ table: port('Table'), queue: port('Queue') });
  const proxied = azuriteConnectionString({ blob: port('Blob'), table: proxy.ports.table, queue: proxy.ports.queue });
  // Only the HTTP request under test touches storage: no queue is consumed.
  svc = await startInProcess({ env: { AzureWebJobsStorage: proxied, CallsStorage: proxied }, mediaClock: false });
});
afterAll(async () => {
  await svc?.stop();
  await proxy?.close();
});

/**
 * Local mode also reads the app's fault profile, at most once a second per instance (docs/faults.md);
 * deployed reads nothing. Those reads are counted on their own.
 */
const isFaultProfileRead = (path: string) => /PartitionKey='(~|%7E)faults'/i.test(decodeURIComponent(path));

/**
 * The storage requests made before `work`'s answer, and the `followUps` made after it: the queue
 * send that asks for delivery goes out once the change is committed, and the answer does not wait
 * for it.
 */
async function storageRequestsOf(work: () => Promise<unknown>, followUps = 0) {
  const counted = () => proxy.log.filter((r) => !isFaultProfileRead(r.path));
  // What an earlier request sent after its answer is not this one's: wait until storage hears nothing more.
  for (let seen = -1; seen !== proxy.log.length; ) {
    seen = proxy.log.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const from = counted().length;
  await work();
  const answered = counted().length;
  for (const until = Date.now() + 5000; counted().length < answered + followUps && Date.now() < until; ) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const shown = (requests: typeof proxy.log) => requests.map((r) => `${r.service} ${r.method} ${r.path.split('?')[0]?.replace(/'[^']*'/g, "'…'")}`);
  const all = counted();
  return { beforeAnswer: shown(all.slice(from, answered)), afterAnswer: shown(all.slice(answered)) };
}

describe('storage round trips', () => {
  it('a cancel answers after one transaction, whatever the call has done, and asks for delivery after it: the row this instance wrote last saves the read', async () => {
    const { client } = svc;
    const callId = (await client.createCall())['id'] as string;
    const expected = { beforeAnswer: ['table POST /devstoreaccount1/$batch'], afterAnswer: [`queue POST /devstoreaccount1/${svc.settings['NOTIFICATIONS_QUEUE']}/messages`] };

    await client.action(callId, 'playPrompt', promptBody());
    expect(await storageRequestsOf(() => client.action(callId, 'cancelMediaProcessing', {}), 1)).toEqual(expected);

    // 2,000 finished operations in the partition and 10 queued: the same.
    for (let i = 0; i < 2000; i += 100) {
      const rows = Array.from({ length: 100 }, (): TransactionAction => ['create', { partitionKey: callId, rowKey: operationRowKey(newId()), status: 'completed' }]);
      await svc.table.submitTransaction(rows);
    }
    for (let i = 0; i < 10; i++) await client.action(callId, 'playPrompt', promptBody(`p${i}`));
    expect(await storageRequestsOf(() => client.action(callId, 'cancelMediaProcessing', {}), 1)).toEqual(expected);
  });

  it('a participant action finds its participant on the call it changes: no read before it either', async () => {
    const { client } = svc;
    const callId = (await client.createCall())['id'] as string;
    // No media clock runs here: the call is established by hand (the next change reads it afresh).
    await svc.table.updateEntity({ partitionKey: callId, rowKey: CALL_ROW, [COLUMN.state]: 'established' }, 'Merge');
    const { value } = (await (await client.send('GET', `/${callId}/participants`)).json()) as { value: { id: string }[] };
    const other = value[1]?.id ?? '';
    expect((await client.send('POST', `/${callId}/participants/${other}/mute`, {})).status).toBe(200);
    expect(await storageRequestsOf(() => client.send('POST', `/${callId}/participants/${other}/mute`, {}), 1)).toEqual({
      beforeAnswer: ['table POST /devstoreaccount1/$batch'],
      afterAnswer: [`queue POST /devstoreaccount1/${svc.settings['NOTIFICATIONS_QUEUE']}/messages`],
    });
  });

  it('a cancel on a call another instance changed last: the refused transaction, one point read, the transaction; then the queue send', async () => {
    const { client } = svc;
    const callId = (await client.createCall())['id'] as string;
    await client.action(callId, 'playPrompt', promptBody());
    // Another writer moves the call row's ETag.
    await svc.table.updateEntity({ partitionKey: callId, rowKey: CALL_ROW }, 'Merge');
    expect(await storageRequestsOf(() => client.action(callId, 'cancelMediaProcessing', {}), 1)).toEqual({
      beforeAnswer: [
        'table POST /devstoreaccount1/$batch',
        `table GET /devstoreaccount1/${svc.settings['CALLS_TABLE']}(PartitionKey='…',RowKey='…')`,
        'table POST /devstoreaccount1/$batch',
      ],
      afterAnswer: [`queue POST /devstoreaccount1/${svc.settings['NOTIFICATIONS_QUEUE']}/messages`],
    });
  });

  it('a commit whose reply was lost is recognised as done, not made twice', async () => {
    const { client } = svc;
    const callId = (await client.createCall())['id'] as string;
    const before = (await partition(svc.table, callId)).operations.length;
    proxy.dropNextBatchReply();
    let play: Awaited<ReturnType<typeof client.action>> | undefined;
    const { beforeAnswer: requests } = await storageRequestsOf(async () => (play = await client.action(callId, 'playPrompt', promptBody('once'))));
    // The transaction reached storage and succeeded (a batch answers 202), but its reply was lost;
    // the SDK sent it again, and that second one lost to the ETag the first had moved.
    expect(proxy.droppedReplies).toEqual([202]);
    expect(requests.filter((r) => r.endsWith('/$batch'))).toHaveLength(2);
    expect(play?.res.status).toBe(200);
    const { operations } = await partition(svc.table, callId);
    expect(operations.length).toBe(before + 1);
    expect(operations.map((op) => op.id)).toContain(play?.json['id']);
  });

  it('GET of an operation is one point read', async () => {
    const { client } = svc;
    const callId = (await client.createCall())['id'] as string;
    const op = await client.action(callId, 'subscribeToTone', {});
    expect((await storageRequestsOf(() => client.operation(callId, op.json['id']))).beforeAnswer).toEqual([
      `table GET /devstoreaccount1/${svc.settings['CALLS_TABLE']}(PartitionKey='…',RowKey='…')`,
    ]);
  });

  it('reads the fault profile far less often than it answers requests', async () => {
    const { client } = svc;
    const callId = (await client.createCall())['id'] as string;
    // Past the freshness window, so the first request reads the profile again.
    await new Promise((resolve) => setTimeout(resolve, PROFILE_FRESHNESS_MS + 100));
    const from = proxy.log.length;
    const started = performance.now();
    for (let i = 0; i < 10; i++) expect((await client.send('GET', `/${callId}`)).status).toBe(200);
    const windows = Math.ceil((performance.now() - started) / PROFILE_FRESHNESS_MS);
    const reads = proxy.log.slice(from).filter((r) => isFaultProfileRead(r.path)).length;
    // At most once per freshness window the ten requests spanned (however slow the machine), and
    // fewer reads than requests.
    expect(reads).toBeGreaterThanOrEqual(1);
    expect(reads).toBeLessThanOrEqual(windows + 1);
    expect(reads).toBeLessThan(10);
  });
});
