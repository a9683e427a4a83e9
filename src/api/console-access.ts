import type { HttpHandler, HttpRequest } from '@azure/functions';
import { GraphError } from '../graph/errors';
import { isLoopbackHost } from '../notify/callback-url';
import { services } from '../app/services';
import { withGraphErrors, type GraphHandler } from './error-boundary';

/**
 * A route of the local console: it exists only in local mode (deployed it answers 404 like any
 * unknown path) and only for requests addressed to a loopback name. The Host check keeps a web
 * page that rebinds its own DNS name to 127.0.0.1 from reading calls or minting tokens; a
 * cross-origin page cannot read the answers anyway (no CORS headers are ever sent).
 */
export function consoleRoute(handler: GraphHandler): HttpHandler {
  return withGraphErrors(async (request, context, ids) => {
    if (services().config.mode !== 'local') throw GraphError.noRoute(request.method, new URL(request.url).pathname);
    assertLoopback(request);
    return handler(request, context, ids);
  });
}

/**
 * A route for the operator: the dead letters, the delivery log, replay. Deployed, the Functions
 * host's admin key guards it (authLevel 'admin'); locally, where no key is asked for, the console's
 * loopback guard does, so a web page cannot read every app's dead letters (tokens of recordings
 * included) or replay them.
 */
export function operatorRoute(handler: GraphHandler): HttpHandler {
  return withGraphErrors(async (request, context, ids) => {
    if (services().config.mode === 'local') assertLoopback(request);
    return handler(request, context, ids);
  });
}

function assertLoopback(request: HttpRequest): void {
  const host = hostnameOf(request.headers.get('host')) ?? new URL(request.url).hostname;
  if (!isLoopbackHost(host)) throw GraphError.forbidden(`This local route answers only on a loopback address (localhost, 127.0.0.1, [::1]); this request was for '${host}'.`);
  const origin = request.headers.get('origin');
  if (origin !== null && !isLoopbackHost(originHost(origin))) {
    throw GraphError.forbidden(`This local route answers only pages of its own; this request came from '${origin}'.`);
  }
}

/** The host name of an Origin header; '' for `null` (a sandboxed or file page) or anything unreadable. */
function originHost(origin: string): string {
  try {
    return hostnameOf(new URL(origin).host) ?? '';
  } catch {
    return '';
  }
}

/** The name in a Host header, without the port. */
function hostnameOf(host: string | null): string | undefined {
  if (!host) return undefined;
  return host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0];
}
