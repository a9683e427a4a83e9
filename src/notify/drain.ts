import { KeyedMutex } from '../store/keyed-mutex';
import type { Checkpoint, OutboxSnapshot, PendingRow } from '../store/outbox-store';
import type { NotificationFault } from '../faults/profile';
import type { CommsNotification } from '../graph/notifications';
import type { DeliveryLogEntry, DrainLease, FaultHold, OutboxRow } from '../store/table-schema';
import type { Services } from '../service/services';
import { post } from './deliver';
import { deliveryFaultsFor, isStateChange, type DeliveryFaults, type Hold } from './faults';
import { issuerFor } from './issuer';
import { admit, recipientKey, recipientLoad, type Lane } from './recipients';
import { nextAttemptAt, type Attempt } from './retry-policy';
import { notificationSigner } from './signing';
import { callbackTransport } from './trust';

/** A retry due within this is woken by whoever looks at it, in case its own message came early. */
const NEAR_RETRY_MS = 5000;
/** Outbox rows read at once; with their deletions and log entries a checkpoint stays within a transaction. */
const PAGE = 32;
/** A call that keeps receiving changes while it is drained goes back to the queue after this many rounds. */
const MAX_ROUNDS = 8;

/**
 * How long a drain holds a call's outbox: three POST timeouts (at least 5 s), renewed whenever less
 * than half is left before the next POST. A drain that dies frees the call within this time.
 */
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
 * Whether this drain delivers at all is the recipient's lane's decision (recipients.ts).
 *
 * Storage round trips of a drain that delivers what it finds: one query (lease and rows), one
 * write (take the lease), the POSTs, one transaction (delete the rows, write the log, release the
 * lease), and one query that finds nothing committed meanwhile.
 */
export async function drainOutbox(s: Services, callId: string, lane: Lane = 'fast', options: DrainOptions = {}): Promise<void> {
  await local.run(callId, () => drain(s, callId, lane, options));
}

export interface DrainOptions {
  /**
   * Started by the commit itself (eager.ts) while its queue message is on its way: whatever this
   * drain would hand back to a queue (another holder, the lane's decision), that message handles.
   */
  readonly eager?: boolean;
}

async function drain(s: Services, callId: string, lane: Lane, options: DrainOptions): Promise<void> {
  let snapshot = await s.outbox.snapshot(callId, PAGE);
  for (let round = 0; snapshot.rows.length > 0; round++) {
    if (round === MAX_ROUNDS) return options.eager ? undefined : queueOf(s, lane).send({ callId });
    if (!(await drainOnce(s, callId, lane, snapshot, options))) return;
    // A change may have committed its outbox row after the last look and before the release; its
    // own message found the lease held, so this drain is the one to deliver it.
    snapshot = await s.outbox.snapshot(callId, PAGE);
  }
}

const queueOf = (s: Services, lane: Lane) => (lane === 'fast' ? s.notifications : s.slowLane);

/** True when the outbox was emptied and the lease released. */
async function drainOnce(s: Services, callId: string, lane: Lane, snapshot: OutboxSnapshot, options: DrainOptions): Promise<boolean> {
  const now = s.now();
  const { lease } = snapshot;
  if (lease && lease.until > now && lease.holder !== '' && lease.holder !== s.instanceId) {
    if (options.eager) return false;
    // Another instance is delivering; look again when its lease would run out.
    await queueOf(s, lane).send({ callId }, Math.max(1, (lease.until - now) / 1000));
    return false;
  }
  const first = snapshot.rows[0] as PendingRow;
  if (!(await isDue(s, first.row, lane))) return false;

  const admission = await admit(s, recipientKey(first.row.recipient.appId, first.row.recipient.callbackUri), lane);
  if (admission.kind === 'forward') {
    if (!options.eager) await queueOf(s, admission.lane).send({ callId }, admission.delaySeconds);
    return false;
  }
  try {
    const held: DrainLease = { holder: s.instanceId, until: now + leaseMs(s), logNext: lease?.logNext ?? 0 };
    const etag = await s.outbox.takeLease(callId, lease, held);
    if (etag === undefined) {
      // Another drain took it between the read and the write.
      if (!options.eager) await queueOf(s, lane).send({ callId }, 1);
      return false;
    }
    const faults = await deliveryFaultsFor(s, callId, first.row.recipient);
    const owner = { tenantId: first.row.recipient.tenantId, appId: first.row.recipient.appId };
    return await new Delivery(s, callId, lane, etag, held, faults, owner).run(snapshot);
  } finally {
    admission.leave();
  }
}

/**
 * A row never tried is due whatever its time says (another instance's clock wrote it). A retry that
 * is not due yet has its wake-up message queued by the failure that set the time; sending more
 * would multiply messages while a bot is down. Only when the time is near (clocks of two instances
 * can disagree a little) is one more sent, so the retry is not left to the sweeper.
 */
