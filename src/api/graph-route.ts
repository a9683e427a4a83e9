import type { HttpHandler, HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { ConfigError } from '../config';
import { GraphError, graphErrorResponse } from '../graph/errors';
import { requestIds, type RequestIds } from '../graph/request-ids';
import { TooLargeForStorage } from '../store/azure-limits';

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
export function graphRoute(handler: GraphHandler): HttpHandler {
  return async (request, context) => {
    const ids = requestIds(request.headers.get('client-request-id'));
    try {
      const response = await handler(request, context, ids);
      return { ...response, headers: { ...ids.headers, ...(response.headers as Record<string, string> | undefined) } };
    } catch (error) {
      if (error instanceof GraphError) return graphErrorResponse(error, ids);
      // A setting is wrong: say which, so the operator can fix it (it names no secret).
      if (error instanceof ConfigError) return graphErrorResponse(GraphError.serviceUnavailable(`The service is misconfigured: ${error.message}`), ids);
      // Azure Table Storage would refuse what the request asks to store (store/azure-limits.ts).
      if (error instanceof TooLargeForStorage) return graphErrorResponse(new GraphError(413, 'RequestEntityTooLarge', error.message, {}, 'storedTooLarge'), ids);
      if (isStorageOutage(error)) {
        context.warn(`request ${ids.requestId}: storage unavailable:`, error);
        const busy = new GraphError(503, 'serviceNotAvailable', 'Storage is not available right now; retry the request.', { 'Retry-After': '5' });
        return graphErrorResponse(busy, ids);
      }
      context.error(`request ${ids.requestId} failed:`, error);
      return graphErrorResponse(GraphError.internal(), ids);
    }
  };
}
