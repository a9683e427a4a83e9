import type { Services } from '../service/services';
import type { OutboxRow } from '../store/outbox-row';
import type { Checkpoint } from '../store/outbox-store';
import type { Lane } from './recipients';

/** What delivering one page of a call's outbox left to write. */
export interface PageResult {
  readonly delivered: Pick<OutboxRow, 'callId' | 'seq'>[];
  /** A row waits for a retry: the drain stops there. */
  readonly stopped?: boolean;
  /** What the failure that stopped it recorded. */
  readonly progress?: Checkpoint['progress'];
  readonly wakeUpAt?: number;
}

/** Outbox rows read at once; with their deletions and log entries a checkpoint stays within a transaction. */
export const PAGE = 32;
/** A retry due within this is woken by whoever looks at it, in case its own message came early. */
const NEAR_RETRY_MS = 5000;

/**
 * How long a drain holds a call's outbox: three POST timeouts (at least 5 s), renewed whenever less
 * than half is left before the next POST. A drain that dies frees the call within this time.
 */
export function leaseMs(s: Services): number {
  return Math.max(5000, 3 * s.config.delivery.timeoutMs);
}

/** The drain's lease went to another holder: it delivers the rest. */
export class LeaseLost extends Error {}

/**
 * The one way a drain asks for a call's outbox to be looked at again: in a lane, at once, or after
 * a wait (at least a second: the queue counts in whole seconds).
 */
export function requeue(s: Services, lane: Lane, callId: string, afterSeconds?: number): Promise<void> {
  const queue = lane === 'fast' ? s.notifications : s.slowLane;
  return queue.send({ callId }, afterSeconds === undefined ? 0 : Math.max(1, afterSeconds));
}

/**
 * A row never tried is due whatever its time says (another instance's clock wrote it). A retry that
 * is not due yet has its wake-up message queued by the failure that set the time; sending more
 * would multiply messages while a bot is down. Only when the time is near (clocks of two instances
 * can disagree a little) is one more sent, so the retry is not left to the sweeper.
 */
export async function isDue(s: Services, row: OutboxRow, lane: Lane): Promise<boolean> {
  const wait = row.nextAttemptAt - s.now();
  // A notification a fault holds back (faults.ts) is not due before its time, tried or not.
  if ((row.attempts === 0 && row.faultHold?.index !== row.delivered) || wait <= 0) return true;
  if (wait < NEAR_RETRY_MS) await requeue(s, lane, row.callId, wait / 1000);
  return false;
}
