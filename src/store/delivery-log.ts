import type { TableClient } from '@azure/data-tables';
import { deliveryLogFromEntity, type DeliveryLogEntry } from './delivery-log-row';
import { DELIVERY_LOG_PREFIX, partitionIs, rowKeysWith } from './table-schema';

/**
 * A call's delivery log: its last DELIVERY_LOG_LIMIT delivery attempts, kept as rows of the call's
 * own partition (so the sweeper deletes them with the call). The drain writes them in the same
 * transaction that records what the attempts did (see OutboxStore.checkpoint).
 */
export class DeliveryLogStore {
  constructor(readonly table: TableClient) {}

  /** The entries, oldest first. */
  async read(callId: string): Promise<DeliveryLogEntry[]> {
    const filter = `${partitionIs(callId)} and ${rowKeysWith(DELIVERY_LOG_PREFIX)}`;
    const entries: DeliveryLogEntry[] = [];
    for await (const e of this.table.listEntities({ queryOptions: { filter } })) entries.push(deliveryLogFromEntity(e));
    return entries.sort((a, b) => a.n - b.n);
  }
}
