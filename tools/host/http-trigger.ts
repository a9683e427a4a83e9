import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { HttpRequestInit, HttpResponse, HttpResponseInit } from '@azure/functions';
import { GraphError, graphErrorResponse } from '../../src/graph/errors';
import { requestIds } from '../../src/graph/request-ids';
import { invoke, type ContextConstructor, type InFlight } from './invocation';
import type { HostLogger } from './logger';
import type { RegisteredFunction } from './registry';
import { comparePrecedence, joinRoute, parseRouteTemplate, type RouteTemplate } from './route-template';

export interface HttpRoute {
  readonly fn: RegisteredFunction;
  readonly template: RouteTemplate;
  readonly methods: readonly string[];
}

export interface HttpLibrary {
  readonly HttpRequest: new (init: HttpRequestInit) => unknown;
  readonly HttpResponse: new (init?: HttpResponseInit) => HttpResponse;
  readonly InvocationContext: ContextConstructor;
}

export interface HttpTriggerDeps {
  readonly routes: readonly HttpRoute[];
  readonly library: HttpLibrary;
  readonly logger: HostLogger;
  readonly inFlight: InFlight;
  readonly maxRequestBodyBytes: number;
  readonly isStopping: () => boolean;
}

/** The host's routing table: routePrefix + each function's route, most specific first. */
export function buildRoutes(functions: readonly RegisteredFunction[], routePrefix: string): HttpRoute[] {
  const routes = functions
    .filter((fn) => fn.trigger.type.toLowerCase() === 'httptrigger')
    .map((fn) => {
      const route = typeof fn.trigger['route'] === 'string' ? fn.trigger['route'] : fn.metadata.name;
      const methods = Array.isArray(fn.trigger['methods']) ? (fn.trigger['methods'] as string[]) : [];
      return {
        fn,
        template: parseRouteTemplate(joinRoute(routePrefix, route)),
        // No methods means every method, as in the Functions host.
        methods: methods.map((m) => m.toUpperCase()),
      };
    });
  // Array.prototype.sort is stable: equal precedence keeps registration order.
  return routes.sort((a, b) => comparePrecedence(a.template.precedence, b.template.precedence));
}

class BodyTooLarge extends Error {}

export function createHttpServer(deps: HttpTriggerDeps): http.Server {
  return http.createServer(requestListener(deps));
}

/** Serves the routes on any node:http-compatible server (the https one too, see https.ts). */
export function requestListener(deps: HttpTriggerDeps): http.RequestListener {
  return (req, res) => {
    void deps.inFlight.track(handle(req, res, deps));
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, deps: HttpTriggerDeps): Promise<void> {
  const started = performance.now();
  const method = (req.method ?? 'GET').toUpperCase();
  // The scheme it came in on, so the absolute URLs the app writes point back the same way.
  const scheme = (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
  const url = new URL(req.url ?? '/', `${scheme}://${req.headers.host ?? '127.0.0.1'}`);
  if (deps.isStopping()) res.setHeader('Connection', 'close');

  let status: number;
  try {
    status = await dispatch(req, res, method, url, deps);
  } catch (error) {
    // The app let an exception escape: the Functions host answers 500 with no body.
    deps.logger.log('error', `${method} ${url.pathname} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    status = 500;
    if (!res.headersSent) res.writeHead(500, { 'Content-Length': '0' });
    res.end();
  }
  deps.logger.log('information', `${method} ${url.pathname}${url.search} ${status} ${Math.round(performance.now() - started)}ms`);
}

async function dispatch(req: IncomingMessage, res: ServerResponse, method: string, url: URL, deps: HttpTriggerDeps): Promise<number> {
  let matched: { route: HttpRoute; params: Record<string, string> } | undefined;
  const allowed = new Set<string>();
  for (const route of deps.routes) {
    const params = route.template.match(url.pathname);
    if (!params) continue;
    if (route.methods.length === 0 || route.methods.includes(method)) {
      matched = { route, params };
      break;
    }
    route.methods.forEach((m) => allowed.add(m));
  }
  if (!matched) {
    const error = allowed.size > 0 ? GraphError.methodNotAllowed(method, url.pathname, [...allowed]) : GraphError.noRoute(method, url.pathname);
    return sendHostError(req, res, error, deps);
  }

  let body: Buffer;
  try {
    body = await readBody(req, deps.maxRequestBodyBytes);
  } catch (error) {
    if (error instanceof BodyTooLarge) return sendHostError(req, res, GraphError.payloadTooLarge(deps.maxRequestBodyBytes), deps, true);
    throw error;
  }

  const request = new deps.library.HttpRequest({
    method,
    url: url.href,
    headers: flattenHeaders(req),
    params: matched.params,
    ...(body.length > 0 && { body: { bytes: body } }),
  });
  const result = await invoke(matched.route.fn, request, undefined, { InvocationContext: deps.library.InvocationContext, logger: deps.logger });
  return writeResponse(res, result, deps);
}

function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

/** Reads the whole body, refusing (before or while streaming) anything over the cap. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(new BodyTooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function isHttpResponse(value: unknown): value is HttpResponse {
  return typeof value === 'object' && value !== null && (value as HttpResponse).headers instanceof Headers && typeof (value as HttpResponse).arrayBuffer === 'function';
}

/** Writes what the handler returned the way the Functions host does: status, headers, whole body. */
async function writeResponse(res: ServerResponse, result: unknown, deps: HttpTriggerDeps): Promise<number> {
  const response = isHttpResponse(result) ? result : new deps.library.HttpResponse((result ?? {}) as HttpResponseInit);
  if (response.cookies.length > 0) {
    deps.logger.log('warning', 'The local host does not write HttpResponse.cookies; set a Set-Cookie header instead.');
  }
  const body = Buffer.from(await response.arrayBuffer());
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  if (![204, 304].includes(response.status)) headers['content-length'] = String(body.length);
  res.writeHead(response.status, headers);
  res.end(body);
  return response.status;
}

function sendHostError(req: IncomingMessage, res: ServerResponse, error: GraphError, deps: HttpTriggerDeps, close = false): Promise<number> {
  const ids = requestIds(req.headers['client-request-id'] as string | undefined);
  const init = graphErrorResponse(error, ids);
  if (close) res.setHeader('Connection', 'close');
  return writeResponse(res, init, deps);
}
