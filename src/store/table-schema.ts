import type { TableEntity } from '@azure/data-tables';
import type { Call, Operation, OperationPatch } from '../calls/model';
import type { FaultKind, FaultProfile, NotificationFault } from '../faults/profile';
import type { CommsNotification } from '../graph/notifications';
import { jsonColumns, readJsonColumn, readTextColumn, storedJson, textColumn } from './json-columns';
import { notificationId } from './notification-id';

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
 * one of apps' fault profiles and fault counts (FAULTS_PARTITION), row key app|{tenantId}|{appId}.
 */
/** An entity-group transaction holds at most this many entities (Table Storage's limit). */
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

type Entity = TableEntity<Record<string, unknown>>;

/** Drops undefined values: the table SDK would write them as nulls. */
function defined(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
}

export interface CallRecord {
  readonly call: Call;
  /** The next outbox sequence number for this call. */
  readonly outboxSeq: number;
  /**
   * The ids of the last commits, newest first, so a writer whose reply was lost can tell that it
   * succeeded, even when others have committed since.
   */
  readonly changeIds?: readonly string[];
  /** Set by the sweeper before it deletes an ended call; nothing may commit to it any more. */
  readonly deleting?: boolean;
}

/** How many commit ids the call row remembers. */
export const REMEMBERED_CHANGES = 16;

export function callEntity({ call, outboxSeq, changeIds }: CallRecord): Entity {
  return {
    partitionKey: call.id,
    rowKey: CALL_ROW,
    ...defined({
      ownerTenantId: call.owner.tenantId,
      ownerAppId: call.owner.appId,
      [COLUMN.state]: call.state,
      direction: call.direction,
      callbackUri: call.callbackUri,
      family: call.family,
      apiVersion: call.apiVersion,
      mediaHosting: call.mediaHosting,
      baseUrl: call.baseUrl,
      nextToneSequenceId: call.nextToneSequenceId,
      [COLUMN.timerToken]: call.timer?.token,
      [COLUMN.timerDueAt]: call.timer?.dueAt,
      [COLUMN.keepAliveToken]: call.keepAlive?.token,
      [COLUMN.keepAliveDueAt]: call.keepAlive?.dueAt,
      stateDeadline: call.stateDeadline,
      transferFate: call.transferFate,
      recordingStatus: call.recordingStatus,
      dtmf: call.dtmf && call.dtmf.length > 0 ? storedJson(call.dtmf) : undefined,
      version: call.version,
      createdAt: call.createdAt,
      [COLUMN.endedAt]: call.endedAt,
      outboxSeq,
      changeIds: changeIds && storedJson(changeIds),
      running: call.running && storedJson(call.running),
      toneSubscription: call.toneSubscription && storedJson(call.toneSubscription),
      resultInfo: call.resultInfo && storedJson(call.resultInfo),
    }),
    ...jsonColumns('resource', call.resource),
    ...jsonColumns('mediaQueue', call.mediaQueue),
    ...(call.transfer && jsonColumns('transfer', call.transfer)),
  };
}

const json = <T>(value: unknown): T | undefined => (typeof value === 'string' && value !== '' ? (JSON.parse(value) as T) : undefined);

export function callFromEntity(e: Readonly<Record<string, unknown>>): CallRecord {
  const timerToken = e[COLUMN.timerToken];
  const keepAliveToken = e[COLUMN.keepAliveToken];
  const state = e[COLUMN.state] as Call['state'];
  const timer = typeof timerToken === 'string' ? { token: timerToken, dueAt: Number(e[COLUMN.timerDueAt]) } : undefined;
  const num = (key: string) => (typeof e[key] === 'number' ? (e[key] as number) : undefined);
  // Rows written before stateDeadline existed kept an establishing or incoming call's deadline in its timer.
  const stateDeadline = num('stateDeadline') ?? ((state === 'establishing' || state === 'incoming') && timer ? timer.dueAt : undefined);
  const call: Call = {
    id: String(e['partitionKey']),
    owner: { tenantId: String(e['ownerTenantId']), appId: String(e['ownerAppId']) },
    state,
    direction: e['direction'] as Call['direction'],
    callbackUri: String(e['callbackUri']),
    family: e['family'] as Call['family'],
    apiVersion: e['apiVersion'] as Call['apiVersion'],
    mediaHosting: e['mediaHosting'] as Call['mediaHosting'],
    baseUrl: String(e['baseUrl']),
    resource: readJsonColumn(e, 'resource') ?? {},
    mediaQueue: readJsonColumn(e, 'mediaQueue') ?? [],
    nextToneSequenceId: Number(e['nextToneSequenceId']),
    version: Number(e['version']),
    createdAt: Number(e['createdAt']),
    ...defined({
      // 'head' is the column's name in tables written by earlier versions.
      running: json(e['running'] ?? e['head']),
      toneSubscription: json(e['toneSubscription']),
      resultInfo: json(e['resultInfo']),
      timer,
      keepAlive: typeof keepAliveToken === 'string' ? { token: keepAliveToken, dueAt: Number(e[COLUMN.keepAliveDueAt]) } : undefined,
      stateDeadline,
      transfer: readJsonColumn(e, 'transfer'),
      transferFate: e['transferFate'] as Call['transferFate'],
      recordingStatus: e['recordingStatus'] as Call['recordingStatus'],
      dtmf: json(e['dtmf']),
      endedAt: num(COLUMN.endedAt),
    }),
  };
  return {
    call,
    outboxSeq: Number(e['outboxSeq']),
    changeIds: json<string[]>(e['changeIds']) ?? [],
    ...(e[COLUMN.deleting] === true && { deleting: true }),
  };
}

