import type { TableClient, TransactionAction } from '@azure/data-tables';
import type { CallChange, CallEvent, Operation } from '../calls/model';
import type { CommsNotification } from '../graph/notifications';
import { assertFitsAzure } from './azure-limits';
import { unlessAbsent, unlessSomeoneElseDid } from './status';
import { historyEntity } from './notification-history';
import { notificationId } from './notification-id';
import { callEntity, callFromEntity, REMEMBERED_CHANGES, type CallRecord } from './call-row';
import { operationEntity, operationFromEntity, operationPatchEntity } from './operation-row';
import { outboxEntity, recipientOf, type OutboxRow } from './outbox-row';
import { CALL_ROW, OPERATION_PREFIX, operationRowKey, partitionIs, rowKeysWith } from './table-schema';
import { RememberedCalls, type LoadedCall } from './remembered-calls';

export type { LoadedCall } from './remembered-calls';

/** One change of one call, ready to be written: the decision, its notifications, and what it was decided on. */
export interface ChangeToSubmit {
  readonly change: CallChange<unknown>;
  readonly notifications: readonly CommsNotification[];
  /** Ids the notifications already have (a dead letter's replay); new ones get ids from their outbox position. */
  readonly notificationIds?: readonly string[] | undefined;
  /** The call as loaded; undefined for a new call. */
  readonly loaded: LoadedCall | undefined;
  /** Written on the call row, so a writer whose reply was lost can tell that it committed. */
  readonly changeId: string;
  readonly now: number;
}

/** `conflict`: another writer committed first (the ETag moved), or the new call's id exists. */
export type SubmitResult = 'committed' | 'conflict';

/**
 * The calls table, one partition per call: plain storage calls, no decisions. A change is one
 * entity-group transaction that writes the call row under If-Match of the ETag it was decided on,
 * with the operation rows and the outbox row it produced, so concurrent writers serialize on it.
 */
export interface CallStoreOptions {
  /** Keep a copy of every change's notifications (notification-history.ts), for the local console. */
  readonly keepHistory?: boolean;
}

export class CallStore {
  readonly #remembered = new RememberedCalls();

  constructor(
    readonly table: TableClient,
    readonly options: CallStoreOptions = {},
  ) {}

  /** The call row as storage has it now. */
  async load(callId: string): Promise<LoadedCall | undefined> {
    const entity = await unlessAbsent(this.table.getEntity(callId, CALL_ROW));
    const loaded = entity && { record: callFromEntity(entity), etag: entity.etag };
    this.#remembered.read(callId, loaded);
    return loaded;
  }

  /** The row this instance last read or wrote, to decide on without reading (remembered-calls.ts); undefined: load it. */
  lend(callId: string): LoadedCall | undefined {
    return this.#remembered.lend(callId);
  }

  async loadOperation(callId: string, operationId: string): Promise<Operation | undefined> {
    const entity = await unlessAbsent(this.table.getEntity(callId, operationRowKey(operationId)));
    return entity && operationFromEntity(entity);
  }

  /** One page of a call's operations, in key order; `next` continues after it. */
  async operationsPage(callId: string, page: { readonly size: number; readonly after?: string }): Promise<{ operations: Operation[]; next?: string }> {
    const filter = `${partitionIs(callId)} and ${rowKeysWith(OPERATION_PREFIX)}`;
    const pages = this.table.listEntities({ queryOptions: { filter } }).byPage({ maxPageSize: page.size, ...(page.after !== undefined && { continuationToken: page.after }) });
    const { value } = await pages.next();
    const next = (value as { continuationToken?: string } | undefined)?.continuationToken;
    return { operations: ((value ?? []) as Record<string, unknown>[]).map((e) => operationFromEntity(e)), ...(next && { next }) };
  }

  /** Writes one change in one transaction; `conflict` when the call moved on (412), already exists (409) or is gone (404). */
  async submit(submission: ChangeToSubmit): Promise<SubmitResult> {
    const actions = changeTransaction(submission, this.options.keepHistory === true);
    const written = await unlessSomeoneElseDid(this.table.submitTransaction(actions));
    const callId = submission.change.call.id;
    if (written === undefined) {
      this.#remembered.refused(callId, submission.loaded);
      return 'conflict';
    }
    // The call row is the transaction's first entity, so its ETag is the first sub-response's.
    const etag = written.subResponses[0]?.etag?.trim();
    const row = actions[0]?.[1];
    this.#remembered.wrote(callId, submission.loaded, etag && row ? { record: callFromEntity(row), etag } : undefined);
    return 'committed';
  }
}

/** Which of a change's notifications (one per event) tell of an injected failure; undefined when none do. */
function injectedOf(events: readonly CallEvent[]): OutboxRow['injected'] {
  const marked = events.flatMap((e, i) => ('injected' in e && e.injected ? [[i, e.injected] as const] : []));
  return marked.length > 0 ? Object.fromEntries(marked) : undefined;
}

/** The one transaction a change is: exported so the benchmarks' storage floor writes exactly what the service writes. */
export function changeTransaction({ change, notifications, notificationIds, loaded, changeId, now }: ChangeToSubmit, keepHistory: boolean): TransactionAction[] {
  const before: CallRecord = loaded?.record ?? { call: change.call, outboxSeq: 0 };
  const hasOutbox = notifications.length > 0;
  const changeIds = [changeId, ...(before.changeIds ?? [])].slice(0, REMEMBERED_CHANGES);
  const record: CallRecord = { call: change.call, outboxSeq: before.outboxSeq + (hasOutbox ? 1 : 0), changeIds };
  const callId = change.call.id;
  const actions: TransactionAction[] = [
    loaded === undefined ? ['create', callEntity(record)] : ['update', callEntity(record), 'Replace', { etag: loaded.etag }],
    ...change.created.map((op): TransactionAction => ['create', operationEntity(op)]),
    ...change.patches.map((patch): TransactionAction => ['update', operationPatchEntity(callId, patch), 'Merge']),
  ];
  if (hasOutbox) {
    const seq = before.outboxSeq;
    const ids = notificationIds ?? notifications.map((_, i) => notificationId(callId, seq, i));
    const injected = notificationIds ? undefined : injectedOf(change.events);
    actions.push(['create', outboxEntity({ callId, seq, ids, recipient: recipientOf(change.call), notifications, createdAt: now, delivered: 0, attempts: 0, nextAttemptAt: now, ...(injected && { injected }) })]);
    if (keepHistory) actions.push(['create', historyEntity(callId, { seq, at: now, ids, notifications })]);
  }
  assertFitsAzure(actions, `This change of call ${callId}`);
  return actions;
}
