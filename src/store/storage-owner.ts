import type { TableClient } from '@azure/data-tables';
import { unlessAbsent } from './status';

/**
 * Which kind of service owns a calls table: `local` (npm start: local tokens, the emulator, a
 * signing key from .local/) or `deployed` (Entra ID tokens, the fleet's signing key). One row,
 * written by the owner; a local start refuses storage a deployed fleet has marked, since it would
 * take the fleet's queue messages, sign with the wrong key and show production calls.
 */
export const OWNER_PARTITION = '~service';
export const OWNER_ROW = 'owner';

export interface StorageOwner {
  readonly mode: 'local' | 'deployed';
  /** The key id (kid) of the key that signs notifications. */
  readonly signingKeyId: string;
  readonly since: number;
}

export async function readOwner(table: TableClient): Promise<StorageOwner | undefined> {
  const e = await unlessAbsent(table.getEntity<Record<string, unknown>>(OWNER_PARTITION, OWNER_ROW));
  const mode = e?.['mode'] === 'deployed' ? 'deployed' : e?.['mode'] === 'local' ? 'local' : undefined;
  return mode && { mode, signingKeyId: String(e?.['signingKeyId'] ?? ''), since: Number(e?.['since'] ?? 0) };
}

export async function recordOwner(table: TableClient, owner: StorageOwner): Promise<void> {
  await table.upsertEntity({ partitionKey: OWNER_PARTITION, rowKey: OWNER_ROW, ...owner }, 'Replace');
}

/** Why an instance of `mode` must not use storage owned by `owner`; undefined when it may. */
export function ownerConflict(owner: StorageOwner | undefined, mode: StorageOwner['mode']): string | undefined {
  if (!owner || owner.mode === mode || mode === 'deployed') return undefined;
  return `this storage belongs to a deployed service (notifications signed with key '${owner.signingKeyId}', since ${new Date(owner.since).toISOString()}); a local npm start must not use it. Point AzureWebJobsStorage and CallsStorage at Azurite (the default) or at storage of your own`;
}

/** The owner row of one calls table, as a port of the service. */
export class OwnerStore {
  constructor(private readonly table: TableClient) {}
  read(): Promise<StorageOwner | undefined> {
    return readOwner(this.table);
  }
  record(owner: StorageOwner): Promise<void> {
    return recordOwner(this.table, owner);
  }
}