export function operationEntity(op: Operation): Entity {
  return {
    partitionKey: op.callId,
    rowKey: operationRowKey(op.id),
    ...defined({
      ownerTenantId: op.owner.tenantId,
      ownerAppId: op.owner.appId,
      type: op.type,
      createdAt: op.createdAt,
    }),
    ...(op.parameters && jsonColumns('parameters', op.parameters)),
    ...patchFields(op),
    ...textColumn('clientContext', op.clientContext),
  };
}

/** The changing fields of an operation, as a Merge onto its row. */
export function operationPatchEntity(callId: string, patch: OperationPatch): Entity {
  return { partitionKey: callId, rowKey: operationRowKey(patch.id), ...patchFields(patch) };
}

function patchFields(op: OperationPatch): Record<string, unknown> {
  return defined({
    status: op.status,
    version: op.version,
    resultInfo: op.resultInfo && storedJson(op.resultInfo),
    completionReason: op.completionReason,
    recordingLocation: op.recordingLocation,
    recordingAccessToken: op.recordingAccessToken,
    recordedMs: op.recordedMs,
    endedAt: op.endedAt,
  });
}

export function operationFromEntity(e: Readonly<Record<string, unknown>>): Operation {
  const str = (key: string) => (typeof e[key] === 'string' ? (e[key] as string) : undefined);
  const num = (key: string) => (typeof e[key] === 'number' ? (e[key] as number) : undefined);
  return {
    id: String(e['rowKey']).slice(OPERATION_PREFIX.length),
    callId: String(e['partitionKey']),
    owner: { tenantId: String(e['ownerTenantId']), appId: String(e['ownerAppId']) },
    type: e['type'] as Operation['type'],
    status: e['status'] as Operation['status'],
    version: Number(e['version']),
    createdAt: Number(e['createdAt']),
    ...defined({
      clientContext: readTextColumn(e, 'clientContext'),
      resultInfo: json(e['resultInfo']),
      completionReason: str('completionReason'),
      parameters: readJsonColumn(e, 'parameters'),
      recordingLocation: str('recordingLocation'),
      recordingAccessToken: str('recordingAccessToken'),
      recordedMs: num('recordedMs'),
      endedAt: num('endedAt'),
    }),
  } as Operation;
}

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

/** The call's drain lease: who delivers its outbox, until when (epoch ms), and where its delivery log goes on. */
export interface DrainLease {
  readonly holder: string;
  readonly until: number;
  readonly logNext: number;
}

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
  readonly fault?: NotificationFault;
  /** About the answer: e.g. its body was too large to read. */
  readonly note?: string;
}

export function deliveryLogEntity(callId: string, entry: DeliveryLogEntry): Entity {
  return { partitionKey: callId, rowKey: deliveryLogRowKey(entry.n), ...defined({ ...entry }) };
}

export function deliveryLogFromEntity(e: Readonly<Record<string, unknown>>): DeliveryLogEntry {
  const num = (key: string) => (typeof e[key] === 'number' ? (e[key] as number) : undefined);
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
      fault: typeof e['fault'] === 'string' ? (e['fault'] as NotificationFault) : undefined,
      note: typeof e['note'] === 'string' ? e['note'] : undefined,
    }),
    latencyMs: Number(e['latencyMs'] ?? 0),
  };
}

