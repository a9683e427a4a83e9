import type { TableEntity } from '@azure/data-tables';

/** How a row's columns are written and read back: one place for every row kind. */
export type Entity = TableEntity<Record<string, unknown>>;

/** Drops undefined values: the table SDK would write them as nulls. */
export function defined(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
}

/** A JSON column; undefined when absent or empty. */
export const json = <T>(value: unknown): T | undefined => (typeof value === 'string' && value !== '' ? (JSON.parse(value) as T) : undefined);

/** A number column; undefined when absent. */
export const numberColumn = (e: Readonly<Record<string, unknown>>, key: string): number | undefined => (typeof e[key] === 'number' ? (e[key] as number) : undefined);

/** A string column; undefined when absent. */
export const stringColumn = (e: Readonly<Record<string, unknown>>, key: string): string | undefined => (typeof e[key] === 'string' ? (e[key] as string) : undefined);
