import type { LoggedFault } from '../faults/profile';
import { defined, numberColumn, type Entity } from './columns';
import { COLUMN, DRAIN_LEASE_ROW, deliveryLogRowKey } from './table-schema';

/** The call's drain lease: who delivers its outbox, until when (epoch ms), and where its delivery log goes on. */
export interface DrainLease {
  readonly holder: string;
  readonly until: number;
  readonly logNext: number;
}

/** An entry before its outcome and place in the log are known. */
export type LogEntryBase = Omit<DeliveryLogEntry, 'n' | 'outcome'>;

export function leaseEntity(callId: string, lease: DrainLease): Entity {
  return { partitionKey: callId, rowKey: DRAIN_LEASE_ROW, [COLUMN.leaseHolder]: lease.holder, [COLUMN.leaseUntil]: lease.until, [COLUMN.logNext]: lease.logNext };
}

export function leaseFromEntity(e: Readonly<Record<string, unknown>>): DrainLease {
  return { holder: String(e[COLUMN.leaseHolder] ?? ''), until: Number(e[COLUMN.leaseUntil] ?? 0), logNext: Number(e[COLUMN.logNext] ?? 0) };
}

/** One delivery attempt of one notification, as the delivery log keeps it. */
export interface DeliveryLogEntry {
  /** The entry's number within the call, from 0; the log keeps the last DELIVERY_LOG_LIMIT. */
  readonly n: number;
  readonly at: number;
  readonly notificationId: string;
  readonly seq: number;
  readonly index: number;
  /** 1 for the first POST of this notification, 2 for its first retry... */
  readonly attempt: number;
  readonly callbackUri: string;
  readonly lane: 'fast' | 'slow';
  /** delivered; failed (will be retried); refused (a final answer); deadLettered (failed at the end of the window). */
  readonly outcome: 'delivered' | 'failed' | 'refused' | 'deadLettered';
  readonly status?: number;
  readonly error?: string;
  readonly latencyMs: number;
  readonly nextAttemptAt?: number;
  /** A fault the call's fault profile injected into this attempt (see faults/profile.ts). */
  readonly fault?: LoggedFault;
  /** About the answer: e.g. its body was too large to read. */
  readonly note?: string;
}

export function deliveryLogEntity(callId: string, entry: DeliveryLogEntry): Entity {
  return { partitionKey: callId, rowKey: deliveryLogRowKey(entry.n), ...defined({ ...entry }) };
}

export function deliveryLogFromEntity(e: Readonly<Record<string, unknown>>): DeliveryLogEntry {
  const num = (key: string) => numberColumn(e, key);
  return {
    n: Number(e['n']),
    at: Number(e['at']),
    notificationId: String(e['notificationId'] ?? ''),
    seq: Number(e['seq']),
    index: Number(e['index']),
    attempt: Number(e['attempt']),
    callbackUri: String(e['callbackUri'] ?? ''),
    lane: e['lane'] === 'slow' ? 'slow' : 'fast',
    outcome: e['outcome'] as DeliveryLogEntry['outcome'],
    ...defined({
      status: num('status'),
      error: typeof e['error'] === 'string' ? e['error'] : undefined,
      nextAttemptAt: num('nextAttemptAt'),
      fault: typeof e['fault'] === 'string' ? (e['fault'] as LoggedFault) : undefined,
      note: typeof e['note'] === 'string' ? e['note'] : undefined,
    }),
    latencyMs: Number(e['latencyMs'] ?? 0),
  };
}