async function isDue(s: Services, row: OutboxRow, lane: Lane): Promise<boolean> {
  const wait = row.nextAttemptAt - s.now();
  // A notification a fault holds back (faults.ts) is not due before its time, tried or not.
  if ((row.attempts === 0 && row.faultHold?.index !== row.delivered) || wait <= 0) return true;
  if (wait < NEAR_RETRY_MS) await queueOf(s, lane).send({ callId: row.callId }, Math.max(1, wait / 1000));
  return false;
}

/** What delivering one page left to write. */
interface PageResult {
  readonly delivered: Pick<OutboxRow, 'callId' | 'seq'>[];
  /** A row waits for a retry: the drain stops there. */
  readonly stopped?: boolean;
  /** What the failure that stopped it recorded. */
  readonly progress?: Checkpoint['progress'];
  readonly wakeUpAt?: number;
}

type LogEntryBase = Omit<DeliveryLogEntry, 'n' | 'outcome'>;

/** The notification after `i` in the call's order, if it is known and was never tried. */
function partnerOf(row: OutboxRow, i: number, next: OutboxRow | undefined): { row: OutboxRow; index: number } | undefined {
  if (i + 1 < row.notifications.length) return { row, index: i + 1 };
  if (next && next.delivered === 0 && next.attempts === 0 && next.faultHold === undefined && next.notifications.length > 0) return { row: next, index: 0 };
  return undefined;
}

/** One drain holding the lease: delivers page after page, writing a checkpoint after each. */
class Delivery {
  #log: DeliveryLogEntry[] = [];
  /** Faults injected since the last checkpoint, counted for the app once it is written. */
  faultCounts: Partial<Record<NotificationFault, number>> = {};

  constructor(
    private readonly s: Services,
    private readonly callId: string,
    private readonly lane: Lane,
    private etag: string,
    private lease: DrainLease,
    private readonly faults: DeliveryFaults | undefined,
    private readonly owner: { readonly tenantId: string; readonly appId: string },
  ) {}

