import type { Services } from '../service/services';
import type { HeldLease, OutboxSnapshot, PendingRow } from '../store/outbox-store';
import type { DrainLease } from '../store/delivery-log-row';
import { deliveryFaultsFor } from './faults';
import { isDue, leaseMs, PAGE, requeue } from './outbox-pace';
import { PageDelivery } from './page-delivery';
import { admit, recipientKey, type Admission, type Lane } from './recipients';

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
  // One that waits behind another drain of this instance will mostly find the outbox emptied by it: no taking back then.
  const retake = options.eager === true && !s.drainLocks.isBusy(callId);
  await s.drainLocks.run(callId, () => drain(s, callId, lane, options, retake));
}

export interface DrainOptions {
  /**
   * Started by the commit itself (eager.ts) while its queue message is on its way: whatever this
   * drain would hand back to a queue (another holder, the lane's decision), that message handles.
   */
  readonly eager?: boolean;
}

async function drain(s: Services, callId: string, lane: Lane, options: DrainOptions, retake: boolean): Promise<void> {
  // Where this drain gives the call back to a queue; an eager drain never does: its commit's message is on its way.
  const handBack = (to: Lane, afterSeconds?: number) => (options.eager ? Promise.resolve() : requeue(s, to, callId, afterSeconds));
  let { snapshot, held } = await firstLook(s, callId, retake);
  for (let round = 0; ; round++) {
    if (snapshot.rows.length === 0) {
      if (!held) return;
      // Taken back for nothing (another drain of this instance was first): give it up and look once
      // more, since another instance's drain may have found it held meanwhile and waited for it.
      await s.outbox.releaseLease(callId, held);
      held = undefined;
    } else {
      if (round >= MAX_ROUNDS) return handBack(lane);
      const emptied = await drainOnce(s, callId, lane, snapshot, handBack, held);
      held = undefined;
      if (!emptied) return;
    }
    // A change may have committed its outbox row after the last look and before the release; its
    // own message found the lease held, so this drain is the one to deliver it.
    snapshot = await s.outbox.snapshot(callId, PAGE);
  }
}

/**
 * The outbox, and with `retake` the lease this instance released last taken back beside the query:
 * right after a commit the POST then waits for one round trip, not two. A lease taken back for a
 * look that failed is given up again; a take-back that failed is as if none was tried.
 */
async function firstLook(s: Services, callId: string, retake: boolean): Promise<{ snapshot: OutboxSnapshot; held: HeldLease | undefined }> {
  const [snapshot, retaken] = await Promise.allSettled([
    s.outbox.snapshot(callId, PAGE),
    retake ? s.outbox.retakeReleased(callId, s.instanceId, s.now() + leaseMs(s)) : Promise.resolve(undefined),
  ]);
  const held = retaken.status === 'fulfilled' ? retaken.value : undefined;
  if (snapshot.status === 'rejected') {
    if (held) await giveUp(s, callId, held);
    throw snapshot.reason;
  }
  return { snapshot: snapshot.value, held };
}

/** Releases a lease on the way out of a failure (best effort: it runs out by itself otherwise). */
async function giveUp(s: Services, callId: string, held: HeldLease): Promise<void> {
  await s.outbox.releaseLease(callId, held).catch(() => undefined);
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
  const admission = await admitFirst(s, first, lane).catch(async (error: unknown) => {
    if (held) await giveUp(s, callId, held);
    throw error;
  });
  if (admission?.kind !== 'deliver') {
    // Not due yet (its wake-up delivers the rest behind it), or the lane sends it elsewhere.
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
    const faults = await deliveryFaultsFor(s, callId, first.row.recipient).catch(async (error: unknown) => {
      await giveUp(s, callId, taken);
      throw error;
    });
    const owner = { tenantId: first.row.recipient.tenantId, appId: first.row.recipient.appId };
    return await new PageDelivery(s, callId, lane, taken.etag, taken.lease, faults, owner).run(snapshot);
  } finally {
    admission.leave();
  }
}

/** The lane's admission of the first row's recipient; undefined when that row is not due yet. */
async function admitFirst(s: Services, first: PendingRow, lane: Lane): Promise<Admission | undefined> {
  if (!(await isDue(s, first.row, lane))) return undefined;
  return admit(s, recipientKey(first.row.recipient.appId, first.row.recipient.callbackUri), lane);
}

/** Takes the lease as the snapshot read it: one write, which fails if another drain got there first. */
async function takeLease(s: Services, callId: string, read: OutboxSnapshot['lease'], now: number): Promise<HeldLease | undefined> {
  const lease: DrainLease = { holder: s.instanceId, until: now + leaseMs(s), logNext: read?.logNext ?? 0 };
  const etag = await s.outbox.takeLease(callId, read, lease);
  return etag === undefined ? undefined : { lease, etag };
}
