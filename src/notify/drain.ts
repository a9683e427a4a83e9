import type { Services } from '../service/services';
import type { HeldLease, OutboxSnapshot, PendingRow } from '../store/outbox-store';
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
 * lease), and one query that finds nothing committed meanwhile. An eager drain of a call whose
 * lease this instance released last makes the first write beside the query instead of after it.
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
  // Right after its commit, the lease is taken back while the outbox is read: the POST waits for one round trip, not two.
  const [first, retaken] = await Promise.all([
    s.outbox.snapshot(callId, PAGE),
    options.eager ? s.outbox.retakeReleased(callId, s.instanceId, s.now() + leaseMs(s)) : undefined,
  ]);
  let snapshot = first;
  let held = retaken;
  for (let round = 0; snapshot.rows.length > 0; round++) {
    if (round === MAX_ROUNDS) return handBack(lane);
    const emptied = await drainOnce(s, callId, lane, snapshot, handBack, held);
    held = undefined;
    if (!emptied) return;
    // A change may have committed its outbox row after the last look and before the release; its
    // own message found the lease held, so this drain is the one to deliver it.
    snapshot = await s.outbox.snapshot(callId, PAGE);
  }
  // Taken back for nothing: another drain of this instance delivered the rows first.
  if (held) await s.outbox.releaseLease(callId, held);
}

/** True when the outbox was emptied and the lease released. `held`: the lease, already taken back (the snapshot's may be older). */
async function drainOnce(s: Services, callId: string, lane: Lane, snapshot: OutboxSnapshot, handBack: (to: Lane, afterSeconds?: number) => Promise<void>, held?: HeldLease): Promise<boolean> {
  const now = s.now();
  const { lease } = snapshot;
  if (!held && lease && lease.until > now && lease.holder !== '' && lease.holder !== s.instanceId) {
    // Another instance is delivering; look again when its lease would run out.
    await handBack(lane, (lease.until - now) / 1000);
    return false;
  }
  const first = snapshot.rows[0] as PendingRow;
  const admission = (await isDue(s, first.row, lane)) ? await admit(s, recipientKey(first.row.recipient.appId, first.row.recipient.callbackUri), lane) : undefined;
  if (admission?.kind !== 'deliver') {
    if (held) await s.outbox.releaseLease(callId, held);
    if (admission) await handBack(admission.lane, admission.delaySeconds > 0 ? admission.delaySeconds : undefined);
    return false;
  }
  try {
    const taken = held ?? (await takeLease(s, callId, lease, now));
    if (taken === undefined) {
      // Another drain took it between the read and the write.
      await handBack(lane, 1);
      return false;
    }
    const faults = await deliveryFaultsFor(s, callId, first.row.recipient);
    const owner = { tenantId: first.row.recipient.tenantId, appId: first.row.recipient.appId };
    return await new PageDelivery(s, callId, lane, taken.etag, taken.lease, faults, owner).run(snapshot);
  } finally {
    admission.leave();
  }
}

/** Takes the lease as the snapshot read it: one write, which fails if another drain got there first. */
async function takeLease(s: Services, callId: string, read: OutboxSnapshot['lease'], now: number): Promise<HeldLease | undefined> {
  const lease: DrainLease = { holder: s.instanceId, until: now + leaseMs(s), logNext: read?.logNext ?? 0 };
  const etag = await s.outbox.takeLease(callId, read, lease);
  return etag === undefined ? undefined : { lease, etag };
}
