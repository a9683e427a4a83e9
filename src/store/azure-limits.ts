import type { TransactionAction } from '@azure/data-tables';

/**
 * Azure Table Storage's limits, which Azurite does not enforce: an entity of at most 1 MiB and 252
 * properties of its own, a transaction of at most 100 entities and 4 MiB. A change that would break
 * one is refused here, the same locally as on Azure, instead of failing only once deployed.
 * Sizes are counted as Azure documents them: strings in UTF-16, two bytes a code unit.
 */
export const MAX_ENTITY_BYTES = 1024 * 1024;
export const MAX_ENTITY_PROPERTIES = 252;
export const MAX_TRANSACTION_BYTES = 4 * 1024 * 1024;
export const MAX_TRANSACTION_ENTITIES = 100;

export class TooLargeForStorage extends Error {
  override readonly name = 'TooLargeForStorage';
}

const SYSTEM = new Set(['partitionKey', 'rowKey', 'etag', 'timestamp']);

/** An entity's size as Azure counts it: keys, then each property's name and value. */
export function entityBytes(entity: Readonly<Record<string, unknown>>): number {
  let bytes = 4 + 2 * String(entity['partitionKey'] ?? '').length + 2 * String(entity['rowKey'] ?? '').length;
  for (const [name, value] of Object.entries(entity)) {
    if (SYSTEM.has(name) || value === undefined || value === null) continue;
    bytes += 8 + 2 * name.length + valueBytes(value);
  }
  return bytes;
}

function valueBytes(value: unknown): number {
  if (typeof value === 'string') return 4 + 2 * value.length;
  if (typeof value === 'boolean') return 1;
  if (typeof value === 'number' || typeof value === 'bigint' || value instanceof Date) return 8;
  if (value instanceof Uint8Array) return 4 + value.byteLength;
  if (typeof value === 'object' && 'value' in (value as object)) return valueBytes((value as { value: unknown }).value);
  return 4 + 2 * JSON.stringify(value).length;
}

/** Throws TooLargeForStorage, naming the limit, when Azure would refuse the transaction. */
export function assertFitsAzure(actions: readonly TransactionAction[], what: string): void {
  if (actions.length > MAX_TRANSACTION_ENTITIES) throw new TooLargeForStorage(`${what} would write ${actions.length} rows at once; Azure Table Storage takes ${MAX_TRANSACTION_ENTITIES}.`);
  let total = 0;
  for (const [, entity] of actions) {
    const record = entity as Record<string, unknown>;
    const properties = Object.keys(record).filter((name) => !SYSTEM.has(name) && record[name] !== undefined).length;
    if (properties > MAX_ENTITY_PROPERTIES) throw new TooLargeForStorage(`${what} would store ${properties} properties in one row; Azure Table Storage takes ${MAX_ENTITY_PROPERTIES}.`);
    const bytes = entityBytes(record);
    if (bytes > MAX_ENTITY_BYTES) throw new TooLargeForStorage(`${what} would store a row of ${bytes} bytes; Azure Table Storage takes ${MAX_ENTITY_BYTES} (text counts two bytes a character, escapes included).`);
    total += bytes;
  }
  if (total > MAX_TRANSACTION_BYTES) throw new TooLargeForStorage(`${what} would write ${total} bytes at once; Azure Table Storage takes ${MAX_TRANSACTION_BYTES}.`);
}
