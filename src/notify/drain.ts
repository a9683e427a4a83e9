import { KeyedMutex } from '../store/keyed-mutex';
import type { PendingRow } from '../store/outbox-store';
import type { Services } from '../service/services';
import { post } from './deliver';
import { issuerFor } from './issuer';
import { nextAttemptAt } from './retry-policy';
import { notificationSigner } from './signing';
import { callbackTransport } from './trust';

/**
 * How long a drain holds a call's outbox: three POST timeouts (at least 5 s), renewed whenever less
 * than half is left before the next POST. A drain that dies frees the call within this time.
 */
/** A retry due within this is woken by whoever looks at it, in case its own message came early. */
const NEAR_RETRY_MS = 5000;

function leaseMs(s: Services): number {
  return Math.max(5000, 3 * s.config.delivery.timeoutMs);
}

class LeaseLost extends Error {}

const local = new KeyedMutex();

/**
 * Delivers a call's outbox: rows in sequence order, each notification one POST, each row deleted
 * once all of it is delivered. A failure that may pass is retried later with back-off (the row
 * keeps its place: later notifications of the call wait behind it); one that will not, or one
 * still failing at the end of the retry window, goes to the dead letters and the rest carry on.
 * Only the holder of the call's drain lease delivers, so two drains never post out of order.
 */
export async function drainOutbox(s: Services, callId: string): Promise<void> {
  await local.run(callId, () => drain(s, callId));
}

async function drain(s: Services, callId: string): Promise<void> {
  const now = s.now();
  const span = leaseMs(s);
  const lease = await s.outbox.acquireLease(callId, s.instanceId, now, now + span);
  if (!lease.held) {
    // Another instance is delivering; look again when its lease would run out.
    await s.notifications.send({ callId }, Math.max(1, (lease.until - now) / 1000));
    return;
  }
  let etag = lease.etag;
  let until = now + span;
  const keepLease = async () => {
    if (until - s.now() > span / 2) return;
    until = s.now() + span;
    const renewed = await s.outbox.renewLease(callId, s.instanceId, etag, until);
    if (!renewed) throw new LeaseLost();
    etag = renewed;
  };

  let emptied = false;
  try {
    emptied = await deliverAll(s, callId, keepLease);
  } catch (error) {
    if (error instanceof LeaseLost) return; // someone else took over; they deliver the rest
    throw error;
  } finally {
    await s.outbox.releaseLease(callId, etag);
  }
  // A change may have committed its outbox row after the last look and before the release.
  if (emptied && (await s.outbox.pending(callId, 1)).length > 0) await s.notifications.send({ callId });
}

/**
 * True when the outbox was found empty; false when a row waits for its next attempt. Delivered rows
 * are deleted together once per page (a crash before that only repeats them, with the same ids).
 */
async function deliverAll(s: Services, callId: string, keepLease: () => Promise<void>): Promise<boolean> {
  for (;;) {
    const pending = await s.outbox.pending(callId);
    if (pending.length === 0) return true;
    const done: PendingRow['row'][] = [];
    try {
      for (const row of pending) {
        if (!(await deliverRow(s, row, keepLease))) return false;
        done.push(row.row);
      }
    } finally {
      await s.outbox.remove(done);
    }
  }
}

/** Delivers what is left of one row; true when nothing of it is left to deliver, false when it waits for a retry. */
async function deliverRow(s: Services, pending: PendingRow, keepLease: () => Promise<void>): Promise<boolean> {
  const { row } = pending;
  // A row never tried is due whatever its time says (another instance's clock wrote it). A retry
  // that is not due yet has its wake-up message queued by the failure that set the time; sending
  // more would multiply messages while a bot is down. Only when the time is near (clocks of two
  // instances can disagree a little) is one more sent, so the retry is not left to the sweeper.
  const wait = row.nextAttemptAt - s.now();
  if (row.attempts > 0 && wait > 0) {
    if (wait < NEAR_RETRY_MS) await s.notifications.send({ callId: row.callId }, Math.max(1, wait / 1000));
    return false;
  }
  const signer = await notificationSigner(s.config);
  const { recipient } = row;
  let attempts = row.attempts;
  for (let i = row.delivered; i < row.notifications.length; i++) {
    await keepLease();
    const token = await signer.sign({ issuer: issuerFor(s.config, recipient.baseUrl), audience: recipient.appId, tenantId: recipient.tenantId });
    const attempt = await post({
      url: recipient.callbackUri,
      notification: row.notifications[i] as Record<string, unknown>,
      notificationId: row.ids[i] ?? '',
      token,
      ...(recipient.callChainId !== undefined && { chainId: recipient.callChainId }),
      timeoutMs: s.config.delivery.timeoutMs,
      ...callbackTransport(s.config),
    });
    if (attempt.kind === 'delivered') {
      attempts = 0; // the row's attempt count is its current notification's
      continue;
    }

    attempts += 1;
    const failure = { lastError: attempt.error, attempts, now: s.now() };
    if (attempt.kind === 'final') {
      // The bot refused this one for good: keep it for replay and go on with the next.
      await s.deadLetters.bury(row, i, i + 1, { ...failure, reason: 'refused by the callback' });
      attempts = 0;
      continue;
    }
    const next = nextAttemptAt(
      { baseMs: s.config.delivery.retryBaseMs, maxDelayMs: s.config.delivery.retryMaxDelayMs, windowMs: s.config.delivery.retryWindowMs },
      attempts,
      row.createdAt,
      s.now(),
      attempt.retryAfterMs,
    );
    if (next === undefined) {
      await s.deadLetters.bury(row, i, row.notifications.length, { ...failure, reason: 'still failing at the end of the retry window' });
      break;
    }
    await s.outbox.recordFailure(pending, { delivered: i, attempts, nextAttemptAt: next, lastError: attempt.error });
    await s.notifications.send({ callId: row.callId }, Math.max(1, (next - s.now()) / 1000));
    return false;
  }
  return true;
}
