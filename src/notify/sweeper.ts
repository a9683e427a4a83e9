import { statusOf } from '../store/status';
import { CALL_ROW, COLUMN, OUTBOX_PREFIX } from '../store/table-schema';
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
  const outboxFilter = `RowKey ge '${OUTBOX_PREFIX}' and RowKey lt '${OUTBOX_PREFIX.slice(0, -1)}}' and ${COLUMN.nextAttemptAt} le ${double(threshold)}`;
  for await (const e of table.listEntities({ queryOptions: { filter: outboxFilter, select: ['PartitionKey'] } })) stranded.add(String(e.partitionKey));
  for (const callId of stranded) await s.notifications.send({ callId });

  let timers = 0;
  for (const [dueAt, tokenColumn] of [
    [COLUMN.timerDueAt, COLUMN.timerToken],
    [COLUMN.keepAliveDueAt, COLUMN.keepAliveToken],
  ] as const) {
    const filter = `RowKey eq '${CALL_ROW}' and ${dueAt} le ${double(threshold)}`;
    for await (const e of table.listEntities({ queryOptions: { filter, select: ['PartitionKey', tokenColumn] } })) {
      const token = e[tokenColumn];
      if (typeof token !== 'string') continue;
      await s.mediaClock.send({ callId: String(e.partitionKey), token });
      timers++;
    }
  }

  let deleted = 0;
  const endedBefore = s.now() - s.config.callRetentionMs;
  const endedFilter = `RowKey eq '${CALL_ROW}' and ${COLUMN.state} eq 'terminated' and ${COLUMN.endedAt} le ${double(endedBefore)}`;
  for await (const e of table.listEntities({ queryOptions: { filter: endedFilter, select: ['PartitionKey'] } })) {
    const callId = String(e.partitionKey);
    if (stranded.has(callId)) continue; // still delivering its last notifications
    if (await deleteCall(s, callId, endedBefore)) deleted++;
  }
  return { drains: stranded.size, timers, deleted };
}

/**
 * Deletes an ended call's rows and its dead letters, unless notifications still wait in its outbox
 * or a dead letter is younger than the retention (it can still be replayed). The call row is first
 * marked `deleting` under the ETag read here: a replay that committed in between makes that fail,
 * and once it is marked no writer commits to the call again.
 */
async function deleteCall(s: Services, callId: string, retainedAfter: number): Promise<boolean> {
  const table = s.store.table;
  const keys: string[] = [];
  for await (const e of table.listEntities({ queryOptions: { filter: `PartitionKey eq '${callId}'`, select: ['RowKey'] } })) {
    keys.push(String(e.rowKey));
  }
  if (keys.some((k) => k.startsWith(OUTBOX_PREFIX))) return false;
  const letters = await s.deadLetters.list(callId);
  if (letters.some((l) => l.deadAt > retainedAfter)) return false;
  const call = await s.store.load(callId);
  if (!call) return false;
  try {
    await table.updateEntity({ partitionKey: callId, rowKey: CALL_ROW, [COLUMN.deleting]: true }, 'Merge', { etag: call.etag });
  } catch (error) {
    if (statusOf(error) === 412 || statusOf(error) === 404) return false;
    throw error;
  }
  // The call row goes last, so a sweep that stops halfway finds the call again next time.
  const ordered = [...keys.filter((k) => k !== CALL_ROW), CALL_ROW];
  for (let i = 0; i < ordered.length; i += 100) {
    await table.submitTransaction(ordered.slice(i, i + 100).map((rowKey) => ['delete', { partitionKey: callId, rowKey }]));
  }
  for (const letter of letters) await s.deadLetters.remove(letter);
  return true;
}
