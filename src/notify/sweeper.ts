import { CALL_ROW, OUTBOX_PREFIX } from '../store/rows';
import type { Services } from '../service/services';

/** Table numbers are doubles; a double literal compares with them on every storage implementation. */
const double = (n: number) => `${Math.floor(n)}.0`;

/**
 * The safety net behind the queues. A crash between a commit and its queue send, or a lost queue
 * message, leaves work that nothing will wake: outbox rows nobody is draining, call timers nobody
 * will fire. The sweeper (a timer trigger) finds what has waited longer than SWEEP_AFTER_MS and
 * sends the messages again; both handlers treat a repeat as a no-op, so re-sending is always safe.
 */
export async function sweep(s: Services): Promise<{ drains: number; timers: number }> {
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
  return { drains: stranded.size, timers };
}
