import type { TableClient } from '@azure/data-tables';
import type { Meeting } from '../calls/meetings';
import { jsonColumns, readJsonColumn } from './json-columns';
import { unlessAbsent, unlessSomeoneElseDid } from './status';
import { MEETINGS_PARTITION, partitionIs } from './table-schema';

/** Writers of one meeting that keep losing the ETag race give up after this many tries. */
const MAX_TRIES = 20;

/**
 * The emulator's meetings (local mode), one row each in MEETINGS_PARTITION, so every instance and
 * every bot call joined to a meeting sees the same one. Changes are read-modify-write under the
 * row's ETag.
 */
export class MeetingStore {
  constructor(readonly table: TableClient) {}

  async get(id: string): Promise<Meeting | undefined> {
    const e = await unlessAbsent(this.table.getEntity(MEETINGS_PARTITION, id));
    return e && readJsonColumn<Meeting>(e, 'meeting');
  }

  async create(meeting: Meeting): Promise<void> {
    await this.table.createEntity({ partitionKey: MEETINGS_PARTITION, rowKey: meeting.id, ...jsonColumns('meeting', meeting) });
  }

  /** The meetings of a tenant, oldest first (at most `limit`). */
  async list(tenantId: string, limit = 100): Promise<Meeting[]> {
    const found: Meeting[] = [];
    for await (const e of this.table.listEntities({ queryOptions: { filter: partitionIs(MEETINGS_PARTITION) } })) {
      const meeting = readJsonColumn<Meeting>(e, 'meeting');
      if (meeting?.owner.tenantId === tenantId) found.push(meeting);
      if (found.length >= limit) break;
    }
    return found.sort((a, b) => a.createdAt - b.createdAt);
  }

  /** Changes a meeting (`change` may throw to refuse); undefined when there is no such meeting. */
  async update(id: string, change: (meeting: Meeting) => Meeting): Promise<Meeting | undefined> {
    for (let attempt = 1; ; attempt++) {
      const e = await unlessAbsent(this.table.getEntity(MEETINGS_PARTITION, id));
      const meeting = e && readJsonColumn<Meeting>(e, 'meeting');
      if (!e || !meeting) return undefined;
      const next = change(meeting);
      const written = await unlessSomeoneElseDid(this.table.updateEntity({ partitionKey: MEETINGS_PARTITION, rowKey: id, ...jsonColumns('meeting', next) }, 'Replace', { etag: e.etag }));
      if (written) return next;
      if (attempt >= MAX_TRIES) throw new Error(`Meeting ${id} is being changed by many writers at once.`);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(100, 5 * 2 ** attempt)));
    }
  }
}
