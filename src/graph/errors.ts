import type { HttpResponseInit } from '@azure/functions';
import type { RequestIds } from './request-ids';

/**
 * The one error type of the service. Anything that should reach a client as an error is thrown as
 * a GraphError and rendered in Microsoft Graph's error shape:
 *   {"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}
 */
export class GraphError extends Error {
  override readonly name = 'GraphError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
    /** A finer, stable reason, rendered as `innerError.code` (as Graph does for some errors). */
    readonly innerCode?: string,
    /** More `innerError` members some of Graph's errors carry (throttling's `status`). */
    readonly innerFields: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }

  static badRequest(message: string, innerCode?: string): GraphError {
    return new GraphError(400, 'BadRequest', message, {}, innerCode);
  }
  static unauthenticated(message: string): GraphError {
    return new GraphError(401, 'InvalidAuthenticationToken', message, { 'WWW-Authenticate': 'Bearer' });
  }
  static forbidden(message: string): GraphError {
    return new GraphError(403, 'Forbidden', message);
  }
  static itemNotFound(message: string): GraphError {
    return new GraphError(404, 'itemNotFound', message);
  }
  static noRoute(method: string, path: string): GraphError {
    return new GraphError(404, 'NotFound', `No resource matches '${method} ${path}'.`);
  }
  static methodNotAllowed(method: string, path: string, allowed: readonly string[]): GraphError {
    return new GraphError(405, 'MethodNotAllowed', `'${path}' does not support ${method}; it supports ${allowed.join(', ')}.`, {
      Allow: allowed.join(', '),
    });
  }
  static payloadTooLarge(limitBytes: number): GraphError {
    return new GraphError(413, 'RequestEntityTooLarge', `The request body exceeds the limit of ${limitBytes} bytes.`);
  }
  static unsupportedMediaType(contentType: string | null): GraphError {
    const got = contentType ? `'${contentType}'` : 'none';
    return new GraphError(415, 'UnsupportedMediaType', `The request body must be application/json; the Content-Type was ${got}.`);
  }
  /** 503, with Retry-After when the caller should wait before retrying. */
  static serviceUnavailable(message: string, retryAfterSeconds?: number): GraphError {
    return new GraphError(503, 'serviceNotAvailable', message, retryAfterSeconds === undefined ? {} : { 'Retry-After': String(retryAfterSeconds) });
  }
  /** Graph's throttling answer, body and Retry-After as Graph sends them. */
  static tooManyRequests(retryAfterSeconds: number): GraphError {
    return new GraphError(429, 'TooManyRequests', 'Please retry again later.', { 'Retry-After': String(retryAfterSeconds) }, '429', { status: '429' });
  }
  static internal(): GraphError {
    return new GraphError(500, 'generalException', 'An internal error occurred; the request can be retried.');
  }
}

/** Graph writes innerError.date without fractional seconds or zone designator. */
function graphDate(now: Date): string {
  return now.toISOString().slice(0, 19);
}

export function graphErrorBody(error: GraphError, ids: RequestIds, now: Date = new Date()) {
  return {
    error: {
      code: error.code,
      message: error.message,
      innerError: {
        ...(error.innerCode !== undefined && { code: error.innerCode }),
        date: graphDate(now),
        'request-id': ids.requestId,
        'client-request-id': ids.clientRequestId,
        ...error.innerFields,
      },
    },
  };
}

export function graphErrorResponse(error: GraphError, ids: RequestIds, now: Date = new Date()): HttpResponseInit {
  return {
    status: error.status,
    headers: { ...ids.headers, ...error.headers, 'Content-Type': 'application/json' },
    jsonBody: graphErrorBody(error, ids, now),
  };
}
