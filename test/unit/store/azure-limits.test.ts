import { describe, expect, it } from 'vitest';
import { assertFitsAzure, entityBytes, MAX_ENTITY_BYTES, TooLargeForStorage } from '../../../src/store/azure-limits';

describe('Azure Table Storage’s limits, counted as Azure counts them', () => {
  it('sizes an entity in UTF-16: keys, each property’s name and value', () => {
    // 4 + keys (2 × 2 × 1) + property: 8 + 2 × 4 (name) + 4 + 2 × 3 (value).
    expect(entityBytes({ partitionKey: 'p', rowKey: 'r', name: 'abc' })).toBe(4 + 4 + 8 + 8 + 4 + 6);
    expect(entityBytes({ partitionKey: 'p', rowKey: 'r', n: 1, b: true })).toBe(8 + (8 + 2 + 8) + (8 + 2 + 1));
  });

  it('refuses a row over 1 MiB, over 252 properties, or a transaction of more than 100 rows', () => {
    const big = { partitionKey: 'p', rowKey: 'r', text: 'x'.repeat(MAX_ENTITY_BYTES / 2) };
    expect(() => assertFitsAzure([['create', big]], 'This change')).toThrow(TooLargeForStorage);
    expect(() => assertFitsAzure([['create', big]], 'This change')).toThrow(/a row of \d+ bytes; Azure Table Storage takes 1048576/);
    const wide = { partitionKey: 'p', rowKey: 'r', ...Object.fromEntries(Array.from({ length: 253 }, (_, i) => [`p${i}`, i])) };
    expect(() => assertFitsAzure([['create', wide]], 'This change')).toThrow(/253 properties/);
    const many = Array.from({ length: 101 }, (_, i) => ['create', { partitionKey: 'p', rowKey: `r${i}` }] as ['create', { partitionKey: string; rowKey: string }]);
    expect(() => assertFitsAzure(many, 'This change')).toThrow(/101 rows/);
    expect(() => assertFitsAzure(many.slice(0, 100), 'This change')).not.toThrow();
  });
});
