/**
 * JSON in table properties. A string property holds at most 64 KiB (32K UTF-16 characters), so a
 * longer document is split over `{name}`, `{name}_1`, `{name}_2`... with `{name}_parts` saying how
 * many; readers join them back. Entities stay under the 1 MiB entity limit because request
 * validation bounds everything stored (test/unit/store/row-sizes.test.ts builds the largest rows).
 */
const CHUNK_CHARS = 30_000;

export function jsonColumns(name: string, value: unknown): Record<string, string | number> {
  const text = JSON.stringify(value);
  if (text.length <= CHUNK_CHARS) return { [name]: text };
  const columns: Record<string, string | number> = {};
  const parts = Math.ceil(text.length / CHUNK_CHARS);
  for (let i = 0; i < parts; i++) columns[i === 0 ? name : `${name}_${i}`] = text.slice(i * CHUNK_CHARS, (i + 1) * CHUNK_CHARS);
  columns[`${name}_parts`] = parts;
  return columns;
}

export function readJsonColumn<T>(entity: Readonly<Record<string, unknown>>, name: string): T | undefined {
  const first = entity[name];
  if (typeof first !== 'string') return undefined;
  const parts = Number(entity[`${name}_parts`] ?? 1);
  let text = first;
  for (let i = 1; i < parts; i++) text += String(entity[`${name}_${i}`] ?? '');
  return JSON.parse(text) as T;
}