/**
 * A recipient's (callback origin's) circuit breaker. Closed: deliveries go the fast lane. Open:
 * the origin failed `failures` times in a row; its deliveries wait in the slow lane, where one
 * probe at a time, no earlier than `probeAt`, finds out whether it answers again.
 */
export interface CircuitRecord {
  readonly origin: string;
  readonly state: 'closed' | 'open';
  readonly failures: number;
  readonly openedAt?: number;
  readonly probeAt?: number;
  /** Probes that failed since it opened: the wait between probes doubles with each. */
  readonly probes?: number;
  readonly lastError?: string;
  readonly changedAt: number;
}

export function circuitEntity(record: CircuitRecord): Entity {
  return {
    partitionKey: CIRCUIT_PARTITION,
    rowKey: circuitRowKey(record.origin),
    ...defined({
      origin: record.origin,
      [COLUMN.circuitState]: record.state,
      failures: record.failures,
      openedAt: record.openedAt,
      [COLUMN.probeAt]: record.probeAt,
      probes: record.probes,
      lastError: record.lastError,
      changedAt: record.changedAt,
    }),
  };
}

export function circuitFromEntity(e: Readonly<Record<string, unknown>>): CircuitRecord {
  const num = (key: string) => (typeof e[key] === 'number' ? (e[key] as number) : undefined);
  return {
    origin: String(e['origin']),
    state: e[COLUMN.circuitState] === 'open' ? 'open' : 'closed',
    failures: Number(e['failures'] ?? 0),
    changedAt: Number(e['changedAt'] ?? 0),
    ...defined({
      openedAt: num('openedAt'),
      probeAt: num(COLUMN.probeAt),
      probes: num('probes'),
      lastError: typeof e['lastError'] === 'string' ? e['lastError'] : undefined,
    }),
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
    ids: json<string[]>(e['ids']) ?? notifications.map((_, i) => notificationId(callId, seq, i)),
    recipient: json<Recipient>(e['recipient']) ?? { callbackUri: '', appId: '', tenantId: '', baseUrl: '' },
    notifications,
    createdAt: Number(e['createdAt']),
    delivered: Number(e['delivered'] ?? 0),
    attempts: Number(e['attempts'] ?? 0),
    nextAttemptAt: Number(e[COLUMN.nextAttemptAt] ?? 0),
    ...defined({
      lastError: typeof e['lastError'] === 'string' ? e['lastError'] : undefined,
      faultHold: json<FaultHold>(e[COLUMN.faultHold]),
    }),
  };
}

/**
 * A fault scope's row: an app's (FAULTS_PARTITION) or a call's (CALL_FAULTS_ROW in its partition).
 * The profile, if one is set there; how many API requests it has seen (what `next` counts); and,
 * on an app's row, how many faults were injected for the app since `since`.
 */
export interface FaultRecord {
  readonly profile?: FaultProfile;
  /** On a call's row: the app that set it, the only one it applies to. */
  readonly ownerAppId?: string;
  readonly requests: number;
  readonly counts: Readonly<Partial<Record<FaultKind, number>>>;
  readonly since: number;
  /** On an app's row: a call of the app was given a profile of its own. */
  readonly callProfiles?: boolean;
}

export function faultRecordEntity(partitionKey: string, rowKey: string, record: FaultRecord): Entity {
  return {
    partitionKey,
    rowKey,
    ...defined({
      [COLUMN.faultProfile]: record.profile && storedJson(record.profile),
      [COLUMN.faultOwnerAppId]: record.ownerAppId,
      [COLUMN.faultRequests]: record.requests,
      [COLUMN.faultCounts]: storedJson(record.counts),
      [COLUMN.faultsSince]: record.since,
      [COLUMN.faultCallProfiles]: record.callProfiles,
    }),
  };
}

export function faultRecordFromEntity(e: Readonly<Record<string, unknown>>): FaultRecord {
  return {
    requests: Number(e[COLUMN.faultRequests] ?? 0),
    counts: json<FaultRecord['counts']>(e[COLUMN.faultCounts]) ?? {},
    since: Number(e[COLUMN.faultsSince] ?? 0),
    ...defined({
      profile: json<FaultProfile>(e[COLUMN.faultProfile]),
      ownerAppId: typeof e[COLUMN.faultOwnerAppId] === 'string' ? e[COLUMN.faultOwnerAppId] : undefined,
      callProfiles: e[COLUMN.faultCallProfiles] === true ? true : undefined,
    }),
  };
}
