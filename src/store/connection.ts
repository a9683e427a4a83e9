import { TableClient, TableServiceClient, type TableServiceClientOptions } from '@azure/data-tables';
import type { StoragePool } from './storage-pool';
import { DefaultAzureCredential, ManagedIdentityCredential, type TokenCredential } from '@azure/identity';
import { QueueClient, QueueServiceClient } from '@azure/storage-queue';
import { ConfigError } from '../config';

/**
 * One storage account, reached either by connection string or by identity, exactly as the Azure
 * Functions host resolves a binding's `connection` setting:
 *   - `{name}` holds a connection string (`UseDevelopmentStorage=true` included), or
 *   - `{name}__accountName` (or `{name}__tableServiceUri` / `{name}__queueServiceUri`) names the
 *     account, with `{name}__credential=managedidentity` and `{name}__clientId` selecting a
 *     user-assigned identity; otherwise DefaultAzureCredential is used.
 * Every table and queue client in the app and in the local host comes from here.
 */
export interface StorageAccount {
  /** Where the account is, for log lines: never includes a key. */
  readonly description: string;
  /** `retries: 0` for probes that must answer quickly; otherwise the SDK's default retry policy. */
  table(name: string, options?: { retries?: number }): TableClient;
  tableService(): TableServiceClient;
  queue(name: string): QueueClient;
}

type Env = Readonly<Record<string, string | undefined>>;

/** `pool`: the process's storage pool (storage-pool.ts), which every table round trip then goes through. */
export function storageAccount(connectionName: string, env: Env, pool?: StoragePool): StorageAccount {
  const connectionString = env[connectionName]?.trim();
  const policies = pool ? { additionalPolicies: [{ policy: pool.policy(), position: 'perRetry' as const }] } : {};
  if (connectionString) return fromConnectionString(connectionString, policies);
  return fromIdentity(connectionName, env, policies);
}

type Policies = Pick<TableServiceClientOptions, 'additionalPolicies'>;

/**
 * Retries suited to an API a bot is waiting on: a few quick tries, then the request fails (503)
 * and the caller retries. The SDKs' defaults (up to ~30 s for queues) would hold the request open.
 */
const QUEUE_RETRIES = { retryOptions: { maxTries: 3, retryDelayInMs: 500, maxRetryDelayInMs: 4000 } };
const TABLE_RETRIES = { maxRetries: 2, retryDelayInMs: 500, maxRetryDelayInMs: 4000 };

function fromConnectionString(connectionString: string, policies: Policies): StorageAccount {
  const queues = QueueServiceClient.fromConnectionString(connectionString, QUEUE_RETRIES);
  // Azurite speaks plain http; the table SDK refuses shared-key auth over http unless told.
  const options = { allowInsecureConnection: queues.url.startsWith('http:'), ...policies };
  return {
    description: describeUrl(queues.url),
    table: (name, o) => TableClient.fromConnectionString(connectionString, name, { ...options, ...retryOptions(o) }),
    tableService: () => TableServiceClient.fromConnectionString(connectionString, options),
    queue: (name) => queues.getQueueClient(name),
  };
}

function fromIdentity(connectionName: string, env: Env, policies: Policies): StorageAccount {
  const account = env[`${connectionName}__accountName`]?.trim();
  const tableUri =
    env[`${connectionName}__tableServiceUri`]?.trim() ||
    (account ? `https://${account}.table.core.windows.net` : undefined);
  const queueUri =
    env[`${connectionName}__queueServiceUri`]?.trim() ||
    (account ? `https://${account}.queue.core.windows.net` : undefined);
  if (!tableUri || !queueUri) {
    throw new ConfigError(
      `Storage connection '${connectionName}' is not configured: set '${connectionName}' to a connection string, ` +
        `or '${connectionName}__accountName' for an identity-based connection.`,
    );
  }
  const credential = identityCredential(connectionName, env);
  const queues = new QueueServiceClient(queueUri, credential, QUEUE_RETRIES);
  return {
    description: `${tableUri} (identity)`,
    table: (name, o) => new TableClient(tableUri, name, credential, { ...retryOptions(o), ...policies }),
    tableService: () => new TableServiceClient(tableUri, credential, policies),
    queue: (name) => queues.getQueueClient(name),
  };
}

function retryOptions(options?: { retries?: number }) {
  return { retryOptions: { ...TABLE_RETRIES, ...(options?.retries !== undefined && { maxRetries: options.retries }) } };
}

function identityCredential(connectionName: string, env: Env): TokenCredential {
  const clientId = env[`${connectionName}__clientId`]?.trim() || undefined;
  if (env[`${connectionName}__credential`]?.trim().toLowerCase() === 'managedidentity') {
    return clientId ? new ManagedIdentityCredential({ clientId }) : new ManagedIdentityCredential();
  }
  return new DefaultAzureCredential(clientId ? { managedIdentityClientId: clientId } : {});
}

function describeUrl(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}${u.pathname.replace(/\/$/, '')}`;
}

/**
 * The Azure built-in data-plane roles an identity-based deployment needs on the storage account
 * (infra/ grants exactly these; a test keeps the two in step).
 */
export const STORAGE_DATA_ROLES = {
  /** The calls table: point reads, queries, entity-group transactions. */
  'Storage Table Data Contributor': '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3',
  /** The queues: send, receive, update, delete, and poison queues for the triggers. */
  'Storage Queue Data Contributor': '974c5e8b-45b9-4653-ba55-5f855dd0fb88',
  /** The Functions host (AzureWebJobsStorage): the deployment package and the host's own state. */
  'Storage Blob Data Owner': 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b',
} as const;
