import type { LoggedFault, NotificationFault } from '../faults/profile';
import type { Services } from '../service/services';
import type { OutboxSnapshot, PendingRow } from '../store/outbox-store';
import type { DeliveryLogEntry, DrainLease, LogEntryBase } from '../store/delivery-log-row';
import type { FaultHold, OutboxRow } from '../store/outbox-row';
import { post } from './deliver';
import { POST_ONCE, type DeliveryFaults, type Hold } from './faults';
import { issuerFor } from './issuer';
import { isDue, leaseMs, LeaseLost, PAGE, requeue, type PageResult } from './outbox-pace';
import { recipientKey, type Lane } from './recipients';
import { failureOf, nextAttemptAt, type Attempt } from './retry-policy';
import { notificationSigner } from './signing';
import { callbackTransport } from './trust';

/** One drain holding the lease: delivers page after page, writing a checkpoint after each. */
export class PageDelivery {
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
      if (page.wakeUpAt !== undefined) await requeue(this.s, this.lane, this.callId, (page.wakeUpAt - this.s.now()) / 1000);
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
   * row's last. Each notification gets its plan (faults.ts): without a fault profile, one POST.
   */
  async #deliverRow(row: OutboxRow, from: number, next: OutboxRow | undefined): Promise<{ waiting?: Omit<PageResult, 'delivered'>; skipNext?: boolean }> {
    let attempts = row.attempts;
    for (let i = from; i < row.notifications.length; i++) {
      const prior = row.faultHold?.index === i ? row.faultHold : undefined;
      const plan = this.faults?.plan(row, i, next, this.s.now()) ?? POST_ONCE;
      if (plan.kind === 'hold') return { waiting: this.#hold(row, i, attempts, plan.hold) };
      if (plan.kind === 'lose' || plan.kind === 'empty') {
        await this.#spoil(row, i, attempts, plan.kind);
        attempts = 0; // done with: the next notification's attempts start again
        continue;
      }

      // Delivered ahead of its predecessor before (a reorder), or held back by a fault: say so in the log.
      let ahead = prior?.aheadDelivered === true;
      let fault: NotificationFault | undefined = prior && !prior.posted ? (ahead ? 'reordered' : prior.applied.includes('delayed') ? 'delayed' : undefined) : undefined;
      if (plan.kind === 'partnerFirst') {
        const { attempt: sent, entry } = await this.#post(plan.partner.row, plan.partner.index, plan.partner.row.attempts, 'reordered');
        // The pair is retried as one: the swap is decided again, from the same seed.
        if (sent.kind === 'retry') return { waiting: await this.#failed(row, i, attempts + 1, sent, entry, prior) };
        ahead = true; // delivered, or refused for good and kept as a dead letter
        fault = 'reordered';
        this.#count('reordered');
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
      if (attempt.kind === 'delivered' && plan.twice) {
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
  async #post(row: OutboxRow, i: number, attemptsBefore: number, fault?: LoggedFault): Promise<{ attempt: Attempt; entry: LogEntryBase }> {
    const { s } = this;
    const signer = await notificationSigner(s.config);
    const { recipient } = row;
    const origin = recipientKey(recipient.appId, recipient.callbackUri);
    await this.#keepLease();
    const token = await s.notificationTokens.token(signer, { issuer: issuerFor(s.config, recipient.baseUrl), audience: recipient.appId, tenantId: recipient.tenantId });
    const started = performance.now();
    const attempt = await post({
      url: recipient.callbackUri,
      notification: row.notifications[i] as Record<string, unknown>,
      ...(fault === 'emptied' && { emptyBody: true }),
      notificationId: row.ids[i] ?? '',
      token,
      ...(recipient.callChainId !== undefined && { chainId: recipient.callChainId }),
      timeoutMs: s.config.delivery.timeoutMs,
      ...callbackTransport(s.config),
    });
    const latencyMs = Math.round(performance.now() - started);
    const marked = fault ?? row.injected?.[i];
    const entry = { at: s.now(), notificationId: row.ids[i] ?? '', seq: row.seq, index: i, attempt: attemptsBefore + 1, callbackUri: recipient.callbackUri, lane: this.lane, latencyMs, ...(marked && { fault: marked }), ...(attempt.note && { note: attempt.note }) };
    const extra = fault === 'duplicate' || fault === 'emptied'; // the notification itself is done with: never retried, never buried
    s.recipients.answered(origin, latencyMs, attempt.kind !== 'retry');
    if (attempt.kind === 'delivered') {
      this.#logEntry({ ...entry, outcome: 'delivered', status: attempt.status });
      await s.circuits.answered(origin, s.now());
    } else if (attempt.kind === 'final') {
      this.#logEntry({ ...entry, outcome: 'refused', ...failureOf(attempt) });
      await s.circuits.answered(origin, s.now());
      // The bot refused this one for good: keep it for replay and go on with the next.
      if (!extra) {
        await s.deadLetters.bury(row, i, i + 1, { lastError: attempt.error, attempts: attemptsBefore + 1, now: s.now(), reason: 'refused by the callback' });
      }
    } else if (extra) {
      this.#logEntry({ ...entry, outcome: 'failed', ...failureOf(attempt) });
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
    this.#logEntry({ ...entry, ...failureOf(attempt), ...(next === undefined ? { outcome: 'deadLettered' } : { outcome: 'failed', nextAttemptAt: next }) });
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
      this.#logUnposted(row, i, attempts, { error: lastError, nextAttemptAt: hold.until, fault: 'dropped' });
    }
    if (hold.fault !== 'reorderWait') this.#count(hold.fault);
    return { stopped: true, progress: { row, delivered: i, attempts, nextAttemptAt: hold.until, lastError, faultHold }, wakeUpAt: hold.until };
  }

  /** A notification lost for good (logged, never posted), or posted once with an empty body. */
  async #spoil(row: OutboxRow, i: number, attempts: number, kind: 'lose' | 'empty'): Promise<void> {
    if (kind === 'empty') await this.#post(row, i, attempts, 'emptied');
    else this.#logUnposted(row, i, attempts + 1, { error: 'lost by the fault profile: never posted', fault: 'lost' });
    this.#count(kind === 'empty' ? 'emptied' : 'lost');
  }

  #logUnposted(row: OutboxRow, i: number, attempt: number, what: Pick<DeliveryLogEntry, 'error' | 'fault' | 'nextAttemptAt'>): void {
    this.#logEntry({ at: this.s.now(), notificationId: row.ids[i] ?? '', seq: row.seq, index: i, attempt, callbackUri: row.recipient.callbackUri, lane: this.lane, latencyMs: 0, outcome: 'failed', ...what });
  }

  #count(fault: NotificationFault): void {
    this.faultCounts[fault] = (this.faultCounts[fault] ?? 0) + 1;
  }

  #logEntry(entry: Omit<DeliveryLogEntry, 'n'>): void {
    this.#log.push({ ...entry, n: this.lease.logNext + this.#log.length });
  }
}
