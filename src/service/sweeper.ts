import { isOutboxRowKey } from '../store/sweep-queries';
import type { Services } from './services';

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
  const threshold = s.now() - s.config.sweepAfterMs;

  const stranded = await s.sweeps.strandedOutboxes(threshold);
  for (const callId of stranded) await s.notifications.send({ callId });

  let timers = 0;
  for await (const { callId, token } of s.sweeps.overdueTimers(threshold)) {
    await s.mediaClock.send({ callId, token });
    timers++;
  }

  let deleted = 0;
  const endedBefore = s.now() - s.config.callRetentionMs;
  for await (const callId of s.sweeps.endedCalls(endedBefore)) {
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
  const keys = await s.sweeps.rowKeys(callId);
  if (keys.some(isOutboxRowKey)) return false;
  const letters = await s.deadLetters.ofCall(callId);
  if (letters.some((l) => l.deadAt > retainedAfter)) return false;
  const call = await s.calls.load(callId);
  if (!call) return false;
  if (!(await s.sweeps.markDeleting(callId, call.etag))) return false;
  await s.sweeps.deletePartition(callId, keys);
  for (const letter of letters) await s.deadLetters.remove(letter);
  return true;
}
