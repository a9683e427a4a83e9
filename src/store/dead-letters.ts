import type { TableClient } from '@azure/data-tables';
import { unlessAbsent } from './status';
import { jsonColumns, readJsonColumn, storedJson } from './json-columns';
import type { OutboxRow, Recipient } from './outbox-row';
import { partitionIs, rowKeysWith } from './table-schema';

/** Dead letters live in one partition of the calls table, keyed {callId}|{seq}|{index}. */
export const DEAD_LETTER_PARTITION = '~deadletters';

export interface DeadLetterKey {
  readonly callId: string;
  readonly seq: number;
  /** The position in its outbox row of the first notification kept here. */
  readonly index: number;
}

/**
 * Notifications that could not be delivered within the retry window, kept for inspection and
 * replay: what is left of an outbox row (those not delivered, in order, with their ids).
 */
export interface DeadLetter extends DeadLetterKey, Pick<OutboxRow, 'recipient' | 'notifications' | 'ids' | 'attempts'> {
  /** `{callId}.{seq}.{index}`, as the dead-letter routes name it. */
  readonly id: string;
  readonly firstQueuedAt: number;
  readonly deadAt: number;
  readonly reason: string;
  readonly lastError: string;
}

const rowKey = ({ callId, seq, index }: DeadLetterKey) => `${callId}|${String(seq).padStart(12, '0')}|${String(index).padStart(3, '0')}`;

export function deadLetterId({ callId, seq, index }: DeadLetterKey): string {
  return `${callId}.${seq}.${index}`;
}

export function parseDeadLetterId(id: string): DeadLetterKey | undefined {
  const m = /^([0-9a-f-]{36})\.(\d{1,12})\.(\d{1,3})$/.exec(id);
  return m ? { callId: m[1] as string, seq: Number(m[2]), index: Number(m[3]) } : undefined;
}

export class DeadLetterStore {
  constructor(readonly table: TableClient) {}

  /**
   * Keeps notifications [from, to) of an outbox row. Idempotent (the key is the row and position),
   * so a crash before the outbox row is updated only repeats it.
   */
  async bury(row: OutboxRow, from: number, to: number, failure: { reason: string; lastError: string; attempts: number; now: number }): Promise<DeadLetter> {
    const key = { callId: row.callId, seq: row.seq, index: from };
    const letter: DeadLetter = {
      id: deadLetterId(key),
      ...key,
      recipient: row.recipient,
      notifications: row.notifications.slice(from, to),
      ids: row.ids.slice(from, to),
      attempts: failure.attempts,
      firstQueuedAt: row.createdAt,
      deadAt: failure.now,
      reason: failure.reason,
      lastError: failure.lastError,
    };
    await this.table.upsertEntity(
      {
        partitionKey: DEAD_LETTER_PARTITION,
        rowKey: rowKey(key),
        callId: letter.callId,
        seq: letter.seq,
        index: letter.index,
        recipient: storedJson(letter.recipient),
        ...jsonColumns('notifications', letter.notifications),
        ids: storedJson(letter.ids),
        attempts: letter.attempts,
        firstQueuedAt: letter.firstQueuedAt,
        deadAt: letter.deadAt,
        reason: letter.reason,
        lastError: letter.lastError,
      },
      'Replace',
    );
    return letter;
  }

  /** Every dead letter of one call, in order. */
  async ofCall(callId: string): Promise<DeadLetter[]> {
    const filter = `${partitionIs(DEAD_LETTER_PARTITION)} and ${rowKeysWith(`${callId}|`)}`;
    const letters: DeadLetter[] = [];
    for await (const e of this.table.listEntities({ queryOptions: { filter } })) letters.push(fromEntity(e));
    return letters;
  }

  /** One page of the dead letters (of one call), in key order; `next` continues after it. */
  async page(callId: string | undefined, page: { readonly size: number; readonly after?: string }): Promise<{ letters: DeadLetter[]; next?: string }> {
    const partition = partitionIs(DEAD_LETTER_PARTITION);
    const filter = callId ? `${partition} and ${rowKeysWith(`${callId}|`)}` : partition;
    const pages = this.table.listEntities({ queryOptions: { filter } }).byPage({ maxPageSize: page.size, ...(page.after !== undefined && { continuationToken: page.after }) });
    const { value } = await pages.next();
    const entities = (value ?? []) as (Record<string, unknown> & { continuationToken?: string })[];
    const next = (value as { continuationToken?: string } | undefined)?.continuationToken;
    return { letters: entities.map((e) => fromEntity(e)), ...(next && { next }) };
  }

  async get(key: DeadLetterKey): Promise<DeadLetter | undefined> {
    const entity = await unlessAbsent(this.table.getEntity(DEAD_LETTER_PARTITION, rowKey(key)));
    return entity && fromEntity(entity);
  }

  async remove(key: DeadLetterKey): Promise<void> {
    await unlessAbsent(this.table.deleteEntity(DEAD_LETTER_PARTITION, rowKey(key)));
  }
}

function fromEntity(e: Readonly<Record<string, unknown>>): DeadLetter {
  const key = { callId: String(e['callId']), seq: Number(e['seq']), index: Number(e['index'] ?? 0) };
  return {
    id: deadLetterId(key),
    ...key,
    recipient: JSON.parse(String(e['recipient'])) as Recipient,
    notifications: readJsonColumn(e, 'notifications') ?? [],
    ids: JSON.parse(String(e['ids'] ?? '[]')) as string[],
    attempts: Number(e['attempts']),
    firstQueuedAt: Number(e['firstQueuedAt']),
    deadAt: Number(e['deadAt']),
    reason: String(e['reason']),
    lastError: String(e['lastError'] ?? ''),
  };
}
