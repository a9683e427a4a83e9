/**
 * JSON in table properties. A string property holds at most 64 KiB (32K UTF-16 characters), so a
 * longer document is split over `{name}`, `{name}_1`, `{name}_2`... with `{name}_parts` saying how
 * many; readers join them back. Entities stay under the 1 MiB entity limit because request
 * validation bounds everything stored (test/unit/store/row-sizes.test.ts builds the largest rows).
 */
const CHUNK_CHARS = 30_000;

/**
 * JSON text that every table store keeps as given. U+2028 / U+2029 are written as JSON escapes:
 * Azurite's transaction parser splits lines on them and drops the property (the cloud service
 * does not), and JSON.parse turns the escapes back into the same characters.
 */
export function storedJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
}

/** Where the chunk starting at `from` ends, never between the two halves of a surrogate pair. */
function chunkEnd(text: string, from: number): number {
  const end = Math.min(text.length, from + CHUNK_CHARS);
  const last = text.charCodeAt(end - 1);
  return end < text.length && last >= 0xd800 && last <= 0xdbff ? end - 1 : end;
}

export function jsonColumns(name: string, value: unknown): Record<string, string | number> {
  const text = storedJson(value);
  if (text.length <= CHUNK_CHARS) return { [name]: text };
  const columns: Record<string, string | number> = {};
  let parts = 0;
  for (let from = 0; from < text.length; parts++) {
    const end = chunkEnd(text, from);
    columns[parts === 0 ? name : `${name}_${parts}`] = text.slice(from, end);
    from = end;
  }
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

/**
 * A user's free text (clientContext) as a property: as itself when storage keeps it as given, else
 * JSON-encoded in `{name}Json` (see storedJson). Readers take whichever is there.
 */
export function textColumn(name: string, value: string | undefined): Record<string, string> {
  if (value === undefined) return {};
  return /[\u2028\u2029]/.test(value) ? { [`${name}Json`]: storedJson(value) } : { [name]: value };
}

export function readTextColumn(entity: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const encoded = entity[`${name}Json`];
  if (typeof encoded === 'string') return JSON.parse(encoded) as string;
  const plain = entity[name];
  return typeof plain === 'string' ? plain : undefined;
}
