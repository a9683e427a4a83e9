import { defined, numberColumn, type Entity } from './columns';
import { CIRCUIT_PARTITION, circuitRowKey, COLUMN } from './table-schema';

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
  const num = (key: string) => numberColumn(e, key);
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
