import type { TableClient, TransactionAction } from '@azure/data-tables';
import type { CallChange, Operation } from '../calls/model';
import type { CommsNotification } from '../graph/notifications';
import { randomUUID } from 'node:crypto';
import { KeyedMutex } from './keyed-mutex';
import { statusOf } from './status';
import { notificationId } from './notification-id';
import {
  CALL_ROW,
  callEntity,
  callFromEntity,
  operationEntity,
  operationFromEntity,
  operationPatchEntity,
  operationRowKey,
  outboxEntity,
  recipientOf,
  REMEMBERED_CHANGES,
  type CallRecord,
} from './rows';

/** A transaction holds at most 100 entities; the domain's queue bound keeps every change below it. */
const MAX_TRANSACTION_ENTITIES = 100;
/** Attempts of a change that keeps losing the race for the call row before we give up (503). */
export const MAX_CHANGE_ATTEMPTS = 12;

export interface LoadedCall {
  readonly record: CallRecord;
  readonly etag: string;
}

/** A decided change and the notifications it produces, to be committed together. */
export interface PlannedChange<R> {
  readonly change: CallChange<R>;
  readonly notifications: readonly CommsNotification[];
  /** Ids the notifications already have (a replay); new ones get ids from their outbox position. */
  readonly notificationIds?: readonly string[];
}

export type Plan<R> = (record: CallRecord) => PlannedChange<R> | undefined;

export interface MutateOptions<R> {
  readonly now: () => number;
  /** Runs after the decision and before its commit (and again for every retry). */
  readonly beforeCommit?: (planned: PlannedChange<R>, before: CallRecord) => Promise<void>;
}

export interface Mutated<R> {
  /** The call as the committed decision saw it. */
  readonly before: CallRecord;
  /** Undefined when the decision was to change nothing. */
  readonly planned?: PlannedChange<R>;
}

export class CallBusyError extends Error {
  override readonly name = 'CallBusyError';
}

/**
 * One partition per call. Every change is one entity-group transaction that replaces the call row
 * under If-Match of the ETag it was decided on, so concurrent writers (instances, retries, a cancel
 * racing a completion) serialize on that row; the loser reloads and decides again.
 */
export class CallStore {
  readonly #local = new KeyedMutex();

  constructor(readonly table: TableClient) {}

  async load(callId: string): Promise<LoadedCall | undefined> {
    try {
      const entity = await this.table.getEntity(callId, CALL_ROW);
      return { record: callFromEntity(entity), etag: entity.etag };
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  async loadOperation(callId: string, operationId: string): Promise<Operation | undefined> {
    try {
      return operationFromEntity(await this.table.getEntity(callId, operationRowKey(operationId)));
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  /** Creates a new call's partition. */
  async insert(planned: PlannedChange<unknown>, now: number): Promise<void> {
    const changeId = randomUUID();
    try {
      await this.#submit(planned, { call: planned.change.call, outboxSeq: 0 }, undefined, now, changeId);
    } catch (error) {
      if (statusOf(error) !== 409 || !(await this.#committed(planned.change.call.id, changeId))) throw error;
    }
  }

  /**
   * Loads the call, lets `plan` decide, runs `beforeCommit`, and commits under the call row's
   * ETag, deciding again when another writer got there first. `plan` returning undefined means no
   * change. Undefined when the call does not exist.
   */
  async mutate<R>(callId: string, plan: Plan<R>, options: MutateOptions<R>): Promise<Mutated<R> | undefined> {
    return this.#local.run(callId, () => this.#mutate(callId, plan, options));
  }

  async #mutate<R>(callId: string, plan: Plan<R>, options: MutateOptions<R>): Promise<Mutated<R> | undefined> {
    for (let attempt = 1; ; attempt++) {
      const loaded = await this.load(callId);
      // A call the sweeper is deleting is as good as gone.
      if (!loaded || loaded.record.deleting) return undefined;
      const planned = plan(loaded.record);
      if (!planned) return { before: loaded.record };
      await options.beforeCommit?.(planned, loaded.record);
      const changeId = randomUUID();
      try {
        await this.#submit(planned, loaded.record, loaded.etag, options.now(), changeId);
        return { before: loaded.record, planned };
      } catch (error) {
        if (statusOf(error) !== 412) throw error;
        // The SDK retries a batch whose reply was lost; the retry then fails on the ETag its own
        // first attempt changed. Our change id on the row means that attempt did commit.
        if (await this.#committed(callId, changeId)) return { before: loaded.record, planned };
        if (attempt >= MAX_CHANGE_ATTEMPTS) throw new CallBusyError(`Call ${callId} is being changed by many requests at once.`);
        // Randomized, growing pause so racing writers spread out.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(200, 5 * 2 ** attempt)));
      }
    }
  }

  async #committed(callId: string, changeId: string): Promise<boolean> {
    return (await this.load(callId))?.record.changeIds?.includes(changeId) ?? false;
  }

  async #submit(planned: PlannedChange<unknown>, before: CallRecord, etag: string | undefined, now: number, changeId: string): Promise<void> {
    const { change, notifications } = planned;
    const hasOutbox = notifications.length > 0;
    const changeIds = [changeId, ...(before.changeIds ?? [])].slice(0, REMEMBERED_CHANGES);
    const record: CallRecord = { call: change.call, outboxSeq: before.outboxSeq + (hasOutbox ? 1 : 0), changeIds };
    const callId = change.call.id;
    const actions: TransactionAction[] = [
      etag === undefined ? ['create', callEntity(record)] : ['update', callEntity(record), 'Replace', { etag }],
      ...change.created.map((op): TransactionAction => ['create', operationEntity(op)]),
      ...change.patches.map((patch): TransactionAction => ['update', operationPatchEntity(callId, patch), 'Merge']),
    ];
    if (hasOutbox) {
      const seq = before.outboxSeq;
      const ids = planned.notificationIds ?? notifications.map((_, i) => notificationId(callId, seq, i));
      const row = { callId, seq, ids, recipient: recipientOf(change.call), notifications, createdAt: now, delivered: 0, attempts: 0, nextAttemptAt: now };
      actions.push(['create', outboxEntity(row)]);
    }
    if (actions.length > MAX_TRANSACTION_ENTITIES) {
      throw new Error(`A change of call ${callId} touches ${actions.length} rows; a transaction holds ${MAX_TRANSACTION_ENTITIES}.`);
    }
    await this.table.submitTransaction(actions);
  }
}
