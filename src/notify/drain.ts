import { KeyedMutex } from '../store/keyed-mutex';
import type { Checkpoint, OutboxSnapshot, PendingRow } from '../store/outbox-store';
import type { DeliveryLogEntry, DrainLease, OutboxRow } from '../store/table-schema';
import type { Services } from '../service/services';
import { post } from './deliver';
import { issuerFor } from './issuer';
import { admit, originOf, recipientLoad, type Lane } from './recipients';
import { nextAttemptAt } from './retry-policy';
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
    if (round === MAX_ROUNDS) return options.eager ? undefined : s.notifications.send({ callId });
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
  if (!(await isDue(s, first.row))) return false;

  const admission = await admit(s, originOf(first.row.recipient.callbackUri), lane);
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
    return await new Delivery(s, callId, lane, etag, held).run(snapshot);
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
async function isDue(s: Services, row: OutboxRow): Promise<boolean> {
  const wait = row.nextAttemptAt - s.now();
  if (row.attempts === 0 || wait <= 0) return true;
  if (wait < NEAR_RETRY_MS) await s.notifications.send({ callId: row.callId }, Math.max(1, wait / 1000));
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

/** One drain holding the lease: delivers page after page, writing a checkpoint after each. */
class Delivery {
  #log: DeliveryLogEntry[] = [];

  constructor(
    private readonly s: Services,
    private readonly callId: string,
    private readonly lane: Lane,
    private etag: string,
    private lease: DrainLease,
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
      if (page.wakeUpAt !== undefined) await this.s.notifications.send({ callId: this.callId }, Math.max(1, (page.wakeUpAt - this.s.now()) / 1000));
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
    for (const { row } of rows) {
      if (!(await isDue(this.s, row))) return { delivered, stopped: true };
      const waiting = await this.#deliverRow(row);
      if (waiting) return { delivered, ...waiting };
      delivered.push(row);
    }
    return { delivered };
  }

  /** Delivers what is left of one row; undefined when nothing of it is left, else the progress to record. */
  async #deliverRow(row: OutboxRow): Promise<Omit<PageResult, 'delivered'> | undefined> {
    const { s } = this;
    const signer = await notificationSigner(s.config);
    const { recipient } = row;
    const origin = originOf(recipient.callbackUri);
    let attempts = row.attempts;
    for (let i = row.delivered; i < row.notifications.length; i++) {
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
      const entry = { at: s.now(), notificationId: row.ids[i] ?? '', seq: row.seq, index: i, attempt: attempts + 1, callbackUri: recipient.callbackUri, lane: this.lane, latencyMs };
      recipientLoad.answered(origin, latencyMs, attempt.kind !== 'retry');
      if (attempt.kind === 'delivered') {
        this.#logEntry({ ...entry, outcome: 'delivered', status: attempt.status });
        await s.circuits.answered(origin, s.now());
        attempts = 0; // the row's attempt count is its current notification's
        continue;
      }

      attempts += 1;
      const failure = { lastError: attempt.error, attempts, now: s.now() };
      if (attempt.kind === 'final') {
        // The bot refused this one for good: keep it for replay and go on with the next.
        this.#logEntry({ ...entry, outcome: 'refused', ...statusOrError(attempt.error) });
        await s.circuits.answered(origin, s.now());
        await s.deadLetters.bury(row, i, i + 1, { ...failure, reason: 'refused by the callback' });
        attempts = 0;
        continue;
      }
      await s.circuits.failed(origin, attempt.error, s.now());
      const next = nextAttemptAt(
        { baseMs: s.config.delivery.retryBaseMs, maxDelayMs: s.config.delivery.retryMaxDelayMs, windowMs: s.config.delivery.retryWindowMs },
        attempts,
        row.createdAt,
        s.now(),
        attempt.retryAfterMs,
      );
      if (next === undefined) {
        this.#logEntry({ ...entry, outcome: 'deadLettered', ...statusOrError(attempt.error) });
        await s.deadLetters.bury(row, i, row.notifications.length, { ...failure, reason: 'still failing at the end of the retry window' });
        return undefined;
      }
      this.#logEntry({ ...entry, outcome: 'failed', ...statusOrError(attempt.error), nextAttemptAt: next });
      return { stopped: true, progress: { row, delivered: i, attempts, nextAttemptAt: next, lastError: attempt.error }, wakeUpAt: next };
    }
    return undefined;
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
