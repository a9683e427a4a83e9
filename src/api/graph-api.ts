import type { HttpHandler, HttpRequest, HttpResponseInit } from '@azure/functions';
import { authenticate, requireRole, type Caller } from '../auth/tokens';
import type { ApiVersion, PathFamily } from '../calls/model';
import { CallRuleViolation } from '../calls/rules';
import { GraphError } from '../graph/errors';
import { graphRoute } from '../graph/handler';
import { parseGuid } from '../graph/ids';
import type { CallAddress } from '../graph/paths';
import type { RequestIds } from '../graph/request-ids';
import { serviceBaseUrl } from '../notify/issuer';
import { services, type Services } from '../service/services';
import { CallBusyError } from '../store/call-store';

/** One authenticated Graph request, with what every handler needs. */
export interface ApiRequest {
  readonly request: HttpRequest;
  readonly ids: RequestIds;
  readonly caller: Caller;
  readonly family: PathFamily;
  readonly version: ApiVersion;
  /** This service's base URL as the bot sees it (see notify/issuer.ts). */
  readonly baseUrl: string;
  readonly services: Services;
}

export interface RouteOptions {
  readonly family: PathFamily;
  /** The caller needs one of these app roles. */
  readonly roles: readonly string[];
  /** Exists only in local mode; deployed, the route answers like an unknown path. */
  readonly localOnly?: boolean;
}

/**
 * A Graph calls route: authenticates the caller (401 / 403 before anything else), checks the
 * 2018 path's `{appId}` against the caller (another app's id is a 404, like another app's call),
 * and turns domain refusals into Graph errors.
 */
export function graphApi(options: RouteOptions, handler: (req: ApiRequest) => Promise<HttpResponseInit>): HttpHandler {
  return graphRoute(async (request, _context, ids) => {
    const s = services();
    if (options.localOnly && s.config.mode !== 'local') throw GraphError.noRoute(request.method, new URL(request.url).pathname);
    const caller = await authenticate(request.headers.get('authorization'), s.verifier);
    requireRole(caller, options.roles);
    if (options.family === 'applications') {
      const appId = request.params['appId'] ?? '';
      if ((parseGuid(appId) ?? appId.toLowerCase()) !== caller.appId) throw GraphError.itemNotFound(`Application '${appId}' was not found.`);
    }
    const version = (request.params['version'] ?? 'v1.0').toLowerCase() === 'beta' ? 'beta' : 'v1.0';
    const baseUrl = serviceBaseUrl(s.config, request.url);
    try {
      return await handler({ request, ids, caller, family: options.family, version, baseUrl, services: s });
    } catch (error) {
      if (error instanceof CallRuleViolation) throw GraphError.badRequest(error.message);
      if (error instanceof CallBusyError) throw new GraphError(503, 'serviceNotAvailable', `${error.message} Retry the request.`, { 'Retry-After': '1' });
      throw error;
    }
  });
}

/** The call id in the route, in canonical form; a 404 when it is not a GUID (no call can have it). */
export function routeCallId(req: ApiRequest): string {
  const raw = req.request.params['callId'] ?? '';
  const id = parseGuid(raw);
  if (!id) throw callNotFound(raw);
  return id;
}

export function callNotFound(id: string): GraphError {
  return GraphError.itemNotFound(`Call '${id}' was not found.`);
}

export function addressOf(req: ApiRequest, callId: string): CallAddress {
  return { family: req.family, appId: req.caller.appId, callId };
}

export function ownerOf(req: ApiRequest) {
  return { tenantId: req.caller.tenantId, appId: req.caller.appId };
}
