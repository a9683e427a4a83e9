import type { TableClient } from '@azure/data-tables';
import { unlessAbsent, unlessSomeoneElseDid } from './status';
import { circuitEntity, circuitFromEntity, type CircuitRecord } from './circuit-row';
import { CIRCUIT_PARTITION, circuitRowKey } from './table-schema';

export interface ReadCircuit {
  readonly record: CircuitRecord;
  readonly etag: string;
}

/**
 * Recipients' circuit breakers, one row per callback origin in one partition, so every instance
 * sees the same state. Writes are guarded by the ETag they were decided on.
 */
export class CircuitStore {
  constructor(readonly table: TableClient) {}

  async get(origin: string): Promise<ReadCircuit | undefined> {
    const e = await unlessAbsent(this.table.getEntity(CIRCUIT_PARTITION, circuitRowKey(origin)));
    return e && { record: circuitFromEntity(e), etag: e.etag };
  }

  /** Writes `record` if the row is still at `etag` (or still absent); the new ETag, or undefined when another writer was first. */
  async save(record: CircuitRecord, etag: string | undefined): Promise<string | undefined> {
    const entity = circuitEntity(record);
    const response = await unlessSomeoneElseDid(etag === undefined ? this.table.createEntity(entity) : this.table.updateEntity(entity, 'Replace', { etag }));
    return response && (response.etag ?? '');
  }
}
