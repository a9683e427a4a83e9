import { CALL_ROW, OUTBOX_PREFIX } from '../store/rows';
import type { Services } from '../service/services';

/** Table numbers are doubles; a double literal compares with them on every storage implementation. */
const double = (n: number) => `${Math.floor(n)}.0`;

/**
 * The safety net behind the queues, and the janitor. A crash between a commit and its queue send,
 * or a lost queue message, leaves work that nothing will wake: outbox rows nobody is draining, call
 * timers nobody will fire. The sweeper (a timer trigger) finds what has waited longer than
 * SWEEP_AFTER_MS and sends the messages again; both handlers treat a repeat as a no-op, so
 * re-sending is always safe. It also deletes calls that ended more than CALL_RETENTION_MS ago once
 * their notifications are delivered, which keeps the table (and these scans, which read across
 * partitions) to recent calls.
 */
export async function sweep(s: Services): Promise<{ drains: number; timers: number; deleted: number }> {
  const table = s.store.table;
  const threshold = s.now() - s.config.sweepAfterMs;

  const stranded = new Set<string>();
  const outboxFilter = `RowKey ge '${OUTBOX_PREFIX}' and RowKey lt '${OUTBOX_PREFIX.slice(0, -1)}}' and nextAttemptAt le ${double(threshold)}`;
  for await (const e of table.listEntities({ queryOptions: { filter: outboxFilter, select: ['PartitionKey'] } })) stranded.add(String(e.partitionKey));
  for (const callId of stranded) await s.notifications.send({ callId });

  let timers = 0;
  const timerFilter = `RowKey eq '${CALL_ROW}' and timerDueAt le ${double(threshold)}`;
  for await (const e of table.listEntities({ queryOptions: { filter: timerFilter, select: ['PartitionKey', 'timerToken'] } })) {
    if (typeof e['timerToken'] !== 'string') continue;
    await s.mediaClock.send({ callId: String(e.partitionKey), token: e['timerToken'] });
    timers++;
  }

  let deleted = 0;
  const endedBefore = s.now() - s.config.callRetentionMs;
  const endedFilter = `RowKey eq '${CALL_ROW}' and state eq 'terminated' and endedAt le ${double(endedBefore)}`;
  for await (const e of table.listEntities({ queryOptions: { filter: endedFilter, select: ['PartitionKey'] } })) {
    const callId = String(e.partitionKey);
    if (stranded.has(callId)) continue; // still delivering its last notifications
    if (await deletePartition(table, callId)) deleted++;
  }
  return { drains: stranded.size, timers, deleted };
}

/** Deletes every row of a call, unless notifications are still waiting in its outbox. */
async function deletePartition(table: Services['store']['table'], callId: string): Promise<boolean> {
  const keys: string[] = [];
  for await (const e of table.listEntities({ queryOptions: { filter: `PartitionKey eq '${callId}'`, select: ['RowKey'] } })) {
    keys.push(String(e.rowKey));
  }
  if (keys.some((k) => k.startsWith(OUTBOX_PREFIX))) return false;
  // The call row goes last, so a sweep that stops halfway finds the call again next time.
  const ordered = [...keys.filter((k) => k !== CALL_ROW), ...keys.filter((k) => k === CALL_ROW)];
  for (let i = 0; i < ordered.length; i += 100) {
    await table.submitTransaction(ordered.slice(i, i + 100).map((rowKey) => ['delete', { partitionKey: callId, rowKey }]));
  }
  return true;
}
