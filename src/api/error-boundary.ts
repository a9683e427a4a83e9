import { asApiWork } from '../store/storage-pool';
import type { HttpHandler, HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { ConfigError } from '../config';
import { GraphError, graphErrorResponse } from '../graph/errors';
import { requestIds, type RequestIds } from '../graph/request-ids';
import { TooLargeForStorage } from '../store/azure-limits';
import { CallRuleViolation } from '../calls/rules';
import { Contention, QuotaExceeded } from '../service/errors';

/**
 * A storage SDK error that is the storage's trouble, not the request's: 5xx, throttling, or no
 * answer at all (a network error). A reply storage gave but the SDK could not read, or a refusal
 * of a value (4xx), would fail the same way on every retry, so it is never a retryable 503.
 */
function isStorageOutage(error: unknown): boolean {
  const e = error as { name?: string; statusCode?: number; code?: string };
  if (e?.name !== 'RestError') return false;
  if (e.statusCode === undefined) return e.code !== 'PARSE_ERROR';
  return e.statusCode >= 500 || e.statusCode === 408 || e.statusCode === 429;
}

export type GraphHandler = (request: HttpRequest, context: InvocationContext, ids: RequestIds) => Promise<HttpResponseInit>;

/**
 * Wraps a handler so that every response carries Graph's correlation headers and every failure
 * leaves as a Graph-shaped error: a thrown GraphError as itself, anything else as a 500 that is
 * logged with the request id (its details stay in the log, not in the response).
 */
export function withGraphErrors(handler: GraphHandler): HttpHandler {
  return async (request, context) => {
    const ids = requestIds(request.headers.get('client-request-id'));
    try {
      // A request's storage round trips are not held back with background work's (store/storage-pool.ts).
      const response = await asApiWork(() => handler(request, context, ids));
      return { ...response, headers: { ...ids.headers, ...(response.headers as Record<string, string> | undefined) } };
    } catch (error) {
      const answer = graphErrorOf(error);
      if (answer) return graphErrorResponse(answer, ids);
      if (isStorageOutage(error)) {
        context.warn(`request ${ids.requestId}: storage unavailable:`, error);
        return graphErrorResponse(GraphError.serviceUnavailable('Storage is not available right now; retry the request.', 5), ids);
      }
      context.error(`request ${ids.requestId} failed:`, error);
      return graphErrorResponse(GraphError.internal(), ids);
    }
  };
}

/** The one mapping of the service's error kinds to Graph's answers; undefined for a failure (a 500). */
export function graphErrorOf(error: unknown): GraphError | undefined {
  if (error instanceof GraphError) return error;
  if (error instanceof CallRuleViolation) return GraphError.badRequest(error.message, error.code);
  if (error instanceof Contention) return GraphError.serviceUnavailable(error.message, error.retryAfterSeconds);
  if (error instanceof QuotaExceeded) return new GraphError(429, 'TooManyRequests', error.message, { 'Retry-After': String(error.retryAfterSeconds) }, 'quotaExceeded', { status: '429' });
  // Azure Table Storage would refuse what the request asks to store (store/azure-limits.ts).
  if (error instanceof TooLargeForStorage) return new GraphError(413, 'RequestEntityTooLarge', error.message, {}, 'storedTooLarge');
  // A setting is wrong: say which, so the operator can fix it (it names no secret).
  if (error instanceof ConfigError) return GraphError.serviceUnavailable(`The service is misconfigured: ${error.message}`);
  return undefined;
}
