import type { Services } from '../service/services';
import type { OutboxSnapshot, PendingRow } from '../store/outbox-store';
import type { DrainLease } from '../store/delivery-log-row';
import { deliveryFaultsFor } from './faults';
import { isDue, leaseMs, PAGE, requeue } from './outbox-pace';
import { PageDelivery } from './page-delivery';
import { admit, recipientKey, type Lane } from './recipients';

/** A call that keeps receiving changes while it is drained goes back to the queue after this many rounds. */
const MAX_ROUNDS = 8;

/**
 * The drain: takes a call's outbox lease, delivers in rounds while changes keep coming, and gives
 * the call back to a queue when it cannot go on (page-delivery.ts delivers each page).
 *
 * Delivers a call's outbox: rows in sequence order, each notification one POST, each row deleted
 * once all of it is delivered. A failure that may pass is retried later with back-off (the row
 * keeps its place: later notifications of the call wait behind it); one that will not, or one
 * still failing at the end of the retry window, goes to the dead letters and the rest carry on.
 * Only the holder of the call's drain lease delivers, so two drains never post out of order.
 * Whether this drain delivers at all is the recipient's lane's decision (recipients.ts).
 *
 * Storage round trips of a drain that delivers what it finds: one query (lease and rows), one
 * write (take the lease), the POSTs, one transaction (delete the rows, write the log, release the
 * lease), and one query that finds nothing committed meanwhile.
 */
export async function drainOutbox(s: Services, callId: string, lane: Lane = 'fast', options: DrainOptions = {}): Promise<void> {
  await s.drainLocks.run(callId, () => drain(s, callId, lane, options));
}

export interface DrainOptions {
  /**
   * Started by the commit itself (eager.ts) while its queue message is on its way: whatever this
   * drain would hand back to a queue (another holder, the lane's decision), that message handles.
   */
  readonly eager?: boolean;
}

async function drain(s: Services, callId: string, lane: Lane, options: DrainOptions): Promise<void> {
  // Where this drain gives the call back to a queue; an eager drain never does: its commit's message is on its way.
  const handBack = (to: Lane, afterSeconds?: number) => (options.eager ? Promise.resolve() : requeue(s, to, callId, afterSeconds));
  let snapshot = await s.outbox.snapshot(callId, PAGE);
  for (let round = 0; snapshot.rows.length > 0; round++) {
    if (round === MAX_ROUNDS) return handBack(lane);
    if (!(await drainOnce(s, callId, lane, snapshot, handBack))) return;
    // A change may have committed its outbox row after the last look and before the release; its
    // own message found the lease held, so this drain is the one to deliver it.
    snapshot = await s.outbox.snapshot(callId, PAGE);
  }
}

/** True when the outbox was emptied and the lease released. */
async function drainOnce(s: Services, callId: string, lane: Lane, snapshot: OutboxSnapshot, handBack: (to: Lane, afterSeconds?: number) => Promise<void>): Promise<boolean> {
  const now = s.now();
  const { lease } = snapshot;
  if (lease && lease.until > now && lease.holder !== '' && lease.holder !== s.instanceId) {
    // Another instance is delivering; look again when its lease would run out.
    await handBack(lane, (lease.until - now) / 1000);
    return false;
  }
  const first = snapshot.rows[0] as PendingRow;
  if (!(await isDue(s, first.row, lane))) return false;

  const admission = await admit(s, recipientKey(first.row.recipient.appId, first.row.recipient.callbackUri), lane);
  if (admission.kind === 'forward') {
    await handBack(admission.lane, admission.delaySeconds > 0 ? admission.delaySeconds : undefined);
    return false;
  }
  try {
    const held: DrainLease = { holder: s.instanceId, until: now + leaseMs(s), logNext: lease?.logNext ?? 0 };
    const etag = await s.outbox.takeLease(callId, lease, held);
    if (etag === undefined) {
      // Another drain took it between the read and the write.
      await handBack(lane, 1);
      return false;
    }
    const faults = await deliveryFaultsFor(s, callId, first.row.recipient);
    const owner = { tenantId: first.row.recipient.tenantId, appId: first.row.recipient.appId };
    return await new PageDelivery(s, callId, lane, etag, held, faults, owner).run(snapshot);
  } finally {
    admission.leave();
  }
}
