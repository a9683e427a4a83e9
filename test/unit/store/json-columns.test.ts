import { describe, expect, it } from 'vitest';
import { jsonColumns, readJsonColumn, readTextColumn, textColumn } from '../../../src/store/json-columns';

describe('JSON columns', () => {
  it('never ends a chunk between the halves of a surrogate pair, and joins back to the same value', () => {
    for (const shift of [0, 1]) {
      const value = { text: `${'x'.repeat(shift)}${'😀'.repeat(40_000)}` };
      const columns = jsonColumns('doc', value);
      // 80,000 characters do not fit one column: the value was split.
      expect(columns['doc_parts']).toBeGreaterThan(1);
      for (const [key, part] of Object.entries(columns)) {
        if (typeof part === 'string') expect(/[\uD800-\uDBFF]$|^[\uDC00-\uDFFF]/.test(part), `${key} splits a pair`).toBe(false);
      }
      expect(readJsonColumn(columns, 'doc')).toEqual(value);
    }
  });

  it('writes U+2028 and U+2029 as escapes, which read back as the same characters', () => {
    const columns = jsonColumns('doc', { text: 'a\u2028b\u2029c' });
    expect(columns['doc']).not.toMatch(/[\u2028\u2029]/);
    expect(readJsonColumn(columns, 'doc')).toEqual({ text: 'a\u2028b\u2029c' });
  });

  it('keeps free text plain unless it holds a separator', () => {
    expect(textColumn('clientContext', 'plain')).toEqual({ clientContext: 'plain' });
    const encoded = textColumn('clientContext', 'a\u2028b');
    expect(Object.values(encoded).join('')).not.toMatch(/[\u2028\u2029]/);
    expect(readTextColumn(encoded, 'clientContext')).toBe('a\u2028b');
    expect(readTextColumn({}, 'clientContext')).toBeUndefined();
  });
});
