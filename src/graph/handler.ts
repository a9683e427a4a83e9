import type { HttpHandler, HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { ConfigError } from '../config';
import { GraphError, graphErrorResponse } from './errors';
import { requestIds, type RequestIds } from './request-ids';

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
      context.error(`request ${ids.requestId} failed:`, error);
      return graphErrorResponse(GraphError.internal(), ids);
    }
  };
}