  async run(first: OutboxSnapshot): Promise<boolean> {
    let { rows, more } = first;
    for (;;) {
      let page: PageResult = { delivered: [] };
      try {
        page = await this.#deliverPage(rows);
      } catch (error) {
        if (error instanceof LeaseLost) return false; // someone else took over; they deliver the rest
        // Keep what was delivered and logged, and free the call for the retry of this message.
        await this.#checkpoint(page, true).catch(() => undefined);
        throw error;
      }
      const last = page.stopped === true || !more;
      if (!(await this.#checkpoint(page, last))) return false;
      if (page.wakeUpAt !== undefined) await queueOf(this.s, this.lane).send({ callId: this.callId }, Math.max(1, (page.wakeUpAt - this.s.now()) / 1000));
      if (last) return page.stopped !== true;
      ({ rows, more } = await this.s.outbox.snapshot(this.callId, PAGE));
      if (rows.length === 0) return true; // emptied by the checkpoint above, which kept the lease: a renewal, not a release
    }
  }

  /** Deletes delivered rows, records progress and the log; renews the lease, or releases it after the last page. */
  async #checkpoint(page: PageResult, release: boolean): Promise<boolean> {
    const logNext = this.lease.logNext + this.#log.length;
    const lease = release ? { holder: '', until: 0, logNext } : { holder: this.s.instanceId, until: this.s.now() + leaseMs(this.s), logNext };
    const etag = await this.s.outbox.checkpoint(this.callId, { etag: this.etag, lease, delivered: page.delivered, log: this.#log, ...(page.progress && { progress: page.progress }) });
    if (etag === undefined) return false;
    this.etag = etag;
    this.lease = lease;
    this.#log = [];
    const counts = this.faultCounts;
    this.faultCounts = {};
    // The summary is for explaining a test run; a lost count must not fail the delivery.
    await this.s.faults.count(this.owner, counts, this.s.now()).catch((error: unknown) => console.warn(`Call ${this.callId}: fault counts not recorded: ${(error as Error).message}`));
    return true;
  }

  async #keepLease(): Promise<void> {
    const span = leaseMs(this.s);
    if (this.lease.until - this.s.now() > span / 2) return;
    const lease = { ...this.lease, until: this.s.now() + span };
    const renewed = await this.s.outbox.renewLease(this.callId, this.etag, lease);
    if (renewed === undefined) throw new LeaseLost();
    this.etag = renewed;
    this.lease = lease;
  }

  async #deliverPage(rows: readonly PendingRow[]): Promise<PageResult> {
    const delivered: PageResult['delivered'] = [];
    // The first notification of the next row was delivered ahead of its predecessor (a reorder).
    let skipFirst = false;
    for (let k = 0; k < rows.length; k++) {
      const { row } = rows[k] as PendingRow;
      if (!(await isDue(this.s, row, this.lane))) return { delivered, stopped: true };
      const result = await this.#deliverRow(row, row.delivered + (skipFirst ? 1 : 0), rows[k + 1]?.row);
      if (result.waiting) return { delivered, ...result.waiting };
      delivered.push(row);
      skipFirst = result.skipNext === true;
    }
    return { delivered };
  }

  /**
   * Delivers what is left of one row from `from`; `waiting` when something of it is left (the
   * progress to record), `skipNext` when the next row's first notification went ahead of this
   * row's last. A fault profile (faults.ts) may hold a notification back, deliver it twice, or
   * swap it with the state change after it; without one, each notification is one POST, in order.
   */
  async #deliverRow(row: OutboxRow, from: number, next: OutboxRow | undefined): Promise<{ waiting?: Omit<PageResult, 'delivered'>; skipNext?: boolean }> {
    const { s, faults } = this;
    let attempts = row.attempts;
    for (let i = from; i < row.notifications.length; i++) {
      const prior = row.faultHold?.index === i ? row.faultHold : undefined;
      const hold = faults?.holdBefore(row, i, s.now());
      if (hold) return { waiting: this.#hold(row, i, attempts, hold) };

      let ahead = prior?.aheadDelivered === true;
      let fault: NotificationFault | undefined = prior && !prior.posted ? (ahead ? 'reordered' : prior.applied.includes('delayed') ? 'delayed' : undefined) : undefined;
      const windowMs = ahead ? undefined : faults?.reorderWindow(row, i);
      if (windowMs !== undefined) {
        const partner = partnerOf(row, i, next);
        if (partner && isStateChange(partner.row.notifications[partner.index] as CommsNotification)) {
          // The later state change goes first, then this one.
          const { attempt: sent, entry } = await this.#post(partner.row, partner.index, partner.row.attempts, 'reordered');
          // The pair is retried as one: the swap is decided again, from the same seed.
          if (sent.kind === 'retry') return { waiting: await this.#failed(row, i, attempts + 1, sent, entry, prior) };
          ahead = true; // delivered, or refused for good and kept as a dead letter
          fault = 'reordered';
          this.#count('reordered');
        } else if (!partner && next === undefined && !prior?.applied.includes('reorderWait') && s.now() < row.createdAt + windowMs) {
          // Nothing follows yet: wait (within the window) for the next state change to swap with.
          return { waiting: this.#hold(row, i, attempts, { fault: 'reorderWait', until: row.createdAt + windowMs }) };
        }
      }

      const { attempt, entry } = await this.#post(row, i, attempts, fault);
      const held: FaultHold | undefined = prior || ahead ? { index: i, applied: [...(prior?.applied ?? []), ...(ahead && !prior?.aheadDelivered ? ['reordered' as const] : [])], ...(ahead && { aheadDelivered: true }), posted: true } : undefined;
      if (attempt.kind === 'retry') {
        attempts += 1;
        const waiting = await this.#failed(row, i, attempts, attempt, entry, held);
        if (waiting) return { waiting };
        // Dead-lettered: what was delivered ahead of it from the next row is not delivered again.
        return { skipNext: ahead && i + 1 >= row.notifications.length };
      }
      if (attempt.kind === 'delivered' && faults?.duplicates(row, i)) {
        // At least once: the same notification, the same id, once more.
        await this.#post(row, i, 1, 'duplicate');
        this.#count('duplicate');
      }
      attempts = 0; // the row's attempt count is its current notification's
      if (ahead) {
        if (i + 1 < row.notifications.length) i++;
        else return { skipNext: true };
      }
    }
    return {};
  }

  /**
   * One POST of notification `i`, logged; the recipient's circuit hears how it went. A refusal
   * becomes a dead letter here; a failure that may pass is left to the caller. Attempts of a
   * duplicate are logged, never retried: the notification itself was delivered.
   */
  async #post(row: OutboxRow, i: number, attemptsBefore: number, fault?: NotificationFault): Promise<{ attempt: Attempt; entry: LogEntryBase }> {
    const { s } = this;
    const signer = await notificationSigner(s.config);
    const { recipient } = row;
    const origin = recipientKey(recipient.appId, recipient.callbackUri);
    await this.#keepLease();
    const token = await signer.sign({ issuer: issuerFor(s.config, recipient.baseUrl), audience: recipient.appId, tenantId: recipient.tenantId });
    const started = performance.now();
    const attempt = await post({
      url: recipient.callbackUri,
      notification: row.notifications[i] as Record<string, unknown>,
      notificationId: row.ids[i] ?? '',
      token,
      ...(recipient.callChainId !== undefined && { chainId: recipient.callChainId }),
      timeoutMs: s.config.delivery.timeoutMs,
      ...callbackTransport(s.config),
    });
    const latencyMs = Math.round(performance.now() - started);
    const entry = { at: s.now(), notificationId: row.ids[i] ?? '', seq: row.seq, index: i, attempt: attemptsBefore + 1, callbackUri: recipient.callbackUri, lane: this.lane, latencyMs, ...(fault && { fault }), ...(attempt.note && { note: attempt.note }) };
    recipientLoad.answered(origin, latencyMs, attempt.kind !== 'retry');
    if (attempt.kind === 'delivered') {
      this.#logEntry({ ...entry, outcome: 'delivered', status: attempt.status });
      await s.circuits.answered(origin, s.now());
    } else if (attempt.kind === 'final') {
      this.#logEntry({ ...entry, outcome: 'refused', ...statusOrError(attempt.error) });
      await s.circuits.answered(origin, s.now());
      // The bot refused this one for good: keep it for replay and go on with the next.
      if (fault !== 'duplicate') {
        await s.deadLetters.bury(row, i, i + 1, { lastError: attempt.error, attempts: attemptsBefore + 1, now: s.now(), reason: 'refused by the callback' });
      }
    } else if (fault === 'duplicate') {
      this.#logEntry({ ...entry, outcome: 'failed', ...statusOrError(attempt.error) });
    } else {
      // Logged by #failed, once the retry policy has said what happens next.
      await s.circuits.failed(origin, attempt.error, s.now());
    }
    return { attempt, entry };
  }

  /**
   * A POST of notification `i` failed and may succeed later: its retry is scheduled (the row keeps
   * its place, later notifications wait behind it), or, at the end of the retry window, the rest
   * of the row becomes a dead letter (undefined: nothing of the row waits).
   */
  async #failed(row: OutboxRow, i: number, attempts: number, attempt: Extract<Attempt, { kind: 'retry' }>, entry: LogEntryBase, faultHold: FaultHold | undefined): Promise<Omit<PageResult, 'delivered'> | undefined> {
    const { s } = this;
    const failure = { lastError: attempt.error, attempts, now: s.now() };
    const next = nextAttemptAt(
      { baseMs: s.config.delivery.retryBaseMs, maxDelayMs: s.config.delivery.retryMaxDelayMs, windowMs: s.config.delivery.retryWindowMs },
      attempts,
      row.createdAt,
      s.now(),
      attempt.retryAfterMs,
    );
    this.#logEntry({ ...entry, ...statusOrError(attempt.error), ...(next === undefined ? { outcome: 'deadLettered' } : { outcome: 'failed', nextAttemptAt: next }) });
    if (next === undefined) {
      await s.deadLetters.bury(row, i, row.notifications.length, { ...failure, reason: 'still failing at the end of the retry window' });
      return undefined;
    }
    return { stopped: true, progress: { row, delivered: i, attempts, nextAttemptAt: next, lastError: attempt.error, ...(faultHold && { faultHold }) }, wakeUpAt: next };
  }

  /** Holds notification `i` back for a fault; a dropped one counts as an attempt that was lost. */
  #hold(row: OutboxRow, i: number, attempts: number, hold: Hold): Omit<PageResult, 'delivered'> {
    const prior = row.faultHold?.index === i ? row.faultHold : undefined;
    const faultHold: FaultHold = { index: i, applied: [...(prior?.applied ?? []), hold.fault], ...(prior?.aheadDelivered && { aheadDelivered: true }) };
    let lastError = `held back by the fault profile (${hold.fault})`;
    if (hold.fault === 'dropped') {
      attempts += 1;
      lastError = 'dropped by the fault profile: not posted';
      this.#logEntry({ at: this.s.now(), notificationId: row.ids[i] ?? '', seq: row.seq, index: i, attempt: attempts, callbackUri: row.recipient.callbackUri, lane: this.lane, latencyMs: 0, outcome: 'failed', error: lastError, nextAttemptAt: hold.until, fault: 'dropped' });
    }
    if (hold.fault !== 'reorderWait') this.#count(hold.fault);
    return { stopped: true, progress: { row, delivered: i, attempts, nextAttemptAt: hold.until, lastError, faultHold }, wakeUpAt: hold.until };
  }

  #count(fault: NotificationFault): void {
    this.faultCounts[fault] = (this.faultCounts[fault] ?? 0) + 1;
  }

  #logEntry(entry: Omit<DeliveryLogEntry, 'n'>): void {
    this.#log.push({ ...entry, n: this.lease.logNext + this.#log.length });
  }
}

/** "HTTP 503" carries a status; anything else (a timeout, a refused connection) is an error text. */
function statusOrError(error: string): { status?: number; error: string } {
  const m = /^HTTP (\d{3})/.exec(error);
  return m ? { status: Number(m[1]), error } : { error };
}
