import type { CommsNotification } from '../graph/notifications';
import { activeProfile } from '../service/active-fault-profile';
import { hasNotificationFaults, spanMs, type FaultProfile, type NotificationKind } from '../faults/profile';
import { between, chance } from '../faults/random';
import type { Services } from '../service/services';
import type { FaultHold, OutboxRow, Recipient } from '../store/outbox-row';

/** A notification held back by a fault until `until`. */
export interface Hold {
  readonly fault: FaultHold['applied'][number];
  readonly until: number;
}

/** What a notification is about: an operation's end, a call state, a tone, the roster. */
export function kindOf(n: CommsNotification): NotificationKind {
  const data = n['resourceData'] as Record<string, unknown> | unknown[] | undefined;
  if (Array.isArray(data)) return 'participants';
  // A whole call (created) carries `toneInfo: null`: only a value makes it a tone.
  if (data?.['toneInfo'] != null) return 'tone';
  return data?.['@odata.type'] === '#microsoft.graph.call' ? 'callState' : 'operation';
}

/**
 * A call state change that Graph says may arrive out of order (establishing / established and
 * the like): an `updated` call with a state and nothing else to say. Neither the call's creation
 * nor its end, nor a tone, nor an operation's result is ever moved.
 */
export function isStateChange(n: CommsNotification): boolean {
  return n['changeType'] === 'updated' && kindOf(n) === 'callState';
}

/**
 * What a fault profile says to do with one notification, the one question a drain asks: post it
 * (once, or twice with the same id); hold it back until a time; or post the state change after it
 * first (a reorder). Without a profile every answer is POST_ONCE.
 */
export type Plan =
  | { readonly kind: 'post'; readonly twice: boolean }
  | { readonly kind: 'hold'; readonly hold: Hold }
  /** Lost for good (never posted), or posted once with an empty body: either way done with. */
  | { readonly kind: 'lose' }
  | { readonly kind: 'empty' }
  | { readonly kind: 'partnerFirst'; readonly partner: { readonly row: OutboxRow; readonly index: number }; readonly twice: boolean };

export const POST_ONCE: Plan = { kind: 'post', twice: false };

/** The notification after `i` in the call's order, if it is known and was never tried. */
function partnerOf(row: OutboxRow, i: number, next: OutboxRow | undefined): { row: OutboxRow; index: number } | undefined {
  if (i + 1 < row.notifications.length) return { row, index: i + 1 };
  if (next && next.delivered === 0 && next.attempts === 0 && next.faultHold === undefined && next.notifications.length > 0) return { row: next, index: 0 };
  return undefined;
}

/**
 * The notification faults of one profile, decided per notification from the seed and the
 * notification's place in its call (its outbox row's sequence number and index), so a retry,
 * another instance or another run with the same seed decides the same.
 */
export class DeliveryFaults {
  readonly #seed: number;

  constructor(private readonly profile: FaultProfile) {
    this.#seed = profile.seed;
  }

  #applied(row: OutboxRow, i: number): FaultHold['applied'] {
    return row.faultHold?.index === i ? row.faultHold.applied : [];
  }

  /**
   * The plan for notification `i` of `row` (`next`: the row after it, when read): held back
   * (dropped, then delayed, once each); else, for a state change drawn to be reordered, the state
   * change after it posted first, or a wait within the window for one to come; else posted, twice
   * when drawn to be duplicated.
   */
  plan(row: OutboxRow, i: number, next: OutboxRow | undefined, now: number): Plan {
    const spoiled = this.spoils(row, i);
    if (spoiled) return { kind: spoiled };
    const hold = this.holdBefore(row, i, now);
    if (hold) return { kind: 'hold', hold };
    const twice = this.duplicates(row, i);
    const prior = row.faultHold?.index === i ? row.faultHold : undefined;
    const windowMs = prior?.aheadDelivered ? undefined : this.reorderWindow(row, i);
    if (windowMs === undefined) return { kind: 'post', twice };
    const partner = partnerOf(row, i, next);
    if (partner && isStateChange(partner.row.notifications[partner.index] as CommsNotification)) return { kind: 'partnerFirst', partner, twice };
    if (!partner && next === undefined && !prior?.applied.includes('reorderWait') && now < row.createdAt + windowMs) {
      // Nothing follows yet: wait (within the window) for the next state change to swap with.
      return { kind: 'hold', hold: { fault: 'reorderWait', until: row.createdAt + windowMs } };
    }
    return { kind: 'post', twice };
  }

  /** Before a notification's POST: hold it back (dropped, then delayed), once each. */
  holdBefore(row: OutboxRow, i: number, now: number): Hold | undefined {
    const { drop, delay } = this.profile.notifications ?? {};
    const applied = this.#applied(row, i);
    const kind = kindOf(row.notifications[i] as CommsNotification);
    const key = [row.seq, i];
    if (drop && !applied.includes('dropped') && covers(drop.kinds, kind) && chance(drop.rate, this.#seed, 'drop', ...key)) {
      return { fault: 'dropped', until: now + drop.redeliverAfterMs };
    }
    if (delay && !applied.includes('delayed') && covers(delay.kinds, kind) && chance(delay.rate, this.#seed, 'delay', ...key)) {
      return { fault: 'delayed', until: now + spanMs(delay, (min, max) => between(min, max, this.#seed, 'delayMs', ...key)) };
    }
    return undefined;
  }

  /** Whether a notification is lost for good or posted empty (decided before anything else, so once). */
  spoils(row: OutboxRow, i: number): 'lose' | 'empty' | undefined {
    const { lose, empty } = this.profile.notifications ?? {};
    if (this.#applied(row, i).length > 0) return undefined;
    const kind = kindOf(row.notifications[i] as CommsNotification);
    if (lose && covers(lose.kinds, kind) && chance(lose.rate, this.#seed, 'lose', row.seq, i)) return 'lose';
    if (empty && covers(empty.kinds, kind) && chance(empty.rate, this.#seed, 'empty', row.seq, i)) return 'empty';
    return undefined;
  }

  /** After a notification was delivered: deliver it once more, with the same id. */
  duplicates(row: OutboxRow, i: number): boolean {
    const { duplicate } = this.profile.notifications ?? {};
    const kind = kindOf(row.notifications[i] as CommsNotification);
    return duplicate !== undefined && covers(duplicate.kinds, kind) && chance(duplicate.rate, this.#seed, 'duplicate', row.seq, i);
  }

  /** Whether this state change is to swap with the one after it, and how long to wait for that one. */
  reorderWindow(row: OutboxRow, i: number): number | undefined {
    const { reorder } = this.profile.notifications ?? {};
    if (!reorder || this.#applied(row, i).includes('reordered')) return undefined;
    if (!isStateChange(row.notifications[i] as CommsNotification)) return undefined;
    return chance(reorder.rate, this.#seed, 'reorder', row.seq, i) ? reorder.windowMs : undefined;
  }
}

const covers = (kinds: readonly NotificationKind[] | undefined, kind: NotificationKind) => kinds === undefined || kinds.includes(kind);

/** The notification faults for a call's delivery, or undefined when none apply (always, outside local mode). */
export async function deliveryFaultsFor(s: Services, callId: string, recipient: Recipient): Promise<DeliveryFaults | undefined> {
  if (s.config.mode !== 'local') return undefined;
  const active = await activeProfile(s, { tenantId: recipient.tenantId, appId: recipient.appId }, callId);
  return active && hasNotificationFaults(active.profile) ? new DeliveryFaults(active.profile) : undefined;
}
