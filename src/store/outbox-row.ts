import type { Call } from '../calls/model';
import type { InjectedFault } from '../calls/platform-faults';
import type { NotificationFault } from '../faults/profile';
import type { CommsNotification } from '../graph/notifications';
import { defined, json, type Entity } from './columns';
import { jsonColumns, readJsonColumn, storedJson } from './json-columns';
import { COLUMN, OUTBOX_PREFIX, outboxRowKey } from './table-schema';

/** Where and as whom a call's notifications are delivered, copied into each outbox row. */
export interface Recipient {
  readonly callbackUri: string;
  /** The token's audience: the app that owns the call. */
  readonly appId: string;
  readonly tenantId: string;
  /** The service URL the bot uses (the token's issuer when PUBLIC_BASE_URL is not set). */
  readonly baseUrl: string;
  readonly callChainId?: string;
}

/** Notifications waiting for delivery: delivered one POST each, in order; `delivered` counts those done. */
export interface OutboxRow {
  readonly callId: string;
  readonly seq: number;
  readonly recipient: Recipient;
  readonly notifications: readonly CommsNotification[];
  /** Each notification's stable id, kept with it through retries, dead letters and replays. */
  readonly ids: readonly string[];
  readonly createdAt: number;
  readonly delivered: number;
  readonly attempts: number;
  readonly nextAttemptAt: number;
  readonly lastError?: string;
  readonly faultHold?: FaultHold;
  /** Notifications (by index) that tell of a failure a fault profile injected into the call. */
  readonly injected?: Readonly<Record<number, InjectedFault>>;
}

/**
 * Faults a profile applied to the notification at `index` (the row's current one), so that each
 * is applied once: a delayed or dropped notification is held until the row's nextAttemptAt, then
 * delivered without being held again.
 */
export interface FaultHold {
  readonly index: number;
  /** What was applied: a delivery-log fault, or `reorderWait` (waiting for a state change to swap with). */
  readonly applied: readonly (NotificationFault | 'reorderWait')[];
  /** The notification after this one was delivered ahead of it (a reorder): skip it once this is delivered. */
  readonly aheadDelivered?: boolean;
  /** A POST after the hold happened: later attempts are plain retries. */
  readonly posted?: boolean;
}

export function outboxEntity(row: OutboxRow): Entity {
  return {
    partitionKey: row.callId,
    rowKey: outboxRowKey(row.seq),
    ...jsonColumns('notifications', row.notifications),
    ids: storedJson(row.ids),
    recipient: storedJson(row.recipient),
    ...defined({
      createdAt: row.createdAt,
      delivered: row.delivered,
      attempts: row.attempts,
      [COLUMN.nextAttemptAt]: row.nextAttemptAt,
      lastError: row.lastError,
      [COLUMN.faultHold]: row.faultHold && storedJson(row.faultHold),
      injected: row.injected && storedJson(row.injected),
    }),
  };
}

/** The progress of a delivery that failed, as a Merge onto its outbox row. */
export function outboxProgressEntity(row: Pick<OutboxRow, 'callId' | 'seq'>, progress: Pick<OutboxRow, 'delivered' | 'attempts' | 'nextAttemptAt' | 'lastError' | 'faultHold'>): Entity {
  return {
    partitionKey: row.callId,
    rowKey: outboxRowKey(row.seq),
    delivered: progress.delivered,
    attempts: progress.attempts,
    [COLUMN.nextAttemptAt]: progress.nextAttemptAt,
    lastError: progress.lastError ?? '',
    // A Merge: without a hold of its own, the row keeps the one it has (inert once `delivered` moves past it).
    ...(progress.faultHold && { [COLUMN.faultHold]: storedJson(progress.faultHold) }),
  };
}


export function recipientOf(call: Call): Recipient {
  const chain = call.resource['callChainId'];
  return {
    callbackUri: call.callbackUri,
    appId: call.owner.appId,
    tenantId: call.owner.tenantId,
    baseUrl: call.baseUrl,
    ...(typeof chain === 'string' && { callChainId: chain }),
  };
}

export function outboxFromEntity(e: Readonly<Record<string, unknown>>): OutboxRow {
  const callId = String(e['partitionKey']);
  const seq = Number(String(e['rowKey']).slice(OUTBOX_PREFIX.length));
  const notifications = readJsonColumn<CommsNotification[]>(e, 'notifications') ?? [];
  return {
    callId,
    seq,
    ids: json<string[]>(e['ids']) ?? [],
    recipient: json<Recipient>(e['recipient']) ?? { callbackUri: '', appId: '', tenantId: '', baseUrl: '' },
    notifications,
    createdAt: Number(e['createdAt']),
    delivered: Number(e['delivered'] ?? 0),
    attempts: Number(e['attempts'] ?? 0),
    nextAttemptAt: Number(e[COLUMN.nextAttemptAt] ?? 0),
    ...defined({
      lastError: typeof e['lastError'] === 'string' ? e['lastError'] : undefined,
      faultHold: json<FaultHold>(e[COLUMN.faultHold]),
      injected: json<OutboxRow['injected']>(e['injected']),
    }),
  };
}
