import type { TableClient } from '@azure/data-tables';
import { statusOf } from './status';
import { CIRCUIT_PARTITION, circuitEntity, circuitFromEntity, circuitRowKey, type CircuitRecord } from './table-schema';

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
    try {
      const e = await this.table.getEntity(CIRCUIT_PARTITION, circuitRowKey(origin));
      return { record: circuitFromEntity(e), etag: e.etag };
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  /** Writes `record` if the row is still at `etag` (or still absent); the new ETag, or undefined when another writer was first. */
  async save(record: CircuitRecord, etag: string | undefined): Promise<string | undefined> {
    try {
      const entity = circuitEntity(record);
      const response = etag === undefined ? await this.table.createEntity(entity) : await this.table.updateEntity(entity, 'Replace', { etag });
      return response.etag ?? '';
    } catch (error) {
      const status = statusOf(error);
      if (status === 412 || status === 409 || status === 404) return undefined;
      throw error;
    }
  }
}
