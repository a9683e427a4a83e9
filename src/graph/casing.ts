import type { OperationStatus } from '../calls/model';

/**
 * operationStatus is written `completed` in the Graph docs and examples, but `Completed` in the
 * Graph schema (CSDL) and every generated SDK. The docs' casing is the default; the setting
 * GRAPH_ENUM_CASING=schema switches to the schema's. Only this enum differs between the two.
 */
export type EnumCasing = 'docs' | 'schema';

export function formatStatus(status: OperationStatus, casing: EnumCasing): string {
  return casing === 'schema' ? status.charAt(0).toUpperCase() + status.slice(1) : status;
}
