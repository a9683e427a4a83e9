/**
 * Table rows of one call's partition (PartitionKey = call id):
 *   call                  the call; its ETag versions the whole partition
 *   op|{operationId}      one operation
 *   outbox|{seq}          notifications one change produced, waiting for delivery
 *   outbox                the lease of the one delivery in progress for this call
 *   log|{slot}            the delivery log: the call's last DELIVERY_LOG_LIMIT delivery attempts
 *   faults                the call's own fault profile (local mode; see faults/profile.ts)
 *   history|{seq}         local mode: each change's notifications, kept after delivery for the
 *                         console (columns in notification-history.ts)
 * one partition of dead letters (DEAD_LETTER_PARTITION), row key {callId}|{seq}|{index} (columns
 * in dead-letters.ts), one of
 * recipients' circuit breakers (CIRCUIT_PARTITION), row key the callback origin, base64url, and
 * one of apps' fault profiles and fault counts (FAULTS_PARTITION), row key app|{tenantId}|{appId},
 * and one of the emulator's meetings (MEETINGS_PARTITION), row key the meeting id.
 *
 * This file is the partition map: row keys and the column names queries use. Each row kind's
 * columns are in a file of its own beside its store (call-row.ts, operation-row.ts, outbox-row.ts,
 * delivery-log-row.ts, circuit-row.ts, fault-row.ts), read through columns.ts.
 */
export const CALL_ROW = 'call';
/**
 * The drain lease: whoever holds it is the one delivering this call's outbox. Its key sorts just
 * before the outbox rows, so one range query reads the lease and the rows waiting.
 */
export const DRAIN_LEASE_ROW = 'outbox';
export const OPERATION_PREFIX = 'op|';
export const OUTBOX_PREFIX = 'outbox|';
export const DELIVERY_LOG_PREFIX = 'log|';
/** How many delivery attempts a call's log keeps (a ring: the oldest entry is overwritten). */
export const DELIVERY_LOG_LIMIT = 50;
export const CIRCUIT_PARTITION = '~circuits';
export const FAULTS_PARTITION = '~faults';
/** The emulator's meetings (local mode), row key the meeting id (meeting-store.ts). */
export const MEETINGS_PARTITION = '~meetings';
export const CALL_FAULTS_ROW = 'faults';

/** Column names that queries and partial updates use (the sweeper's scans, the drain lease, outbox progress). */
export const COLUMN = {
  state: 'state',
  endedAt: 'endedAt',
  timerToken: 'timerToken',
  timerDueAt: 'timerDueAt',
  keepAliveToken: 'keepAliveToken',
  keepAliveDueAt: 'keepAliveDueAt',
  /** Set on the call row by the sweeper before it deletes an ended call. */
  deleting: 'deleting',
  nextAttemptAt: 'nextAttemptAt',
  leaseHolder: 'holder',
  leaseUntil: 'until',
  /** On the lease row: the number of the call's next delivery-log entry. */
  logNext: 'logNext',
  circuitState: 'state',
  probeAt: 'probeAt',
  /** On an outbox row: the fault holding back its current notification, and what was applied to it. */
  faultHold: 'faultHold',
  faultProfile: 'profile',
  faultOwnerAppId: 'ownerAppId',
  faultRequests: 'requests',
  faultCounts: 'counts',
  faultsSince: 'since',
  /** On an app's fault row: some call of the app has a profile of its own, worth a second read. */
  faultCallProfiles: 'callProfiles',
} as const;

export const operationRowKey = (id: string) => `${OPERATION_PREFIX}${id}`;
export const outboxRowKey = (seq: number) => `${OUTBOX_PREFIX}${String(seq).padStart(12, '0')}`;
export const deliveryLogRowKey = (n: number) => `${DELIVERY_LOG_PREFIX}${String(n % DELIVERY_LOG_LIMIT).padStart(3, '0')}`;
export const circuitRowKey = (origin: string) => Buffer.from(origin, 'utf8').toString('base64url');
export const appFaultsRowKey = (tenantId: string, appId: string) => `app|${tenantId}|${appId}`;

/**
 * An OData filter for the rows whose key starts with `prefix` (ending in '|', which sorts just
 * before '}'), from `from` on: one way to write every range query of the table.
 */
export function rowKeysWith(prefix: string, from: string = prefix): string {
  return `RowKey ge '${quoted(from)}' and RowKey lt '${quoted(prefix.slice(0, -1))}}'`;
}

/** An OData filter for one partition. */
export function partitionIs(partitionKey: string): string {
  return `PartitionKey eq '${quoted(partitionKey)}'`;
}

const quoted = (value: string) => value.replaceAll("'", "''");
