import type { HttpHandler, HttpRequest, HttpResponseInit } from '@azure/functions';
import { authenticate, requireRole, type CallingApp } from '../auth/tokens';
import type { ApiVersion, Owner, PathFamily } from '../calls/model';
import type { CallAddress } from '../graph/paths';
import { GraphError } from '../graph/errors';
import { parseGuid } from '../graph/ids';
import type { RequestIds } from '../graph/request-ids';
import { serviceBaseUrl } from '../notify/issuer';
import { services } from '../app/services';
import type { Services } from '../service/services';
import { withGraphErrors } from './error-boundary';
import { applyRequestFaults, type FaultDraw } from './request-faults';

/** One authenticated Graph request, with what every handler needs. */
export interface ApiRequest {
  readonly request: HttpRequest;
  readonly ids: RequestIds;
  /** The app the bearer token names: the one making this request. */
  readonly app: CallingApp;
  readonly family: PathFamily;
  readonly version: ApiVersion;
  /** This service's base URL as the bot sees it (see notify/issuer.ts). */
  readonly baseUrl: string;
  readonly services: Services;
  /** The request's number under a fault profile with call faults (local mode): what call-faults.ts draws from. */
  readonly faultDraw?: FaultDraw;
}

export interface RouteOptions {
  readonly family: PathFamily;
  /** The calling app needs one of these app roles. */
  readonly roles: readonly string[];
  /** Exists only in local mode; deployed, the route answers like an unknown path. */
  readonly localOnly?: boolean;
}

/**
 * A Graph calls route: authenticates the calling app (401 / 403 before anything else), checks the
 * 2018 path's `{appId}` against it (another app's id is a 404, like another app's call), and turns
 * domain refusals into Graph errors.
 */
export function graphApi(options: RouteOptions, handler: (req: ApiRequest) => Promise<HttpResponseInit>): HttpHandler {
  return withGraphErrors(async (request, _context, ids) => {
    const s = services();
    if (options.localOnly && s.config.mode !== 'local') throw GraphError.noRoute(request.method, new URL(request.url).pathname);
    const app = await authenticate(request.headers.get('authorization'), s.verifier);
    requireRole(app, options.roles);
    if (options.family === 'applications') {
      const appId = request.params['appId'] ?? '';
      if ((parseGuid(appId) ?? appId.toLowerCase()) !== app.appId) throw GraphError.itemNotFound(`Application '${appId}' was not found.`);
    }
    // While apps share the instance, requests beyond its limit wait, served app by app in turn.
    return s.requestGate.run(`${app.tenantId}/${app.appId}`, async () => {
      // The emulator's own routes (fault profiles among them) are the test's controls: never faulted.
      const faultDraw = options.localOnly ? undefined : await applyRequestFaults(s, request, app);
      const version = (request.params['version'] ?? 'v1.0').toLowerCase() === 'beta' ? 'beta' : 'v1.0';
      const baseUrl = serviceBaseUrl(s.config, request.url);
      return handler({ request, ids, app, family: options.family, version, baseUrl, services: s, ...(faultDraw && { faultDraw }) });
    });
  });
}

export function addressOf(req: ApiRequest, callId: string): CallAddress {
  return { family: req.family, appId: req.app.appId, callId };
}

export function ownerOf(req: ApiRequest): Owner {
  return { tenantId: req.app.tenantId, appId: req.app.appId };
}
