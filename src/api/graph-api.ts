import type { HttpHandler, HttpRequest, HttpResponseInit } from '@azure/functions';
import { authenticate, requireRole, type CallingApp } from '../auth/tokens';
import { isOwnedBy, type ApiVersion, type Call, type Owner, type PathFamily } from '../calls/model';
import { GraphError } from '../graph/errors';
import { parseGuid } from '../graph/ids';
import type { CallAddress } from '../graph/paths';
import type { RequestIds } from '../graph/request-ids';
import { commitChange, type Decide, type Outcome } from '../service/commit';
import { serviceBaseUrl } from '../notify/issuer';
import { services } from '../app/services';
import type { Services } from '../service/services';
import { graphRoute } from './graph-route';
import { applyRequestFaults } from './request-faults';

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
  return graphRoute(async (request, _context, ids) => {
    const s = services();
    if (options.localOnly && s.config.mode !== 'local') throw GraphError.noRoute(request.method, new URL(request.url).pathname);
    const app = await authenticate(request.headers.get('authorization'), s.verifier);
    requireRole(app, options.roles);
    if (options.family === 'applications') {
      const appId = request.params['appId'] ?? '';
      if ((parseGuid(appId) ?? appId.toLowerCase()) !== app.appId) throw GraphError.itemNotFound(`Application '${appId}' was not found.`);
    }
    // The emulator's own routes (fault profiles among them) are the test's controls: never faulted.
    if (!options.localOnly) await applyRequestFaults(s, request, app);
    const version = (request.params['version'] ?? 'v1.0').toLowerCase() === 'beta' ? 'beta' : 'v1.0';
    const baseUrl = serviceBaseUrl(s.config, request.url);
    return handler({ request, ids, app, family: options.family, version, baseUrl, services: s });
  });
}

/**
 * Finds the route's call, lets `decide` change it and commits the change (service/commit.ts); a
 * 404 when the call does not exist or is another app's. What "unchanged" means is the handler's.
 */
export async function changeOwnedCall<R>(req: ApiRequest, decide: Decide<R>): Promise<Exclude<Outcome<R>, { kind: 'notFound' }>> {
  const callId = routeCallId(req);
  const outcome = await commitChange(req.services, callId, decide, { owner: ownerOf(req) });
  if (outcome.kind === 'notFound') throw callNotFound(callId);
  return outcome;
}

/** The route's call, read once; a 404 when it does not exist or is another app's (the same answer for both). */
export async function loadOwnedCall(req: ApiRequest): Promise<Call> {
  const callId = routeCallId(req);
  const loaded = await req.services.store.load(callId);
  if (!loaded || loaded.record.deleting || !isOwnedBy(loaded.record.call, ownerOf(req))) throw callNotFound(callId);
  return loaded.record.call;
}

/** The call id in the route, in canonical form; a 404 when it is not a GUID (no call can have it). */
export function routeCallId(req: Pick<ApiRequest, 'request'>): string {
  const raw = req.request.params['callId'] ?? '';
  const id = parseGuid(raw);
  if (!id) throw callNotFound(raw);
  return id;
}

export function callNotFound(id: string): GraphError {
  return GraphError.itemNotFound(`Call '${id}' was not found.`);
}

export function addressOf(req: ApiRequest, callId: string): CallAddress {
  return { family: req.family, appId: req.app.appId, callId };
}

export function ownerOf(req: ApiRequest): Owner {
  return { tenantId: req.app.tenantId, appId: req.app.appId };
}
