import { config } from '../config';
import { GraphError } from '../graph/errors';
import { appStorage } from '../app/services';
import type { GraphHandler } from './error-boundary';

const STORAGE_PROBE_TIMEOUT_MS = 3000;

/**
 * GET /health: 200 when the app's table answers, 503 otherwise. It reads (never writes) one page of
 * a partition no call can have, so it is cheap and safe to poll.
 */
export const health: GraphHandler = async () => {
  const table = config().tableName;
  try {
    await appStorage()
      .table(table, { retries: 0 })
      .listEntities({ queryOptions: { filter: "PartitionKey eq '~health'" }, abortSignal: AbortSignal.timeout(STORAGE_PROBE_TIMEOUT_MS) })
      .byPage({ maxPageSize: 1 })
      .next();
  } catch (error) {
    // A storage error's code (TableNotFound, ECONNREFUSED...) says more than its JSON message.
    const { code, message } = error as { code?: string; message?: string };
    const reason = code ?? message?.split('\n')[0] ?? String(error);
    throw GraphError.serviceUnavailable(`Table '${table}' is not reachable: ${reason}`);
  }
  return { status: 200, jsonBody: { status: 'ok', storage: { table, reachable: true } } };
};
